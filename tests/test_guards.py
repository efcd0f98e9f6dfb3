"""Guards against an unlucky operator (issue 15): bad arguments, wrong or unusable paths, a full
disk, an input that would empty the output, and a run that loses a file. Each stops with one
``newsfacts: ...`` line, its own exit code (README, "Exit codes") and no traceback."""
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from prefect.settings import PREFECT_API_URL, temporary_settings

import flows.etl
from flows import storage
from flows.etl import InputsUnaccounted, Limits, newsfacts
from flows.preflight import Exit, OperatorError
from transforms.schemas import SCHEMAS


def assert_stopped(result: subprocess.CompletedProcess, code: Exit, message: str) -> None:
    """Exit ``code``, no traceback, and one ``newsfacts: ...`` line holding ``message``."""
    output = result.stdout + result.stderr
    assert result.returncode == code, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("newsfacts: ")]
    assert len(lines) == 1 and message in lines[0], output[-3000:]


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--batch-size", "-1", "argument --batch-size: must be a whole number above 0, not '-1'"),
    ("--batch-size", "0", "argument --batch-size: must be a whole number above 0, not '0'"),
    ("--max-bytes", "-1", "argument --max-bytes: must be a whole number above 0, not '-1'"),
    ("--max-bytes", "nan", "argument --max-bytes: must be a whole number above 0, not 'nan'"),
    ("--time-budget", "0", "argument --time-budget: must be a finite number above 0, not '0'"),
    ("--time-budget", "nan", "argument --time-budget: must be a finite number above 0, not 'nan'"),
    ("--time-budget", "inf", "argument --time-budget: must be a finite number above 0, not 'inf'"),
    ("--time-budget", "-5", "argument --time-budget: must be a finite number above 0, not '-5'"),
    ("--workers", "0", "argument --workers: must be a whole number above 0, not '0'"),
    ("--workers", "-2", "argument --workers: must be a whole number above 0, not '-2'"),
])
def test_bad_numbers_stop_at_parse_time_with_one_line(tmp_path, option, value, message):
    out = tmp_path / "out"
    result = run_cli("--input", "seeds", "--output", str(out), f"{option}={value}")
    assert_stopped(result, Exit.BAD_ARGUMENT, message)
    assert result.stderr.strip().count("\n") == 0
    assert not out.exists()          # no output folder, so no staging folder either


@pytest.mark.parametrize(("parameters", "message"), [
    ({"batch_size": -1}, "--batch-size must be a finite number above 0, not -1"),
    ({"max_bytes": 0}, "--max-bytes must be a finite number above 0, not 0"),
    ({"time_budget_s": float("inf")}, "--time-budget must be a finite number above 0, not inf"),
    ({"processes": -1}, "processes must be 0 (one per core) or more, not -1"),
])
def test_a_deployment_s_bad_parameters_are_refused_by_the_flow(parameters, message):
    limits = {"batch_size": 100, "max_bytes": 5_000_000, "time_budget_s": 30.0, "processes": 0} | parameters
    with pytest.raises(OperatorError) as raised:
        Limits(**limits)
    assert (raised.value.exit_code, str(raised.value)) == (Exit.BAD_ARGUMENT, message)


def test_missing_input_stops_before_prefect_and_creates_no_output(tmp_path):
    out = tmp_path / "out"
    result = run_cli("--input", str(tmp_path / "absent"), "--output", str(out), timeout=60)
    assert_stopped(result, Exit.INPUT_MISSING, f"input folder {tmp_path / 'absent'} does not exist or is not a folder")
    assert "Prefect" not in result.stdout + result.stderr and "retry" not in result.stderr.lower()
    assert not out.exists()


@pytest.mark.parametrize("below", ["", "/sub"])
def test_output_path_that_is_a_file_stops_with_one_line(tmp_path, below):
    taken = tmp_path / "taken"
    taken.write_text("not a folder", encoding="utf-8")
    result = run_cli("--input", "seeds", "--output", f"{taken}{below}")
    assert_stopped(result, Exit.OUTPUT_NOT_A_FOLDER, f"output path {taken} is a file, not a folder")
    assert taken.read_text(encoding="utf-8") == "not a folder"


