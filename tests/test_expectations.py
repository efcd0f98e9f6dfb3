"""The expectation suites: the mapping covers the data contract; the tables the flow wrote on
the seeds pass ``python -m flows validate``, and a corrupted copy fails it, naming each broken
expectation.

Great Expectations costs 6-20 s to import and ~8 s to run the ~190 expectations, per process.
So the CLI runs twice, concurrently: once on an untouched copy and once on a copy carrying
every corruption below, each in its own table or row so that each trips its own expectation.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations.suites import (
    CURRENCY_CODES,
    DERIVED,
    GRAIN,
    PARAMETERS,
    SUITES,
    VALIDATED_TABLES,
    CurrencyReader,
    suite_rules,
)
from flows import storage
from transforms.schemas import FIGURES, REJECTS, SCHEMAS, VALIDATION, label_columns, vocabulary

# --- the mapping (no Great Expectations needed) ---------------------------------------------

def test_every_validated_table_has_a_suite_and_the_report_table_has_none():
    assert set(SUITES) == set(SCHEMAS) - {"validation"} == set(GRAIN)


@pytest.mark.parametrize("table", VALIDATED_TABLES)
def test_every_schema_column_is_checked_for_type_and_nulls(table):
    rules = SUITES[table]
    typed = {r.kwargs["column"] for r in rules if r.expectation == "ExpectColumnTypeToBe"}
    not_null = {r.kwargs["column"] for r in rules if r.expectation == "ExpectColumnValuesToNotBeNull"}
    assert typed == set(SCHEMAS[table].names)
    assert {f.name for f in SCHEMAS[table] if not f.nullable} <= not_null
    column_set = next(r for r in rules if r.expectation == "ExpectTableColumnsToMatchSet").kwargs["column_set"]
    assert set(SCHEMAS[table].names) <= set(column_set)


@pytest.mark.parametrize("table", VALIDATED_TABLES)
def test_rules_read_only_contract_or_derived_columns_and_say_what_they_protect(table):
    for r in SUITES[table]:
        assert set(r.columns) <= set(SCHEMAS[table].names) | set(DERIVED), r
        assert r.protects and r.severity in ("critical", "warning"), r


def test_a_new_schema_column_is_checked_without_touching_the_suites(monkeypatch):
    extended = SCHEMAS["rejects"].append(pa.field("retry_after", pa.int64(), nullable=False,
                                                  metadata={"description": "test"}))
    monkeypatch.setitem(SCHEMAS, "rejects", extended)
    checked = {(r.expectation, r.kwargs.get("column")) for r in suite_rules("rejects")}
    assert {("ExpectColumnTypeToBe", "retry_after"), ("ExpectColumnValuesToNotBeNull", "retry_after")} <= checked


def test_every_label_column_is_checked_against_its_contract_vocabulary():
    checked = {(table, r.kwargs["column"]): r.kwargs["value_set"] for table in VALIDATED_TABLES for r in SUITES[table]
               if r.expectation == "ExpectColumnValuesToBeInSet" and not r.when}
    for table in VALIDATED_TABLES:
        for column in label_columns(table):
            assert set(vocabulary(table, column)) <= set(checked[(table, column)]), (table, column)
    assert set(checked[("figures", "unit")]) == set(vocabulary("figures", "unit")) | set(CURRENCY_CODES)


def test_a_new_vocabulary_value_is_checked_with_a_contract_edit_only(monkeypatch):
    field = FIGURES.field("category")
    values = json.dumps([*vocabulary("figures", "category"), "elections"])
    grown = FIGURES.set(FIGURES.get_field_index("category"), field.with_metadata({**field.metadata, b"values": values}))
    monkeypatch.setitem(SCHEMAS, "figures", grown)
    category = next(r for r in suite_rules("figures") if r.kwargs.get("column") == "category"
                    and r.expectation == "ExpectColumnValuesToBeInSet")
    assert category.kwargs["value_set"][-1] == "elections"


def test_non_negative_categories_are_contract_categories():
    assert set(PARAMETERS["figures"]["non_negative_categories"]) <= set(vocabulary("figures", "category"))


@pytest.mark.parametrize(("text", "names_currency"), [
    ("$360 million", True), ("KSh5,000", True), ("21 million dollars", True), ("5 euro cents", True),
    ("2.5 per cent", False), ("1,000", False), ("500 percent", False), ("CHF 3", True),
])
def test_currency_markers_are_the_extractors_currency_forms(text, names_currency):
    assert CurrencyReader().names_currency(text) is names_currency


# --- the CLI on a real seed output ---------------------------------------------------------

def _synthetic_figure(article: dict, **changes) -> dict:
    row = {"figure_id": f"{article['article_id']}-f999", "article_id": article["article_id"],
           "source_file": article["source_file"], "sentence_id": 0, "start_char": 0, "end_char": 3, "text": "500",
           "value": 500.0, "value_low": None, "value_high": None, "unit": "count", "qualifier": "exact",
           "counted": "person", "category": "displacement", "attribution": None}
    return {**row, **changes}


def _rewrite(folder: Path, table: str, rows: pa.Table) -> None:
    """Replace a table of the copy in ``folder`` by ``rows`` (one part)."""
    shutil.rmtree(folder / table)
    storage.write_part(rows, folder / table, "part-000001-000000.parquet")


def _corrupt(folder: Path) -> None:
    """Apply every corruption in CORRUPTIONS to the copy in ``folder``."""
    articles = storage.read_published(folder, "articles").to_pylist()
    figures = storage.read_published(folder, "figures").to_pylist()
    figures += [_synthetic_figure(articles[0], figure_id=f"{articles[0]['article_id']}-f998", value=-500.0),
                _synthetic_figure(articles[0], unit="furlongs", counted=None, category="other")]
    _rewrite(folder, "figures", pa.Table.from_pylist(figures, schema=FIGURES))

    sentences = storage.read_published(folder, "sentences")
    rows = sentences.to_pylist()
    rows[0]["source_file"] = None  # the writer refuses nulls in a non-nullable field: drop the flag
    last = max(i for i, r in enumerate(rows) if r["article_id"] == articles[0]["article_id"])
    overshoot = articles[0]["n_chars"] + 5 - rows[last]["end_char"]
    rows[last]["end_char"] += overshoot
    rows[last]["text"] += "x" * overshoot  # keeps len(text) == end_char - start_char: only the n_chars rule trips
    loose = sentences.schema.set(1, sentences.schema.field("source_file").with_nullable(True))
    _rewrite(folder, "sentences", pa.Table.from_pylist(rows, schema=loose))

    shutil.rmtree(folder / "quotes")

    hostile = {"source_file": HOSTILE_FILE, "reason": "<script>alert(2)</script>", "detail": "d",
               "size_bytes": 0, "sha256": None}
    _rewrite(folder, "rejects", pa.Table.from_pylist([hostile], schema=REJECTS))


HOSTILE_FILE = "<img src=x onerror=alert(1)>.txt"


CORRUPTIONS = {  # what was broken -> the failure line the CLI must print
    "negative displacement count": "figures: CRITICAL expect_column_values_to_be_between [value]: people displaced",
    "unknown unit": "figures: CRITICAL expect_column_values_to_be_in_set [unit]: unit is in the contract's vocabulary",
    "offset past the end of the text": "sentences: CRITICAL expect_column_pair_values_a_to_be_greater_than_b "
                                       "[article_n_chars, end_char]: spans end inside the article",
    "null source_file": "sentences: CRITICAL expect_column_values_to_not_be_null [source_file]",
    "missing table file": "quotes: CRITICAL expect_table_file_to_exist: quotes.parquet exists",
    "reason outside the vocabulary": "rejects: CRITICAL expect_column_values_to_be_in_set [reason]",
}


@pytest.fixture(scope="module")
def cli_runs(seeds_output, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """``python -m flows validate`` on a clean and on a corrupted copy, run concurrently."""
    copies = {}
    for name in ("clean", "corrupted"):
        copies[name] = tmp_path_factory.mktemp(name) / "output"
        shutil.copytree(seeds_output[0], copies[name])
    _corrupt(copies["corrupted"])
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
    # the clean copy is named relative to the working folder, as `make run` names output/
    running = {name: subprocess.Popen([sys.executable, "-m", "flows", "validate", "--output",
                                       "output" if name == "clean" else str(folder)],
                                      cwd=folder.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
               for name, folder in copies.items()}
    runs = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=240)
        runs[name] = (copies[name], subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return runs


def test_clean_output_passes_every_suite(cli_runs):
    folder, run = cli_runs["clean"]
    assert run.returncode == 0, run.stdout + run.stderr
    for table in VALIDATED_TABLES:
        n = len(SUITES[table])
        assert f"{table}: {n}/{n} expectations passed (0 critical failed, 0 warnings)" in run.stdout
    assert f"Data Docs: {Path('output') / 'validation' / 'index.html'}" in run.stdout


def test_clean_output_gets_a_results_table_and_data_docs(cli_runs):
    folder, _ = cli_runs["clean"]
    results = pq.read_table(folder / "validation.parquet")
    assert results.schema.equals(VALIDATION, check_metadata=False)
    assert results.num_rows == sum(len(rules) for rules in SUITES.values())
    assert all(results.column("success").to_pylist())
    docs = folder / "validation"
    assert (docs / "index.html").is_file()
    assert {p.stem for p in (docs / "expectations").glob("*.html")} == set(VALIDATED_TABLES)
    assert len(list((docs / "validations").rglob("*.html"))) == len(VALIDATED_TABLES)


def test_validation_is_quiet(cli_runs):
    _, run = cli_runs["clean"]
    assert run.stderr == "", run.stderr[-2000:]  # no progress bars, warnings or logs


def test_corrupted_output_fails_the_cli(cli_runs):
    _, run = cli_runs["corrupted"]
    assert run.returncode == 1, run.stdout + run.stderr


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corruption_is_named_in_the_output(cli_runs, corruption):
    _, run = cli_runs["corrupted"]
    assert f"FAILED {CORRUPTIONS[corruption]}" in run.stdout, run.stdout


def test_corrupted_results_table_records_the_failures(cli_runs):
    folder, _ = cli_runs["corrupted"]
    failed = pq.read_table(folder / "validation.parquet").to_pandas().query("not success")
    assert set(failed["severity"]) == {"critical"}
    unit = failed[(failed["suite"] == "figures") & (failed["column"] == "unit")].iloc[0]
    assert unit["unexpected_count"] == 1 and "furlongs" in unit["why"]


def test_data_docs_show_sample_values_and_file_names_as_text(cli_runs):
    """Issue 15 item 9: a failing value or a file name never reaches the pages as live HTML."""
    folder, _ = cli_runs["corrupted"]
    pages = "".join(p.read_text(encoding="utf-8") for p in (folder / "validation").rglob("*.html"))
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in pages and "&lt;img src=x onerror=alert(1)&gt;.txt" in pages
    assert "<script>alert(2)" not in pages and "<img src=x" not in pages
