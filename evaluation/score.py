"""Score extracted figures, mentions and quotes against gold annotations.

The project's own scorer, so that tests run where no shared evaluation kit exists. Same
semantics as the reference scorer the gold ships with:

- figures match gold in the same document when spans overlap; a match is correct when the
  value agrees (relative tolerance 1e-6; vague magnitudes compare value_low/value_high);
  attribute accuracy is over correct pairs;
- entities: strict = same span and type, lenient = overlapping span and same type;
  canonical accuracy over lenient pairs;
- quotes match when the prediction covers at least half of the gold span.

Records are dicts with a ``doc`` key (the bare file name). Predictions count in every
document of the gold folder (any of its three files); an attribute counts where the gold
record has it. Matching is greedy and one-to-one, largest overlap first.

    python -m evaluation.score --gold tests/gold --output output
    make score GOLD=../shared/gold/dev OUTPUT=../dev-out
"""
from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

FIGURE_ATTRIBUTES = ("unit", "qualifier", "counted", "category", "attribution")
Record = dict


def load_jsonl(path: Path) -> list[Record]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


SPAN_COLUMNS = {"start_char": "start", "end_char": "end"}
"""The tables' offset columns, by the names the gold uses."""


def load_output_table(output: Path, table: str) -> list[Record] | None:
    """Rows of the output's ``table`` with ``doc`` set from ``source_file`` and the offsets
    named as the gold names them (``start``/``end``)."""
    from flows.storage import read_published

    table_rows = read_published(output, table)
    if table_rows is None:
        return None
    rows = table_rows.to_pandas().rename(columns=SPAN_COLUMNS).to_dict("records")
    for row in rows:
        row["doc"] = Path(str(row["source_file"])).name
    return rows


def score_figures(gold: list[Record], pred: list[Record]) -> dict:
    span_pairs, value_pairs = 0, []
    for g, p in _per_doc(gold, pred):
        span_pairs += len(_match(g, p, lambda a, b: _overlap(a, b) > 0))
        value_pairs += _match(g, p, lambda a, b: _overlap(a, b) > 0 and _same_value(a, b))
    found = {id(g) for g, _ in value_pairs}
    right = {id(p) for _, p in value_pairs}
    return {
        "span": _prf(span_pairs, len(pred), len(gold)),
        "value": _prf(len(value_pairs), len(pred), len(gold)),
        "attribute_accuracy": {
            name: _accuracy(_norm(g.get(name)) == _norm(p.get(name)) for g, p in value_pairs if name in g)
            for name in FIGURE_ATTRIBUTES
        },
        "missed": [_describe(g) for g in gold if id(g) not in found],
        "spurious": [_describe(p) for p in pred if id(p) not in right],
    }


def score_entities(gold: list[Record], pred: list[Record]) -> dict:
    result = {}
    for kind in sorted({g["type"] for g in gold}) + ["ALL"]:
        def keep(rows, kind=kind):
            return [r for r in rows if kind == "ALL" or _norm(r.get("type")) == _norm(kind)]
        g_rows, p_rows = keep(gold), keep(pred)
        strict, lenient = 0, []
        for g, p in _per_doc(g_rows, p_rows):
            strict += len(_match(g, p, lambda a, b: (a["start"], a["end"]) == (b["start"], b["end"])
                                 and _norm(a["type"]) == _norm(b.get("type"))))
            lenient += _match(g, p, lambda a, b: _overlap(a, b) > 0
                              and _norm(a["type"]) == _norm(b.get("type")))
        result[kind] = {
            "strict": _prf(strict, len(p_rows), len(g_rows)),
            "lenient": _prf(len(lenient), len(p_rows), len(g_rows)),
            "canonical_accuracy": _accuracy(_norm(g.get("canonical")) == _norm(p.get("canonical"))
                                            for g, p in lenient),
        }
    return result


def score_quotes(gold: list[Record], pred: list[Record]) -> dict:
    pairs = []
    for g, p in _per_doc(gold, pred):
        pairs += _match(g, p, lambda a, b: _overlap(a, b) * 2 >= a["end"] - a["start"])
    return {
        "match": _prf(len(pairs), len(pred), len(gold)),
        "speaker_accuracy": _accuracy(_norm(g.get("speaker")) == _norm(p.get("speaker")) for g, p in pairs),
    }


TABLE_SCORERS = (("figures", "figures", score_figures), ("entities", "mentions", score_entities),
                 ("quotes", "quotes", score_quotes))
"""(gold file, output table, scorer) of each extracted kind."""


def score_output(gold_dir: Path, output_dir: Path) -> dict:
    """Score the tables of an output folder against a gold folder."""
    return score_tables(gold_dir, {table: load_output_table(output_dir, table) for _, table, _ in TABLE_SCORERS})


def score_tables(gold_dir: Path, tables: dict[str, list[Record] | None]) -> dict:
    """Score each table's rows (``None``: the table is missing) for which gold exists, over the
    gold's documents only."""
    gold = {kind: load_jsonl(gold_dir / f"{kind}.jsonl") for kind, _, _ in TABLE_SCORERS}
    docs = {g["doc"] for rows in gold.values() for g in rows}
    report = {}
    for kind, table, scorer in TABLE_SCORERS:
        pred = tables.get(table)
        if gold[kind] and pred is not None:
            report[kind] = scorer(gold[kind], [p for p in pred if p["doc"] in docs])
    return report


def headline_scores(report: dict, prefix: str = "") -> dict[str, float | None]:
    """Every F1 and accuracy of a report, by dotted name (``"entities.ORG.strict.f1"``)."""
    scores = {}
    for key, value in report.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            scores.update(headline_scores(value, f"{name}."))
        elif key == "f1" or "accuracy" in name:
            scores[name] = value
    return scores


def _per_doc(gold: list[Record], pred: list[Record]) -> Iterable[tuple[list[Record], list[Record]]]:
    by_doc: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for g in gold:
        by_doc[g["doc"]][0].append(g)
    for p in pred:
        by_doc[p["doc"]][1].append(p)
    return by_doc.values()


def _match(gold: list[Record], pred: list[Record], eligible: Callable[[Record, Record], bool]):
    candidates = sorted(((_overlap(g, p), gi, pi) for gi, g in enumerate(gold)
                         for pi, p in enumerate(pred) if eligible(g, p)), reverse=True)
    used_gold, used_pred, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gold[gi], pred[pi]))
    return pairs


def _overlap(a: Record, b: Record) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def _number(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _same_number(a, b) -> bool:
    a, b = _number(a), _number(b)
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _same_value(g: Record, p: Record) -> bool:
    if _number(g.get("value")) is not None:
        return _same_number(g["value"], p.get("value"))
    return (_same_number(g.get("value_low"), p.get("value_low"))
            and _same_number(g.get("value_high"), p.get("value_high")))


def _norm(x) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return str(x).strip().casefold() or None


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _accuracy(hits: Iterable[bool]) -> float | None:
    hits = list(hits)
    return round(sum(hits) / len(hits), 4) if hits else None


def _describe(r: Record) -> str:
    return f'{r["doc"]}:{r["start"]} {r["text"]!r} value={r.get("value")}'


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score an output folder against gold annotations.")
    parser.add_argument("--gold", type=Path, default=Path("tests/gold"))
    parser.add_argument("--output", type=Path, default=Path("output"))
    args = parser.parse_args(argv)
    print(json.dumps(score_output(args.gold, args.output), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
