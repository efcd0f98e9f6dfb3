"""The project's scorer: gold scored against itself is perfect; misses and wrong values count."""
from pathlib import Path

from evaluation.score import load_jsonl, score_entities, score_figures, score_quotes

GOLD = Path(__file__).parent / "gold"


def test_gold_against_itself_is_perfect():
    figures, entities, quotes = (load_jsonl(GOLD / f"{k}.jsonl") for k in ("figures", "entities", "quotes"))
    assert (len(figures), len(entities), len(quotes)) == (41, 350, 21)
    fig = score_figures(figures, [dict(f) for f in figures])
    assert fig["value"]["f1"] == 1.0
    assert set(fig["attribute_accuracy"].values()) == {1.0}
    ent = score_entities(entities, [dict(e) for e in entities])
    assert {k: v["strict"]["f1"] for k, v in ent.items()} == dict.fromkeys(["GPE", "LOC", "NORP", "ORG", "PERSON", "ALL"], 1.0)
    assert score_quotes(quotes, [dict(q) for q in quotes])["speaker_accuracy"] == 1.0


def test_wrong_value_counts_as_span_match_only():
    gold = [{"doc": "a", "start": 0, "end": 5, "text": "2,500", "value": 2500, "unit": "count"}]
    pred = [{"doc": "a", "start": 0, "end": 5, "text": "2,500", "value": 25, "unit": "count"},
            {"doc": "a", "start": 9, "end": 11, "text": "12", "value": 12, "unit": "count"}]
    result = score_figures(gold, pred)
    assert result["span"]["tp"] == 1 and result["value"]["tp"] == 0
    assert result["value"]["precision"] == 0.0 and len(result["spurious"]) == 2


def test_vague_magnitude_compares_the_range():
    gold = [{"doc": "a", "start": 0, "end": 9, "text": "thousands", "value": None, "value_low": 2000, "value_high": 9000}]
    pred = [dict(gold[0])]
    assert score_figures(gold, pred)["value"]["f1"] == 1.0
    pred[0]["value_high"] = 10000
    assert score_figures(gold, pred)["value"]["f1"] == 0.0


def test_quote_needs_half_of_the_gold_span():
    gold = [{"doc": "a", "start": 0, "end": 10, "text": "x" * 10, "speaker": "A"}]
    assert score_quotes(gold, [{"doc": "a", "start": 5, "end": 30, "speaker": "a"}])["match"]["tp"] == 1
    assert score_quotes(gold, [{"doc": "a", "start": 6, "end": 30, "speaker": "a"}])["match"]["tp"] == 0
