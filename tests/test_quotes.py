"""Quotes: table-driven cases (tests/cases/quotes.jsonl) and properties (seed-gold scores: test_accuracy)."""
import pytest
from case_files import load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.entities import find_mentions
from transforms.mention_index import MentionIndex
from transforms.quotes import find_quotes
from transforms.segment import split_sentences


def _quotes(text, mentions=None):
    """find_quotes as ``extract_document`` calls it (with the article's mentions unless given)."""
    mentions = find_mentions(text) if mentions is None else mentions
    return find_quotes(text, MentionIndex(mentions), split_sentences(text))


@pytest.mark.parametrize("case", load_cases("quotes.jsonl"))
def test_quote_cases(case):
    quotes = _quotes(case["text"])
    assert [[q.text, q.speaker, q.verb] for q in quotes] == case["quotes"]


@given(st.text(alphabet=st.sampled_from("ab A,.“”\"'‘’\n said he"), max_size=300))
@settings(max_examples=300, deadline=None)
def test_never_raises_offsets_valid_and_deterministic(text):
    quotes = _quotes(text)
    assert all(text[q.start:q.end] == q.text and q.text.strip() for q in quotes)
    assert all(a.end <= b.start for a, b in zip(quotes, quotes[1:]))
    assert _quotes(text) == quotes


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_arbitrary_unicode(text):
    for q in _quotes(text):
        assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("text", [
    "“" * 100_000,
    "“a" * 100_000,
    "'" * 100_000,
    "x 'a " * 50_000,
    '"' + "word " * 100_000,
    ("Abc, " * 50_000) + "he said.",
])
def test_adversarial_input_stays_fast(text):
    import time
    start = time.perf_counter()
    _quotes(text, [])
    assert time.perf_counter() - start < 20


def test_only_verbs_marked_quote_in_the_lexicon_frame_a_quote():
    # reporting_verbs.tsv: "pledged" frames quotes; "reported" reports figures only (no verb, first actor)
    text = "The UN pledged “to stand with Haiti until the end”. The UN reported “a sharp rise in deaths this year”."
    assert [(q.text, q.speaker, q.verb) for q in _quotes(text)] == [
        ("to stand with Haiti until the end", "United Nations", "pledged"),
        ("a sharp rise in deaths this year", "United Nations", None)]


@pytest.mark.parametrize("text, expected", [
    # the phrase ends with an anaphors.tsv row marked speaker: the nearest earlier mention of its type
    ("Human Rights Watch met William Ruto. “We will go soon,” the group said.",
     [("We will go soon", "Human Rights Watch", "said")]),
    ("President William Ruto met Human Rights Watch. “We will go soon,” he said.",
     [("We will go soon", "William Ruto", "said")]),
    # a titled description names a person even when it ends with an organisation word
    ("Foreign Minister Musalia Mudavadi met Human Rights Watch. "
     "“We will go soon,” the minister of the department said.",
     [("We will go soon", "Musalia Mudavadi", "said")]),
])
def test_speaker_anaphors(text, expected):
    assert [(q.text, q.speaker, q.verb) for q in _quotes(text)] == expected
