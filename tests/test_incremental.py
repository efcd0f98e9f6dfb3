"""Incremental runs: unchanged articles keep their rows, changed ones replace theirs, deleted
ones disappear, and the result equals a full refresh (through the documented command)."""
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, run_cli

from flows import storage
from flows.plan import Manifest, plan_run
from flows.storage import InputFile
from transforms.records import Reject
from transforms.schemas import grain_columns

LINEAGE = ["run_id", "pipeline_version", "processed_at", "validated_at"]
TABLES = ("articles", "sentences", "figures", "figure_entities", "mentions", "quotes", "entities", "claims",
          "rejects")


def snapshot(out: Path, lineage: bool = False) -> dict[str, pd.DataFrame]:
    """Every table, rows in a canonical order (row order is not part of the contract)."""
    tables = {}
    for name in TABLES:
        frame = storage.read_published(out, name).to_pandas()
        if not lineage:
            frame = frame.drop(columns=LINEAGE, errors="ignore")
        for column in frame.select_dtypes("category"):   # dictionaries differ in order, not values
            frame[column] = frame[column].astype(object)
        key = list(dict.fromkeys([*(["source_file"] if "source_file" in frame else []), *grain_columns(name)]))
        tables[name] = frame.sort_values(key).reset_index(drop=True)
    return tables


def assert_same(a: dict, b: dict) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def summary_line(result) -> str:
    return next(line for line in (result.stdout + result.stderr).splitlines() if "summary:" in line)


@pytest.fixture()
def first_run(prefect_server, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(ROOT / "seeds", inp)
    (inp / "empty.txt").write_bytes(b"")
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return inp, out


def test_rerun_with_nothing_new_keeps_everything_and_extracts_nothing(first_run):
    inp, out = first_run
    before = snapshot(out, lineage=True)
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "(0 extracted, 5 unchanged since the last run)" in summary_line(result)
    assert "nothing changed since the last run" in result.stdout + result.stderr
    assert_same(before, snapshot(out, lineage=True))


def test_changed_added_and_deleted_files_match_a_full_refresh(first_run, tmp_path):
    inp, out = first_run
    seeds = sorted(inp.glob("0*.txt"))
    seeds[0].write_text(seeds[0].read_text(encoding="utf-8") + "\nAbout 2,000 people fled, the UN said.\n",
                        encoding="utf-8")
    seeds[1].unlink()
    (inp / "new").mkdir()
    (inp / "new" / "added.txt").write_text("Kenya sent 400 police officers to Haiti in June.", encoding="utf-8")
    shutil.copy(seeds[2], inp / "new" / "copy.txt")
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "(2 extracted, 3 unchanged since the last run)" in summary_line(result)
    refreshed = tmp_path / "refreshed"
    full = run_cli("--input", str(inp), "--output", str(refreshed), "--full-refresh")
    assert "(5 extracted, 0 unchanged since the last run)" in summary_line(full)
    incremental = snapshot(out)
    assert_same(incremental, snapshot(refreshed))
    articles = incremental["articles"]
    assert seeds[1].name not in set(articles["source_file"])
    assert "new/added.txt" in set(articles["source_file"])
    assert incremental["rejects"][["source_file", "reason"]].values.tolist() == [
        ["empty.txt", "empty"], ["new/copy.txt", "duplicate"]]
    changed = incremental["figures"]
    assert "2,000" in set(changed.loc[changed["source_file"] == seeds[0].name, "text"])


def test_full_refresh_extracts_every_article_again(first_run):
    inp, out = first_run
    before = snapshot(out)
    result = run_cli("--input", str(inp), "--output", str(out), "--full-refresh")
    assert result.returncode == 0, result.stderr
    assert "(5 extracted, 0 unchanged since the last run)" in summary_line(result)
    assert_same(before, snapshot(out))


@pytest.mark.parametrize("reason", ["timed_out", "failed"])
def test_timed_out_and_failed_rejects_are_retried_by_the_next_run(reason):
    item = InputFile("slow.txt", "in/slow.txt", "h1")
    last = Manifest({}, {"slow.txt": Reject("slow.txt", reason, "extraction still running after 30 s", 10, "h1")},
                    "v1", complete=True)
    plan = plan_run([item], last, "v1", full_refresh=False)
    assert (plan.extract, plan.rejects) == ([item], [])
    assert not plan.changes_nothing(last, [])


def test_a_truncated_table_is_rebuilt_by_a_full_refresh_that_says_why(first_run):
    inp, out = first_run
    before = snapshot(out)
    with open(storage.table_parts(out, "sentences")[0], "r+b") as table:
        table.truncate(100)
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(5 extracted, 0 unchanged since the last run)" in summary_line(result)
    assert ("note: the last run's sentences table(s) are missing or unreadable: every article is extracted "
            "again (a full refresh)") in result.stdout + result.stderr
    assert_same(before, snapshot(out))


def test_a_deleted_table_does_not_break_a_run_with_changes(first_run):
    inp, out = first_run
    before = snapshot(out)
    (out / "figures").unlink()
    (inp / "added.txt").write_text("Kenya sent 400 police officers to Haiti in June.", encoding="utf-8")
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(6 extracted, 0 unchanged since the last run)" in summary_line(result)
    assert "note: the last run's figures table(s) are missing or unreadable" in result.stdout + result.stderr
    after = snapshot(out)
    assert set(after["articles"]["source_file"]) == set(before["articles"]["source_file"]) | {"added.txt"}
    kept = after["figures"][after["figures"]["source_file"] != "added.txt"].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, before["figures"])
