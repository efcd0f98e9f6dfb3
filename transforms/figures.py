"""Figures: the quantities a news article reports, with unit, qualifier, counted noun,
category and source.

One compiled pattern finds every candidate (qualifier, currency, number, scale, unit);
Python then works only around each candidate. Rules, in order of precedence:

1. Consumed non-figures: phone numbers.
2. A candidate is dropped when it is a date or year, a clock time, an age, a magnitude,
   an identifier ("Resolution 2699", "Flight 370"), a code with a leading zero, an idiom
   ("one another"), or sits on a link-teaser line ("WATCH: ...").
3. Adjacent candidates joined by "-", "to" or "between ... and" become one range
   (value = midpoint, value_low/value_high = the ends); digits joined by a hyphen that make
   no range ("3-1", "2013-14") are dropped both.
4. Overlaps: the pattern never returns overlapping matches (leftmost, then longest wins).

>>> [(f.text, f.value, f.unit, f.qualifier) for f in find_figures("Around 2,500 officers and $360m.", [])]
[('2,500', 2500.0, 'count', 'approximately'), ('$360m', 360000000.0, 'USD', 'exact')]
"""
from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal

import regex

from transforms import categories, counted
from transforms.attribution import SourceFinder
from transforms.lexicon import load_tsv
from transforms.numbers import MONEY_ONLY_SCALES, NUMBER_PATTERN, parse_number, vague_range
from transforms.records import Figure, Mention

try:  # sentence splitter of the pipeline; a plain fallback keeps this module usable alone
    from transforms.segment import split_sentences
except ImportError:  # pragma: no cover
    split_sentences = None

_CURRENCY_ROWS = load_tsv("figure_currencies.tsv", required=("form", "code", "position", "case", "factor"))
_UNIT_ROWS = load_tsv("figure_units.tsv", required=("form", "unit", "factor", "attach"))
_QUALIFIER_ROWS = load_tsv("figure_qualifiers.tsv", required=("phrase", "qualifier", "position"))
_NOT_FIGURE_ROWS = load_tsv("figure_not_figures.tsv", required=("form", "kind"))
_MONTHS = frozenset(r["month"] for r in load_tsv("figure_months.tsv", required=("month",)))
_TEASER_LABELS = [r["label"] for r in load_tsv("figure_teaser_labels.tsv", required=("label",))]


def _alternation(forms, flexible_space: bool = False) -> str:
    parts = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        escaped = regex.escape(form)
        parts.append(escaped.replace(r"\ ", r"[ \t]?+" if flexible_space else r"[ \t]++"))
    return "|".join(parts)


def _keyed(rows, key: str, position: str | None = None) -> dict[str, dict]:
    """Rows by form: lower-cased for case-insensitive forms, as written otherwise."""
    out = {}
    for row in rows:
        if position and row["position"] != position:
            continue
        form = " ".join(row[key].split())
        out[form.lower() if row.get("case", "any") == "any" else form] = row
    return out


_PREFIX = _keyed(_CURRENCY_ROWS, "form", "prefix")
_SUFFIX = _keyed(_CURRENCY_ROWS, "form", "suffix")
_UNITS = {" ".join(r["form"].split()).lower(): r for r in _UNIT_ROWS}
_QUALIFIERS = {(r["phrase"], r["position"]): r["qualifier"] for r in _QUALIFIER_ROWS}
_WILDCARD_QUALIFIERS = [(regex.compile(regex.escape(r["phrase"]).replace(r"\~", r"\p{L}++") + r"\Z"),
                         r["qualifier"]) for r in _QUALIFIER_ROWS if "~" in r["phrase"]]


def _forms(rows, key, **where) -> list[str]:
    return [r[key] for r in rows if all(r[k] == v for k, v in where.items())]


def _qualifier_pattern(position: str) -> str:
    return "|".join(regex.escape(p).replace(r"\ ", r"[ \t]++").replace(r"\~", r"\p{L}++")
                    for p in sorted(_forms(_QUALIFIER_ROWS, "phrase", position=position),
                                    key=lambda p: (-len(p), p)))


