"""Quotes: table-driven cases (tests/cases/quotes.jsonl) and properties (seed-gold scores: test_accuracy)."""
import pytest
from hypothesis import given, settings, strategies as st

from case_files import load_cases
from transforms.entities import find_mentions
from transforms.quotes import find_quotes


@pytest.mark.parametrize("case", load_cases("quotes.jsonl"))
def test_quote_cases(case):
    quotes = find_quotes(case["text"])
    assert [[q.text, q.speaker, q.verb] for q in quotes] == case["quotes"]


def test_mentions_given_or_found_agree():
    text = "Kenyan President William Ruto spoke. “We go soon,” he said."
    assert find_quotes(text) == find_quotes(text, find_mentions(text))


@given(st.text(alphabet=st.sampled_from("ab A,.“”\"'‘’\n said he"), max_size=300))
@settings(max_examples=300, deadline=None)
def test_never_raises_offsets_valid_and_deterministic(text):
    quotes = find_quotes(text)
    assert all(text[q.start:q.end] == q.text and q.text.strip() for q in quotes)
    assert all(a.end <= b.start for a, b in zip(quotes, quotes[1:]))
    assert find_quotes(text) == quotes


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_arbitrary_unicode(text):
    for q in find_quotes(text):
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
    find_quotes(text, [])
    assert time.perf_counter() - start < 20
