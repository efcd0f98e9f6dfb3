"""The category of a figure, from cue words near it in its sentence.

A figure listens only to the cues that can describe its kind of quantity (``KIND_CUES``):
money to the money cues (provided or needed for a purpose: "funding"; market and business
money: "other"), a duration only to deployment cues that name the topic (the weeks until
troops arrive), a measure only to territory cues (an area held), a count, percentage or
fraction to the topic cues. A topic cue describes only a figure that counts what its category
is about (``HEAD_CLASSES``: displacement counts people, never shares, lots or sites); a cue
whose scope is "setting" (camps, aircraft, aid) only a figure that names such a noun, other
than the cue's own. The nearest fitting cue wins, but a deployment cue yields to a casualty
cue also in reach (``OUTRANKED_BY``), and a displacement cue after the figure to a humanitarian
cue just before it (``RECIPIENT_OF``: "serve meals to 12,000 displaced residents"), and any cue
to a casualty cue that is the verb of the figure's noun phrase (``FATE``: "30 refugees were
killed"). Distance is counted in characters between the figure and the cue, plus ``COMMA_COST``
for every comma in between; a cue further than the kind's reach (``MAX_DISTANCE``; for money its whole clause) or
behind a clause boundary (";", a dash, ", and", ", which", "as well as", ...) does not count. No
cue: the kind's default ("funding" for money, "other" otherwise).

>>> from transforms.records import Sentence
>>> s = "Violence has left thousands dead and forced over 360,000 people to flee."
>>> cues = sentence_cues(Sentence(0, len(s), 0, s))
>>> figure_category(cues, 18, 27, head=figure_head("person")), figure_category(cues, 50, 57, head=figure_head("person"))
('casualties', 'displacement')
>>> s = "It crossed the four mln shares at 45."
>>> figure_category(sentence_cues(Sentence(0, len(s), 0, s)), 15, 23, head=figure_head("share"))
'other'
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from transforms import counted
from transforms.lexicon import load_tsv
from transforms.numbers import COUNT_OPENERS
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
# A cue after the figure that says who the people are (displaced residents, refugees) yields to
# a cue of another category just before it that says what they get ("serve hot meals to 12,000
# displaced residents", "to assist 8,000 refugees": humanitarian): the cue is the figure's verb
# ("feed 8,000") or reaches it through "to"/"for", a word before, two after (``_GIVEN_TO``);
# otherwise it may open another statement ("Aid agencies say 8,000 refugees arrived").
RECIPIENT_OF = {"displacement": "humanitarian"}
# A casualty cue that is the verb of the figure's own noun phrase ("eleven migrants who died", "30
# refugees were killed", "12 aid workers were injured": ``_FATE_GAP``) says what befell the people
# counted: casualties, whatever cue names who they are.
FATE = "casualties"
# What a figure of each people or place category counts: classes of its counted noun
# (figure_counted_classes.tsv), and for a figure with none, "implied" (a count whose noun is left
# out: "killed twelve", "rose to 48,000") or "unnamed" (a percentage or fraction of nothing named:
# "a death rate of 6%"). A category with no row takes any figure of the kinds that listen to it.
HEAD_CLASSES = {
    "displacement": frozenset({"person", "shelter", "implied"}),
    "casualties": frozenset({"person", "casualty", "implied", "unnamed"}),
    "humanitarian": frozenset({"person", "casualty", "case", "relief", "shelter", "group", "implied", "unnamed"}),
    "deployment": frozenset({"person", "group", "asset", "country", "implied"}),
    "territory": frozenset({"place", "area"}),
}


class FigureHead(NamedTuple):
    """What a figure counts, for its category: its counted noun and the noun's classes."""

    noun: str | None
    classes: frozenset[str]


def figure_head(noun: str | None, unit: str = "count", left_out: bool = False) -> FigureHead:
    """The head of a figure with counted noun ``noun`` (or none; ``left_out``: the text leaves
    it out, see ``counted.leaves_noun_out``)."""
    if noun is not None:
        return FigureHead(noun, counted.noun_classes(noun))
    if unit == "count":
        return FigureHead(None, _IMPLIED if left_out else frozenset())
    return FigureHead(None, _UNNAMED)


_IMPLIED, _UNNAMED = frozenset({"implied"}), frozenset({"unnamed"})
_ANY_HEAD = FigureHead(None, frozenset())


def cue_pattern(rows, letter: str = r"[^\W\d_]") -> re.Pattern:
    """All cues as one trie (for lower-cased text); a trailing "*" takes any word ending.

    On ASCII text ``letter`` may be ``[A-Za-z]``: a plain class tests faster.
    """
    return re.compile(rf"(?<!{letter})(?:" + trie_pattern([row["cue"].lower() for row in rows], r"[ \t]+")
                      .replace(r"\*", rf"{letter}*+") + rf")(?!{letter})")