@pytest.fixture
def mounted(tmp_path):
    """``mounted(options)``: a fresh tmpfs folder with mount ``options`` (skipped where mounting is not allowed)."""
    points = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mount{len(points)}"
        point.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                          capture_output=True).returncode != 0:
            pytest.skip("needs permission to mount a tmpfs")
        points.append(point)
        return point

    yield mount
    for point in points:
        subprocess.run(["umount", str(point)], check=True)


def test_read_only_output_stops_with_one_line(mounted):
    read_only = mounted("ro,size=1m")
    result = run_cli("--input", "seeds", "--output", str(read_only / "out"))
    assert_stopped(result, Exit.OUTPUT_NOT_WRITABLE,
                   f"output folder {read_only} is not writable (read-only or no permission)")


def test_a_full_disk_stops_with_one_line_and_no_traceback(prefect_server, mounted):
    small = mounted("size=200k")
    result = run_cli("--input", "seeds", "--output", str(small / "out"))
    assert_stopped(result, Exit.DISK_FULL, f"no space left on the device of {small / 'out'}")


@pytest.fixture
def published(prefect_server, tmp_path):
    """The seeds copied to ``in`` and published into ``out``."""
    inp, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(ROOT / "seeds", inp)
    assert run_cli("--input", str(inp), "--output", str(out)).returncode == 0
    return inp, out


def table_bytes(out: Path) -> dict[str, bytes]:
    return {f"{name}/{path.name}": path.read_bytes() for name in SCHEMAS for path in storage.table_parts(out, name)}


def test_an_empty_input_folder_does_not_empty_the_output(published, tmp_path):
    _, out = published
    before = table_bytes(out)
    empty = tmp_path / "unmounted-share"
    empty.mkdir()
    result = run_cli("--input", str(empty), "--output", str(out))
    assert_stopped(result, Exit.SHRINK_REFUSED, f"it would publish no articles from {empty}; {out} keeps")
    assert table_bytes(out) == before


def test_losing_more_than_half_the_articles_needs_allow_shrink(published):
    inp, out = published
    before = table_bytes(out)
    for path in sorted(inp.glob("*.txt"))[2:]:
        path.unlink()
    refused = run_cli("--input", str(inp), "--output", str(out))
    assert_stopped(refused, Exit.SHRINK_REFUSED,
                   "it would publish 2 articles in place of the last run's 5 (under 50%)")
    assert table_bytes(out) == before
    allowed = run_cli("--input", str(inp), "--output", str(out), "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    assert storage.read_published(out, "articles").num_rows == 2


def test_an_empty_input_with_a_fresh_output_stops_and_allow_shrink_publishes_empty_tables(prefect_server, tmp_path):
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    assert_stopped(run_cli("--input", str(empty), "--output", str(out)), Exit.SHRINK_REFUSED,
                   "it would publish no articles")
    allowed = run_cli("--input", str(empty), "--output", str(out), "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    assert {name: storage.read_published(out, name).num_rows for name in ("articles", "rejects")} == {
        "articles": 0, "rejects": 0}


def test_a_run_that_loses_a_listed_file_publishes_nothing(prefect_server, published, monkeypatch):
    """A deterministic hook stands in for a bug like ``--batch-size -1`` (no batches at all)."""
    inp, out = published
    before = table_bytes(out)
    (inp / "new.txt").write_text("Kenya sent 400 police officers to Haiti in June.", encoding="utf-8")
    monkeypatch.setattr(flows.etl, "extract_batches", lambda items, run, staging, rejects, limits: (0, {}))
    with temporary_settings({PREFECT_API_URL: prefect_server}), \
            pytest.raises(InputsUnaccounted, match=r"1 listed file\(s\) are neither articles nor rejects "
                                                   r"\(first: new.txt\); nothing was published"):
        newsfacts(input_dir=str(inp), output_dir=str(out))
    assert table_bytes(out) == before
