"""Where a figure is: the country of the place its clause, sentence, dateline or article names.

A place is an entity mention with a country: a country or a nationality (GPE/NORP, its
ISO 3166-1 alpha-3 code), a city (``cities.tsv``), a subdivision (``subdivisions.tsv``) or a
territory (``place_countries.tsv``). World regions and organisations are no places. The rules,
in order (the first that finds a place wins; ``PLACE_SOURCES`` names them):

1. ``clause``: the place nearest the figure in its clause (the sentence cut at the clause
   boundaries the categories use: ";", ":", brackets, dashes, ", which", ", while", ...);
2. ``sentence``: the place nearest the figure in its sentence;
3. ``antecedent``: the place of an earlier figure of the article with the same value, unit and
   counted class (``transforms.claims.counted_class``), placed by its clause or sentence: the
   same quantity told again ("1,000 Kenyan police officers" ... "a force of 1,000 officers");
4. ``dateline``: the place the article's dateline names ("NAIROBI, May 2 -");
5. ``article``: the article's dominant country, the one its places name most often (the first
   named, on a tie).

Nearest is counted in characters between the two spans; on a tie the earlier mention wins. A
nationality counts as the place of the people it describes ("1,000 Kenyan police officers"
are Kenya's), so the nearest of "Kenyan" and "Haiti" in "1,000 Kenyan police officers ...
in Haiti" is Kenya.

>>> from transforms.records import Figure, Mention, Sentence
>>> text = "Kenya will send 1,000 officers; 362,000 people fled Port-au-Prince."
>>> mentions = [Mention(0, 5, "Kenya", "GPE", "Kenya"), Mention(52, 66, "Port-au-Prince", "GPE", "Port-au-Prince")]
>>> figures = [Figure(16, 21, "1,000", 1000.0, None, None, "count", "exact", "officer", "deployment", None),
...            Figure(32, 39, "362,000", 362000.0, None, None, "count", "exact", "person", "displacement", None)]
>>> [(p.country_code, p.source, p.mention) for p in figure_places([Sentence(0, len(text), 0, text)], figures, mentions)]
[('KEN', 'clause', 0), ('HTI', 'clause', 1)]
"""
from __future__ import annotations

import string
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import pycountry

from transforms import gazetteer as gz
from transforms.categories import boundary_pattern
from transforms.claims import counted_class
from transforms.lexicon import LexiconError, load_tsv
from transforms.records import Figure, Mention, Sentence

PLACE_TYPES = frozenset({"GPE", "LOC", "NORP"})
SUBJECT_REACH = 150   # characters: a figure's subjects are the other names of its clause this close to it


def _places_in_countries() -> dict[str, str]:
    """Canonical name of a territory, city or subdivision -> its country's code (first file wins)."""
    known = {c.alpha_3 for c in pycountry.countries} | {gz.country_code(e.canonical) for e in gz.NAMES.values()}
    found: dict[str, str] = {}
    for name in ("place_countries.tsv", "cities.tsv", "subdivisions.tsv"):
        for row in load_tsv(name, required=("name", "country")):
            if row["country"] not in known:
                raise LexiconError(f"{name}: unknown country code {row['country']}")
            found.setdefault(row["name"], row["country"])
    return found


_COUNTRY_OF_PLACE = _places_in_countries()


def place_country(type_: str, canonical: str) -> str | None:
    """ISO 3166-1 alpha-3 code of the country a place is in (its own, for a country or nationality).

    >>> place_country("GPE", "Port-au-Prince"), place_country("NORP", "Kenya"), place_country("LOC", "Africa")
    ('HTI', 'KEN', None)
    """
    if type_ not in PLACE_TYPES:
        return None
    return gz.country_code(canonical) or _COUNTRY_OF_PLACE.get(canonical)


def named_place_country(name: str) -> str | None:
    """The country of a place named by a string (a dateline's "NAIROBI", "Port-au-Prince").

    >>> named_place_country("NAIROBI"), named_place_country("NEW YORK"), named_place_country("Nowhere")
    ('KEN', 'USA', None)
    """
    for form in dict.fromkeys((name.strip(), string.capwords(name.strip()))):   # as written, then NEW YORK -> New York
        key = gz.tokens_of(form)
        entry = gz.lookup(key) if key else None
        if entry is not None:
            return place_country(entry.type, entry.canonical)
    return None


class FigurePlace(NamedTuple):
    """A figure's country, which rule found it (a value of ``PLACE_SOURCES``), the index of the
    mention naming it, and the indexes of the other mentions in the figure's clause (within
    ``SUBJECT_REACH`` characters of it, so that a run-on clause links a bounded number)."""

    country_code: str | None
    source: str | None
    mention: int | None
    subjects: tuple[int, ...]


