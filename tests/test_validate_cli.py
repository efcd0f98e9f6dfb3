"""``newsfacts validate`` as CI runs it: a read-only published copy is validated without a byte
written there (exit 0), a broken copy fails (exit 1) with one line per cause, JUnit XML parses
with the right failure count, and a wrong path or a bug each get their own exit code.

The two real validations (Great Expectations, ~10-25 s each) run concurrently on copies of the
seeds output; the exit-code and format checks below them need no Great Expectations run.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import expectations.validate
from expectations.suites import SUITES, VALIDATED_TABLES
from expectations.validate import Outcome, report_json, report_junit, validate_output, without_cascades
from flows import cli, storage


def _snapshot(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(folder)), p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*"))


def _set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o755 if path.is_dir() else 0o644) if writable else (0o555 if path.is_dir() else 0o444))


def _break(folder: Path) -> None:
    """Two causes: figures.value stored as text (whose dependent rules must not cascade), quotes gone."""
    figures = storage.read_published(folder, "figures")
    index = figures.schema.get_field_index("value")
    figures = figures.set_column(index, pa.field("value", pa.string()), pc.cast(figures["value"], pa.string()))
    shutil.rmtree(folder / "figures")
    storage.write_part(figures, folder / "figures", "part-000001-000000.parquet")
    shutil.rmtree(folder / "quotes")


@pytest.fixture(scope="module")
def validations(seeds_output, tmp_path_factory):
    """The CLI on a read-only good copy (text, named relative to the working folder as `make run`
    names output/) and on a broken copy (JUnit), concurrently; with the good copy's snapshots."""
    good = tmp_path_factory.mktemp("good") / "output"
    broken = tmp_path_factory.mktemp("broken") / "output"
    for copy in (good, broken):
        shutil.copytree(seeds_output[0], copy)
    _break(broken)
    _set_writable(good, False)
    before = _snapshot(good)
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
    try:
        running = {
            "good": subprocess.Popen([sys.executable, "-m", "flows", "validate", "--output", "output"],
                                     cwd=good.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True),
            "broken": subprocess.Popen([sys.executable, "-m", "flows", "validate", "--output", str(broken),
                                        "--format", "junit"], cwd=broken.parent, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)}
        runs = {}
        for name, process in running.items():
            stdout, stderr = process.communicate(timeout=300)
            runs[name] = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        yield runs, before, _snapshot(good)
    finally:
        _set_writable(good, True)


@pytest.mark.slow
def test_a_read_only_good_copy_passes_and_nothing_is_written_there(validations):
    runs, before, after = validations
    assert runs["good"].returncode == 0, runs["good"].stdout + runs["good"].stderr
    assert after == before
    assert runs["good"].stderr == "", runs["good"].stderr[-2000:]     # no progress bars, warnings or logs


@pytest.mark.slow
def test_the_text_report_counts_every_suite_and_lists_no_failure(validations):
    lines = validations[0]["good"].stdout.splitlines()
    assert lines[:-1] == [f"{table}: {len(SUITES[table])}/{len(SUITES[table])} expectations passed "
                          "(0 critical failed, 0 warnings)" for table in VALIDATED_TABLES]
    assert lines[-1].startswith("validation passed in ")


@pytest.mark.slow
def test_a_broken_copy_fails_with_junit_xml_naming_each_cause_once(validations):
    run = validations[0]["broken"]
    assert run.returncode == 1, run.stderr
    root = ET.fromstring(run.stdout)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    failed = [(suite.get("name"), case.get("name").split(":")[0].split(" ", 1)[1]) for suite in root.iter("testsuite")
              for case in suite.iter("testcase") if case.find("failure") is not None]
    assert failed == [("figures", "expect_column_type_to_be [value]"), ("quotes", "expect_table_file_to_exist")]
    figures = next(suite for suite in root.iter("testsuite") if suite.get("name") == "figures")
    skipped = [case.find("skipped").get("message") for case in figures.iter("testcase")
               if case.find("skipped") is not None]
    assert skipped and set(skipped) == {"not judged: value does not have the contract's type"}
    assert "observed None" not in run.stdout and "np.int64" not in run.stdout


# --- exit codes and formats, without a Great Expectations run --------------------------------

@pytest.mark.parametrize(("arguments", "message"), [
    (["--output", "{tmp}/absent"], "does not exist or is not a folder"),
    (["--output", "{tmp}"], "holds none of the tables"),
    (["--output", "{tables}", "--results", "{tmp}/absent/results.parquet"], "--results: the folder"),
])
def test_a_wrong_path_exits_2_before_validating(tmp_path, capsys, arguments, message):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "articles").mkdir()
    (tmp_path / "tables" / "articles" / "part-000001-000000.parquet").write_bytes(b"")
    assert cli.main(["validate", *(a.format(tmp=tmp_path, tables=tmp_path / "tables") for a in arguments)]) == 2
    assert message in capsys.readouterr().err


def test_an_unknown_format_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["validate", "--output", str(tmp_path), "--format", "yaml"])
    assert exited.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_an_internal_error_exits_3_with_its_traceback(tmp_path, capsys, monkeypatch):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "part-000001-000000.parquet").write_bytes(b"")

    def broken(*_):
        raise KeyError("a bug")
    monkeypatch.setattr(expectations.validate, "validate_output", broken)      # the CLI imports it when run
    assert cli.main(["validate", "--output", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1] == "newsfacts: internal error: KeyError: 'a bug'"


def _outcome(**changes) -> Outcome:
    row = dict(suite="figures", expectation="expect_column_values_to_be_between", column="value",
               severity="critical", success=False, observed_value=None, unexpected_count=None,
               protects="values are finite", why="observed None")
    return Outcome(**{**row, **changes})


def test_failures_that_follow_from_a_wrong_type_are_not_judged():
    typed = _outcome(expectation="expect_column_type_to_be", why="observed type str, expected float64")
    pair = _outcome(expectation="expect_column_pair_values_a_to_be_greater_than_b", column="value_high, value")
    other = _outcome(column="value_low", why="1 of 3 rows unexpected")
    held = _outcome(success=True, why=None)
    marked = without_cascades([typed, pair, other, held])
    assert [(o.judged, o.why) for o in marked] == [
        (True, "observed type str, expected float64"), (False, "not judged: value does not have the contract's type"),
        (True, "1 of 3 rows unexpected"), (True, None)]


def test_json_and_junit_carry_the_verdict_and_escape_control_characters(tmp_path, monkeypatch):
    """A file name with an escape character reaches neither format raw (XML 1.0 cannot hold it)."""
    monkeypatch.setattr("expectations.validate.run_suites", lambda *suites_args: [
        _outcome(suite="rejects", column="reason", why="1 of 1 rows unexpected", offending=(("a\x1b.txt", "x"),)),
        _outcome(suite="rejects", column="reason", severity="warning", why="w")])
    # every table missing: one critical failure each, plus two
    report = validate_output(functools.partial(storage.iter_published, tmp_path), None)
    document = json.loads(report_json(report))
    assert document["success"] is False
    assert [(f["suite"], f["severity"], f["files"]) for f in document["failures"]][-2:] == [
        ("rejects", "critical", ["a\x1b.txt"]), ("rejects", "warning", [])]
    root = ET.fromstring(report_junit(report))
    assert root.get("failures") == str(len(VALIDATED_TABLES) + 1)
    assert "a\\x1b.txt" in ET.tostring(root, encoding="unicode")
