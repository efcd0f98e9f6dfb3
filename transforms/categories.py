"""The category of a figure, from cue words near it in its sentence.

The nearest cue wins. Distance is counted in characters between the figure and the cue,
plus ``COMMA_COST`` for every comma in between; a cue further than ``MAX_DISTANCE`` or
behind a clause boundary (";", a dash, ", and", ", which", "as well as", ...) does not
count. No cue: "other". (Money is "funding" whatever the cues; see transforms.figures.)

>>> from transforms.records import Sentence
>>> s = "Violence has left thousands dead and forced over 360,000 people to flee."
>>> cues = sentence_cues(Sentence(0, len(s), 0, s))
>>> figure_category(cues, 18, 27), figure_category(cues, 50, 57)
('casualties', 'displacement')
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

from transforms.lexicon import load_tsv
from transforms.records import Sentence
from transforms.wordtrie import trie_pattern

MAX_DISTANCE = 70
COMMA_COST = 10

_CUES = load_tsv("figure_category_cues.tsv", required=("cue", "category"))


def _cue_pattern() -> re.Pattern:
    """All cues as one trie (stdlib engine, lower-cased text); a trailing "*" takes any word ending."""
    return re.compile(r"(?<![^\W\d_])(?:" + trie_pattern([row["cue"].lower() for row in _CUES], r"[ \t]+")
                      .replace(r"\*", r"[^\W\d_]*+") + r")(?![^\W\d_])")


def _cue_category(cue: str) -> str:
    """Category of a matched cue: its own row, else the longest "*" row it extends."""
    key = " ".join(cue.split())
    category = _EXACT_CUES.get(key)
    if category is None:
        category = next(c for stem, c in _STEM_CUES if key.startswith(stem))
    return category


_EXACT_CUES = {row["cue"].lower(): row["category"] for row in _CUES if not row["cue"].endswith("*")}
_STEM_CUES = sorted(((row["cue"][:-1].lower(), row["category"]) for row in _CUES if row["cue"].endswith("*")),
                    key=lambda sc: -len(sc[0]))
_CUE = _cue_pattern()
# On ASCII text a letter is [A-Za-z]: a plain class tests faster than "not \W, \d or _".
_CUE_ASCII = re.compile(_CUE.pattern.replace(r"[^\W\d_]", "[A-Za-z]"))
_HARD_BOUNDARY = re.compile(
    r"[;:()—–]|,[ \t]*+(?:and|but|while|which|who|where|whereas|although|though|as[ \t]well[ \t]as)\b"
    r"|\bas[ \t]well[ \t]as\b", re.IGNORECASE)



class SentenceCues(NamedTuple):
    """A sentence's cue spans and clause boundaries, in text offsets (found once per sentence)."""

    text: str
    offset: int
    cues: list[tuple[int, int, str]]
    cue_ends: list[int]
    hard: list[int]


def sentence_cues(sentence: Sentence | None) -> SentenceCues | None:
    if sentence is None:
        return None
    offset = sentence.start
    lower = sentence.text.lower()
    if len(lower) != len(sentence.text):
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in sentence.text)
    pattern = _CUE_ASCII if lower.isascii() else _CUE
    cues = [(m.start() + offset, m.end() + offset, _cue_category(m.group())) for m in pattern.finditer(lower)]
    hard = [m.start() + offset for m in _HARD_BOUNDARY.finditer(sentence.text)] if cues else []
    return SentenceCues(sentence.text, offset, cues, [cue[1] for cue in cues], hard)   # boundaries matter only between a figure and a cue


def figure_category(cues: SentenceCues | None, start: int, end: int) -> str:
    """Category of the figure at text offsets ``start:end``, given its sentence's cues."""
    if cues is None:
        return "other"
    best, best_distance = "other", MAX_DISTANCE + 1
    text, offset, hard, cues_in_order = cues.text, cues.offset, cues.hard, cues.cues
    # only cues within MAX_DISTANCE characters can win: linear however long the sentence
    for index in range(bisect_left(cues.cue_ends, start - MAX_DISTANCE), len(cues_in_order)):
        cue_start, cue_end, category = cues_in_order[index]
        if cue_start > end + MAX_DISTANCE:
            break
        if cue_end <= start:
            a, b = cue_end, start
        elif cue_start >= end:
            a, b = end, cue_start
        else:
            a = b = start
        boundary = bisect_left(hard, a)
        if boundary < len(hard) and hard[boundary] < b:
            continue
        distance = (b - a) + COMMA_COST * text.count(",", a - offset, b - offset)
        if distance < best_distance:
            best, best_distance = category, distance
    return best

