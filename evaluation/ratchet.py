"""The accuracy ratchet: every F1 and accuracy of the scorer on each gold set, recorded exactly.

The rules run in-process over the gold documents as the flow runs them (decode, extract,
cross-article entity resolution and linking), without Prefect, so scoring takes seconds.
``tests/test_accuracy.py`` fails when a score drops, and when one rises until the record in
``tests/accuracy.json`` is updated with:

    python -m evaluation.ratchet --update

Without ``--update`` it prints how today's scores differ from the record. The development
gold is read from ``../shared/gold/dev`` (or ``NEWSFACTS_DEV_GOLD``); where it is absent,
as on a user's machine, its record is kept and its test is skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from evaluation.score import Record, headline_scores, load_output_table, score_tables
from flows import storage
from flows.assemble import Assembly
from flows.batches import Batch, process_batch
from flows.defaults import DEFAULTS
from transforms.tables import RunInfo

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "accuracy.json"
UPDATE_COMMAND = "python -m evaluation.ratchet --update"
SCORED_TABLES = ("figures", "mentions", "quotes")


@dataclass(frozen=True)
class GoldSet:
    gold: Path   # figures.jsonl, entities.jsonl, quotes.jsonl
    docs: Path   # the annotated articles, named as the gold's ``doc``


_DEV = Path(os.environ.get("NEWSFACTS_DEV_GOLD", ROOT.parent / "shared" / "gold" / "dev"))
GOLD_SETS = {"seed": GoldSet(ROOT / "tests" / "gold", ROOT / "seeds"), "dev": GoldSet(_DEV, _DEV / "docs")}


def extracted_rows(docs: Path) -> dict[str, list[Record]]:
    """The figures, mentions and quotes rows the flow writes for the ``*.txt`` files of ``docs``,
    each with ``doc`` (the file name): the flow's own batch extraction and table assembly,
    without Prefect, validation or publishing."""
    inputs, rejects = storage.discover_inputs(docs)
    run = RunInfo("ratchet", "ratchet", datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="newsfacts-ratchet-") as staging:
        max_bytes = DEFAULTS["max_bytes"]
        outcome = process_batch(Batch(storage.with_hashes(inputs, max_bytes)), 0, staging, run, max_bytes,
                                DEFAULTS["time_budget_s"])
        Assembly(Path(staging).parent, Path(staging), frozenset()).assemble(rejects + outcome.rejects)
        return {name: load_output_table(Path(staging), name) or [] for name in SCORED_TABLES}


def current_scores(gold_set: GoldSet) -> dict[str, float | None]:
    return headline_scores(score_tables(gold_set.gold, extracted_rows(gold_set.docs)))


def recorded_scores() -> dict[str, dict[str, float | None]]:
    return json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {}


def differences(recorded: dict[str, float | None], current: dict[str, float | None]) -> tuple[list[str], list[str]]:
    """The scores that dropped below the record, and those that rose above it (or are new)."""
    drops, rises = [], []
    for name in sorted(recorded.keys() | current.keys()):
        before, after = recorded.get(name), current.get(name)
        if before != after:
            dropped = before is not None and (after is None or after < before)
            (drops if dropped else rises).append(f"{name}: {before} -> {after}")
    return drops, rises


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Compare today's accuracy on each gold set with the record.")
    parser.add_argument("--update", action="store_true", help=f"write today's scores to {RECORD.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    record = recorded_scores()
    for name, gold_set in GOLD_SETS.items():
        if not gold_set.gold.is_dir():
            print(f"{name}: no gold at {gold_set.gold}; its record is kept")
            continue
        scores = current_scores(gold_set)
        drops, rises = differences(record.get(name, {}), scores)
        print(f"{name}: {'as recorded' if not drops + rises else ''}"
              + "".join(f"\n  dropped {line}" for line in drops) + "".join(f"\n  rose {line}" for line in rises))
        record[name] = scores
    if args.update:
        RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"recorded in {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
