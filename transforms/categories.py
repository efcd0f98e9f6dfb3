"""The category of a figure, from cue words near it in its sentence.

A figure listens only to the cues that can describe its kind of quantity (``KIND_CUES``):
money to the money cues (provided or needed for a purpose: "funding"; market and business
money: "other"), a duration only to deployment cues (the weeks until troops arrive), a
measure only to territory cues (an area held), a count, percentage or fraction to the topic
cues. The nearest such cue wins, but a deployment cue yields to a casualty cue also in reach
(``OUTRANKED_BY``). Distance is counted in characters between the figure and the cue, plus
``COMMA_COST`` for every comma in between; a cue further than the kind's reach
(``MAX_DISTANCE``; for money its whole clause) or behind a clause boundary (";", a dash,
", and", ", which", "as well as", ...) does not count. No cue: the kind's default ("funding"
for money, "other" otherwise).

>>> from transforms.records import Sentence
>>> s = "Violence has left thousands dead and forced over 360,000 people to flee."
>>> cues = sentence_cues(Sentence(0, len(s), 0, s))
>>> figure_category(cues, 18, 27), figure_category(cues, 50, 57)
('casualties', 'displacement')
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from typing import NamedTuple

from transforms.lexicon import load_tsv
from transforms.records import Sentence
from transforms.wordtrie import trie_pattern

MAX_DISTANCE = 90
COMMA_COST = 10

TOPICS = frozenset({"displacement", "deployment", "casualties", "humanitarian", "territory"})
MONEY_REACH = math.inf     # a money cue covers the money of its whole clause: a results or a pledge sentence
# kind of quantity -> (the cue categories it listens to, its category when none is near, reach)
KIND_CUES = {
    "money": (frozenset({"funding", "other"}), "funding", MONEY_REACH),
    "duration": (frozenset({"deployment"}), "other", MAX_DISTANCE),
    "measure": (frozenset({"territory"}), "other", MAX_DISTANCE),
    "count": (TOPICS, "other", MAX_DISTANCE),
}
# A nearest cue that yields to another category in reach: who the people are (troops,
# officers) yields to what happened to them ("five officers were killed": casualties).
OUTRANKED_BY = {"deployment": "casualties"}


def cue_pattern(rows, letter: str = r"[^\W\d_]") -> re.Pattern:
    """All cues as one trie (for lower-cased text); a trailing "*" takes any word ending.

    On ASCII text ``letter`` may be ``[A-Za-z]``: a plain class tests faster.
    """
    return re.compile(rf"(?<!{letter})(?:" + trie_pattern([row["cue"].lower() for row in rows], r"[ \t]+")
                      .replace(r"\*", rf"{letter}*+") + rf")(?!{letter})")


def cue_categories(rows) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Category by exact cue, and (stem, category) of the "*" cues, longest stem first."""
    exact = {row["cue"].lower(): row["category"] for row in rows if not row["cue"].endswith("*")}
    stems = sorted(((row["cue"][:-1].lower(), row["category"]) for row in rows if row["cue"].endswith("*")),
                   key=lambda stem_category: -len(stem_category[0]))
    return exact, stems


def boundary_pattern(rows) -> re.Pattern:
    """Clause boundaries: punctuation, a boundary word after a comma, an "anywhere" word."""
    after_comma = trie_pattern([row["word"] for row in rows], r"[ \t]")
    anywhere = trie_pattern([row["word"] for row in rows if row["position"] == "anywhere"], r"[ \t]")
    return re.compile(rf"[;:()—–]|,[ \t]*+(?:{after_comma})\b|\b(?:{anywhere})\b", re.IGNORECASE)


def _cue_category(cue: str) -> str:
    """Category of a matched cue: its own row, else the longest "*" row it extends."""
    key = " ".join(cue.split())
    category = _EXACT_CUES.get(key)
    if category is None:
        category = next(c for stem, c in _STEM_CUES if key.startswith(stem))
    return category


_CUES = load_tsv("figure_category_cues.tsv", required=("cue", "category"))
_CUE = cue_pattern(_CUES)
_CUE_ASCII = cue_pattern(_CUES, "[A-Za-z]")
_EXACT_CUES, _STEM_CUES = cue_categories(_CUES)
_HARD_BOUNDARY = boundary_pattern(load_tsv("figure_clause_boundaries.tsv", required=("word", "position")))


class SentenceCues(NamedTuple):
    """A sentence's cue spans and clause boundaries, in text offsets (found once per sentence)."""

    text: str
    offset: int
    cues: list[tuple[int, int, str]]
    cue_ends: list[int]
    hard: list[int]


def sentence_cues(sentence: Sentence) -> SentenceCues:
    offset = sentence.start
    lower = sentence.text.lower()
    if len(lower) != len(sentence.text):
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in sentence.text)
    pattern = _CUE_ASCII if lower.isascii() else _CUE
    cues = [(m.start() + offset, m.end() + offset, _cue_category(m.group())) for m in pattern.finditer(lower)]
    hard = [m.start() + offset for m in _HARD_BOUNDARY.finditer(sentence.text)] if cues else []
    # boundaries matter only between a figure and a cue
    return SentenceCues(sentence.text, offset, cues, [cue[1] for cue in cues], hard)


def figure_category(cues: SentenceCues | None, start: int, end: int, kind: str = "count") -> str:
    """Category of the figure at text offsets ``start:end``, given its sentence's cues and
    the kind of quantity it is (a key of ``KIND_CUES``)."""
    listens_to, best, reach = KIND_CUES[kind]
    if cues is None:
        return best
    best_distance, in_reach = reach + 1, set()
    text, offset, hard, cues_in_order = cues.text, cues.offset, cues.hard, cues.cues
    # only cues within reach can win: linear however long the sentence
    for index in range(bisect_left(cues.cue_ends, start - reach), len(cues_in_order)):
        cue_start, cue_end, category = cues_in_order[index]
        if cue_start > end + reach:
            break
        if category not in listens_to:
            continue
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
        if distance <= reach:
            in_reach.add(category)
        if distance < best_distance:
            best, best_distance = category, distance
    return OUTRANKED_BY.get(best, best) if OUTRANKED_BY.get(best) in in_reach else best