_FIGURE = regex.compile(
    rf"""
    (?P<skip> \+\d[\d \t().-]{{6,20}}\d | \(\d{{3}}\)[ \t]?\d{{3}}-\d{{4}} )   # phone numbers
    |
    (?: (?<![\p{{L}}\p{{N}}]) (?P<qualifier> (?i:{_qualifier_pattern("before")}) ) [ \t\u00a0]++ )?
    (?P<figure>
      (?P<sign> (?<![\p{{L}}\p{{N}}%)\]][ \t]?+) [-−] (?=[\d$€£.]) | (?i:minus|negative) [ \t]++ )?
      (?: (?<![\p{{L}}\p{{N}}]) (?P<currency> {_alternation(_forms(_CURRENCY_ROWS, "form", position="prefix", case="exact"), True)}
                    | (?i:{_alternation(_forms(_CURRENCY_ROWS, "form", position="prefix", case="any"), True)}) )
          [ \t\u00a0]?+ )?
      {NUMBER_PATTERN}
      (?:
          (?P<percent> [ \t]?+ % | [ \t]++ (?i:{_alternation(_forms(_UNIT_ROWS, "form", unit="percent", attach="no"))}) (?!\p{{L}}) )
        | (?P<money_suffix> (?:[ \t]++ (?i:of [ \t]++)?)?+
              (?: (?i:{_alternation(_forms(_CURRENCY_ROWS, "form", position="suffix", case="any"))}) (?!\p{{L}})
                | (?<=[ \t]) (?:{_alternation(_forms(_CURRENCY_ROWS, "form", position="suffix", case="exact"))}) (?!\p{{L}}) ) )
        | (?P<currency_symbol> [ \t]?+ [€£元] )
        | (?P<unit> (?:[ \t]++|-) (?i:{_alternation(_forms(_UNIT_ROWS, "form", attach="no") + _forms(_UNIT_ROWS, "form", attach="yes"))}) (?![\p{{L}}\p{{N}}])
                  | (?:{_alternation(_forms(_UNIT_ROWS, "form", attach="yes"))}) (?![\p{{L}}\p{{N}}]) )
        | - (?P<hyphen_noun> \p{{Ll}}++ ) (?!-?\p{{N}})
      )?+
    )
    (?P<qualifier_after> [ \t]++ (?i:{_qualifier_pattern("after")}) (?!\p{{L}}) | [ \t]?+ \+ (?!\p{{N}}) | -plus )?+
    (?![\p{{L}}\p{{N}}_] | [/:.,]\d)
    """,
    regex.VERBOSE,
)

_KIND_FORMS = {}
for _row in _NOT_FIGURE_ROWS:
    _KIND_FORMS.setdefault(_row["kind"], []).append(_row["form"])
_IDENTIFIER_BEFORE = frozenset(f.lower() for f in _KIND_FORMS["identifier_before"])
_AGE_BEFORE = regex.compile(rf"(?i:\b(?:{_alternation(_KIND_FORMS['age_before'])})[ \t]++(?:of[ \t]++)?)\Z")
_AGE_AFTER = regex.compile(rf"[ \t]*+(?i:{_alternation(_KIND_FORMS['age_after'])})(?!\p{{L}})")
_TIME_AFTER = regex.compile(rf"[ \t]?+(?:{_alternation(_KIND_FORMS['time_after'])})(?![\p{{L}}])|:\d")
_MAGNITUDE = regex.compile(rf"(?i:{_alternation(_KIND_FORMS['magnitude'])})")
_MONTH_BEFORE = regex.compile(rf"\b(?:{_alternation(_MONTHS)})\.?+[ \t]++(?:of[ \t]++)?\Z")
_MONTH_AFTER = regex.compile(rf"(?:st|nd|rd|th)?+[ \t]++(?:of[ \t]++)?(?:{_alternation(_MONTHS)})\b")
_WORD_BEFORE = regex.compile(r"([\p{L}#][\p{L}.]*+)[ \t]++\Z")
_NAME_AGE = regex.compile(r"\p{Lu}\p{Ll}++,[ \t]\Z")
_NUMBER_RUN = regex.compile(r"[\d,.]++")
_NEXT_LETTER = regex.compile(r"[ \t]++(\p{L})")
_TEASER_LINE = regex.compile(
    rf"^[ \t•*-]*+(?:{_alternation(_TEASER_LABELS)})[ \t]*+:[^\n]*+", regex.MULTILINE)
