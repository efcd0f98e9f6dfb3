"""Entity mentions: table-driven cases (tests/cases/entities.jsonl) and properties (seed-gold scores: test_accuracy)."""
import pytest
from case_files import load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities import find_mentions, organisation_canonical
from transforms.gazetteer import country_code, lookup
from transforms.schemas import vocabulary

TYPES = set(vocabulary("mentions", "type"))


@pytest.mark.parametrize("case", load_cases("entities.jsonl"))
def test_entity_cases(case):
    mentions = find_mentions(case["text"])
    assert [[m.text, m.type, m.canonical] for m in mentions] == [e[:3] for e in case["mentions"]]
    for expected in case["mentions"]:
        if len(expected) > 3:  # a title is expected next to this person
            assert any(m.text == expected[0] and m.title == expected[3] for m in mentions), expected


@pytest.mark.parametrize("module", ["transforms.entities", "transforms.persons", "transforms.gazetteer",
                                    "transforms.quotes", "transforms.resolve"])
def test_docstring_examples(module):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


def test_gazetteer_lookups():
    assert lookup(("Kenyan",)).canonical == "Kenya"
    assert lookup(("U.S.",)).canonical == lookup(("US",)).canonical == "United States"
    assert lookup(("NAIROBI",)).canonical == "Nairobi"
    assert country_code("Kenya") == "KEN" and country_code("Africa") is None
    assert organisation_canonical(["U.N.", "Security", "Council"]) == "United Nations Security Council"


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_never_raises_offsets_valid_and_deterministic(text):
    mentions = find_mentions(text)
    assert all(text[m.start:m.end] == m.text and m.type in TYPES for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
    assert find_mentions(text) == mentions


@given(st.lists(st.sampled_from(["Kenya", "UN", "the", "of", "Ruto", "President", "Mr", "Police",
                                 "al-Bulushi", "U.S.", "-", "'s", ",", " ", "\n", "(HRW)", "Institute"]),
                max_size=60))
@settings(max_examples=200, deadline=None)
def test_name_like_soup_keeps_invariants(parts):
    text = " ".join(parts)
    mentions = find_mentions(text)
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


@pytest.mark.parametrize("text", [
    "Abc " * 125_000,                       # one 500,000-character run of capitalised words
    "Kenya of the " * 40_000,               # connectors between names
    "U.S.-" * 50_000,                       # hyphen-joined acronyms
    "A" * 300_000,                          # one enormous token
])
def test_adversarial_input_stays_fast(text):
    import time
    start = time.perf_counter()
    find_mentions(text)
    assert time.perf_counter() - start < 20


@given(st.lists(st.sampled_from(["al-", "ash-", "as-", "el-", "ul-", "xal-", "Bulushi", "Kenya", "U.N.", "É",
                                 "é", "ǅ", "\u0301", "-", "'", "’", " ", "\t", "\u00a0", "\n", "of the ",
                                 " de ", "a", "e", "u", "1", "_", ",", "(", "Port-au-Prince", "O'Neill"]),
                max_size=30))
@settings(max_examples=500, deadline=None)
def test_stdlib_run_scans_agree_with_regex(parts):
    """The stdlib scans (the capital-only one when no run opens on an Arabic article) find the
    same runs as the ``regex`` scan in the Basic Multilingual Plane."""
    from transforms import entities
    text = "".join(parts)
    expected = [m.span() for m in entities._RUN.finditer(text)]
    assert [m.span() for m in entities._run_bmp().finditer(text)] == expected
    if not entities._ARABIC_START_BMP.search(text):
        assert [m.span() for m in entities._RUN_CAPITAL_BMP.finditer(text)] == expected
