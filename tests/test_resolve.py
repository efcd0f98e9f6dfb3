"""Cross-article resolution: stable ids, merged spelling variants, country codes."""
from pathlib import Path

import pyarrow as pa
import pycountry
import pytest

from transforms.entities import find_mentions
from transforms.records import Mention
from transforms.resolve import entity_id, resolve_entities
from transforms.tables import Resolution

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def person(name: str) -> Mention:
    return Mention(0, len(name), name, "PERSON", name)


@pytest.fixture(scope="module")
def seed_resolution():
    mentions = {p.name: find_mentions(p.read_text(encoding="utf-8")) for p in SEEDS}
    return mentions, *resolve_entities(mentions)


def test_every_id_is_stable_and_unique(seed_resolution):
    mentions, entities, ids = seed_resolution
    assert len({e.entity_id for e in entities}) == len(entities)
    assert all(e.entity_id == entity_id(e.type, e.canonical) for e in entities)
    assert resolve_entities(mentions) == (entities, ids)
    assert all(len(ids[doc]) == len(mentions[doc]) for doc in mentions)
    reversed_order = dict(reversed(list(mentions.items())))
    assert resolve_entities(reversed_order)[0] == entities


def test_counts_and_aliases(seed_resolution):
    mentions, entities, _ = seed_resolution
    assert sum(e.n_mentions for e in entities) == sum(map(len, mentions.values()))
    assert all(e.aliases == tuple(sorted(set(e.aliases))) for e in entities)
    assert all(1 <= e.n_articles <= len(SEEDS) for e in entities)


def test_blinken_spellings_are_merged(seed_resolution):
    _, entities, _ = seed_resolution
    blinken = [e for e in entities if e.type == "PERSON" and "Blinken" in e.canonical]
    assert len(blinken) == 1
    assert blinken[0].canonical == "Antony Blinken"
    assert {"Anthony Blinken", "Antony Blinken", "Blinken"} <= set(blinken[0].aliases)


def test_accent_and_country_variants_are_merged(seed_resolution):
    _, entities, _ = seed_resolution
    names = {e.canonical for e in entities}
    assert "Jovenel Moïse" in names and "Jovenel Moise" not in names
    assert "Haitian National Police" in names and "Haiti National Police" not in names


def test_people_sharing_a_surname_stay_apart():
    articles = {"a": [person("Joe Biden")], "b": [person("Hunter Biden")], "c": [person("Biden")]}
    entities, ids = resolve_entities(articles)
    assert sorted(e.canonical for e in entities) == ["Biden", "Hunter Biden", "Joe Biden"]
    assert len({ids["a"][0], ids["b"][0], ids["c"][0]}) == 3


def test_a_bare_surname_joins_the_only_person_with_it():
    entities, ids = resolve_entities({"a": [person("Joe Biden")], "b": [person("Biden")]})
    assert [e.canonical for e in entities] == ["Joe Biden"] and ids["a"] == ids["b"]


@pytest.mark.parametrize("more", ["Biden", "Jovenel Moise"])
def test_more_articles_with_a_surname_or_a_plainer_spelling_do_not_rename_the_entity(more):
    """Counts decide only between spellings that differ in more than case and marks: an entity's
    id stays put while articles come and go, and an incremental run relinks nothing."""
    names = {"Biden": "Joe Biden", "Jovenel Moise": "Jovenel Moïse"}
    few = {"a": [person(names[more])], "b": [person(more)]}
    many = {**few, **{f"c{n}": [person(more)] for n in range(5)}}
    ids = {tuple(e.canonical for e in resolve_entities(articles)[0]) for articles in (few, many)}
    assert ids == {(names[more],)}


def test_country_codes_are_valid_alpha3(seed_resolution):
    _, entities, _ = seed_resolution
    codes = {c.alpha_3 for c in pycountry.countries}
    for e in entities:
        if e.type == "NORP" and e.canonical not in ("Africa", "East Africa"):
            assert e.country_code in codes, e
        elif e.type == "GPE" and e.canonical in ("Kenya", "Haiti", "United States", "Russia", "Bahamas"):
            assert e.country_code in codes, e
        elif e.type in ("PERSON", "ORG", "LOC"):
            assert e.country_code is None
    by_name = {e.canonical: e for e in entities}
    assert by_name["Kenya"].country_code == "KEN" and by_name["United States"].country_code == "USA"


@pytest.mark.parametrize(("written", "plain"), [
    ("Lech Wałęsa", "Lech Walesa"),        # ł: no decomposition in Unicode
    ("Lars Løkke", "Lars Lokke"),           # ø
    ("Đorđe Balašević", "Dorde Balasevic"),  # đ, and a caron that does decompose
    ("Jens Weißflog", "Jens Weissflog"),    # ß
])
def test_letters_without_a_decomposition_fold_to_their_ascii_spelling(written, plain):
    entities, ids = resolve_entities({"a": [person(written)], "b": [person(plain)], "c": [person(written)]})
    assert [e.canonical for e in entities] == [written]  # the accented form is kept as canonical
    assert ids["a"] == ids["b"]


def place(name: str, type_: str = "GPE") -> Mention:
    return Mention(0, len(name), name, type_, name)


def test_a_misspelt_place_joins_the_known_place_and_takes_its_name():
    entities, ids = resolve_entities({"a": [place("Lousiana"), place("Lousiana")], "b": [place("Louisiana")]})
    assert [e.canonical for e in entities] == ["Louisiana"] and ids["a"][0] == ids["b"][0]


@pytest.mark.parametrize("names", [
    ("Iraq", "Iran"),                 # short names one letter apart are two places
    ("Kelvoria", "Kelvorio"),         # neither is a known place
    ("Lousiana", "Louisiana"),        # a misspelt GPE does not join a LOC
])
def test_places_one_letter_apart_stay_apart_unless_one_is_known(names):
    first, second = names
    second_type = "LOC" if second == "Louisiana" else "GPE"
    entities, _ = resolve_entities({"a": [place(first)], "b": [place(second, second_type)]})
    assert len(entities) == 2


def test_a_tables_resolution_equals_resolve_entities(seed_resolution):
    """``Resolution`` counts a table's mentions in Arrow; ``resolve_entities`` counts them in Python."""
    mentions, entities, ids = seed_resolution
    rows = [(article, m) for article, named in mentions.items() for m in named]
    keys = pa.table({"article_id": [a for a, _ in rows], "type": [m.type for _, m in rows],
                     "canonical": [m.canonical for _, m in rows], "text": [m.text for _, m in rows]})
    resolution = Resolution(keys)
    assert resolution.entities == entities
    linked = resolution.link("mentions", keys.append_column("entity_id", pa.array([""] * len(rows))))
    assert linked["entity_id"].to_pylist() == [i for article in mentions for i in ids[article]]
