"""Numbers as English news writes them: the patterns that find them and their values.

``WORD_NUMBER_PATTERN`` (named groups ``vague``, ``fraction``, ``spelled``) and
``DIGIT_NUMBER_PATTERN`` (``digits``, ``scale``, ``vulgar``) are verbose ``regex`` fragments
that ``transforms.figures`` embeds in its one combined figure pattern; ``parse_number`` and
``vague_range`` turn the matched text into values.
Every repetition is possessive, so no input can make the patterns backtrack.

>>> parse_number("1,234")
1234.0
>>> parse_number("1.5 million")
1500000.0
>>> parse_number("360m")
360000000.0
>>> parse_number("four hundred")
400.0
>>> parse_number("hundred and forty")
140.0
>>> parse_number("two dozen")
24.0
>>> parse_number("two-thirds")
0.6666666666666666
>>> parse_number("one and a half")
1.5
>>> parse_number("three-and-a-half million"), parse_number("nine mln")
(3500000.0, 9000000.0)
>>> parse_number("half a million")
500000.0
>>> parse_number("3/4")
0.75
>>> parse_number("tens of thousands") is None
True
>>> parse_number("-5"), parse_number("\u22121,000"), parse_number("1 000 000"), parse_number("9" * 400)
(-5.0, -1000.0, 1000000.0, None)
>>> vague_range("tens of thousands")
(20000.0, 90000.0)
>>> vague_range("several hundred")
(300.0, 900.0)
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from transforms.lexicon import load_tsv
from transforms.wordtrie import trie_pattern

_WORDS = {row["word"]: (Decimal(row["value"]), row["kind"])
          for row in load_tsv("number_words.tsv", required=("word", "value", "kind"))}
_SCALE_ROWS = load_tsv("number_scales.tsv", required=("form", "value", "case", "attached", "money_only"))
_VAGUE_ROWS = load_tsv("number_vague.tsv", required=("form", "kind", "value", "low", "high", "needs_of"))

# Scale abbreviations/words: case-insensitive ones keyed lower-case, exact ones as written.
SCALES: dict[str, Decimal] = {}
for _row in _SCALE_ROWS:
    SCALES[_row["form"].lower() if _row["case"] == "any" else _row["form"]] = Decimal(_row["value"])
MONEY_ONLY_SCALES = frozenset(r["form"] for r in _SCALE_ROWS if r["money_only"] == "yes")
SPACED_SCALES = frozenset(r["form"] for r in _SCALE_ROWS if r["attached"] != "yes")   # "2 billion", "5 mln"
_MULTIPLIER_KINDS = ("hundred", "scale", "dozen")      # words that multiply what precedes them
MULTIPLIER_WORDS = frozenset(w for w, (_, kind) in _WORDS.items() if kind in _MULTIPLIER_KINDS)
_SCALE_WORD_FORMS = [r["form"] for r in _SCALE_ROWS if r["form"].isalpha() and len(r["form"]) > 3] + \
    [w for w, (_, kind) in _WORDS.items() if kind in ("hundred", "dozen")]
DIGIT_SCALE_FORMS = frozenset([r["form"] for r in _SCALE_ROWS] + _SCALE_WORD_FORMS)   # what ``scale`` reads
_VAGUE = {r["form"]: r for r in _VAGUE_ROWS}
QUANTIFIERS = tuple(r["form"] for r in _VAGUE_ROWS if r["kind"] == "quantifier")    # "several", "a few"
# words that can open a count ("two", "forty", "hundreds", "dozens"): what a figure may start with
COUNT_OPENERS = frozenset([w for w, (_, kind) in _WORDS.items() if kind in ("small", "tens")]
                          + [r["form"] for r in _VAGUE_ROWS if r["kind"] == "plural"])
_VAGUE_PHRASE_WORDS = max(len(form.split()) for form in _VAGUE)
# Words that make a bare "half" no number ("the other half", "first half").
NOT_BEFORE_HALF = ("first", "second", "third", "last", "latter", "other", "the", "a", "an", "and")
VULGAR_FRACTIONS = {"½": Decimal(1) / 2, "⅓": Decimal(1) / 3, "⅔": Decimal(2) / 3, "¼": Decimal(1) / 4,
                    "¾": Decimal(3) / 4, "⅛": Decimal(1) / 8, "⅜": Decimal(3) / 8, "⅝": Decimal(5) / 8,
                    "⅞": Decimal(7) / 8}


def _alternation(words) -> str:
    """All ``words``, longest first ("thirteen" before "three"), as a trie."""
    return trie_pattern(words)


def _kind(*kinds: str) -> str:
    return _alternation(w for w, (_, k) in _WORDS.items() if k in kinds)


_CARDINAL = _kind("small", "tens", "hundred", "scale", "dozen")
_SMALL = _kind("small", "tens")
_BIG = _kind(*_MULTIPLIER_KINDS)
_SCALE = _kind("scale")
_DENOM = _kind("denominator")
_DENOMS = _kind("denominators")
_PLURALS = "|".join(
    regex.escape(r["form"]) + (r"(?=[ \t]++of\b)" if r["needs_of"] == "yes" else "")
    for r in _VAGUE_ROWS if r["kind"] == "plural")
_BIG_PLURALS = _alternation(r["form"] for r in _VAGUE_ROWS
                            if r["kind"] == "plural" and Decimal(r["value"]) >= 100)
_QUANTIFIERS = _alternation(QUANTIFIERS)
_SCALE_WORDS = _alternation(_SCALE_WORD_FORMS)
_ABBR_SPACED = _alternation(r["form"] for r in _SCALE_ROWS if r["attached"] == "either")
_ABBR_ATTACHED = _alternation(r["form"] for r in _SCALE_ROWS if r["attached"] == "yes")
_VULGAR = "".join(VULGAR_FRACTIONS)


def _lookbehind(words) -> str:
    """"Preceded by one of ``words``" (case-insensitive), one fixed-width look-behind per length
    so that the stdlib engine takes it too."""
    by_length: dict[int, list[str]] = {}
    for word in sorted(set(words)):
        by_length.setdefault(len(word), []).append(word)
    return "(?:" + "|".join(f"(?<=(?i:{'|'.join(group)}))" for _, group in sorted(by_length.items())) + ")"


_NOT_IN_WORD = r"(?<![\p{L}\p{N}_'’])(?<!\p{L}-)"       # not inside a word or a hyphenated name
_HALF_GUARD = rf"(?<!\b(?:{'|'.join(NOT_BEFORE_HALF)})[ \t]++)"   # whole words: "than half" is a number

_AFTER_HUNDRED_OR_SCALE = _lookbehind(w for w, (_, kind) in _WORDS.items() if kind in ("hundred", "scale"))


def word_number_pattern(half_guard: bool = True) -> str:
    """The numbers in words; without ``half_guard`` (a variable-width look-behind the stdlib
    engine lacks) a bare "half" after one of ``NOT_BEFORE_HALF`` is the caller's to refuse."""
    guard = _HALF_GUARD if half_guard else ""
    return rf"""
(?:
  {_NOT_IN_WORD}
  (?P<vague>                                   # "tens of thousands", "several hundred"
    (?i: (?:{_QUANTIFIERS}) [ \t]++ (?:{_BIG}) (?:[ \t]++(?:{_SCALE}))?+
       | (?:{_PLURALS}) )
    (?: [ \t]++ (?i:of) [ \t]++ (?i:{_BIG_PLURALS}) ){{0,3}}+
    (?!\p{{L}})
  )
| {_NOT_IN_WORD}
  (?P<fraction>                                # "two-thirds", "a third of", "half of", "half a million"
    (?i: one-(?:{_DENOM})
       | (?:an?|one) [ \t]++ (?:{_DENOM}) (?=[ \t]++of\b|[ \t]*+[^\p{{L}}\p{{N}}\s-]|[ \t]*+$)
       | (?:{_SMALL}) (?:-|[ \t]++) (?:{_DENOMS})
       | half [ \t]++ an? [ \t]++ (?:{_BIG})
       | {guard} half
         (?=[ \t]++(?:of|the|its|their|his|her|them|those|these|all)\b) )
    (?!\p{{L}})
  )
| {_NOT_IN_WORD}
  (?P<spelled>                                 # "four hundred", "a dozen", "twenty-one", "one and a half"
    (?: (?i:an?) [ \t]++ (?=(?i:{_BIG})(?!\p{{L}})) )?+
    (?i:{_CARDINAL}) (?!\p{{L}})
    (?: (?:[ \t]*+-[ \t]*+|[ \t]++) (?i:{_CARDINAL}) (?!\p{{L}})
      | {_AFTER_HUNDRED_OR_SCALE} [ \t]++ (?i:and) [ \t]++
        (?i:{_CARDINAL}) (?!\p{{L}}) ){{0,15}}+   # bounded: no number has more words; keeps the scan linear
    (?: (?:[ \t]++|-) (?i:and (?:[ \t]++|-) an? (?:[ \t]++|-) (?:half|quarter|third)) (?!\p{{L}})
        (?: (?:[ \t]++|-) (?i:{_SCALE}) (?!\p{{L}}) )?+ )?+      # "three-and-a-half million"
    (?: [ \t]++ (?:{_ABBR_SPACED}) (?![\p{{L}}\p{{N}}]) )?+        # "nine mln"
  )
)
"""