_NO_PLACE = (None, None, None)
_BOUNDARY = boundary_pattern(load_tsv("figure_clause_boundaries.tsv", required=("word", "position")))


def figure_places(sentences: Sequence[Sentence], figures: Sequence[Figure], mentions: Sequence[Mention],
                  dateline_place: str | None = None) -> list[FigurePlace]:
    """The place of each figure (``mentions`` in text order; ``dateline_place`` as written)."""
    places = [(i, m, code) for i, m in enumerate(mentions) if (code := place_country(m.type, m.canonical))]
    fallback = _dateline(dateline_place, places) or _dominant(places)
    starts = [m.start for _, m, _ in places]
    mention_starts = [m.start for m in mentions]
    sentence_starts = [s.start for s in sentences]
    found = []
    told: dict[tuple, tuple] = {}                  # (value, unit, counted class) -> where first told
    sentence, boundaries = None, []
    for figure in figures:
        in_sentence = sentences[max(bisect_left(sentence_starts, figure.start + 1) - 1, 0)]
        if in_sentence is not sentence:
            sentence, boundaries = in_sentence, clause_boundaries(in_sentence)
        clause = clause_span(sentence, boundaries, figure.start, figure.end)
        place = (_nearest(places, starts, figure, clause, "clause")
                 or _nearest(places, starts, figure, (sentence.start, sentence.end), "sentence"))
        key = (figure.value, figure.unit, counted_class(figure.counted))
        if place is not None and figure.value is not None:
            told.setdefault(key, (place[0], "antecedent", place[2]))
        code, source, mention = place or told.get(key) or fallback
        near = (max(clause[0], figure.start - SUBJECT_REACH), min(clause[1], figure.end + SUBJECT_REACH))
        in_reach = range(bisect_left(mention_starts, near[0]), bisect_left(mention_starts, near[1]))
        subjects = tuple(i for i in in_reach if mentions[i].end <= near[1] and i != mention)
        found.append(FigurePlace(code, source, mention, subjects))
    return found


def clause_boundaries(sentence: Sentence) -> list[tuple[int, int]]:
    """The text offsets of the clause boundaries in ``sentence`` (";", ", while", ...)."""
    offset = sentence.start
    return [(m.start() + offset, m.end() + offset) for m in _BOUNDARY.finditer(sentence.text)]


def clause_span(sentence: Sentence, boundaries: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The text offsets of the clause of ``sentence`` (cut at its ``boundaries``) that holds ``start:end``.

    >>> s = Sentence(0, 59, 0, "The UN said 2,500 officers will go, while 11 died in Haiti.")
    >>> clause_span(s, clause_boundaries(s), 12, 17), clause_span(s, clause_boundaries(s), 42, 44)
    ((0, 34), (41, 59))
    """
    before = bisect_right(boundaries, start, key=lambda b: b[1]) - 1    # boundaries never overlap: ends sorted
    after = bisect_left(boundaries, end, key=lambda b: b[0])
    return (boundaries[before][1] if before >= 0 else sentence.start,
            boundaries[after][0] if after < len(boundaries) else sentence.end)


def _nearest(places: list[tuple[int, Mention, str]], starts: list[int], figure: Figure,
             span: tuple[int, int], source: str) -> tuple | None:
    """(country_code, source, mention index) of the place nearest the figure within ``span``: the last
    place ending before it or the first starting after it (mentions do not nest), by bisection."""
    before = bisect_left(starts, figure.start) - 1
    while before >= 0 and places[before][1].end > figure.start:     # a place overlapping the figure
        before -= 1
    after = bisect_left(starts, figure.end)
    candidates = []
    if before >= 0 and places[before][1].start >= span[0]:
        candidates.append((figure.start - places[before][1].end, before))
    if after < len(places) and places[after][1].end <= span[1]:
        candidates.append((places[after][1].start - figure.end, after))
    if not candidates:
        return None
    index = min(candidates)[1]                          # on a tie the earlier mention
    return places[index][2], source, places[index][0]


def _dateline(name: str | None, places: list[tuple[int, Mention, str]]) -> tuple | None:
    code = named_place_country(name) if name else None
    return (code, "dateline", _first_naming(code, places)) if code else None


def _dominant(places: list[tuple[int, Mention, str]]) -> tuple:
    if not places:
        return _NO_PLACE
    counts = Counter(code for _, _, code in places)
    code = max(counts, key=counts.__getitem__)        # Counter keeps first-named order: ties go to the first
    return (code, "article", _first_naming(code, places))


def _first_naming(code: str, places: list[tuple[int, Mention, str]]) -> int | None:
    """The first mention of the country itself, else the first place in it (a city), else None."""
    in_country = [(i, m) for i, m, c in places if c == code]
    return next((i for i, m in in_country if m.type == "GPE" and gz.country_code(m.canonical) == code),
                in_country[0][0] if in_country else None)
