"""Figures: the quantities a news article reports, with unit, qualifier, counted noun,
category and source (``find_figures``).

``transforms.quantities`` finds the quantities (values, unit, qualifier, ranges, and what is
not a figure); this module adds, around each one, its counted noun (``transforms.counted``),
its category from cue words in its sentence (``transforms.categories``; all money is
"funding") and the source its sentence names (``transforms.attribution``). Sentences are
found locally around each figure (no whole-text segmentation), so the cost follows the
number of figures, not the length of the text.

>>> [(f.text, f.value, f.unit, f.qualifier, f.counted) for f in find_figures("Around 2,500 officers and $360m.", [])]
[('2,500', 2500.0, 'count', 'approximately', 'officer'), ('$360m', 360000000.0, 'USD', 'exact', None)]
"""
from __future__ import annotations

import re

import regex

from transforms import categories, counted
from transforms.attribution import SourceFinder
from transforms.lexicon import load_tsv, load_words
from transforms.quantities import MONEY_UNITS, find_quantities
from transforms.records import Figure, Mention, Sentence
from transforms.wordtrie import stdlib_pattern

MAX_SENTENCE = 1000   # characters looked at on either side of a figure for its sentence

_ABBREVIATIONS = {row["abbrev"].casefold(): row["kind"]
                  for row in load_tsv("abbreviations.tsv", required=("abbrev", "kind"))}
_SENTENCE_STARTERS = load_words("sentence_starters.tsv")
def _stdlib(pattern: str) -> re.Pattern:
    return re.compile(stdlib_pattern(pattern))


_STOP_PATTERN = r"(?P<stop>[.!?…]++[\"'”’)\]]*+)[ \t\u00a0]++(?=[\p{Lu}\p{N}\"'“‘(\[])"
# The same, opening with a character set so that ``re`` skips to the next stop in C.
_STOP = re.compile(stdlib_pattern(_STOP_PATTERN.replace("[.!?…]++", "[.!?…][.!?…]*+", 1)))
_STOP_BACKWARDS = regex.compile(_STOP_PATTERN, regex.REVERSE)
_TOKEN_AT_END = _stdlib(r"(?:\p{L}\.)*+[\p{L}\p{N}]++\Z")
_NEXT_WORD = _stdlib(r"[\"'“‘(\[]*+(\p{L}++)")


def find_figures(text: str, mentions: list[Mention] | None = None,
                 sentences: list[Sentence] | None = None) -> list[Figure]:
    """Every figure in ``text``, sorted by start, none overlapping.

    ``mentions`` are the article's entity mentions (for attribution); ``None`` asks
    ``transforms.entities`` for them when that module exists and a source is needed.
    ``sentences`` are the article's sentences when the caller has split them already
    (``transforms.segment.split_sentences(text)``); otherwise each figure's sentence is
    found around it (``sentence_around``, the same rules).
    """
    quantities = find_quantities(text)
    if not quantities:
        return []
    sources = SourceFinder(text, mentions) if mentions is None or mentions else None
    source_of = sources.source_of if sources is not None else None
    counted_noun, sentence_cues, figure_category = counted.counted_noun, categories.sentence_cues, \
        categories.figure_category                       # bound once: looked up per figure otherwise
    figures: list[Figure] = []
    sentence, cues, previous_noun = None, None, None
    i, n = 0, len(sentences) if sentences is not None else 0
    for q in quantities:
        start = q.start
        if sentence is None or not sentence.start <= start < sentence.end:
            found = None
            if sentences is not None:
                while i < n and sentences[i].end <= start:
                    i += 1
                if i < n and sentences[i].start <= start:
                    found = sentences[i]
            sentence = found if found is not None else sentence_around(text, start)
            cues, previous_noun = None, None
        unit = q.unit
        noun = counted_noun(text, start, q.end, unit, q.value, q.counted, q.hyphen_noun, previous_noun)
        previous_noun = noun or previous_noun
        if unit in MONEY_UNITS:
            category = "funding"
        else:
            if cues is None:                             # found once per sentence, when needed
                cues = sentence_cues(sentence)
            category = figure_category(cues, start, q.end) if cues is not None and cues.cues \
                else "other"                             # 95% of figure sentences have no cue
        source = source_of(sentence, start) if source_of is not None else None
        figures.append(Figure(start, q.end, text[start:q.end], q.value, q.low, q.high, unit,
                              q.qualifier, noun, category, source))
    return figures


def sentence_around(text: str, position: int) -> Sentence:
    """The sentence holding ``position``: a line, cut at sentence stops (same rules as
    ``transforms.segment``: not after a title or an initial; after another abbreviation only
    when a sentence-opening word follows). Looks at most ``MAX_SENTENCE`` characters each way.
    """
    line_start = text.rfind("\n", max(0, position - MAX_SENTENCE), position) + 1
    if line_start == 0:
        line_start = max(0, position - MAX_SENTENCE)
    line_end = text.find("\n", position, position + MAX_SENTENCE)
    if line_end < 0:
        line_end = min(len(text), position + MAX_SENTENCE)
    start, end = line_start, line_end
    endpos = min(len(text), position + 1)   # the stop's lookahead reads the first character
    if line_start == 0 or text[line_start - 1] == "\n":
        # A window opening a line cuts no run of stops: its stops found forwards (stdlib
        # engine, a character-set scan) are those found backwards; the last one first.
        for stop in reversed(list(_STOP.finditer(text, line_start, endpos))):
            if _ends_sentence(text, line_start, stop):
                start = stop.end()
                break
    else:
        while True:
            stop = _STOP_BACKWARDS.search(text, line_start, endpos)
            if stop is None:
                break
            if _ends_sentence(text, line_start, stop):
                start = stop.end()
                break
            endpos = stop.start()
    for stop in _STOP.finditer(text, position, line_end):
        if _ends_sentence(text, line_start, stop):
            end = stop.end(1)
            break
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, 0, text[start:end])


def _ends_sentence(text: str, line_start: int, stop: re.Match | regex.Match) -> bool:
    if stop.group(1)[0] != ".":                   # group 1: "stop" (a name costs microseconds in regex)
        return True
    token = _TOKEN_AT_END.search(text, max(line_start, stop.start() - 40), stop.start())
    before = token.group() if token else ""
    kind = _ABBREVIATIONS.get(before.casefold())
    if kind == "title" or (len(before) == 1 and before.isupper()):
        return False
    if kind or "." in before:
        following = _NEXT_WORD.match(text, stop.end())
        return bool(following) and following.group(1) in _SENTENCE_STARTERS
    return True