_RANGE_GAP = regex.compile(r"[ \t]*+[-–—][ \t]*+|[ \t]++(?:to|and)[ \t]++")
_FROM_BEFORE = regex.compile(r"(?i:\bfrom)[ \t]++\Z")
_BETWEEN_BEFORE = regex.compile(r"(?i:\bbetween)[ \t]++\Z")

_FUNDING = "funding"
_DURATIONS = frozenset(r["unit"] for r in _UNIT_ROWS if r["unit"].startswith("duration_"))


class _Candidate:
    """A figure being built: span, numbers, unit and the evidence later rules need."""

    __slots__ = ("start", "end", "value", "low", "high", "unit", "qualifier", "counted",
                 "explicit_unit", "scale", "kind", "number_text", "hyphen_noun", "dropped")

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.value = self.low = self.high = None
        self.unit, self.qualifier, self.counted = "count", "exact", None
        self.explicit_unit, self.scale, self.kind = False, None, ""
        self.number_text, self.hyphen_noun, self.dropped = "", None, False


def find_figures(text: str, mentions: list[Mention] | None = None) -> list[Figure]:
    """Every figure in ``text``, sorted by start, none overlapping.

    ``mentions`` are the article's entity mentions (for attribution); ``None`` asks
    ``transforms.entities`` for them when that module exists and a source is needed.
    """
    candidates = _merge_ranges(text, _scan(text))
    if not candidates:
        return []
    sentences = _sentences(text)
    sentence_starts = [s.start for s in sentences]
    sources = SourceFinder(text, mentions)
    figures, previous_counted, previous_sentence, cues = [], None, None, None
    for c in candidates:
        index = bisect_right(sentence_starts, c.start) - 1
        sentence = sentences[index] if index >= 0 and c.start < sentences[index].end else None
        if sentence is not previous_sentence:
            previous_counted, previous_sentence = None, sentence
            cues = categories.sentence_cues(sentence)
        noun = counted.counted_noun(text, c.start, c.end, c.unit, c.value, c.counted,
                                    c.hyphen_noun, previous_counted)
        previous_counted = noun or previous_counted
        category = _FUNDING if _is_money(c.unit) else categories.figure_category(cues, c.start, c.end)
        source = sources.source_of(sentence, c.start) if sentence is not None else None
        figures.append(Figure(c.start, c.end, text[c.start:c.end], c.value, c.low, c.high, c.unit,
                              c.qualifier, noun, category, source))
    return figures


_PREFIX_CODES = frozenset(r["code"] for r in _CURRENCY_ROWS)


def _is_money(unit: str) -> bool:
    return unit in _PREFIX_CODES


def _sentences(text: str):
    if split_sentences is not None:
        return split_sentences(text)
    from transforms.records import Sentence  # pragma: no cover
    return [Sentence(0, len(text), 0, text)]  # pragma: no cover


def _scan(text: str) -> list[_Candidate]:
    """Candidates from the one figure pattern, each checked against the not-a-figure rules."""
    teasers = [(m.start(), m.end()) for m in _TEASER_LINE.finditer(text)] if ":" in text else []
    out = []
    for match in _FIGURE.finditer(text):
        if match.group("skip") is not None:
            continue
        candidate = _candidate(text, match)
        if candidate is None:
            continue
        if teasers and any(a <= candidate.start < b for a, b in teasers):
            continue
        if not candidate.dropped and _not_a_figure(text, candidate):
            candidate.dropped = True
        out.append(candidate)
    return out