WORD_NUMBER_PATTERN = word_number_pattern()

DIGIT_NUMBER_PATTERN = rf"""
(?:
  (?P<digits>                                  # "1,234.5", "2 500", "3/4", "1½", ".5"
    (?<![\p{{N}}_.,:/'’]) (?<!\p{{L}}[-‐]|\p{{N}}[.,])     # (a letter before: only a currency, checked by the caller)
    (?: \d{{1,3}} (?:,\d{{3}})++ (?!\d) (?:\.\d++)?+
      | \d{{1,3}} (?:[\u00a0\u202f\u2009]\d{{3}})++ (?!\d) (?:\.\d++)?+
      | \d{{1,3}} (?:[ ]\d{{3}}){{2,}}+ (?!\d)                  # "1 000 000" (one plain-space group is ambiguous)
      | \d{{1,3}} (?:\.\d{{3}}){{2,}}+ (?!\d)                 # "1.000.000": two dots make no decimal
      | \d++ / \d++ (?![\d/])
      | \d++ (?:\.\d++)?+
      | \.\d++ )
    [{_VULGAR}]?+
  )
  (?P<scale>                                   # "1.5 million", "5.93 mln", "$360m", "10k"
      [ \t\u00a0]?+ (?:{_ABBR_SPACED}) (?![\p{{L}}\p{{N}}])
    | (?:{_ABBR_ATTACHED}) (?![\p{{L}}\p{{N}}])
    | (?:[ \t\u00a0]++|[ \t\u00a0]?+[-\u2011]) (?i:{_SCALE_WORDS}) (?!\p{{L}})   # "$5-million", U+2011 hyphen
  )?+
| (?P<vulgar> (?<![\p{{L}}\p{{N}}]) [{_VULGAR}] )
)
"""

