"""Quantities in text: every number expression with its currency or unit, qualifier and
range, minus what is not a figure. ``transforms.figures`` adds counted noun, category, source.

Finding them: cheap anchors first (digit runs and number words, found with ``str.find``
and one digit pattern, so the scan stays linear and fast), then, at each anchor, one
anchored pattern for the number and what follows it (scale, unit, "or more") and one
reverse-anchored pattern for what precedes it (qualifier, sign, currency, "a"/"several").
Rules, in order of precedence:

1. Consumed non-figures: phone numbers.
2. A candidate is dropped when it is a date or year, a clock time, an age, a magnitude,
   an identifier ("Resolution 2699", "Flight 370"), a code with a leading zero, an idiom
   ("one another"), or sits on a link-teaser line ("WATCH: ...").
3. Adjacent candidates joined by "-", "to" or "between ... and" become one range
   (value = midpoint, value_low/value_high = the ends); digits joined by a hyphen that make
   no range ("3-1", "2013-14") are dropped both.
4. Overlaps: anchors are taken left to right and an anchor inside an earlier figure is
   skipped, so the leftmost figure wins and keeps its longest reading.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import regex

from transforms import counted
from transforms.lexicon import load_tsv
from transforms.numbers import (
    DIGIT_NUMBER_PATTERN,
    DIGIT_SCALE_FORMS,
    MONEY_ONLY_SCALES,
    MULTIPLIER_WORDS,
    NOT_BEFORE_HALF,
    NUMBER_WORDS,
    QUANTIFIERS,
    SCALES,
    VULGAR_FRACTIONS,
    anchor_positions,
    parse_number,
    ungrouped,
    vague_range,
    word_number_pattern,
)
from transforms.patterns import fast
from transforms.wordtrie import trie_pattern

_CURRENCY_ROWS = load_tsv("figure_currencies.tsv", required=("form", "code", "position", "case", "factor"))
_UNIT_ROWS = load_tsv("figure_units.tsv", required=("form", "unit", "factor", "attach"))
_QUALIFIER_ROWS = load_tsv("figure_qualifiers.tsv", required=("phrase", "qualifier", "position"))
_NOT_FIGURE_ROWS = load_tsv("figure_not_figures.tsv", required=("form", "kind"))
_MONTHS = frozenset(r["month"] for r in load_tsv("figure_months.tsv", required=("month",)))
_TEASER_LABELS = [r["label"] for r in load_tsv("figure_teaser_labels.tsv", required=("label",))]
_RANGE_CUES = [r["word"] for r in load_tsv("figure_range_cues.tsv", required=("word",))]


def _alternation(forms, flexible_space: bool = False) -> str:
    return trie_pattern(forms, r"[ \t]?+" if flexible_space else r"[ \t]++")


def _keyed(rows, key: str, position: str | None = None) -> dict[str, dict]:
    """Rows by form: lower-cased for case-insensitive forms, as written otherwise."""
    out = {}
    for row in rows:
        if position and row["position"] != position:
            continue
        form = " ".join(row[key].split())
        out[form.lower() if row.get("case", "any") == "any" else form] = row
    return out


_PREFIX_FORMS = _keyed(_CURRENCY_ROWS, "form", "prefix")
_SUFFIX_FORMS = _keyed(_CURRENCY_ROWS, "form", "suffix")
_UNITS = {" ".join(r["form"].split()).lower(): r for r in _UNIT_ROWS}
_QUALIFIERS = {(r["phrase"], r["position"]): r["qualifier"] for r in _QUALIFIER_ROWS}
_WILDCARD_QUALIFIERS = [(regex.compile(regex.escape(r["phrase"]).replace(r"\~", r"\p{L}++") + r"\Z"),
                         r["qualifier"]) for r in _QUALIFIER_ROWS if "~" in r["phrase"]]


def _forms(rows, key, **where) -> list[str]:
    return [r[key] for r in rows if all(r[k] == v for k, v in where.items())]


def _qualifier_pattern(position: str) -> str:
    return trie_pattern(_forms(_QUALIFIER_ROWS, "phrase", position=position)).replace(r"\~", r"\p{L}++")


def _longest_first(forms, space: str) -> str:
    """Plain alternation, longest first: a REVERSE pattern takes the first branch that fits."""
    return "|".join(regex.escape(f).replace(r"\ ", space).replace(r"\~", r"\p{L}++")
                    for f in sorted(set(forms), key=lambda f: (-len(f), f)))


_CUR_EXACT = _longest_first(_forms(_CURRENCY_ROWS, "form", position="prefix", case="exact"), r"[ \t]?+")
_CUR_ANY = _longest_first(_forms(_CURRENCY_ROWS, "form", position="prefix", case="any"), r"[ \t]?+")
_QUAL_BEFORE = _longest_first(_forms(_QUALIFIER_ROWS, "phrase", position="before"), r"[ \t]++")
_LEAD = _longest_first(QUANTIFIERS, r"[ \t]++") + "|an?"                   # "several", "a few", "a"
# Suffix currency forms without a Latin letter or digit (symbols: "€", "£", "元") may touch the number.
_SYMBOLS = [f for f in _forms(_CURRENCY_ROWS, "form", position="suffix") if not regex.search(r"[A-Za-z0-9]", f)]

# What precedes a number, matched backwards from it (REVERSE: anchored at the number).
_PREFIX = regex.compile(
    rf"""
    (?: (?<![\p{{L}}\p{{N}}]) (?P<qualifier> (?i:{_QUAL_BEFORE}) ) [ \t\u00a0]++ )?
    (?P<sign> [-−] | (?<![\p{{L}}]) (?i:minus|negative) [ \t]++ )?
    (?: (?P<currency> {_CUR_EXACT} | (?<![\p{{L}}]) (?i:{_CUR_ANY}) ) [ \t\u00a0]?+ )?
    (?P<lead> (?<![\p{{L}}]) (?i: {_LEAD} ) [ \t]++ )?
    \Z
    """,
    regex.VERBOSE | regex.REVERSE,
)
_P_QUALIFIER, _P_SIGN, _P_CURRENCY, _P_LEAD = (_PREFIX.groupindex[name]
                                               for name in ("qualifier", "sign", "currency", "lead"))

# The number and what follows it, matched forwards from the number's first character:
# one pattern for numbers written in digits, one for numbers in words (an anchor knows which).
_SUFFIX = rf"""
    (?:
        (?P<percent> [ \t]?+ %
                   | [ \t]++ (?i:{_alternation(_forms(_UNIT_ROWS, "form", unit="percent", attach="no"))}) (?!\p{{L}}) )
      | (?P<money_suffix> (?:[ \t]++ (?i:of [ \t]++)? | - )?+      # "-": "a billion-dollar deal"
            (?: (?i:{_alternation(_forms(_CURRENCY_ROWS, "form", position="suffix", case="any"))}) (?!\p{{L}})
              | (?<=[ \t]) (?:{_alternation(_forms(_CURRENCY_ROWS, "form", position="suffix", case="exact"))})
                (?!\p{{L}}) ) )
      | (?P<currency_symbol> [ \t]?+ (?:{_alternation(_SYMBOLS)}) )
      | (?P<unit> (?:[ \t]++|-)
              (?i:{_alternation(_forms(_UNIT_ROWS, "form", attach="no") + _forms(_UNIT_ROWS, "form", attach="yes"))})
              (?![\p{{L}}\p{{N}}])
                | (?:{_alternation(_forms(_UNIT_ROWS, "form", attach="yes"))}) (?![\p{{L}}\p{{N}}]) )
      | - (?P<hyphen_noun> \p{{Ll}}++ ) (?!-?\p{{N}})
    )?+
    (?P<figure_end>)
    (?P<qualifier_after> [ \t]++ (?i:{_qualifier_pattern("after")}) (?!\p{{L}}) | [ \t]?+ \+ (?!\p{{N}}) | -plus )?+
    (?![\p{{L}}\p{{N}}_] | [/:.,]\d)