def _candidate(text: str, match: regex.Match) -> _Candidate | None:
    """Values and unit of one pattern match; ``None`` when the match is no quantity."""
    c = _Candidate(match.start("figure"), match.end("figure"))
    currency = match.group("currency")
    code, factor = None, Decimal(1)
    if currency is not None:
        row = _PREFIX.get(" ".join(currency.split())) or _PREFIX.get(" ".join(currency.split()).lower())
        if row is None:
            row = _PREFIX.get(currency.replace(" ", "").replace("\t", ""))
        if row is None:
            return None
        code = row["code"]
    scale = match.group("scale")
    if scale is not None:
        c.scale = scale.strip()
        if c.scale in MONEY_ONLY_SCALES and code is None and match.group("money_suffix") is None:
            return None
    if match.group("vague") is not None:
        c.kind = "vague"
        c.number_text = match.group("vague")
        c.low, c.high = vague_range(c.number_text)
        c.qualifier = None
    else:
        for kind in ("fraction", "spelled", "digits", "vulgar"):
            if match.group(kind) is not None:
                c.kind = kind
                break
        start = match.start(c.kind)
        end = match.end("scale") if scale is not None else match.end(c.kind)
        c.number_text = text[start:end]
        c.value = parse_number(c.number_text)
        if c.value is None:
            return None
        if c.kind == "digits" and "/" in c.number_text and not _plausible_fraction(c.number_text):
            return None
        if c.kind in ("fraction", "vulgar") or (c.kind == "digits" and "/" in c.number_text):
            c.unit = "fraction"
        if match.group("sign") is not None:
            c.value = -c.value
    _apply_suffix(c, match, code, factor)
    _apply_qualifier(c, match)
    return c


def _plausible_fraction(number_text: str) -> bool:
    """"3/4" is a fraction, "9/11" or "24/7" is a date or a name."""
    numerator, denominator = (int(x) for x in regex.findall(r"\d++", number_text)[-2:])
    if not 0 < numerator < denominator:
        return False
    return denominator in (2, 3, 4, 8) or denominator > 31 or numerator > 12


def _apply_suffix(c: _Candidate, match: regex.Match, code: str | None, factor: Decimal) -> None:
    suffix = match.group("money_suffix")
    if code is None and suffix is not None:
        words = " ".join(suffix.split())
        words = words[3:] if words.lower().startswith("of ") else words
        row = _SUFFIX.get(words) or _SUFFIX.get(words.lower())
        if row is not None:
            code, factor = row["code"], Decimal(row["factor"])
    symbol = match.group("currency_symbol")
    if code is None and symbol is not None:
        code = _SUFFIX[symbol.strip()]["code"]
    if code is not None:
        c.unit, c.explicit_unit, c.qualifier = code, True, c.qualifier
        if factor != 1 and c.value is not None:
            c.value = float(Decimal(repr(c.value)) * factor)
        return
    if match.group("percent") is not None:
        c.unit, c.explicit_unit = "percent", True
        return
    unit = match.group("unit")
    if unit is not None:
        row = _UNITS[" ".join(unit.lstrip("-").split()).lower()]
        c.unit, c.explicit_unit = row["unit"], True
        c.counted = row["counted"] or None
        if row["factor"] != "1":
            c.value = c.value * float(row["factor"]) if c.value is not None else None
            if c.low is not None:
                c.low, c.high = c.low * float(row["factor"]), c.high * float(row["factor"])
        return
    c.hyphen_noun = match.group("hyphen_noun")


