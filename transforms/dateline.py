"""Datelines: where and when an article says it was filed, read from its opening words.

Rules, in order (the first that matches at the start of the text wins):

1. A full date alone at the head of the first line, as Wikinews opens: "Friday, January 4,
   2019". The weekday may be left out; when given it must be the date's own weekday, else the
   date is None (one of the two is wrong, and which one is not ours to guess).
2. A wire dateline: a place, then the date, then a dash ("SALVADOR, Feb 26 -", "PORTLAND,
   Ore., March 2 -", "AMSTERDAM, 2 March -", "CHICAGO, April -"), the date possibly with a
   year ("Feb 26, 1987") or an agency credit ("LONDON, March 9 (Reuters) -"); or a place and
   a credit alone ("WASHINGTON (Reuters) -"). Credits are the lines of ``wire_credits.tsv``.
   A place followed by a bare dash ("TOKYO - ...") is not read: market reports open the same
   way ("COPPER GRADE A - ...").

The place is kept as written, region included ("PORTLAND, Ore."). A date without a year takes
``year`` when given (the metadata's), else it stays None: never a guess. Month and weekday
names are python-dateutil's (``parserinfo``), in any case, abbreviated or not.

>>> find_dateline("SALVADOR, Feb 26 - Showers continued.", year=1987)
Dateline(start=0, end=18, text='SALVADOR, Feb 26 -', place='SALVADOR', date=datetime.date(1987, 2, 26))
>>> find_dateline("SALVADOR, Feb 26 - Showers continued.").date is None
True
>>> find_dateline("Friday, January 4, 2019\\n\\nA building collapsed.").date
datetime.date(2019, 1, 4)
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

import regex
from dateutil.parser import parserinfo

from transforms.lexicon import load_words

HEAD = 200
"""Characters of the text a dateline can reach into (it sits at the head of the first line)."""

_NAMES = parserinfo()
_CREDITS = load_words("wire_credits.tsv")

_FULL_DATE = regex.compile(
    r"""
    \s*+
    (?P<line>
      (?: (?P<weekday> \p{L}++ ) ,[ ] )?
      (?P<month> \p{L}++ ) \.?+ [ ] (?P<day> [0-9]{1,2}+ ) ,[ ] (?P<year> [0-9]{4}+ )
    )
    (?= \s | \Z )                        # the date ends the line, or text follows after a space
    """,
    regex.VERBOSE,
)

_PLACE_WORD = r"\p{L}[\p{L}.'’/&-]*+"                    # "SALVADOR", "N.J.", "ANDREW'S", "DALLAS/FORT"
_PLACE_PART = rf"{_PLACE_WORD}(?:[ ]{_PLACE_WORD}){{0,5}}"
_WIRE = regex.compile(
    rf"""
    [\s*]*+                              # blanks and wire markers before it ("****LONDON")
    (?P<line>
      (?P<place> {_PLACE_PART} (?: [ ]?+,[ ] {_PLACE_PART} ){{0,3}} )
      (?:
        [ ]?+,[ ]
        (?: (?P<month> \p{{L}}++ ) \.?+ (?: [ ] (?P<day> [0-9]{{1,2}}+ ) )?    # "Feb 26", "April"
          | (?P<day_first> [0-9]{{1,2}}+ ) [ ] (?P<month_after> \p{{L}}++ ) )  # "2 March"
        (?: ,[ ] (?P<year> [0-9]{{4}}+ ) )?
        (?: [ ] \( (?P<credit> [^()\n]{{1,30}}+ ) \) )?
      | [ ] \( (?P<credit_alone> [^()\n]{{1,30}}+ ) \)
      )
      [ ]?+ (?: --?+ | [–—] )
    )
    [ ]                                  # the story starts after the dash
    """,
    regex.VERBOSE,
)


class Dateline(NamedTuple):
    start: int
    end: int
    text: str             # the dateline as written: text[start:end]
    place: str | None     # as written ("PORTLAND, Ore."); None when the dateline names no place
    date: date | None     # None when it has no day, or no year and none was given


def find_dateline(text: str, year: int | None = None) -> Dateline | None:
    """The dateline at the head of ``text``, or None; ``year`` completes a date written without one.

    >>> find_dateline("PORTLAND, Ore., March 2 - Net profit rose.", year=1987).place
    'PORTLAND, Ore.'
    >>> find_dateline("WASHINGTON (Reuters) - Talks resumed.")[2:]
    ('WASHINGTON (Reuters) -', 'WASHINGTON', None)
    >>> find_dateline("COPPER GRADE A - 2650 tonnes") is None
    True
    """
    head = text[:HEAD]
    return _full_date_line(head) or _wire_line(head, year)


def _full_date_line(head: str) -> Dateline | None:
    match = _FULL_DATE.match(head)
    if match is None or _NAMES.month(match["month"]) is None:
        return None
    named_day = match["weekday"]
    weekday = _NAMES.weekday(named_day) if named_day else None
    if named_day and weekday is None:
        return None                     # "Today, March 4, 2019": the word before the date is no weekday
    found = _date(int(match["year"]), _NAMES.month(match["month"]), match["day"])
    if found is not None and weekday is not None and weekday != found.weekday():
        found = None
    return _dateline(match, None, found)


def _wire_line(head: str, year: int | None) -> Dateline | None:
    match = _WIRE.match(head)
    if match is None:
        return None
    credit = match["credit"] or match["credit_alone"]
    if credit is not None and credit not in _CREDITS:
        return None
    if match["credit_alone"] is not None:
        return _dateline(match, match["place"], None)
    month = _NAMES.month(match["month"] or match["month_after"])
    if month is None:
        return None
    written_year = int(match["year"]) if match["year"] else year
    return _dateline(match, match["place"], _date(written_year, month, match["day"] or match["day_first"]))


def _date(year: int | None, month: int, day: str | None) -> date | None:
    """The date, or None when a part is missing or it does not exist (February 30)."""
    if year is None or day is None:
        return None
    try:
        return date(year, month, int(day))
    except ValueError:
        return None


def _dateline(match: regex.Match, place: str | None, found: date | None) -> Dateline:
    start, end = match.span("line")
    return Dateline(start, end, match["line"], place, found)
