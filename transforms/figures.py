"""Figures: the quantities a news article reports, with unit, qualifier, counted noun,
category and source (``find_figures``).

``transforms.quantities`` finds the quantities (values, unit, qualifier, ranges, and what is
not a figure); this module adds, around each one, its counted noun (``transforms.counted``),
its category from cue words in its sentence (``transforms.categories``, by the kind of
quantity: money, duration, measure or count) and the source its sentence names
(``transforms.speakers``, the engine that also names quote speakers); a bare "$" is the
article's home dollar when it is filed from a dollar country (``transforms.home_currency``).

>>> from transforms.segment import split_sentences
>>> text = "Around 2,500 officers and $360m."
>>> figures = find_figures(text, MentionIndex([]), split_sentences(text))
>>> [(f.text, f.value, f.unit, f.qualifier, f.counted) for f in figures]
[('2,500', 2500.0, 'count', 'approximately', 'officer'), ('$360m', 360000000.0, 'USD', 'exact', None)]
"""
from __future__ import annotations

from collections.abc import Sequence

from transforms import categories, counted
from transforms.categories import KIND_CUES, FigureHead, figure_head
from transforms.home_currency import in_home_dollars
from transforms.mention_index import MentionIndex
from transforms.quantities import FROM_BEFORE, MONEY_UNITS, Quantity, find_quantities
from transforms.records import Figure, Quote, Sentence
from transforms.speakers import Speakers


def find_figures(text: str, mentions: MentionIndex, sentences: list[Sentence],
                 quotes: Sequence[Quote] = ()) -> list[Figure]:
    """Every figure in ``text``, sorted by start, none overlapping.

    ``mentions`` index the article's entity mentions (``transforms.entities.find_mentions``,
    for attribution), ``sentences`` are its sentences (``transforms.segment.split_sentences``)
    and ``quotes`` its quotations (``transforms.quotes.find_quotes``: a figure inside one is
    its speaker's).
    """
    quantities = find_quantities(text)
    if not quantities:
        return []
    source_of = Speakers(text, mentions, sentences, quotes).figure_source if mentions else None
    counted_noun, sentence_cues, figure_category = counted.counted_noun, categories.sentence_cues, \
        categories.figure_category                       # bound once: looked up per figure otherwise
    figures: list[Figure] = []
    sentence, cues, previous_noun, previous = None, None, None, None
    i = 0
    for q in quantities:
        start = q.start
        if sentence is None or start >= sentence.end:
            # figures come in order: walk the sentences along to the first ending after the
            # figure's start (its own, or the next when it starts on a bullet mark a sentence omits)
            while sentences[i].end <= start:
                i += 1
            sentence, cues, previous_noun, previous = sentences[i], None, None, None
            listed: list[FigureHead | None] = []         # heads of the sentence's counts, None for other kinds
        unit = q.unit
        noun = counted_noun(text, start, q.end, unit, q.value, q.counted, q.hyphen_noun, previous_noun)
        if noun is None and previous is not None and not q.explicit_unit and unit == "count":
            unit = _restated_unit(text, q, previous.unit)
            noun = previous.counted if unit == "other" else None
        previous_noun = noun or previous_noun
        kind = _kind(unit, q.value)
        if cues is None:                                 # found once per sentence, when needed
            cues = sentence_cues(sentence)
        if cues.cues:
            left_out = noun is None and unit == "count" and counted.leaves_noun_out(text, q.end) \
                and not counted.follows_name(text, start)
            category = figure_category(cues, start, q.end, kind, figure_head(noun, unit, left_out))
        else:
            category = KIND_CUES[kind][1]                # 95% of figure sentences have no cue
        if noun is None and unit in _NOUN_UNITS:
            noun, category = _left_out_noun(text, start, q.end, unit, category, previous, sentence.start)
        head = None
        if kind == "count":
            head = figure_head(noun, unit, noun is None and unit == "count" and counted.leaves_noun_out(text, q.end))
            if previous is not None and listed[-1] is not None and categories.same_list(text, previous.end, start):
                category = _shared_list_category(text, figures, listed, category, head, start)
        listed.append(head)
        source = source_of(sentence, start, kind == "money") if source_of is not None else None
        previous = Figure(start, q.end, text[start:q.end], q.value, q.low, q.high, unit,
                          q.qualifier, noun, category, source)
        figures.append(previous)
    return in_home_dollars(text, figures)


def _shared_list_category(text: str, figures: list[Figure], heads: list[FigureHead | None], category: str,
                          head: FigureHead, start: int) -> str:
    """The category of a count that follows another count of its list (``categories.same_list``):
    one cue speaks for every item. With no topic of its own the count takes the previous item's;
    with one, it gives it back to the items before it that have none (``figures`` ends with the
    list's items so far, ``heads`` with their heads)."""
    if category == "other":
        return categories.list_category(figures[-1].category, head) or category
    if category in categories.TOPICS:
        k, item_start = len(figures) - 1, start
        while k >= len(figures) - len(heads) and (item_head := heads[k - len(figures)]) is not None \
                and figures[k].category == "other" and categories.same_list(text, figures[k].end, item_start) \
                and categories.list_category(category, item_head):
            figures[k] = figures[k]._replace(category=category)
            k, item_start = k - 1, figures[k].start
    return category


def _kind(unit: str, value: float | None) -> str:
    """The kind of quantity, for its category; a negative count counts nobody ("fell to minus
    10"): it is a measure."""
    if unit in MONEY_UNITS:
        return "money"
    if unit.startswith("duration_"):
        return "duration"
    return "measure" if unit == "other" or (value is not None and value < 0) else "count"


def _restated_unit(text: str, q: Quantity, previous_unit: str) -> str:
    """The unit of a bare number that restates the previous figure of its sentence with its unit
    left out: a scaled number after money or a measure ("to 130 mln stg from 45 mln", "7.73 mln
    tonnes, up from 5.97 mln"), or any number after "from" ("to 147 pesetas a kilo from 160")."""
    if previous_unit in MONEY_UNITS or previous_unit == "other":
        if q.scale is not None or FROM_BEFORE.search(text, max(0, q.start - 6), q.start):
            return previous_unit
    elif previous_unit == "percent" and FROM_BEFORE.search(text, max(0, q.start - 6), q.start):
        return previous_unit
    return q.unit


# units whose figures count a noun, by the units a left-out noun can be repeated from
_NOUN_UNITS = {"count": ("count", "other"), "percent": ("percent", "fraction"), "fraction": ("percent", "fraction")}


def _left_out_noun(text: str, start: int, end: int, unit: str, category: str,
                   previous: Figure | None, sentence_start: int) -> tuple[str | None, str]:
    """Counted noun and category of a count or share with no noun found: where it names none and
    its clause gives it as the level of a subject that names what it counts ("cholera cases rose to
    1,200", ``counted.level_subject``), the subject's noun; else a list or comparison repeats the previous
    figure of its sentence ("12,000 residents in A, 8,500 in B", "up from 5.97 mln"), when the
    two are not about different topics; otherwise people, if it counts people ("the attack killed
    twelve", "the toll rose to six following ...")."""
    if unit == "count" and counted.leaves_noun_out(text, end) and not counted.follows_name(text, start):
        noun = counted.level_subject(text, sentence_start if previous is None else previous.end, start)
        if noun is not None:
            return noun, category
    if previous is not None and previous.counted is not None and previous.unit in _NOUN_UNITS[unit] \
            and category in ("other", previous.category) and counted.leaves_noun_out(text, end):
        return previous.counted, previous.category
    return (counted.implied_person(text, end, category) if unit == "count" else None), category
