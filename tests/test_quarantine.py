"""Issue 15, items 9 and 11, through the real flow and real Great Expectations: an article whose
rows break a row-level expectation is quarantined (a ``failed_validation`` reject) and the rest
is published; zero is a count; no non-finite value reaches a table; a table-level failure still
stops publishing and names the files; file names are escaped in the log and the Markdown
artifact, whose reject list is capped.
"""
from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, run_cli
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows import storage
from transforms.schemas import ARTICLE_TABLES

ARTICLES = {
    "zero.txt": "Floods in the north\n\nOfficials reported zero deaths after the floods. "
                "The government sent 0 officers to the region.\n",
    "minus.txt": "Cold snap\n\nTemperatures fell to minus 10 and 200 people fled.\n",
    "huge.txt": f"Clashes\n\nPolice said 1{'0' * 400} people were killed.\n",
}
LOG_FORGERY = "a-evil\nINFO forged.txt"
MARKDOWN_ATTACK = "a|b ![](https:evil.example.com) <img src=x onerror=alert(1)>.txt"
EMPTY_FILES = [LOG_FORGERY, MARKDOWN_ATTACK] + [f"empty{i:02d}.txt" for i in range(22)]   # 24 rejects


@pytest.fixture(scope="module")
def mixed_run(prefect_server, tmp_path_factory):
    """Seeds, the three articles above and 24 empty files, run once through the CLI."""
    folder = tmp_path_factory.mktemp("mixed")
    inputs, out = folder / "in", folder / "out"
    shutil.copytree(ROOT / "seeds", inputs)
    for name, text in ARTICLES.items():
        (inputs / name).write_text(text, encoding="utf-8")
    for name in EMPTY_FILES:
        (inputs / name).touch()
    return out, run_cli("--input", str(inputs), "--output", str(out))


def _rows(out: Path, table: str) -> list[dict]:
    return storage.read_published(out, table).to_pylist()


@pytest.fixture(scope="module")
def corrupted_run(seeds_output, tmp_path_factory):
    """The seeds run again over their own output, in which one article's displacement figure was
    made negative and another article's figure infinite: the run reuses those rows (the articles
    are unchanged), as it would rows written by a faulty extractor, plus zero.txt to extract."""
    folder = tmp_path_factory.mktemp("corrupted")
    out, inputs = folder / "out", folder / "in"
    shutil.copytree(seeds_output[0], out, symlinks=True)
    shutil.copytree(ROOT / "seeds", inputs)
    (inputs / "zero.txt").write_text(ARTICLES["zero.txt"], encoding="utf-8")
    (part,) = storage.table_parts(out, "figures")
    figures = pq.read_table(part)
    files, categories = figures["source_file"].to_pylist(), figures["category"].to_pylist()
    negative = next(i for i, c in enumerate(categories) if c == "displacement")
    infinite = next(i for i, f in enumerate(files) if f != files[negative])
    values = figures["value"].to_pylist()
    values[negative], values[infinite] = -10.0, math.inf
    index = figures.schema.get_field_index("value")
    pq.write_table(figures.set_column(index, figures.schema.field(index), pa.array(values, pa.float64())), part)
    return out, run_cli("--input", str(inputs), "--output", str(out)), files[negative], files[infinite]


def test_a_failing_article_is_quarantined_and_the_rest_published(corrupted_run):
    out, run, negative, infinite = corrupted_run
    assert run.returncode == 0, run.stderr[-3000:]
    rejects = {r["source_file"]: r for r in _rows(out, "rejects")}
    assert rejects[negative]["reason"] == "failed_validation"
    assert rejects[negative]["detail"] == (
        "figures: expect_column_values_to_be_between [value] (people displaced, deployed or killed are not "
        "counted below zero (zero is a count: 'reported zero deaths')) -- offending value=-10.0")
    assert rejects[negative]["sha256"] is not None
    for table in ARTICLE_TABLES:
        assert {negative, infinite}.isdisjoint(r["source_file"] for r in _rows(out, table)), table
    articles = {r["source_file"] for r in _rows(out, "articles")}
    assert articles == {p.name for p in (ROOT / "seeds").glob("*.txt")} - {negative, infinite} | {"zero.txt"}
    assert all(r["success"] for r in _rows(out, "validation") if r["severity"] == "critical")


def test_the_seeds_rows_are_those_of_a_clean_run(mixed_run, seeds_output):
    out, _ = mixed_run
    lineage = {"run_id", "processed_at", "pipeline_version"}
    for table in ("articles", "sentences", "figures", "quotes"):
        clean = [{k: v for k, v in r.items() if k not in lineage} for r in _rows(seeds_output[0], table)]
        mixed = [{k: v for k, v in r.items() if k not in lineage} for r in _rows(out, table)
                 if r["source_file"] in {r["source_file"] for r in _rows(seeds_output[0], "articles")}]
        assert mixed == clean, table


