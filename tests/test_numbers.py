"""parse_number, vague_range and the anchor scan (plus the module doctests)."""
from __future__ import annotations

import doctest

import pytest

from transforms import categories, counted, numbers, wordtrie
from transforms.numbers import anchor_positions, parse_number, vague_range


@pytest.mark.parametrize("text, value", [
    ("1,234", 1234), ("1,234,567.5", 1234567.5), ("0.75", 0.75), (".5", 0.5),
    ("1.5 million", 1_500_000), ("360m", 360_000_000), ("5bn", 5_000_000_000), ("5.93 mln", 5_930_000),
    ("10k", 10_000), ("2.2 billion", 2_200_000_000), ("1\u202f234", 1234),
    ("four hundred", 400), ("hundred and forty", 140), ("twenty-one", 21), ("a dozen", 12),
    ("two dozen", 24), ("three thousand five hundred", 3500), ("one million two hundred thousand", 1_200_000),
    ("half", 0.5), ("a third", 1 / 3), ("two-thirds", 2 / 3), ("three quarters", 0.75),
    ("one and a half", 1.5), ("half a million", 500_000), ("3/4", 0.75), ("1½", 1.5),
    ("minus 5", -5), ("-5", -5), ("\u22121,000", -1000), ("1 000 000", 1_000_000), ("1.000.000", 1_000_000),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "one two", "twenty thirty", "thousands", "", "abc", "9" * 400, "9" * 305 + " billion",
    "half a one two", "half a twenty thirty",     # a fraction of no number: was a TypeError
])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, low, high", [
    ("thousands", 2000, 9000), ("tens of thousands", 20_000, 90_000),
    ("hundreds of thousands", 200_000, 900_000), ("millions", 2_000_000, 9_000_000),
    ("dozens", 24, 108), ("several hundred", 300, 900), ("a few thousand", 2000, 5000),
])
def test_vague_range(text, low, high):
    assert vague_range(text) == (low, high)


def test_anchor_positions_find_digits_and_words_at_word_starts():
    text = "Money for someone: 12 and twelve, often ten."
    assert [text[p:p + 3] for p in anchor_positions(text)] == ["12 ", "twe", "ten"]


@pytest.mark.parametrize("module", [numbers, counted, categories, wordtrie])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