"""
_CORE_DIGITS = fast(DIGIT_NUMBER_PATTERN + _SUFFIX, re.VERBOSE)
_CORE_WORDS = regex.compile(word_number_pattern() + _SUFFIX, regex.VERBOSE)
# The same on the stdlib engine for ASCII texts (a third of the time), but for the look-behind
# before a bare "half" ("the other half"), which ``_match_words`` checks in Python.
_CORE_WORDS_ASCII = fast(word_number_pattern(half_guard=False) + _SUFFIX, re.VERBOSE)
_FRACTION = _CORE_WORDS_ASCII.groupindex["fraction"]
_NOT_BEFORE_HALF_LENGTH = max(map(len, NOT_BEFORE_HALF))


def _match_words(text: str, pos: int, ascii: bool):
    """``_CORE_WORDS.match(text, pos)``; on ASCII text by the stdlib engine."""
    if not ascii:
        return _CORE_WORDS.match(text, pos)
    match = _CORE_WORDS_ASCII.match(text, pos)
    if match is not None and match.group(_FRACTION) is not None and match.group(_FRACTION).lower() == "half":
        start = end = match.start(_FRACTION)
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        before = text[max(0, start - _NOT_BEFORE_HALF_LENGTH - 1):start].lower()
        if start < end and any(before.endswith(word) and not before[:-len(word)][-1:].isalpha()
                               for word in NOT_BEFORE_HALF):
            return None                                   # "the other half", "first half"; not "than half"
    return match


# Group numbers: ``regex`` looks a group name up at a cost of microseconds per call (its
# ``groupdict`` costs more than the match), a number at a tenth of one. (Patterns are told
# apart by identity: hashing a compiled ``re`` pattern hashes its whole code.)
def _group_names(pattern) -> tuple[str | None, ...]:
    names = {number: name for name, number in pattern.groupindex.items()}
    return tuple(names.get(number) for number in range(1, pattern.groups + 1))


_DIGITS_GROUPS, _WORDS_GROUPS = _group_names(_CORE_DIGITS), _group_names(_CORE_WORDS)
_DIGITS_END, _WORDS_END = _CORE_DIGITS.groupindex["figure_end"], _CORE_WORDS.groupindex["figure_end"]
_DIGITS_SCALE = _CORE_DIGITS.groupindex["scale"]

# Plain numbers in digits ("in 2021,", "1,234 people", "40%") are most anchors. When nothing
# after the number can start a scale, unit, currency or qualifier of the patterns above, the
# candidate is built from this stdlib pattern alone (``_plain_digits``); otherwise, and for
# every other anchor, the full patterns decide. The word and character sets below list what
# the suffix and scale groups can read first; they derive from the same data rows.
_PLAIN_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})++(?!\d)(?:\.\d++)?+|\d++(?:\.\d++)?+")
_PLAIN_WORD = re.compile(r"[ \t]++([^\W\d_]++)?+")
_SPACED_GROUP = re.compile(r" [0-9]{3}(?![0-9])")


def _suffix_forms() -> list[str]:
    return ([r["form"] for r in _UNIT_ROWS] + [r["form"] for r in _CURRENCY_ROWS if r["position"] == "suffix"]
            + [r["phrase"] for r in _QUALIFIER_ROWS if r["position"] == "after"] + list(DIGIT_SCALE_FORMS))


_SUFFIX_FIRST_WORDS = frozenset([regex.match(r"\p{L}*+", f).group().lower() for f in _suffix_forms()] + ["of"])
_SUFFIX_FIRST_CHARS = frozenset([f[0] for f in _suffix_forms() if not f[0].isalpha()]
                                + [f[0] for f in _SYMBOLS] + ["+"])
_PLAIN_BEFORE = frozenset(("", " ", "\t", "\n", "\r", '"', "“", "["))
_PLAIN_AFTER_STOPS = frozenset(",.:")


def _prefix_last_words(forms) -> tuple[dict[str, frozenset[str] | None], frozenset[tuple[str, ...]]]:
    """Last word of every prefix form -> the words that may stand before it (``None``: any);
    and the words before a final "~" ("estimated to ~": any word after "estimated to").

    "of" ends "upwards of", "in excess of" and "a couple of" only: "of 5" needs "upwards",
    "excess" or "couple" before it to be worth the prefix pattern.
    """
    out: dict[str, set[str] | None] = {}
    before_any_word = set()
    for form in forms:
        words = form.lower().split()
        if words[-1] == "~":
            before_any_word.add(tuple(words[:-1]))
        elif len(words) == 1 or words[-2] == "~":
            out[words[-1]] = None
        else:
            before = out.setdefault(words[-1], set())
            if before is not None:
                before.add(words[-2])
    return {w: None if before is None else frozenset(before) for w, before in out.items()}, frozenset(before_any_word)


_PREFIX_LAST_WORDS, _PREFIX_BEFORE_ANY_WORD = _prefix_last_words(
    _forms(_QUALIFIER_ROWS, "phrase", position="before") + _forms(_CURRENCY_ROWS, "form", position="prefix")
    + list(QUANTIFIERS) + ["a", "an", "minus", "negative", "-", "−"])
_PREFIX_BEFORE_ANY_WORD_LAST = frozenset(before[-1] for before in _PREFIX_BEFORE_ANY_WORD)
# A prefix ending right at the number (no space) ends with a sign or a currency form.
_PREFIX_LAST_CHARS = frozenset(
    ch for r in _CURRENCY_ROWS if r["position"] == "prefix"
    for ch in (r["form"][-1], r["form"][-1].lower(), r["form"][-1].upper())) | {"-", "−"}
_VULGAR = "".join(VULGAR_FRACTIONS)
_PHONE = fast(r"\+\d[\d \t().-]{6,20}\d|\(\d{3}\)[ \t]?\d{3}-\d{4}")

_KIND_FORMS: dict[str, list[str]] = {}
for _row in _NOT_FIGURE_ROWS:
    _KIND_FORMS.setdefault(_row["kind"], []).append(_row["form"])
_IDENTIFIER_BEFORE = frozenset(f.lower() for f in _KIND_FORMS["identifier_before"])
# a number that opens a unit's name: capitalised words ending in a unit head word ("21 Signal Regiment")
_NAME_HEADS = _alternation(_KIND_FORMS["name_head_after"])
_NAME_HEAD_AFTER = fast(rf"(?:[ \t]++(?!(?:{_NAME_HEADS})\b)\p{{Lu}}\p{{Ll}}++){{0,2}}+[ \t]++(?:{_NAME_HEADS})\b")
_YEAR_BEFORE = frozenset(f.lower() for f in _KIND_FORMS["year_before"])
_YEAR_AFTER = frozenset(f.lower() for f in _KIND_FORMS["year_after"])
_AGE_BEFORE = fast(rf"(?i:\b(?:{_alternation(_KIND_FORMS['age_before'])})[ \t]++(?:of[ \t]++)?+"
                   rf"(?:(?:{_QUAL_BEFORE})[ \t]++)?+)\Z")                    # "aged under 2"
_AGE_AFTER = fast(rf"[ \t]*+(?i:{_alternation(_KIND_FORMS['age_after'])})(?!\p{{L}})")
_TIME_AFTER = fast(rf"[ \t]?+(?:{_alternation(_KIND_FORMS['time_after'])})(?![\p{{L}}])|:\d")
_MAGNITUDE_WORDS = frozenset(f.lower() for f in _KIND_FORMS["magnitude"])
_MAGNITUDE_BEFORE = fast(rf"(?i:\b(?:{_alternation(_KIND_FORMS['magnitude'])})(?:[ \t]++of)?+[ \t]*+)\Z")
# "magnitude" after the number, unless the magnitude follows ("400 magnitude 2+ quakes": a count)
_MAGNITUDE_AFTER = fast(rf"[ \t-]*+(?i:{_alternation(_KIND_FORMS['magnitude'])})(?![\p{{L}}])(?![ \t]*+\d)")
# "a 6.4 quake": a singular event noun after digits reads a magnitude ("6 quakes" is a count)
_MAGNITUDE_EVENT = fast(rf"[ \t]++(?i:{_alternation(_KIND_FORMS['magnitude_event'])})(?![\p{{L}}])")
_MONTHS_CAPITALISED = all(m[:1].isupper() for m in _MONTHS)   # then no month stands in lower-case text
_MONTH_BEFORE = fast(rf"\b(?:{_alternation(_MONTHS)})\.?+[ \t]++(?:of[ \t]++)?\Z")
_MONTH_AFTER = fast(rf"(?:st|nd|rd|th)?+[ \t]++(?:of[ \t]++)?(?:{_alternation(_MONTHS)})\b")
_WORD_BEFORE = fast(r"([\p{L}#][\p{L}.]*+)[ \t]++\Z")
_NAME_AGE = fast(r"\p{Lu}\p{Ll}++,[ \t]\Z")
_NAME_AGES_FIRST = fast(r"[ \t]++and[ \t]++\d{1,3},")                 # "Quirin and Lenoir, 40 and 49,"
_NAME_AGES_SECOND = fast(r"\p{Lu}\p{Ll}++,[ \t]\d{1,3}[ \t]++and[ \t]++\Z")
_LETTERS = fast(r"\p{L}++")
_NUMBER_RUN = fast(r"\d++(?:[,.]\d++)*+")
_NEXT_LETTER = fast(r"[ \t]++(\p{L})")
_TEASER_LINE = fast(
    rf"^[ \t•*-]*+(?:{_alternation(_TEASER_LABELS)})[ \t]*+:[^\n]*+", re.MULTILINE)
_RANGE_GAP = fast(r"[ \t]*+[-–—][ \t]*+|[ \t]++(?:to|and|or)[ \t]++")
# between the two numbers of a ratio: "out of", "per", "out of every", after at most two words ("deaths per")
_RATIO_GAP = fast(r"(?:[ \t]++(?!(?:out|per)\b)(\p{Ll}++)){0,2}+[ \t]++(?:out[ \t]++of|per)[ \t]++(?:every[ \t]++)?+")
_BARE_MULTIPLIER = fast(rf"(?i:{_alternation(MULTIPLIER_WORDS)})(?!\p{{L}})")
_BRACKET_GAP = fast(r"[ \t]*+\([ \t]*+")
_OPENING_MARKS = "([{\"'“‘"
FROM_BEFORE = fast(r"(?i:\bfrom)[ \t]++\Z")
_RANGE_CUE_BEFORE = fast(rf"(?i:\b(?:{_alternation(_RANGE_CUES)})[ \t]++from)[ \t]++\Z")
_BETWEEN_BEFORE = fast(r"(?i:\bbetween)[ \t]++\Z")

_CHANGE_RATIO = 100          # ends with units this far apart are a change and a level, not a range
_DURATIONS = frozenset(r["unit"] for r in _UNIT_ROWS if r["unit"].startswith("duration_"))
MONEY_UNITS = frozenset(r["code"] for r in _CURRENCY_ROWS)


def currency_forms(code: str | None = None, position: str | None = None) -> tuple[str, ...]:
    """The written forms of the currency ``code`` ("A$", "AUD", "Australian dollars" for AUD), or of
    every currency; with ``position``, only those written there ("prefix" or "suffix")."""
    return tuple(r["form"] for r in _CURRENCY_ROWS if code in (None, r["code"]) and position in (None, r["position"]))


def unit_forms() -> tuple[str, ...]:
    """The written forms of every measurement unit ("km", "tonnes", "hectares")."""
    return tuple(r["form"] for r in _UNIT_ROWS)


class Quantity(NamedTuple):
    """A quantity found in the text: span, numbers, unit and the evidence later rules need."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str                  # "count", "percent", "fraction", a currency code, a unit of figure_units.tsv
    qualifier: str | None      # None for a vague magnitude
    counted: str | None        # what an "other" unit counts
    explicit_unit: bool
    scale: str | None          # the scale word or letter after digits ("million", "m")
    kind: str                  # digits, vulgar, spelled, fraction or vague
    number_text: str
    hyphen_noun: str | None    # "a 12-member panel" -> "member"
    dropped: bool              # no figure, but its span still hides the anchors inside it