def test_zero_is_a_count_and_a_negative_reading_counts_nobody(mixed_run):
    out, run = mixed_run
    assert run.returncode == 0, run.stderr[-3000:]
    figures = [(r["source_file"], r["text"], r["value"], r["category"]) for r in _rows(out, "figures")
               if r["source_file"] in ("zero.txt", "minus.txt")]
    assert figures == [("minus.txt", "minus 10", -10.0, "other"), ("minus.txt", "200", 200.0, "displacement"),
                       ("zero.txt", "zero", 0.0, "casualties"), ("zero.txt", "0", 0.0, "deployment")]


def test_no_non_finite_value_reaches_a_table(mixed_run, corrupted_run):
    for out in (mixed_run[0], corrupted_run[0]):
        values = [r[c] for r in _rows(out, "figures") for c in ("value", "value_low", "value_high")
                  if r[c] is not None]
        assert values and all(math.isfinite(v) for v in values)
    assert "huge.txt" in {r["source_file"] for r in _rows(mixed_run[0], "articles")}   # the number is no figure
    infinite = corrupted_run[3]
    assert {r["source_file"]: r for r in _rows(corrupted_run[0], "rejects")}[infinite]["detail"] == (
        "figures: expect_column_values_to_be_between [value] (value is a finite number "
        "(no inf from an over-long number)) -- offending value=inf")


def test_control_characters_in_file_names_cannot_forge_log_lines(mixed_run):
    _, run = mixed_run
    log = run.stdout + run.stderr
    assert "a-evil\\nINFO forged.txt: empty" in log
    assert not re.search(r"^INFO forged", log, re.MULTILINE)


def _artifacts(key: str) -> list:
    """The artifacts stored under ``key``, newest first."""
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
    return sorted(artifacts, key=lambda a: a.created, reverse=True)


def _artifact_markdown(out: Path) -> str:
    """The run summary artifact of the run that wrote ``out`` (its articles' run_id)."""
    run_id = _rows(out, "articles")[0]["run_id"]
    return next(a.data for a in _artifacts("newsfacts-run") if str(a.flow_run_id) == run_id)


def test_the_artifact_escapes_file_names_and_caps_the_reject_list(mixed_run):
    markdown = _artifact_markdown(mixed_run[0])
    table = markdown.split("## Rejected inputs")[1].strip().splitlines()
    rows = table[2:]
    assert len(rows) == 21 and rows[-1] == "| ... and 4 more (see the rejects table) | | |"
    unescaped_pipes = re.compile(r"(?<!\\)\|")
    assert all(len(unescaped_pipes.findall(row)) == 4 for row in rows), rows
    attack = next(row for row in rows if "evil" in row and "example" in row)
    assert attack.startswith(r"| a\|b \!\[\]\(https\:evil\.example\.com\) \<img src\=x onerror\=alert\(1\)\>\.txt |")
    assert not re.search(r"(?<!\\)!\[|(?<!\\)<img", markdown)
    assert r"a\-evil\\nINFO forged\.txt" in markdown


def test_a_table_level_failure_stops_publishing_and_names_the_files(seeds_output, tmp_path):
    """Two articles' figures given the same id (uniqueness across rows) cannot be pinned on one
    article: the run stops, names both files and keeps the previous tables."""
    out, inputs = tmp_path / "out", tmp_path / "in"
    shutil.copytree(seeds_output[0], out, symlinks=True)
    shutil.copytree(ROOT / "seeds", inputs)
    (inputs / "zero.txt").write_text(ARTICLES["zero.txt"], encoding="utf-8")   # so that the run has work
    (part,) = storage.table_parts(out, "figures")
    figures = pq.read_table(part)
    ids = figures["figure_id"].to_pylist()
    files = figures["source_file"].to_pylist()
    other = next(i for i, f in enumerate(files) if f != files[0])
    ids[other] = ids[0]
    pq.write_table(figures.set_column(0, figures.schema.field(0), pa.array(ids)), part)
    before = part.read_bytes()

    run = run_cli("--input", str(inputs), "--output", str(out))
    assert run.returncode == 1
    assert (f"figures: CRITICAL expect_column_values_to_be_unique [figure_id]: one row per figure_id -- 2 of "
            f"{len(ids) + 2} rows unexpected") in run.stderr   # zero.txt adds 2 figures
    assert f"(in {files[0]}, {files[other]})" in run.stderr
    assert storage.table_parts(out, "figures") == [part] and part.read_bytes() == before
    assert "zero.txt" not in {r["source_file"] for r in _rows(out, "articles")}
    # issue 17 item 4: a Failed state with one message (no traceback), and artifacts that name the rows
    assert "Traceback" not in run.stdout + run.stderr
    assert re.search(r"Finished in state Failed\(.critical expectations failed;", run.stdout + run.stderr)
    failed = _artifacts("newsfacts-failed-expectations")
    row = next(r for a in failed for r in json.loads(a.data) if ids[0] in r["row ids"])
    assert (row["table"], row["severity"], row["rows failing"], row["row ids"]) == (
        "figures", "critical", 2, f"{ids[0]}, {ids[0]}")
    summary = next(a.data for a in _artifacts("newsfacts-run") if a.flow_run_id == failed[0].flow_run_id)
    assert summary.splitlines()[2].startswith(r"**Failed:** critical expectations failed\; ")
