"""Rules written for error classes seen on unseen news (the held-out error report's classes),
each pinned with invented sentences and exact expected values; ``extract_document`` end to end."""
from __future__ import annotations

import pytest

from transforms.extract import extract_document

FIGURE_CASES = [
    # "near" before a number is a limit, like "nearly"; a speed restated in brackets keeps it
    ("The storm's winds were near 180 mph (285 kph) on Friday.",
     [("180 mph", 180.0, "other", "nearly"), ("285 kph", 285.0, "other", "nearly")]),
    # a speed spelled out ("miles per hour") is one unit, so its bracketed restatement follows it
    ("The front moved at roughly five miles per hour (eight kilometres per hour).",
     [("five miles per hour", 5.0, "other", "approximately"),
      ("eight kilometres per hour", 8.0, "other", "approximately")]),
]


COUNTED_CASES = [
    # a list that names its noun once, after the last number (classes F29/F32)
    ("The chain sold its 2,000 Chilean and 74 Peruvian stores to a rival.", ["store", "store"]),
    ("The team won 5 gold and 3 silver medals.", ["medal", "medal"]),
    # ... not a second number with its own verb
    ("Police killed 12 and injured 20 people.", ["person", "person"]),
]


@pytest.mark.parametrize(("text", "nouns"), COUNTED_CASES)
def test_counted_nouns(text, nouns):
    assert [f.counted for f in extract_document(text).figures] == nouns


@pytest.mark.parametrize(("text", "expected"), FIGURE_CASES)
def test_figure_values_units_and_qualifiers(text, expected):
    got = [(f.text, f.value, f.unit, f.qualifier) for f in extract_document(text).figures]
    assert got == expected


MENTION_CASES = [
    # a month word that ends a titled person's name is the surname (the name-cut class)
    ("Foreign Minister Ana May said the talks had failed.", [("Ana May", "PERSON", "Ana May")]),
    ("Critics attacked Prime Minister Ana March's plan.", [("Ana March", "PERSON", "Ana March")]),
    # ... but not a month after a place, nor a dated month
    ("The vote in Velor in May was calm, and exports from Peru March 5 rose.", [("Velor", "GPE", "Velor"),
                                                                                ("Peru", "GPE", "Peru")]),
    # ... nor a month after an untitled word (a table row, a heading)
    ("Sorghum exports: Maize May 48.0, total 48.0.\nUnadjusted January unemployment rose.", []),
    # "Team" ends an organisation's name (class E04: no listed head word), also as a figure's source
    ("The Kelvo Disease Surveillance Team reported 5,667 cases.",
     [("Kelvo Disease Surveillance Team", "ORG", "Kelvo Disease Surveillance Team")]),
]


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_mentions(text, expected):
    assert [(m.text, m.type, m.canonical) for m in extract_document(text).mentions] == expected


ATTRIBUTION_CASES = [
    # a place inside the source's name is not the source (class: place taken as the source)
    ("Exports will not pass 10 mln tonnes, the Tarma Post newspaper of Lima said.", "Tarma Post"),
    ("The Red Cross office in Peru reported 300 new cases.", "Red Cross"),
    ("The Kelvo Disease Surveillance Team reported 5,667 cases.", "Kelvo Disease Surveillance Team"),
    # ", reported officials,": an inverted frame with an unnamed subject names no source; the place
    # before it is no reporter (class F51)
    ("The toll in Velor, Peru, rose on Monday, reported officials, with 25 others injured.", None),
    # a nation's government is the country; a weekend adjunct may stand before the verb (class F47)
    ("A report from the Peruvian government during the weekend said eight people died.", "Peru"),
    ("Human Rights Watch over the weekend reported 61 arrests.", "Human Rights Watch"),
    # ... while a place with no organisation before it still is
    ("The army chief of Peru said 500 soldiers had left.", "Peru"),
]


@pytest.mark.parametrize(("text", "source"), ATTRIBUTION_CASES)
def test_figure_attribution(text, source):
    assert [f.attribution for f in extract_document(text).figures] == [source]


CATEGORY_CASES = [
    # one cue speaks for a whole list of figures closed by ", and" (class F37: one cue, several figures)
    ("Officials reported 150 soldiers, 95 civilians, and hundreds of rebels killed in Velor.",
     ["casualties", "casualties", "casualties"]),
    ("The confirmed deaths are fourteen civilians, five army personnel, and one member of the coast guard.",
     ["casualties", "casualties", "casualties"]),
    # ... but ", and" after a single figure still opens a new clause
    ("Floods killed 12 people, and 300 soldiers arrived on Monday.", ["casualties", "deployment"]),
    ("In Velor, twenty people were arrested, and two police officers were injured.", ["other", "casualties"]),
]


@pytest.mark.parametrize(("text", "categories"), CATEGORY_CASES)
def test_figure_categories(text, categories):
    assert [f.category for f in extract_document(text).figures] == categories


QUOTE_CASES = [
    # the words of a banner or poster are no speech (class Q06)
    ('Marchers carried a banner from the union saying "put it to the people" through Lima.', []),
    ('A "Revoke the decree now" poster hung on the gate.', []),
    # ... a speaker holding one still speaks
    ('"We will not stop," said Ana Ribeiro, holding a sign.', [("We will not stop", "Ana Ribeiro")]),
]


@pytest.mark.parametrize(("text", "expected"), QUOTE_CASES)
def test_quotes(text, expected):
    assert [(q.text, q.speaker) for q in extract_document(text).quotes] == expected
