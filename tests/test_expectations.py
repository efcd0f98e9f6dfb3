"""The expectation suites: the mapping covers the data contract; the run on the seeds publishes
a passing report and its Data Docs, and ``python -m flows validate`` fails a corrupted copy,
naming each broken expectation (the clean copy is validated in ``test_validate_cli``).

Great Expectations costs 6-20 s to import and ~8 s to run the ~190 expectations, per process.
So the CLI runs once, on a copy carrying every corruption below, each in its own table or row
so that each trips its own expectation.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from expectations.offline_docs import local_assets, make_offline, remote_assets
from expectations.suites import (
    CURRENCY_CODES,
    DERIVED,
    GRAIN,
    PARAMETERS,
    SUITES,
    VALIDATED_TABLES,
    CurrencyReader,
    _KeyIndex,
    suite_rules,
)
from expectations.validate import DERIVED_CHECKS, validate_output
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
           "counted": "person", "category": "displacement", "attribution": None, "quantity_kind": "count",
           "value_usd": None, "country_code": None, "place_source": None, "attribution_entity_id": None,
           "claim_id": "000000000000", "topic_id": "000000000000"}
    return {**row, **changes}


def _rewrite(folder: Path, table: str, rows: pa.Table, **options) -> None:
    """Replace a table of the copy in ``folder`` by ``rows`` (one part, written with Parquet ``options``)."""
    shutil.rmtree(folder / table)
    (folder / table).mkdir()
    pq.write_table(rows, folder / table / "part-000001-000000.parquet", **options)


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
    "missing table file": "quotes: CRITICAL expect_table_file_to_exist: the quotes table exists",
    "reason outside the vocabulary": "rejects: CRITICAL expect_column_values_to_be_in_set [reason]",
    "claim_id with no claim": "figures: CRITICAL expect_column_values_to_be_in_set [claim_in_claims]: every figure's "
                              "claim_id is a claim",
}


@pytest.fixture(scope="module")
def corrupted_run(seeds_output, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """``python -m flows validate`` on a corrupted copy, writing its results and Data Docs beside it.
    Returns the folder those went to (``results.parquet``, ``docs/``) and the run."""
    beside = tmp_path_factory.mktemp("corrupted")
    shutil.copytree(seeds_output[0], beside / "output")
    _corrupt(beside / "output")
    run = subprocess.run([sys.executable, "-m", "flows", "validate", "--output", str(beside / "output"),
                          "--results", "results.parquet", "--docs", "docs"], cwd=beside, capture_output=True,
                         text=True, timeout=240, env={**os.environ, "GX_ANALYTICS_ENABLED": "false"})
    return beside, run


@pytest.mark.slow
def test_a_run_publishes_a_passing_report_and_data_docs(seeds_output):
    report = seeds_output[0] / "_validation"
    results = pq.read_table(report / "validation.parquet")
    assert results.schema.equals(VALIDATION, check_metadata=False)
    assert results.num_rows == sum(len(rules) for rules in SUITES.values())
    assert all(results.column("success").to_pylist())
    assert (report / "index.html").is_file()
    assert {p.stem for p in (report / "expectations").glob("*.html")} == set(VALIDATED_TABLES)
    assert len(list((report / "validations").rglob("*.html"))) == len(VALIDATED_TABLES)


@pytest.mark.slow
def test_corrupted_output_fails_the_cli(corrupted_run):
    _, run = corrupted_run
    assert run.returncode == 1, run.stdout + run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corruption_is_named_in_the_output(corrupted_run, corruption):
    _, run = corrupted_run
    assert CORRUPTIONS[corruption] in run.stdout, run.stdout


@pytest.mark.slow
def test_corrupted_results_table_records_the_failures(corrupted_run):
    beside, _ = corrupted_run
    failed = pq.read_table(beside / "results.parquet").to_pandas().query("not success")
    assert set(failed["severity"]) == {"critical"}
    unit = failed[(failed["suite"] == "figures") & (failed["column"] == "unit")].iloc[0]
    assert unit["unexpected_count"] == 1 and "furlongs" in unit["why"]


@pytest.mark.slow
def test_data_docs_show_sample_values_and_file_names_as_text(corrupted_run):
    """Issue 15 item 9: a failing value or a file name never reaches the pages as live HTML."""
    beside, _ = corrupted_run
    pages = "".join(p.read_text(encoding="utf-8") for p in (beside / "docs").rglob("*.html"))
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in pages and "&lt;img src=x onerror=alert(1)&gt;.txt" in pages
    assert "<script>alert(2)" not in pages and "<img src=x" not in pages


@pytest.mark.slow
def test_data_docs_load_every_asset_from_the_site_folder(seeds_output):
    """Issue 17 item 2: scripts, styles and images are files of the site, so pages render offline."""
    pages = list((seeds_output[0] / "_validation").rglob("*.html"))
    assert len(pages) == 2 * len(VALIDATED_TABLES) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert remote_assets(text) == [], page
        local = re.findall(r"""(?:src|href)=["']((?:\.\./)*static/vendor/[^"'?]+)""", text)
        assert len(local) >= 12, page
        assert [ref for ref in local if not (page.parent / ref).is_file()] == [], page
        assert [ref for ref in local_assets(text) if not (page.parent / ref).is_file()] == [], page


def test_offline_docs_point_every_page_at_the_site_files(tmp_path):
    """GE links a validation page's favicon one folder too shallow; every script, style and image
    of every page, at any depth, is a file of the site once ``make_offline`` ran."""
    (tmp_path / "static" / "images").mkdir(parents=True)
    (tmp_path / "static" / "images" / "favicon.ico").write_bytes(b"icon")
    (tmp_path / "static" / "images" / "logo-long.png").write_bytes(b"logo")
    head = ('<link rel="shortcut icon" href="{icon}static/images/favicon.ico" type="image/x-icon"/>'
            '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
            '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png">')
    pages = {"index.html": "", "expectations/figures.html": "../",
             "validations/figures/newsfacts/20260101T000000Z/output-figures.html": "../../../"}   # as GE writes them
    for name, icon in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(head.format(icon=icon), encoding="utf-8")
    make_offline(tmp_path)
    for name in pages:
        page = tmp_path / name
        local = local_assets(page.read_text(encoding="utf-8"))
        assert len(local) == 3 and remote_assets(page.read_text(encoding="utf-8")) == [], name
        assert [ref for ref in local if not (page.parent / ref).is_file()] == [], name


@pytest.mark.slow
def test_data_docs_list_derived_values_under_one_section_not_as_columns(seeds_output):
    """Issue 17 item 2: a page's table of contents names the table's columns, and the checks on
    values computed for validation (``DERIVED``) under one section of their own."""
    for page in (seeds_output[0] / "_validation" / "validations").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        sections = re.findall(r'ge-navigation-sidebar-link[^"]*" href="#section-\d+"[^>]*>\s*(.*?)\s*</a>', text, re.S)
        table = page.parent.parent.parent.name
        assert set(sections) & set(DERIVED) == set(), page
        assert set(sections) - {"<strong>Overview</strong>", "Table-Level Expectations", DERIVED_CHECKS} \
            <= set(SCHEMAS[table].names), page
    figures = next((seeds_output[0] / "_validation" / "validations" / "figures").rglob("*.html")).read_text("utf-8")
    section = re.split(r'<div id="section-\d+" class="ge-section', figures.split(DERIVED_CHECKS)[-1])[0]
    checks = [r.protects for r in SUITES["figures"] if r.kwargs.get("column") in DERIVED]
    assert len(checks) == 4 and re.findall(r"CRITICAL: ([^<]*?)\s*<", section) == checks


@pytest.mark.slow
def test_data_docs_show_severity_and_pass_a_suite_whose_only_failure_is_a_warning(seeds_output, tmp_path):
    """Issue 17 item 2: a warning is labelled as one and does not turn its suite red."""
    folder = tmp_path / "output"
    shutil.copytree(seeds_output[0], folder, ignore=shutil.ignore_patterns("_validation"))
    figures = storage.read_published(folder, "figures").to_pylist()
    percent = next(f for f in figures if f["unit"] == "percent")
    percent["value"] = 150.0
    _rewrite(folder, "figures", pa.Table.from_pylist(figures, schema=FIGURES))
    report = validate_output(functools.partial(storage.iter_published, folder), folder / "docs")
    assert report.success and [(o.suite, o.severity) for o in report.failures] == [("figures", "warning")]
    page = next((folder / "docs" / "validations" / "figures").rglob("*.html")).read_text(encoding="utf-8")
    assert "WARNING: percentages are within 0-100" in page and "CRITICAL: one row per figure_id" in page
    assert re.search(r"Status:.{0,400}?(Succeeded|Failed)", page, re.S).group(1) == "Succeeded"


@pytest.mark.slow
def test_data_docs_list_the_ids_of_failing_rows(corrupted_run):
    """Issue 17 item 2: a failed expectation shows which rows broke it."""
    beside, _ = corrupted_run
    page = next((beside / "docs" / "validations" / "figures").rglob("*.html")).read_text(encoding="utf-8")
    article_id = storage.read_published(beside / "output", "articles")["article_id"][0].as_py()
    assert f"{article_id}-f998" in page and f"{article_id}-f999" in page


@pytest.mark.parametrize("colliding", [False, True])
@pytest.mark.parametrize("key_nulls", [False, True])
def test_lookups_hashed_once_give_what_arrow_gives_each_time(key_nulls, colliding, monkeypatch):
    """A key column is hashed once per validation (``suites._KeyIndex``); a lookup must still give
    the first row with the value and null where there is none, and membership keeps Arrow's nulls,
    also when key values share a hash (made here by a hash that is 0 for every value)."""
    if colliding:
        monkeypatch.setattr(_KeyIndex, "_hash", lambda self, values: np.zeros(len(values), np.uint64))
    files = ["a", "b", "a", None if key_nulls else "c"]
    keys = {"articles": pa.table({"article_id": files, "source_file": files, "n_chars": [1, 2, 3, 4]})}
    values = pa.chunked_array([["b", None], ["a", "z", "c"]])
    rows = pa.table({"article_id": values, "source_file": values})
    looked_up = DERIVED["article_n_chars"].compute(rows, keys)
    held = DERIVED["source_file_in_articles"].compute(rows, keys)
    assert looked_up.to_pylist() == [2, None, 1, None, None if key_nulls else 4]
    assert held.to_pylist() == pc.is_in(values, value_set=pa.array(files)).to_pylist()
    assert held.to_pylist() == [True, key_nulls, True, False, not key_nulls]