# Digit anchors: one per run of digit groups ("2,500", "10:30"): a digit after "2," or "10:"
# starts no number (the digits pattern's look-behind), so those need no anchor of their own.
# Spelled "[0-9][0-9]*+", not "[0-9]++": a pattern opening with a character set lets ``re``
# skip to the next digit in C (twice as fast over a whole text).
_DIGIT_RUN = re.compile(r"[0-9][0-9]*+(?:[.,:/][0-9]++)*+")


def _minimal_prefixes(words) -> tuple[str, ...]:
    """Drop every word that starts with another ("sixteen" is found where "six" is)."""
    ordered = sorted(set(words), key=len)
    kept: list[str] = []
    for word in ordered:
        if not any(word.startswith(k) for k in kept):
            kept.append(word)
    return tuple(kept)


# Every word a number in words can start with: a word anchor on any other word ("tension",
# "oneself") starts no number.
NUMBER_WORDS = frozenset(list(_WORDS) + [w for r in _VAGUE_ROWS for w in r["form"].split()])
_ANCHOR_WORDS = _minimal_prefixes(
    [w for w, (_, kind) in _WORDS.items()] + [r["form"] for r in _VAGUE_ROWS if r["kind"] == "plural"]
    + list(VULGAR_FRACTIONS))


def _needles(words) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Words sharing their first three letters or more, found with one ``str.find`` of that
    prefix ("thir": third, thirty, thirteen): fewer passes over the text."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:3] if len(word) > 3 else word, []).append(word)
    out = []
    for group in groups.values():
        prefix = group[0]
        for word in group[1:]:
            while not word.startswith(prefix):
                prefix = prefix[:-1]
        out.append((prefix, tuple(group)))
    return tuple(out)