def _dropped(start: int, end: int) -> Quantity:
    return Quantity(start, end, None, None, None, "count", "exact", None, False, None, "", "", None, True)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` that is a figure, ranges joined, in text order."""
    return _restated_qualifiers(text, _merge_ranges(text, _scan(text)))


def _scan(text: str) -> list[Quantity]:
    """Candidates at each anchor, each checked against the not-a-figure rules."""
    teasers = [(m.start(), m.end()) for m in _TEASER_LINE.finditer(text)] if ":" in text else []
    out: list[Quantity] = []
    last_end = 0
    for anchor in anchor_positions(text):
        if anchor < last_end:
            continue
        candidate = _candidate_at(text, anchor, last_end)
        if candidate is None:
            continue
        last_end = candidate.end
        if candidate.dropped:
            continue
        if teasers and any(a <= candidate.start < b for a, b in teasers):
            continue
        if _not_a_figure(text, candidate):
            candidate = candidate._replace(dropped=True)
        out.append(candidate)
    return out


def _candidate_at(text: str, anchor: int, floor: int) -> Quantity | None:
    """The quantity whose number starts at ``anchor`` (or at a lead word just before it)."""
    previous = text[anchor - 1:anchor]
    if previous in ("+", "("):
        phone = _PHONE.match(text, anchor - 1)
        if phone is not None:
            return _dropped(phone.start(), phone.end())
    may_have_prefix = _may_have_prefix(text, anchor)
    if not may_have_prefix and previous in _PLAIN_BEFORE:
        plain = _plain_digits(text, anchor)
        if plain is not None:
            return plain
    if previous == "." and not text[anchor - 2:anchor - 1].isdigit():
        anchor -= 1                                                  # ".5"
        may_have_prefix = _may_have_prefix(text, anchor)
    first = text[anchor]
    digits = first.isdigit() or first == "." or first in _VULGAR
    if not digits:
        word = _LETTERS.match(text, anchor)
        if word is not None and word.group().isascii() and word.group().lower() not in NUMBER_WORDS:
            return None
    ascii = text.isascii()
    prefix = _PREFIX.match(text, max(floor, anchor - 40), anchor) if may_have_prefix else None
    core = None
    if prefix is not None and prefix.group(_P_LEAD) is not None:
        core = _match_words(text, prefix.start(_P_LEAD), ascii)
        if core is None or core.end() <= anchor:
            core, prefix = None, None                               # "a 5-year plan": "a" is no part
    if core is None:
        core = _CORE_DIGITS.match(text, anchor) if digits else _match_words(text, anchor, ascii)
        if core is None:
            return None
    if digits and text[anchor - 1:anchor].isalpha() and (
            prefix is None or prefix.group(_P_CURRENCY) is None or prefix.end(_P_CURRENCY) != anchor):
        return None                                                 # "G7", "A320", "MH17"
    if prefix is not None and prefix.start() < anchor and (
            text[prefix.start() - 1:prefix.start()].isalnum() or not _valid_sign(text, prefix)):
        prefix = None
    return _candidate(prefix, core)


def _plain_digits(text: str, anchor: int) -> Quantity | None:
    """The candidate for a plain number in digits (optionally with "%") at ``anchor``, or
    ``None`` when the full patterns must read it (see ``_PLAIN_DIGITS``). The caller has found
    that nothing before it can be a prefix."""
    if not "0" <= text[anchor] <= "9":
        return None
    number = _PLAIN_DIGITS.match(text, anchor)
    assert number is not None                                        # a digit is a number
    end = number.end()
    percent = text[end:end + 1] == "%"
    after = end + percent
    following = text[after:after + 1]
    if following in (" ", "\t"):
        if _SPACED_GROUP.match(text, after):
            return None                                              # "1 000 000"
        word = _PLAIN_WORD.match(text, after)
        assert word is not None                                      # the blank alone matches
        if word.group(1) is not None:
            first = word.group(1)
            if not first.isascii() or not first.isalpha() or first.lower() in _SUFFIX_FIRST_WORDS:
                return None
        elif text[word.end():word.end() + 1] in _SUFFIX_FIRST_CHARS:
            return None
    elif following in _PLAIN_AFTER_STOPS:
        if text[after + 1:after + 2].isdigit():
            return None
    elif following and (following.isalnum() or following in "_-/+%\u00a0\u202f\u2009"
                        or following in _SUFFIX_FIRST_CHARS or following in _VULGAR):
        return None
    number_text = number.group()
    value = _finite(_count_value(number_text, float(number_text.replace(",", ""))))
    if value is None:
        return _dropped(anchor, after)
    return Quantity(anchor, after, value, None, None,
                    "percent" if percent else "count", "exact", None, percent, None, "digits", number_text, None, False)


def _may_have_prefix(text: str, anchor: int) -> bool:
    """Cheap test before the prefix pattern: is the word before the number a possible prefix end?"""
    before = text[anchor - 1:anchor]
    if not before:
        return False
    if before not in " \t\u00a0":
        return before in _PREFIX_LAST_CHARS
    words = text[max(0, anchor - 24):anchor].lower().split()
    if not words:
        return False
    words[-1] = words[-1].lstrip(_OPENING_MARKS)                     # "(US$ 7.6 million)"
    if words[-1] in _PREFIX_LAST_WORDS:
        allowed = _PREFIX_LAST_WORDS[words[-1]]
        if allowed is None or len(words) > 1 and any(words[-2].endswith(w) for w in allowed):
            return True
    return len(words) > 1 and words[-2] in _PREFIX_BEFORE_ANY_WORD_LAST and any(
        len(words) > len(before) and tuple(words[-1 - len(before):-1]) == before for before in _PREFIX_BEFORE_ANY_WORD)


def _valid_sign(text: str, prefix: regex.Match) -> bool:
    """"-5" is negative; "10-15" or "10 -15" is a range."""
    sign = prefix.group(_P_SIGN)
    if sign is None or sign.strip().isalpha():
        return True
    sign_start = prefix.start(_P_SIGN)
    before = text[max(0, sign_start - 2):sign_start].rstrip(" \t")
    if not before:
        return True
    if text[sign_start - 1] in " \t":                # "10 -15" is a range; "said -5" is negative
        return not (before[-1].isdigit() or before[-1] in "%)]")
    return not (before[-1].isalnum() or before[-1] in "%)]")     # "COVID-19", "10-15"


def _candidate(prefix: regex.Match | None, match: re.Match | regex.Match) -> Quantity | None:
    """The quantity of one match of a core pattern and of its prefix; ``None`` when it is none."""
    digits = match.re is _CORE_DIGITS
    start = match.start()
    counts_scale = digits and _scaled_count(match)
    if prefix is None:
        reading = _reading(digits, match.groups(), None, counts_scale)
    else:
        reading = _reading(digits, match.groups(), prefix.groups(), counts_scale)
        for group in (_P_CURRENCY, _P_SIGN):
            if prefix.group(group) is not None:
                start = prefix.start(group)
    if reading is None:
        return None
    return Quantity(start, match.end(_DIGITS_END if digits else _WORDS_END), *reading)


def _scaled_count(match: re.Match | regex.Match) -> bool:
    """Whether a money-only scale glued to a bare number ("4.2m households", "3b people") scales a
    count: a plural noun follows straight after (not "a 4.2m wall", "rose 2m overnight"), and
    after a whole number it is a noun the figures count (people, relief items, shelters: not
    "the 100m hurdles", a distance)."""
    scale = match.group(_DIGITS_SCALE)
    if scale is None or scale.strip() not in MONEY_ONLY_SCALES:
        return False
    noun = counted.plural_noun_follows(match.string, match.end(_DIGITS_END))
    return noun is not None and ("." in match.group() or bool(counted.noun_classes(noun)))


@lru_cache(maxsize=1 << 14)     # the groups alone decide ("2 mln", "10 pct", "about 5" recur)
def _reading(digits: bool, groups: tuple, prefix: tuple | None, counts_scale: bool = False) -> tuple | None:
    """The fields of a quantity after its span, from the groups of its match and prefix
    (``counts_scale``: a money-only scale counts the noun after it, see ``_scaled_count``)."""
    g = dict(zip(_DIGITS_GROUPS if digits else _WORDS_GROUPS, groups))
    currency, sign, qualifier_before = (None, None, None) if prefix is None else \
        (prefix[_P_CURRENCY - 1], prefix[_P_SIGN - 1], prefix[_P_QUALIFIER - 1])
    code = None
    if currency is not None:
        words = " ".join(currency.split())
        row = _PREFIX_FORMS.get(words) or _PREFIX_FORMS.get(words.lower()) \
            or _PREFIX_FORMS.get(currency.replace(" ", "").replace("\t", ""))
        if row is None:
            return None
        code = row["code"]
    raw_scale = g.get("scale")
    scale = raw_scale.strip() if raw_scale is not None else None
    if scale in MONEY_ONLY_SCALES and code is None and g.get("money_suffix") is None and not counts_scale:
        return None, None, None, "count", "exact", None, False, scale, "", "", None, True
    value = low = high = None
    unit = "count"
    qualifier: str | None = "exact"
    if g.get("vague") is not None:
        kind, number_text, qualifier = "vague", g["vague"], None
        bounds = vague_range(number_text)
        assert bounds is not None                        # the "vague" group is built from the same lexicon
        low, high = bounds
    else:
        kind = next(k for k in ("fraction", "spelled", "digits", "vulgar") if g.get(k) is not None)
        number_text = g[kind] + (raw_scale or "")        # the scale group follows the digits
        value = _digits_value(number_text, g["digits"], scale) if kind == "digits" else parse_number(number_text)
        if value is None or (kind == "spelled" and number_text.lower() in MULTIPLIER_WORDS):
            return None
        if kind == "digits" and "/" in number_text and not _plausible_fraction(number_text):
            return None, None, None, "count", "exact", None, False, scale, kind, number_text, None, True
        if kind in ("fraction", "vulgar") and value < 1 or (kind == "digits" and "/" in number_text):
            unit = "fraction"                            # "half a million" (500,000) is a count
        if sign is not None:
            value = -value
    unit, explicit_unit, counted_noun, value, low, high, hyphen_noun = _suffix(g, code, unit, value, low, high)
    if unit == "count" and not explicit_unit and scale is None and kind == "digits":
        value = _count_value(g["digits"], value)
    if kind != "vague" and _finite(value) is None:
        return None, None, None, "count", "exact", None, False, scale, kind, number_text, None, True
    if kind != "vague":
        qualifier = _qualifier(qualifier_before, g.get("qualifier_after")) or qualifier
    return value, low, high, unit, qualifier, counted_noun, explicit_unit, scale, kind, number_text, hyphen_noun, False


@lru_cache(maxsize=1 << 14)     # pure; Decimal arithmetic costs microseconds
def _digits_value(number_text: str, digits: str, scale: str | None) -> float | None:
    """``parse_number`` for the common digits ("1,234.5", "5.93 mln") without its tokenizer."""
    if not digits.isascii() or "/" in digits:
        return parse_number(number_text)
    if scale is None:
        return float(ungrouped(digits))
    factor = SCALES.get(scale, SCALES.get(scale.lower()))
    if factor is None:
        return parse_number(number_text)
    return float(Decimal(ungrouped(digits)) * factor)


_DOT_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}\.000")


def _count_value(digits: str, value: float) -> float:
    """A plain count written "1.000" means a thousand: a count has no decimals, let alone
    ".000". Any other single dot stays a decimal point ("2.454 a year", "0.523 share")."""
    return value * 1000 if _DOT_THOUSANDS.fullmatch(digits) else value


def _finite(value: float | None) -> float | None:
    """``value``, or ``None`` when it is beyond a float (no inf ever reaches a record)."""
    return value if value is None or math.isfinite(value) else None


def _plausible_fraction(number_text: str) -> bool:
    """"3/4" is a fraction, "9/11" or "24/7" is a date or a name."""
    numerator, denominator = (int(x) for x in regex.findall(r"\d++", number_text)[-2:])
    if not 0 < numerator < denominator:
        return False
    return denominator in (2, 3, 4, 8) or denominator > 31 or numerator > 12


def _suffix(g: dict, code: str | None, unit: str, value: float | None, low: float | None, high: float | None):
    """(unit, explicit_unit, counted, value, low, high, hyphen_noun) after what follows the number."""
    factor = Decimal(1)
    suffix = g.get("money_suffix")
    if code is None and suffix is not None:
        words = " ".join(suffix.lstrip("-").split())
        words = words[3:] if words.lower().startswith("of ") else words
        row = _SUFFIX_FORMS.get(words) or _SUFFIX_FORMS.get(words.lower())
        if row is not None:
            code, factor = row["code"], Decimal(row["factor"])
    symbol = g.get("currency_symbol")
    if code is None and symbol is not None:
        code = _SUFFIX_FORMS[symbol.strip()]["code"]
    if code is not None:
        if factor != 1 and value is not None:
            value = float(Decimal(repr(value)) * factor)
        return code, True, None, value, low, high, None
    if g.get("percent") is not None:
        return "percent", True, None, value, low, high, None
    unit_text = g.get("unit")
    if unit_text is not None:
        row = _UNITS[" ".join(unit_text.lstrip("-").split()).lower()]
        if row["factor"] != "1":
            value = value * float(row["factor"]) if value is not None else None
            if low is not None and high is not None:
                low, high = low * float(row["factor"]), high * float(row["factor"])
        return row["unit"], True, row["counted"] or None, value, low, high, None
    return unit, False, None, value, low, high, g.get("hyphen_noun")


def _qualifier(before: str | None, after: str | None) -> str | None:
    """The qualifier the phrases before and after the number say, the later one winning."""
    found = None
    for phrase, position in ((before, "before"), (after, "after")):
        if phrase is None:
            continue
        key = " ".join(phrase.split()).lower()
        said = _QUALIFIERS.get((key, position))
        if said is None and key.endswith("plus"):
            said = "more_than"
        if said is None:
            said = next((q for p, q in _WILDCARD_QUALIFIERS if p.match(key)), None)
        found = said or found
    return found


def _not_a_figure(text: str, c: Quantity) -> bool:
    """Dates, years, times, ages, magnitudes, identifiers, codes and idioms."""
    if c.explicit_unit and c.unit not in _DURATIONS and c.unit != "other":
        return False
    before = text[max(0, c.start - 24):c.start]
    after = text[c.end:c.end + 16]
    number = c.number_text
    if c.kind == "digits" and c.scale is None:
        if len(number) > 1 and number[0] == "0" and number[1].isdigit():
            return True                                              # codes: "007", "0100"
        if number.isdigit():
            if len(number) == 4 and 1800 <= int(number) <= 2100 and (
                    c.unit == "count" and _is_year(text, c, before) or c.unit in _DURATIONS and _dated_period(text, c)):
                return True                                          # a year: "in 2021", "1986 results", "1985 year"
            if len(number) <= 2 or len(number) == 4:
                if (not _MONTHS_CAPITALISED or not before.islower()) and _MONTH_BEFORE.search(before) \
                        or (not _MONTHS_CAPITALISED or not text[c.end:c.end + 20].islower()) \
                        and _MONTH_AFTER.match(text, c.end, c.end + 20):
                    return True                                      # "May 25", "25 May", "July 2021"
            if _TIME_AFTER.match(after):
                return True                                          # "10 a.m.", "10:30"
            if _identifier_before(text, c.start, before) \
                    or text[c.end + 1:c.end + 2].isupper() and _NAME_HEAD_AFTER.match(text, c.end):
                return True                                          # "Resolution 2699", "39 Field Squadron"
        if len(number) <= 3 and (text.startswith(",", c.end) and _NAME_AGE.search(before)
                                 or _NAME_AGES_FIRST.match(text, c.end) and _NAME_AGE.search(before)
                                 or _NAME_AGES_SECOND.search(before)):
            return True                                              # "Ruto, 57,", "A and B, 40 and 49,"
    if c.kind == "spelled" and not c.explicit_unit and c.value is not None and 1 <= c.value <= 31 \
            and _MONTH_BEFORE.search(before) and not counted.starts_with_plural(text, c.end):
        return True                                                  # a day: "payable April two"
    # On ASCII text the age and magnitude words before the number need their letters there.
    lower = before.lower() if before.isascii() else None
    if (lower is None or "ag" in lower) and _AGE_BEFORE.search(before) or _AGE_AFTER.match(text, c.end):
        return True
    if _is_magnitude(text, c, before, lower):
        return True
    if c.kind == "spelled" and c.value == 1 and not c.explicit_unit:
        return counted.one_is_idiom(text, c.start, c.end, c.hyphen_noun)
    if c.hyphen_noun is not None and c.value == 1 and counted.one_is_idiom(text, c.start, c.end, c.hyphen_noun):
        return True
    return False


def _is_year(text: str, c: Quantity, before: str) -> bool:
    """Whether a number from 1800 to 2100 in four plain digits is a year: unless an estimate makes
    it a count ("some 2000 stores"), it is one when no plural noun follows, or when a word before
    it dates ("fiscal 1986", "than 1986") or a word after it is what a year has ("1986 results",
    "1987 full year sales"); "sent 2000 troops" is a count."""
    if c.qualifier == "approximately":
        return False
    if not counted.starts_with_plural(text, c.end):
        return True
    word = _WORD_BEFORE.search(before)
    return word is not None and word.group(1).lower() in _YEAR_BEFORE \
        or any(w.lower() in _YEAR_AFTER for w in counted.words_after(text, c.end)[:3])


def _dated_period(text: str, c: Quantity) -> bool:
    """Whether a year-like number before a duration word names the period of that year: the word
    is in the singular ("1985 year net", "the 1986 quarter"); "2000 years" stays a duration."""
    return not text[c.start:c.end].endswith("s")


def _is_magnitude(text: str, c: Quantity, before: str, lower: str | None) -> bool:
    """An earthquake magnitude: "magnitude (of) 6.4", "Richter 6", "a 4.7-magnitude
    quake", "a 6.4 quake". ``lower``: ``before`` lower-cased when ASCII (its words are then
    looked for before the pattern runs)."""
    if (lower is None or any(word in lower for word in _MAGNITUDE_WORDS)) and _MAGNITUDE_BEFORE.search(before):
        return True
    if c.hyphen_noun is not None:
        return c.hyphen_noun.lower() in _MAGNITUDE_WORDS
    return _MAGNITUDE_AFTER.match(text, c.end) is not None \
        or c.kind == "digits" and _MAGNITUDE_EVENT.match(text, c.end) is not None


def _identifier_before(text: str, start: int, before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if match is None:
        return before.endswith("#")
    word = match.group(1)
    if word.lower() in _IDENTIFIER_BEFORE:
        return True
    if word.endswith("."):
        return False                                                # a sentence ends: "on Wednesday. 76 villages"
    # A capitalised word mid-sentence naming a thing by number ("Boeing 737", "Voyager 2"),
    # unless a title-case headline continues after the number ("Kenya Sends 400 Officers").
    if not word[0].isupper() or word in _MONTHS or word.isupper() or len(word) < 2:
        return False
    word_start = start - len(before) + match.start(1)
    prior = text[max(0, word_start - 3):word_start]
    if not prior.strip() or prior.rstrip()[-1:] in ".!?:\"“(\n" or counted.is_function_word(word):
        return False
    number = _NUMBER_RUN.match(text, start)
    next_word = _NEXT_LETTER.match(text, number.end() if number else start)
    return not (next_word and next_word.group(1).isupper())


def _merge_ranges(text: str, candidates: list[Quantity]) -> list[Quantity]:
    """Join "10-15", "10 to 15 million", "between 2,000 and 3,000", "$48 billion to $52 billion", and
    the two numbers of a ratio ("7 out of 12")."""
    out: list[Quantity] = []
    i = 0
    while i < len(candidates):
        a = candidates[i]
        b = candidates[i + 1] if i + 1 < len(candidates) else None
        ratio = _ratio(text, a, b)
        if ratio is not None:
            out.append(ratio)
            i += 1 if b is None or ratio.end < b.end else 2
            continue
        gap = _RANGE_GAP.fullmatch(text, a.end, b.start) if b is not None else None
        if b is not None and gap is not None:
            joiner = gap.group().strip()
            merged = _range(text, a, b, joiner)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
            if joiner in "-–" and gap.group() == joiner and a.kind == b.kind == "digits" or _day_range(text, a, b):
                i += 2                                   # "3-1", "2013-14", "555-0100", "3 to 9 April": no figures
                continue
        if not a.dropped:
            out.append(a)
        i += 1
    return out


def _ratio(text: str, a: Quantity, b: Quantity | None) -> Quantity | None:
    """"7 out of 12", "one out of every thousand", "4 deaths per 100,000": one share (unit
    fraction, to four significant digits as the gold writes them: 7/12 = 0.5833) counting the
    noun between or after."""
    if a.dropped and not _bare_one(a) or a.value is None or a.unit != "count" or a.explicit_unit \
            or a.kind not in ("digits", "spelled"):
        return None
    following = text[a.end:a.end + 32]
    if "per" not in following and "out" not in following:
        return None                                      # most numbers: no ratio word near, no pattern run
    gap = _RATIO_GAP.match(text, a.end)
    if gap is None:
        return None
    if b is not None and b.start == gap.end() and not b.dropped and b.unit == "count" and not b.explicit_unit \
            and b.kind in ("digits", "spelled"):
        end, whole = b.end, b.value
    else:
        bare = _BARE_MULTIPLIER.match(text, gap.end())          # "out of every thousand"
        if bare is None:
            return None
        end, whole = bare.end(), parse_number(bare.group())
    if not whole:
        return None
    noun = gap.group(1)
    counted_noun = counted.singular(noun) if noun else counted.counted_noun(text, a.start, end, "count", None,
                                                                            None, None, None)
    return Quantity(a.start, end, float(f"{a.value / whole:.4g}"), None, None, "fraction", a.qualifier, counted_noun,
                    True, None, "fraction", text[a.start:end], None, False)


def _bare_one(q: Quantity) -> bool:
    """A spelled "one" (dropped as an idiom when nothing it counts follows: "one per 100,000")."""
    return q.kind == "spelled" and q.value == 1 and not q.explicit_unit


def _day_range(text: str, a: Quantity, b: Quantity) -> bool:
    """Whether "a to b" (or "a or b", "a-b") are the days of a date ("3 to 9 April", "April 3 to 9")
    or two ages ("between six months and 19 years of age", "12 to 15 years old")."""
    if b.dropped and _AGE_AFTER.match(text, b.end):
        return True
    if not (a.kind == b.kind == "digits" and len(a.number_text) <= 2 and len(b.number_text) <= 2):
        return False
    if b.dropped:
        return _MONTH_AFTER.match(text, b.end, b.end + 20) is not None
    return a.dropped and _MONTH_BEFORE.search(text[max(0, a.start - 24):a.start]) is not None


def _scale_word(q: Quantity) -> str | None:
    """The scale word of a number in digits or words ("10 mln", "two billion"), if it has one."""
    if q.kind == "digits":
        return q.scale
    last = q.number_text.rsplit(None, 1)[-1] if q.kind == "spelled" and q.number_text else ""
    return last if last.lower() in SCALES else None


def _restated_qualifiers(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """A measure or sum restated in brackets in another unit takes the qualifier of the first
    statement ("about 90 miles (145 km)", "up to 30 inches (76 cm)")."""
    for i in range(1, len(quantities)):
        a, b = quantities[i - 1], quantities[i]
        if b.qualifier == "exact" and a.qualifier not in (None, "exact") and a.explicit_unit and b.explicit_unit \
                and _BRACKET_GAP.fullmatch(text, a.end, b.start):
            quantities[i] = b._replace(qualifier=a.qualifier)
    return quantities


def _range(text: str, a: Quantity, b: Quantity, joiner: str) -> Quantity | None:
    """The range "a <joiner> b", or ``None`` when the two make none. A range has no qualifier
    of its own: the ends carry the vagueness ("three to six feet"), unless a word says one
    ("about five or six feet")."""
    if a.dropped and not (_bare_one(a) and joiner in ("to", "or")):
        return None                                      # "one to two metres": no idiom "one"
    if b.dropped or a.value is None or b.value is None or a.kind == "vague" or b.kind == "vague":
        return None
    if joiner == "and" and not _BETWEEN_BEFORE.search(text, max(0, a.start - 12), a.start):
        return None
    if joiner == "to" and FROM_BEFORE.search(text, max(0, a.start - 8), a.start) \
            and not _RANGE_CUE_BEFORE.search(text, max(0, a.start - 24), a.start):
        return None                                      # "rose from 10 to 15": a change, two figures
    if a.explicit_unit and (a.unit != b.unit if b.explicit_unit else a.unit not in MONEY_UNITS):
        return None                                      # "up 10.9 pct to 42,593": a change, then a level
    low, high = a.value, b.value
    b_scale = _scale_word(b)
    if b_scale is not None and _scale_word(a) is None and a.kind in ("digits", "spelled"):
        multiplier = parse_number("1 " + b_scale) or 1
        if low * multiplier <= high:
            low *= multiplier                            # "six to eight mln dlrs", "1.5 to two billion"
    if not low < high:
        return None
    if a.explicit_unit and high > _CHANGE_RATIO * low:
        return None                                      # "fell 118 mln dlrs to 221.2 billion": a change, a level
    return Quantity(a.start, b.end, low / 2 + high / 2, low, high, b.unit if b.explicit_unit else a.unit,
                    a.qualifier if a.qualifier != "exact" else None, b.counted or a.counted,
                    a.explicit_unit or b.explicit_unit, b.scale, b.kind, text[a.start:b.end], b.hyphen_noun, False)
