"""find_figures: table-driven cases and properties of the scanner (seed-gold scores: test_accuracy)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from case_files import load_cases
from transforms.figures import find_figures
from transforms.records import Mention

HERE = Path(__file__).parent
SEEDS = sorted((HERE.parent / "seeds").glob("*.txt"))
FIELDS = ("text", "value", "value_low", "value_high", "unit", "qualifier", "counted", "category", "attribution")


@pytest.mark.parametrize("case", load_cases("figures.jsonl"))
def test_case(case):
    mentions = [Mention(m["start"], m["end"], m["text"], m["type"], m["canonical"])
                for m in case.get("mentions", [])]
    got = [{k: getattr(f, k) for k in FIELDS if any(k in e for e in case["expected"])}
           for f in find_figures(case["text"], mentions)]
    expected = [{k: e[k] for k in FIELDS if k in e} for e in case["expected"]]
    assert got == expected


@pytest.fixture(scope="module")
def seed_figures():
    return {path.name: (path.read_text(encoding="utf-8"), find_figures(path.read_text(encoding="utf-8")))
            for path in SEEDS}


def test_offsets_hold_on_every_seed(seed_figures):
    for name, (text, figures) in seed_figures.items():
        for f in figures:
            assert text[f.start:f.end] == f.text, name
        starts = [f.start for f in figures]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in zip(figures, figures[1:])), name


def test_works_without_mentions():
    figures = find_figures("Some 300 people fled, the UN said.", [])
    assert [(f.value, f.attribution) for f in figures] == [(300.0, None)]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_offsets_valid(text):
    figures = find_figures(text, [])
    for f in figures:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
    assert figures == find_figures(text, [])


NUMBERISH = st.text(alphabet="0123456789,.-%$ €£ abcdefghijklmnopqrstuvwxyz\n\t", max_size=300)


@settings(max_examples=300, deadline=None)
@given(NUMBERISH)
def test_numberish_text_is_deterministic_and_valid(text):
    figures = find_figures(text, [])
    assert all(text[f.start:f.end] == f.text for f in figures)
    assert figures == find_figures(text, [])


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
    find_figures(text, [])
    assert time.perf_counter() - started < 20
