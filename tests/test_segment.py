"""Sentence splitter: table-driven cases in tests/cases/sentences.jsonl, plus offset properties."""
import pytest
from hypothesis import given, strategies as st

from case_files import load_cases
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
])
def test_title_case_headlines(text, spans):
    assert title_case_headlines(text) == spans


@given(st.text(max_size=400))
def test_never_raises_and_offsets_are_valid(text):
    sentences = split_sentences(text)
    assert all(text[s.start:s.end] == s.text and s.text.strip() for s in sentences)
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    assert split_sentences(text) == sentences
