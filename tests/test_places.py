"""Places of figures (table-driven cases), entities' kind and country, and the share of seed
figures with a place."""
from __future__ import annotations

import time

import pytest
from case_files import load_cases
from conftest import ROOT

from transforms import places
from transforms.extract import extract_document
from transforms.places import clause_boundaries, clause_span, figure_places, named_place_country, place_country
from transforms.records import Sentence
from transforms.resolve import entity_kind
from transforms.schemas import ENTITY_KINDS


@pytest.mark.parametrize("case", load_cases("places.jsonl"))
def test_case(case):
    extraction = extract_document(case["text"])
    found = figure_places(extraction.sentences, extraction.figures, extraction.mentions)
    assert [{"figure": f.text, "country_code": p.country_code, "place_source": p.source}
            for f, p in zip(extraction.figures, found)] == case["places"]


@pytest.mark.parametrize("dateline, expected", [
    ("NAIROBI", ("KEN", "dateline")),          # the dateline comes before the article's dominant country
    ("Port-au-Prince", ("HTI", "dateline")),
    ("NEW YORK", ("USA", "dateline")),         # an all-caps dateline is read in title case too
    ("Atlantis", ("SDN", "article")),          # a dateline that names no known place is passed over
    (None, ("SDN", "article")),
])
def test_a_dateline_place_comes_before_the_article(dateline, expected):
    extraction = extract_document("Sudan's army said it held the town.\nOfficials counted 300 dead.\nSudan met Chad.")
    (place,) = figure_places(extraction.sentences, extraction.figures, extraction.mentions, dateline)
    assert (place.country_code, place.source) == expected


def test_links_name_the_place_mention_and_the_other_names_of_the_clause():
    extraction = extract_document("Kenyan President William Ruto said 1,000 officers would go to Haiti.")
    (place,) = figure_places(extraction.sentences, extraction.figures, extraction.mentions)
    names = [m.canonical for m in extraction.mentions]
    assert (names[place.mention], [names[i] for i in place.subjects]) == ("Haiti", ["Kenya", "William Ruto"])


@pytest.mark.parametrize("type_, canonical, expected", [
    ("GPE", "Nairobi", "KEN"), ("GPE", "Washington, D.C.", "USA"), ("GPE", "Alberta", "CAN"),
    ("GPE", "Gaza", "PSE"), ("GPE", "Hong Kong", "HKG"), ("NORP", "Kenya", "KEN"), ("GPE", "Kenya", "KEN"),
    ("GPE", "Maryland", "USA"),                             # place_countries.tsv before subdivisions.tsv (LBR)
    ("LOC", "Africa", None), ("GPE", "Kashmir", None),      # no one country holds them
    ("ORG", "Nairobi", None), ("PERSON", "Georgia", None),  # only places have a country
])
def test_place_country(type_, canonical, expected):
    assert place_country(type_, canonical) == expected


def test_a_region_country_row_takes_effect(monkeypatch):
    monkeypatch.setitem(places._COUNTRY_OF_PLACE, "Kurdistan", "IRQ")
    assert place_country("GPE", "Kurdistan") == "IRQ"
    assert places._places_in_countries()["Crimea"] == "UKR"


def test_a_dateline_is_read_through_the_gazetteer():
    assert [named_place_country(n) for n in ("GENEVA", "Kenya", "U.S.", "Texas", "")] == ["CHE", "KEN", "USA",
                                                                                         "USA", None]


@pytest.mark.parametrize("type_, canonical, expected", [
    ("ORG", "United Nations", "un"), ("ORG", "Human Rights Watch", "ngo"), ("ORG", "Associated Press", "media"),
    ("GPE", "Kenya", "country"), ("NORP", "Kenya", "nationality"), ("GPE", "Port-au-Prince", "city"),
    ("GPE", "Texas", "subdivision"), ("LOC", "Caribbean", "region"), ("PERSON", "Ruto", "person"),
    ("ORG", "Quincy Institute", None),
])
def test_entity_kind(type_, canonical, expected):
    assert entity_kind(type_, canonical) == expected


def test_every_organisation_kind_is_a_contract_kind():
    from transforms.lexicon import load_tsv
    assert {row["kind"] for row in load_tsv("organisations.tsv")} <= set(ENTITY_KINDS)


def test_a_clause_ends_at_a_boundary_word_after_a_comma():
    s = "Aid reached 300 families in Chad, while 2,000 fled."
    sentence = Sentence(0, len(s), 0, s)
    assert clause_span(sentence, clause_boundaries(sentence), 12, 15) == (0, 32)


def test_share_of_seed_figures_with_a_country():
    counts = {"with": 0, "all": 0}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        extraction = extract_document(path.read_text(encoding="utf-8"))
        found = figure_places(extraction.sentences, extraction.figures, extraction.mentions)
        counts["with"] += sum(p.country_code is not None for p in found)
        counts["all"] += len(found)
    assert counts == {"with": 41, "all": 41}


@pytest.mark.parametrize("text", [
    "Kenya sent 1,000 officers to Haiti, and " * 8_000,          # one sentence: 8,000 figures, 16,000 places
    "1,000 officers deployed, the UN said, and 5,000 displaced, " * 8_000,
], ids=["one-sentence-of-places", "one-sentence-of-figures"])
def test_a_run_on_sentence_stays_linear(text):
    """Fails on a place search or clause cut that scans the sentence per figure (minutes here)."""
    extraction = extract_document(text)
    started = time.perf_counter()
    found = figure_places(extraction.sentences, extraction.figures, extraction.mentions)
    assert time.perf_counter() - started < 10
    assert len(found) == len(extraction.figures) and max(len(p.subjects) for p in found) < 10