_NEEDLES = _needles(_ANCHOR_WORDS)
_ASCII_NEEDLES = _needles(word for word in _ANCHOR_WORDS if word.isascii())   # an ASCII text has no "½"


def anchor_positions(text: str) -> list[int]:
    """Sorted offsets where a number may start: digit runs and number words at a word start.

    ``str.find`` per anchor word and one digit pattern: linear, and far faster than one
    case-insensitive alternation over the whole text.

    >>> anchor_positions("Some 2,500 officers and two dozen cars")
    [5, 24, 28]
    """
    positions = [m.start() for m in _DIGIT_RUN.finditer(text)]
    lower = text.lower()
    if len(lower) != len(text):                  # a few characters grow when lower-cased
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    for needle, words in _NEEDLES if not text.isascii() else _ASCII_NEEDLES:
        i = lower.find(needle)
        while i >= 0:
            if (i == 0 or not lower[i - 1].isalpha()) and (len(words) == 1 or lower.startswith(words, i)):
                positions.append(i)
            i = lower.find(needle, i + len(needle))
    positions.sort()
    return positions


_TOKEN = regex.compile(r"\.?\d(?:[\d,.\u00a0\u202f\u2009]|[ ](?=\d{3}(?!\d)))*+(?:/\d++)?+|[" + _VULGAR + r"]|\p{L}++")
_GROUP_SEPARATORS = str.maketrans("", "", ", \u00a0\u202f\u2009")


def ungrouped(digits: str) -> str:
    """Digits without their group separators: commas, spaces, and the dots of "1.000.000"
    (a number with two dots or more has no decimal point).

    >>> ungrouped("1,234.5"), ungrouped("1 000 000"), ungrouped("2.500.000")
    ('1234.5', '1000000', '2500000')
    """
    digits = digits.translate(_GROUP_SEPARATORS)
    return digits.replace(".", "") if digits.count(".") > 1 else digits


@lru_cache(maxsize=1 << 14)     # pure; the same few thousand number texts recur
def parse_number(text: str) -> float | None:
    """The value of a numeric expression (digits, scale words, spelled numbers, fractions).

    ``None`` when the text is no single number: a vague magnitude, or an ill-formed word
    sequence ("one two").
    """
    tokens = _TOKEN.findall(text.replace("\u2212", "-"))
    if tokens and tokens[0].lower() in ("minus", "negative"):
        tokens = tokens[1:]
    if not tokens:
        return None
    try:
        value = _digits_value(tokens) if tokens[0][-1].isdigit() or tokens[0] in VULGAR_FRACTIONS \
            else _words_value([t.lower() for t in tokens])
    except (InvalidOperation, ZeroDivisionError, KeyError):
        return None
    if value is None:
        return None
    if not value.is_finite() or not math.isfinite(float(value)):
        return None                            # beyond a float ("9" * 400): no value, never inf
    negative = text.lstrip().startswith(("-", "\u2212", "minus", "negative", "Minus", "Negative"))
    return -float(value) if negative else float(value)