def cue_categories(rows) -> tuple[dict[str, tuple[str, bool]], list[tuple[str, tuple[str, bool]]]]:
    """(Category, whether its scope is "setting") by exact cue, and by stem of the "*" cues,
    longest stem first."""
    exact = {row["cue"].lower(): (row["category"], row["scope"] == "setting")
             for row in rows if not row["cue"].endswith("*")}
    stems = sorted(((row["cue"][:-1].lower(), (row["category"], row["scope"] == "setting"))
                    for row in rows if row["cue"].endswith("*")),
                   key=lambda stem_category: -len(stem_category[0]))
    return exact, stems


def boundary_pattern(rows) -> re.Pattern:
    """Clause boundaries: punctuation, a boundary word after a comma, an "anywhere" word."""
    after_comma = trie_pattern([row["word"] for row in rows], r"[ \t]")
    anywhere = trie_pattern([row["word"] for row in rows if row["position"] == "anywhere"], r"[ \t]")
    return re.compile(rf"[;:()—–]|,[ \t]*+(?:{after_comma})\b|\b(?:{anywhere})\b", re.IGNORECASE)


@lru_cache(maxsize=1 << 10)
def _cue(cue: str) -> tuple[str, bool, str]:
    """Category and scope of a matched cue (its own row, else the longest "*" row it extends),
    and the noun it is when a figure counts it ("sites" -> "site")."""
    key = " ".join(cue.split())
    category = _EXACT_CUES.get(key)
    if category is None:
        category = next(c for stem, c in _STEM_CUES if key.startswith(stem))
    return category[0], category[1], counted.singular(key.rpartition(" ")[2])


_CUES = load_tsv("figure_category_cues.tsv", required=("cue", "category", "scope"))
_CUE = cue_pattern(_CUES)
_CUE_ASCII = cue_pattern(_CUES, "[A-Za-z]")
_EXACT_CUES, _STEM_CUES = cue_categories(_CUES)
_HARD_BOUNDARY = boundary_pattern(load_tsv("figure_clause_boundaries.tsv", required=("word", "position")))
# ", and" before a number that ends a list of three or more figures ("150 soldiers, 95 civilians,
# and hundreds of fighters killed"): one cue speaks for the whole list, so it is no clause boundary
_COUNT_OPENER = rf"(?:\d|(?:{trie_pattern(COUNT_OPENERS)})\b)"
_LIST_GOES_ON = re.compile(rf",[ \t]*+and[ \t]++{_COUNT_OPENER}", re.IGNORECASE)
_LIST_ITEM_BEFORE = re.compile(  # an item is a noun phrase: no "were"/"had" ("twenty were arrested, and two ...")
    rf",[ \t]*+{_COUNT_OPENER}(?:(?!\b(?:is|are|was|were|has|have|had)\b)[^,;:])*+\Z", re.IGNORECASE)


class SentenceCues(NamedTuple):
    """A sentence's cue spans and clause boundaries, in text offsets (found once per sentence)."""

    text: str
    offset: int
    cues: list[tuple[int, int, str, bool, str]]     # start, end, category, setting, noun
    cue_ends: list[int]
    hard: list[int]


def sentence_cues(sentence: Sentence) -> SentenceCues:
    offset = sentence.start
    lower = sentence.text.lower()
    if len(lower) != len(sentence.text):
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in sentence.text)
    pattern = _CUE_ASCII if lower.isascii() else _CUE
    cues = [(m.start() + offset, m.end() + offset, *_cue(m.group())) for m in pattern.finditer(lower)]
    hard = [m.start() + offset for m in _HARD_BOUNDARY.finditer(sentence.text)
            if not _ends_figure_list(sentence.text, m.start())] if cues else []
    # boundaries matter only between a figure and a cue
    return SentenceCues(sentence.text, offset, cues, [cue[1] for cue in cues], hard)


def _ends_figure_list(text: str, comma: int) -> bool:
    """The boundary at ``comma`` is the ", and" before the last figure of a list of figures."""
    return (_LIST_GOES_ON.match(text, comma) is not None
            and _LIST_ITEM_BEFORE.search(text, max(0, comma - 80), comma) is not None)


