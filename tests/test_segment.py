"""Sentence splitter: table-driven cases in tests/cases/sentences.jsonl, plus offset properties."""
import time

import pytest
from case_files import load_cases
from hypothesis import given
from hypothesis import strategies as st

from transforms.segment import find_title, split_sentences, title_case_headlines


@pytest.mark.parametrize("case", load_cases("sentences.jsonl"))
def test_sentence_cases(case):
    assert [s.text for s in split_sentences(case["text"])] == case["sentences"]


def test_paragraphs_are_counted_per_non_blank_line():
    text = "Headline\n\nFirst para. Still first.\nSecond para."
    assert [s.paragraph for s in split_sentences(text)] == [0, 1, 1, 2]


def test_offsets_point_at_the_sentence_text():
    text = "  Leading space. Next one!\n\n\tIndented line."
    sentences = split_sentences(text)
    assert [(s.start, s.end) for s in sentences] == [(2, 16), (17, 26), (29, 43)]
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.parametrize("text, title", [
    ("Kenya Sends Police to Haiti\nNairobi - Kenya said on Monday ...", "Kenya Sends Police to Haiti"),
    ("Kenya sent police to Haiti on Monday.\nMore text.", None),
    ("Friday, January 4, 2019\n\nAn apartment building collapsed.", None),
    ("One line only, no line break", None),
    ("Kenya Sends Police to Haiti\rNairobi - Kenya said on Monday ...", "Kenya Sends Police to Haiti"),
    ("Kenya Sends Police to Haiti\u2028Nairobi - Kenya said on Monday ...", "Kenya Sends Police to Haiti"),
    # a first line that ends with a stop inside closing quotes is a sentence, not a headline
    ('WASHINGTON, March 2 - Baker said Reagan will meet the press "very soon."\nMore.', None),
])
def test_find_title(text, title):
    assert find_title(text) == title


@pytest.mark.parametrize("text, spans", [
    ("Kenya Sends Police to Haiti\nKenya sends police.", [(0, 27)]),
    # the same headline rule as the title: a question or a lead-in ending in a colon is no headline
    ("((WN)) How Is Life at the Saint Louis University?\nReasons Given Today:\nMore Police For Haiti",
     [(71, 92)]),
    ("Line Ending Like a Sentence.\n" + "Long Title Case " * 16, []),
    # a CR ends the line; it is no part of the headline's span (nor makes a sentence a headline)
    ("Kenya Sends Police to Haiti\r\nKenya sends police.\r\nMore Police For Haiti", [(0, 27), (50, 71)]),
])
def test_title_case_headlines(text, spans):
    assert title_case_headlines(text) == spans


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_every_line_break_ends_a_sentence_and_a_paragraph(line_break):
    text = f"Headline{line_break}First para. Still first.{line_break}{line_break}Second para"
    sentences = split_sentences(text)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "Headline"), (1, "First para."), (1, "Still first."), (2, "Second para")]
    assert all(text[s.start:s.end] == s.text for s in sentences)


@pytest.mark.parametrize("stop", [".", "!", "?", "…"])
def test_a_run_of_terminal_punctuation_is_read_in_linear_time(stop):
    """A run that is no boundary used to be re-read from each of its characters: 100,000 dots
    took 24 s; now well under a second, and a run that is a boundary still ends the sentence."""
    started = time.perf_counter()
    sentences = split_sentences("It rose" + stop * 100_000 + " Then fell" + stop * 100_000 + "x")
    assert time.perf_counter() - started < 1.0
    assert [len(s.text) for s in sentences] == [7 + 100_000, 9 + 100_000 + 1]


@given(st.text(max_size=400))
def test_never_raises_and_offsets_are_valid(text):
    sentences = split_sentences(text)
    assert all(text[s.start:s.end] == s.text and s.text.strip() for s in sentences)
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    assert split_sentences(text) == sentences