def _digits_value(tokens: list[str]) -> Decimal | None:
    first = tokens[0]
    if first in VULGAR_FRACTIONS:
        value = VULGAR_FRACTIONS[first]
    elif "/" in first:
        numerator, denominator = first.split("/")
        value = Decimal(numerator) / Decimal(denominator)
    else:
        value = Decimal(ungrouped(first))
    for token in tokens[1:]:
        if token in VULGAR_FRACTIONS:
            value += VULGAR_FRACTIONS[token]
            continue
        scale = SCALES.get(token, SCALES.get(token.lower()))
        if scale is None:
            word = _WORDS.get(token.lower())
            if word is None or word[1] not in _MULTIPLIER_KINDS:
                return None
            scale = word[0]
        value *= scale
    return value


def _words_value(tokens: list[str]) -> Decimal | None:
    """Standard English number grammar: groups below 1000 multiplied by scale words.

    A fraction word divides the number said since the last "and" ("one and a half").
    """
    if len(tokens) >= 3 and _WORDS.get(tokens[0], (0, ""))[1] == "denominator" and tokens[1] in ("a", "an"):
        whole = _words_value(tokens[2:])
        return whole / _WORDS[tokens[0]][0] if whole is not None else None     # "half a million"
    total = current = Decimal(0)
    base = Decimal(0)          # value before the last "and": what a fraction adds to
    seen_and = False
    one_pending = False
    for i, token in enumerate(tokens):
        if token == "and":
            base, seen_and = total + current, True
            continue
        if token in ("a", "an"):
            one_pending = True
            continue
        value, kind = _WORDS[token] if token in _WORDS else (SCALES[token], "scale")     # "nine mln"
        if kind in ("denominator", "denominators"):
            numerator = (total + current - base) if seen_and else total + current
            if numerator == 0 or one_pending:
                numerator = numerator or Decimal(1)
            fraction = (base if seen_and else Decimal(0)) + numerator / value
            for scale in tokens[i + 1:]:                        # "three and a half million"
                fraction *= _WORDS[scale][0]
            return fraction
        if kind in ("small", "tens"):
            last_two = current % 100
            if last_two and not (last_two % 10 == 0 and last_two >= 20 and kind == "small" and value < 10):
                return None                                    # "one two", "twenty thirty"
            current += value
        elif kind == "hundred":
            if current % 100 == 0 and current >= 100:
                return None
            current = (current or 1) * value
        elif kind == "dozen":
            current = (current or 1) * value
        else:
            total += (current or 1) * value
            current = Decimal(0)
        one_pending = False
    return total + current


@lru_cache(maxsize=1 << 12)
def vague_range(text: str) -> tuple[float, float] | None:
    """``(low, high)`` of a vague magnitude: the factors' low/high times every scale said."""
    words = [w.lower() for w in regex.findall(r"\p{L}++", text)]
    if not words:
        return None
    phrase = next((" ".join(words[:n]) for n in range(_VAGUE_PHRASE_WORDS, 0, -1)
                   if " ".join(words[:n]) in _VAGUE), words[0])
    row = _VAGUE.get(phrase)
    if row is None:
        return None
    magnitude = Decimal(row["value"])
    for word in words[len(phrase.split()):]:
        if word in _VAGUE and _VAGUE[word]["kind"] == "plural":
            magnitude *= Decimal(_VAGUE[word]["value"])
        elif word in MULTIPLIER_WORDS:
            magnitude *= _WORDS[word][0]
    return float(Decimal(row["low"]) * magnitude), float(Decimal(row["high"]) * magnitude)
