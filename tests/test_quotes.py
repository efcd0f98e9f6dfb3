"""Quotes: table-driven cases (tests/cases/quotes.jsonl), properties, seed-gold floor."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from evaluation.score import score_quotes
from transforms.entities import find_mentions
from transforms.mention_index import MentionIndex
from transforms.quotes import find_quotes
from transforms.resolve import resolve_entities
from transforms.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
CASES = [json.loads(line) for line in
         (ROOT / "tests" / "cases" / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _quotes(text, mentions=None):
    """find_quotes as ``extract_document`` calls it (with the article's mentions unless given)."""
    mentions = find_mentions(text) if mentions is None else mentions
    return find_quotes(text, MentionIndex(mentions), split_sentences(text))


def _case_params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case["why"])] if case.get("xfail") else []
        yield pytest.param(case, id=f'{case["family"]}: {case["why"]}', marks=marks)


@pytest.mark.parametrize("case", list(_case_params()))
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


def test_seed_gold_floor():
    gold = [json.loads(line) for line in
            (ROOT / "tests" / "gold" / "quotes.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS}
    mentions = {doc: find_mentions(text) for doc, text in texts.items()}
    entities, ids = resolve_entities(mentions)
    resolved = {e.entity_id: e.canonical for e in entities}
    canonical = {(doc, m.canonical): resolved[i]  # the article's name -> the merged entity's
                 for doc in mentions for m, i in zip(mentions[doc], ids[doc])}
    pred = [{"doc": doc, "start": q.start, "end": q.end, "text": q.text,
             "speaker": canonical.get((doc, q.speaker), q.speaker)}
            for doc, text in texts.items() for q in _quotes(text, mentions[doc])]
    scores = score_quotes(gold, pred)
    assert scores["match"]["f1"] >= 0.85
    assert scores["speaker_accuracy"] >= 0.90


def test_only_verbs_marked_quote_in_the_lexicon_frame_a_quote():
    # reporting_verbs.tsv: "pledged" frames quotes; "reported" reports figures only (no verb, first actor)
    text = "The UN pledged “to stand with Haiti until the end”. The UN reported “a sharp rise in deaths this year”."
    assert [(q.text, q.speaker, q.verb) for q in _quotes(text)] == [
        ("to stand with Haiti until the end", "United Nations", "pledged"),
        ("a sharp rise in deaths this year", "United Nations", None)]
