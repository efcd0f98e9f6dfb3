"""find_figures: table-driven cases and properties of the scanner (seed-gold scores: test_accuracy)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from case_files import load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities import find_mentions
from transforms.figures import find_figures
from transforms.mention_index import MentionIndex
from transforms.records import Mention
from transforms.segment import split_sentences

HERE = Path(__file__).parent
SEEDS = sorted((HERE.parent / "seeds").glob("*.txt"))
FIELDS = ("text", "value", "value_low", "value_high", "unit", "qualifier", "counted", "category", "attribution")


def _figures(text: str, mentions: list[Mention]) -> list:
    """find_figures as ``extract_document`` calls it, with the given mentions."""
    return find_figures(text, MentionIndex(mentions), split_sentences(text))


@pytest.mark.parametrize("case", load_cases("figures.jsonl"))
def test_case(case):
    mentions = [Mention(m["start"], m["end"], m["text"], m["type"], m["canonical"])
                for m in case.get("mentions", [])]
    got = [{k: getattr(f, k) for k in FIELDS if any(k in e for e in case["expected"])}
           for f in _figures(case["text"], mentions)]
    expected = [{k: e[k] for k in FIELDS if k in e} for e in case["expected"]]
    assert got == expected


@pytest.fixture(scope="module")
def seed_figures():
    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS}
    return {name: (text, _figures(text, find_mentions(text))) for name, text in texts.items()}


def test_offsets_hold_on_every_seed(seed_figures):
    for name, (text, figures) in seed_figures.items():
        for f in figures:
            assert text[f.start:f.end] == f.text, name
        starts = [f.start for f in figures]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in zip(figures, figures[1:])), name


def test_works_without_mentions():
    figures = _figures("Some 300 people fled, the UN said.", [])
    assert [(f.value, f.attribution) for f in figures] == [(300.0, None)]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_offsets_valid(text):
    figures = _figures(text, [])
    for f in figures:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
    assert figures == _figures(text, [])


NUMBERISH = st.text(alphabet="0123456789,.-%$ €£ abcdefghijklmnopqrstuvwxyz\n\t", max_size=300)


@settings(max_examples=300, deadline=None)
@given(NUMBERISH)
def test_numberish_text_is_deterministic_and_valid(text):
    figures = _figures(text, [])
    assert all(text[f.start:f.end] == f.text for f in figures)
    assert figures == _figures(text, [])


@pytest.mark.parametrize("text", [
    "1," * 100_000,
    "9" * 200_000,
    "1,000," * 35_000,
    ("about " * 30 + "thousand ") * 5_000,
    "$" * 100_000 + "5",
    "one two three four " * 10_000,
    "a" * 200_000,
    ("+1 2 3 4 5 6 7 8 9 " * 10_000),
    "x. Y. " * 35_000 + "5 people",
], ids=["digit-commas", "digits", "groups", "qualifier-words", "dollars", "number-words", "letters",
        "phone-like", "many-stops"])
def test_pathological_input_stays_linear(text):
    started = time.perf_counter()
    _figures(text, [])
    assert time.perf_counter() - started < 20


def test_only_verbs_marked_figure_in_the_lexicon_name_a_source():
    # reporting_verbs.tsv: "reported" reports figures; "pledged" frames quotes only
    text = "The UN reported 300 deaths. The UN pledged 400 officers."
    figures = _figures(text, find_mentions(text))
    assert [(f.text, f.attribution) for f in figures] == [("300", "United Nations"), ("400", None)]