def figure_category(cues: SentenceCues | None, start: int, end: int, kind: str = "count",
                    head: FigureHead = _ANY_HEAD) -> str:
    """Category of the figure at text offsets ``start:end``, given its sentence's cues, the
    kind of quantity it is (a key of ``KIND_CUES``) and what it counts (``figure_head``)."""
    listens_to, best, reach = KIND_CUES[kind]
    if cues is None:
        return best
    best_distance, in_reach, best_after, given_before, fate = reach + 1, set(), False, set(), False
    text, offset, hard, cues_in_order = cues.text, cues.offset, cues.hard, cues.cues
    # only cues within reach can win: linear however long the sentence
    for index in range(bisect_left(cues.cue_ends, start - reach), len(cues_in_order)):
        cue_start, cue_end, category, setting, cue_noun = cues_in_order[index]
        if cue_start > end + reach:
            break
        if category not in listens_to or not _describes(category, setting, cue_noun, kind, head):
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
        distance = (b - a) + COMMA_COST * _clause_commas(text, a - offset, b - offset)
        if distance <= reach:
            in_reach.add(category)
            if cue_end <= start and _GIVEN_TO.fullmatch(text, cue_end - offset, start - offset):
                given_before.add(category)
            fate = fate or (category == FATE and cue_start >= end
                            and _FATE_GAP.fullmatch(text, end - offset, cue_start - offset) is not None)
        if distance < best_distance:
            best, best_distance, best_after = category, distance, cue_start >= end
    if fate:
        return FATE
    if best_after and RECIPIENT_OF.get(best) in given_before:
        return RECIPIENT_OF[best]
    return OUTRANKED_BY.get(best, best) if OUTRANKED_BY.get(best) in in_reach else best


def same_list(text: str, end: int, start: int) -> bool:
    """Whether the figure at ``start`` is the next item of a list whose previous figure ends at
    ``end`` ("mortality rates were 49% for ZMapp, 53% for remdesivir, and 34% for mAb114"; "2
    million residents, among them 640,000 elderly people"): between them at most six words that
    close the previous item, with no "is"/"has", a comma, maybe "and"/"or", and at most three
    words before the figure. One cue then speaks for every item (``list_category``).

    >>> text = "rates were 49% for ZMapp, 53% for remdesivir, and around 34% for mAb114"
    >>> same_list(text, 14, 26), same_list(text, 29, 57)
    (True, True)
    >>> text = "12 people were killed, and 40 were hurt"
    >>> same_list(text, 2, 27)
    False
    """
    return start - end <= _LIST_GAP_CHARS and _LIST_GAP.fullmatch(text, end, start) is not None \
        and _LIST_VERB.search(text, end, start) is None


def list_category(category: str, head: FigureHead) -> str | None:
    """The topic ``category`` of a neighbouring figure of the same list, for a count with none of
    its own whose head fits the topic (``HEAD_CLASSES``), or ``None``."""
    if category in TOPICS and _describes(category, False, "", "count", head):
        return category
    return None


_LIST_GAP_CHARS = 80
_LIST_GAP = re.compile(r"(?:[ \t]+[^\W\d_][\w'’.-]*+){0,6}?[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?"
                       r"(?:[^\W\d_][\w'’-]*+[ \t]+){0,3}", re.IGNORECASE)
_LIST_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|be|been)\b", re.IGNORECASE)


def _clause_commas(text: str, start: int, end: int) -> int:
    """Commas in ``text[start:end]`` other than a number's thousands separators ("640,000")."""
    commas = text.count(",", start, end)
    return commas - len(_SEPARATOR.findall(text, start, end)) if commas else 0


_SEPARATOR = re.compile(r"(?<=\d),(?=\d)")
_FATE_GAP = re.compile(r"(?:[ \t]+[^\W\d_][\w'’-]*+){0,2}?[ \t]+(?:(?:who|that)[ \t]+)?"
                       r"(?:(?:were|was|are|is|have|has|had|been|being|reportedly)[ \t]+){0,3}", re.IGNORECASE)
_GIVEN_TO = re.compile(r"[ \t]+(?:(?:[^\W\d_]+[ \t]+)?(?:to|for)[ \t]+(?:[^\W\d_]+[ \t]+){0,2})?")


def _describes(category: str, setting: bool, cue_noun: str, kind: str, head: FigureHead) -> bool:
    """Whether a cue of ``category`` can describe a figure of ``kind`` with ``head``: a duration
    takes only a topic cue; a count, percentage, fraction or measure must count what the category
    is about, and a setting cue needs a counted noun other than its own."""
    if kind == "duration":
        return not setting
    wanted = HEAD_CLASSES.get(category)
    if wanted is None or kind == "money":
        return True
    if wanted.isdisjoint(head.classes):
        return False
    return not setting or (head.noun is not None and head.noun != cue_noun)