def _apply_qualifier(c: _Candidate, match: regex.Match) -> None:
    if c.kind == "vague":
        return
    for group, position in (("qualifier", "before"), ("qualifier_after", "after")):
        phrase = match.group(group)
        if phrase is None:
            continue
        key = " ".join(phrase.split()).lower()
        found = _QUALIFIERS.get((key, position))
        if found is None and key.endswith("plus"):
            found = "more_than"
        if found is None:
            found = next((q for p, q in _WILDCARD_QUALIFIERS if p.match(key)), None)
        if found is not None:
            c.qualifier = found


def _not_a_figure(text: str, c: _Candidate) -> bool:
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
            if len(number) == 4 and 1800 <= int(number) <= 2100 and c.unit == "count" \
                    and not counted.starts_with_plural(text, c.end):
                return True                                          # a year: "in 2021"
            if len(number) <= 2 or len(number) == 4:
                if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, c.end, c.end + 20):
                    return True                                      # "May 25", "25 May", "July 2021"
            if _TIME_AFTER.match(after):
                return True                                          # "10 a.m.", "10:30"
            if _identifier_before(text, c.start, before):
                return True                                          # "Resolution 2699", "Flight 370"
        if _NAME_AGE.search(before) and text.startswith(",", c.end) and len(number) <= 3:
            return True                                              # "Ruto, 57,"
    if _AGE_BEFORE.search(before) or _AGE_AFTER.match(text, c.end):
        return True
    if _MAGNITUDE.search(before[-12:]) or _MAGNITUDE.match(after.lstrip(" -")):
        return True
    if c.kind == "spelled" and c.value == 1 and not c.explicit_unit:
        return counted.one_is_idiom(text, c.start, c.end, c.hyphen_noun)
    if c.hyphen_noun is not None and c.value == 1 and counted.one_is_idiom(text, c.start, c.end, c.hyphen_noun):
        return True
    return False


def _identifier_before(text: str, start: int, before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if match is None:
        return before.endswith("#")
    word = match.group(1)
    if word.lower() in _IDENTIFIER_BEFORE:
        return True
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


def _merge_ranges(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Join "10-15", "10 to 15 million", "between 2,000 and 3,000", "$48 billion to $52 billion"."""
    out: list[_Candidate] = []
    i = 0
    while i < len(candidates):
        a = candidates[i]
        b = candidates[i + 1] if i + 1 < len(candidates) else None
        gap = _RANGE_GAP.fullmatch(text, a.end, b.start) if b is not None else None
        if gap is not None:
            joiner = gap.group().strip()
            merged = _range(text, a, b, joiner)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
            if joiner in "-–" and gap.group() == joiner and a.kind == b.kind == "digits":
                i += 2                                   # "3-1", "2013-14", "555-0100": no figures
                continue
        if not a.dropped:
            out.append(a)
        i += 1
    return out


def _range(text: str, a: _Candidate, b: _Candidate, joiner: str) -> _Candidate | None:
    if a.dropped or b.dropped or a.value is None or b.value is None or a.kind == "vague" or b.kind == "vague":
        return None
    if joiner == "and" and not _BETWEEN_BEFORE.search(text, max(0, a.start - 12), a.start):
        return None
    if joiner == "to" and _FROM_BEFORE.search(text, max(0, a.start - 8), a.start):
        return None
    if a.explicit_unit and b.explicit_unit and a.unit != b.unit:
        return None
    low, high = a.value, b.value
    if a.scale is None and b.scale is not None and a.kind == b.kind == "digits":
        multiplier = parse_number("1 " + b.scale) or 1
        if low * multiplier <= high:
            low *= multiplier
    if not low < high:
        return None
    merged = _Candidate(a.start, b.end)
    merged.low, merged.high, merged.value = low, high, (low + high) / 2
    merged.unit = b.unit if b.explicit_unit else a.unit
    merged.explicit_unit = a.explicit_unit or b.explicit_unit
    merged.kind, merged.scale, merged.counted = b.kind, b.scale, b.counted or a.counted
    merged.qualifier = a.qualifier if a.qualifier != "exact" else "approximately"
    merged.hyphen_noun = b.hyphen_noun
    merged.number_text = text[a.start:b.end]
    return merged
