"""The project's scorer: gold scored against itself is perfect; misses and wrong values count."""
import json
from pathlib import Path

from evaluation.score import headline_scores, load_jsonl, score_entities, score_figures, score_quotes, score_tables

GOLD = Path(__file__).parent / "gold"


def test_gold_against_itself_is_perfect():
    figures, entities, quotes = (load_jsonl(GOLD / f"{k}.jsonl") for k in ("figures", "entities", "quotes"))
    assert (len(figures), len(entities), len(quotes)) == (41, 350, 21)
    fig = score_figures(figures, [dict(f) for f in figures])
    assert fig["value"]["f1"] == 1.0
    assert set(fig["attribute_accuracy"].values()) == {1.0}
    ent = score_entities(entities, [dict(e) for e in entities])
    assert {k: v["strict"]["f1"] for k, v in ent.items()} == dict.fromkeys(
        ["GPE", "LOC", "NORP", "ORG", "PERSON", "ALL"], 1.0)
    assert score_quotes(quotes, [dict(q) for q in quotes])["speaker_accuracy"] == 1.0


def test_wrong_value_counts_as_span_match_only():
    gold = [{"doc": "a", "start": 0, "end": 5, "text": "2,500", "value": 2500, "unit": "count"}]
    pred = [{"doc": "a", "start": 0, "end": 5, "text": "2,500", "value": 25, "unit": "count"},
            {"doc": "a", "start": 9, "end": 11, "text": "12", "value": 12, "unit": "count"}]
    result = score_figures(gold, pred)
    assert result["span"]["tp"] == 1 and result["value"]["tp"] == 0
    assert result["value"]["precision"] == 0.0 and len(result["spurious"]) == 2


def test_vague_magnitude_compares_the_range():
    gold = [{"doc": "a", "start": 0, "end": 9, "text": "thousands", "value": None,
             "value_low": 2000, "value_high": 9000}]
    pred = [dict(gold[0])]
    assert score_figures(gold, pred)["value"]["f1"] == 1.0
    pred[0]["value_high"] = 10000
    assert score_figures(gold, pred)["value"]["f1"] == 0.0


def test_quote_needs_half_of_the_gold_span():
    gold = [{"doc": "a", "start": 0, "end": 10, "text": "x" * 10, "speaker": "A"}]
    assert score_quotes(gold, [{"doc": "a", "start": 5, "end": 30, "speaker": "a"}])["match"]["tp"] == 1
    assert score_quotes(gold, [{"doc": "a", "start": 6, "end": 30, "speaker": "a"}])["match"]["tp"] == 0


def test_an_attribute_counts_only_where_the_gold_has_it():
    gold = [{"doc": "a", "start": 0, "end": 3, "text": "500", "value": 500, "unit": "count"},
            {"doc": "a", "start": 9, "end": 11, "text": "12", "value": 12, "unit": "count", "category": "other"}]
    pred = [dict(g, category="casualties") for g in gold]
    assert score_figures(gold, pred)["attribute_accuracy"]["category"] == 0.0
    assert score_figures(gold[:1], pred[:1])["attribute_accuracy"]["category"] is None


def test_predictions_count_in_every_document_of_the_gold_folder(tmp_path):
    figure = {"start": 0, "end": 3, "text": "500", "value": 500}
    (tmp_path / "figures.jsonl").write_text(json.dumps({"doc": "a", **figure}) + "\n")
    (tmp_path / "quotes.jsonl").write_text(json.dumps({"doc": "b", "start": 0, "end": 4, "text": "Go on"}) + "\n")
    pred = [{"doc": doc, **figure} for doc in ("a", "b", "not-in-gold")]
    value = score_tables(tmp_path, {"figures": pred, "quotes": None})["figures"]["value"]
    assert (value["tp"], value["predicted"], value["gold"]) == (1, 2, 1)


def test_headline_scores_are_every_f1_and_accuracy():
    report = {"figures": {"value": {"precision": 0.5, "f1": 0.6}, "attribute_accuracy": {"unit": 1.0}},
              "quotes": {"match": {"f1": 0.9, "tp": 9}, "speaker_accuracy": None}}
    assert headline_scores(report) == {"figures.value.f1": 0.6, "figures.attribute_accuracy.unit": 1.0,
                                       "quotes.match.f1": 0.9, "quotes.speaker_accuracy": None}
