"""Datelines (transforms/dateline.py): table-driven cases and properties.

Every case is an invented opening (developed-on: written for the dateline rules, not copied
from an article or the gold); expected values are exact.
"""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.dateline import HEAD, Dateline, find_dateline

# (why, text, year given, expected (text, place, date) or None)
CASES = [
    ("wire: place, month and day, year from the caller", "OSLO, Feb 26 - The fund grew.", 1990,
     ("OSLO, Feb 26 -", "OSLO", date(1990, 2, 26))),
    ("wire without a year and none given: no date, never a guess", "OSLO, Feb 26 - The fund grew.", None,
     ("OSLO, Feb 26 -", "OSLO", None)),
    ("wire: a region after the place belongs to the place", "EL DORADO, Ark., March 2 - Net rose.", 1991,
     ("EL DORADO, Ark., March 2 -", "EL DORADO, Ark.", date(1991, 3, 2))),
    ("wire: two-word place, lower-case month", "SAN REMO, march 9 - Oil fell.", 1988,
     ("SAN REMO, march 9 -", "SAN REMO", date(1988, 3, 9))),
    ("wire: day before month", "BERGEN, 3 March - Talks ended.", 1992,
     ("BERGEN, 3 March -", "BERGEN", date(1992, 3, 3))),
    ("wire: a written year wins over the one given", "BERGEN, March 3, 1991 - Talks ended.", 1990,
     ("BERGEN, March 3, 1991 -", "BERGEN", date(1991, 3, 3))),
    ("wire: double dash", "BERGEN, Oct 3 -- Talks ended.", 1987, ("BERGEN, Oct 3 --", "BERGEN", date(1987, 10, 3))),
    ("wire: agency credit, no date", "BERGEN (Reuters) - Talks ended.", 1990, ("BERGEN (Reuters) -", "BERGEN", None)),
    ("wire: date and agency credit", "BERGEN, Oct 3 (AP) - Talks ended.", 1987,
     ("BERGEN, Oct 3 (AP) -", "BERGEN", date(1987, 10, 3))),
    ("wire: a month with no day names the place only", "BERGEN, April - Talks ended.", 1987,
     ("BERGEN, April -", "BERGEN", None)),
    ("wire: a date that does not exist", "BERGEN, Feb 30 - Talks ended.", 1987, ("BERGEN, Feb 30 -", "BERGEN", None)),
    ("wire markers before the place are not part of it", "****BERGEN, Oct 3 - Talks ended.", 1987,
     ("BERGEN, Oct 3 -", "BERGEN", date(1987, 10, 3))),
    ("full date line with its weekday", "Monday, March 4, 2019\n\nA bridge opened.", None,
     ("Monday, March 4, 2019", None, date(2019, 3, 4))),
    ("full date line without a weekday", "March 4, 2019\nA bridge opened.", None,
     ("March 4, 2019", None, date(2019, 3, 4))),
    ("full date followed by text on its line", "Monday, March 4, 2019 A bridge opened.", None,
     ("Monday, March 4, 2019", None, date(2019, 3, 4))),
    ("a weekday that is not the date's: no date", "Tuesday, March 4, 2019\nA bridge opened.", None,
     ("Tuesday, March 4, 2019", None, None)),
]
NOT_DATELINES = [
    ("a bare dash opens market reports too", "WHEAT - No 2 soft red 129.50 up 1.50"),
    ("a place and a bare dash", "BERGEN - Talks ended."),
    ("an unknown credit", "BERGEN (Gazette) - Talks ended."),
    ("a misspelt month", "BERGEN, Marhc 3 - Talks ended."),
    ("a relative day opening", "On Sunday, the emergency ended."),
    ("a weekday starting a sentence", "Thursday, forces landed in the port."),
    ("a word that is no weekday before a full date", "Today, March 4, 2019 was calm."),
    ("a dateline later in the text", "Talks ended.\nBERGEN, Oct 3 - More talks."),
]


@pytest.mark.parametrize(("text", "year", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_dateline_cases(text, year, expected):
    found = find_dateline(text, year)
    assert (found.text, found.place, found.date) == expected
    assert text[found.start:found.end] == found.text


@pytest.mark.parametrize("text", [c[1] for c in NOT_DATELINES], ids=[c[0] for c in NOT_DATELINES])
def test_not_datelines(text):
    assert find_dateline(text, 1990) is None


def test_every_credit_of_the_data_file_is_read():
    assert find_dateline("BERGEN (Xinhua) - Talks ended.") == Dateline(0, 17, "BERGEN (Xinhua) -", "BERGEN", None)


@given(st.text(max_size=300), st.one_of(st.none(), st.integers(1, 9999)))
def test_never_raises_and_spans_are_the_text(text, year):
    found = find_dateline(text, year)
    assert found is None or (text[found.start:found.end] == found.text and found.end <= HEAD)
    assert find_dateline(text, year) == found


@given(st.sampled_from(["OSLO", "EL DORADO, Ark.", "ST. JOHN'S"]), st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_any_wire_date_reads_back(place, day):
    text = f"{place}, {day:%B} {day.day} - Text follows."
    assert find_dateline(text, day.year) == Dateline(0, len(f"{place}, {day:%B} {day.day} -"),
                                                    f"{place}, {day:%B} {day.day} -", place, day)
