"""The stdlib-engine copies of patterns find what ``regex`` finds (differential property tests).

Text is generated from pieces the patterns care about (number words, scale and unit words,
capitals, accents and combining marks, digits, separators) so that matches are frequent.
"""
from __future__ import annotations

import doctest
import re

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms import categories, counted, entities, patterns, quantities  # noqa: F401 -- compile their patterns

_PIECES = [
    " ", "  ", "\t", "\n", ",", ".", "-", "(", ")", "'", "’", "%", "$", "€", "£", "+", "/", ":", "&",
    "0", "1", "5", "12", "2,500", "3.5", "½", "a", "an", "the", "other", "half", "of", "and", "one",
    "two", "twenty", "hundred", "thousand", "million", "mln", "bn", "m", "k", "thousands", "tens",
    "several", "a few", "third", "thirds", "dozen", "per cent", "percent", "dollars", "years", "old",
    "aged", "magnitude", "May", "Kenya", "U.N.", "UN", "HRW", "al-", "Bulushi", "Port-au-Prince",
    "O'Neill", "de", "von", "Été", "ß", "İ", "é", "e\u0301", "Ω", "Ⅳ", "٣", "X", "Q", "said",
]
_TEXT = st.lists(st.sampled_from(_PIECES) | st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)),
                 max_size=24).map("".join)
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _matches(pattern, text: str) -> list:
    found = []
    for pos in range(len(text) + 1):
        m = pattern.match(text, pos)
        found.append(None if m is None else (m.span(), m.groups()))
    return found


@pytest.mark.parametrize("index", range(len(patterns.COMPILED)))
@_SETTINGS
@given(text=_TEXT)
def test_stdlib_copy_matches_like_regex(index, text):
    source, flags = patterns.COMPILED[index]
    full = regex.compile(source, flags)
    fast = re.compile(patterns.stdlib_pattern(source), flags)
    assert _matches(fast, text) == _matches(full, text)


@_SETTINGS
@given(text=_TEXT.filter(str.isascii))
def test_words_on_the_stdlib_engine_match_like_regex(text):
    """The ASCII path of the words pattern, with its "half" guard checked in Python."""
    for pos in range(len(text) + 1):
        fast = quantities._match_words(text, pos, True)
        full = quantities._CORE_WORDS.match(text, pos)
        assert (fast and (fast.span(), fast.groups())) == (full and (full.span(), full.groups()))


@_SETTINGS
@given(text=_TEXT)
def test_entity_run_scans_agree(text):
    """The capital-only scan equals the full one when no run opens on an Arabic article, and the
    full stdlib scan equals the ``regex`` one within the BMP."""
    full = [m.span() for m in entities._RUN.finditer(text)]
    assert [m.span() for m in entities._run_bmp().finditer(text)] == full
    if not entities._ARABIC_START_BMP.search(text):
        assert [m.span() for m in entities._RUN_CAPITAL_BMP.finditer(text)] == full


@_SETTINGS
@given(text=_TEXT.filter(str.isascii).map(str.lower))
def test_ascii_cue_pattern_finds_the_same_cues(text):
    text = text + " displaced killed troops deployed"
    expected = [m.span() for m in categories._CUE.finditer(text)]
    assert [m.span() for m in categories._CUE_ASCII.finditer(text)] == expected


def test_every_stdlib_copy_is_listed():
    assert len(patterns.COMPILED) >= 20


def test_doctests():
    assert doctest.testmod(patterns).failed == 0
