"""Start-up that matches the work (issue 17 item 6): the path checks before any heavy import, a
temporary Prefect server only when no server is named, one progress display."""
import io
import logging
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings
from rich.console import Console
from rich.theme import Theme

import flows.progress
from expectations.suites import VALIDATED_TABLES
from flows import storage
from flows.api_server import start_api_server
from flows.preflight import Exit
from flows.progress import log_steps, progress

HEAVY = ("prefect", "pandas", "pyarrow", "great_expectations")


def run_in_fresh_interpreter(*argv: str) -> tuple[int, list[str]]:
    """``flows.cli.main(argv)`` in a new interpreter: its exit code and the heavy modules it imported."""
    probe = ("import sys; from flows.cli import main; code = main(sys.argv[1:]); "
             f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules)); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe, *argv], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    return result.returncode, result.stdout.split()


def test_a_missing_input_stops_before_prefect_or_pandas_is_imported(tmp_path):
    assert run_in_fresh_interpreter("run", "--input", str(tmp_path / "absent")) == (Exit.INPUT_MISSING, [])


def test_an_output_path_that_is_a_file_stops_before_prefect_is_imported(tmp_path):
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    assert run_in_fresh_interpreter("run", "--output", str(tmp_path / "taken")) == (Exit.OUTPUT_NOT_A_FOLDER, [])


def test_the_run_options_and_their_defaults_need_no_prefect():
    probe = "import sys; from flows.cli import main; main(['run', '--help'])"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "--batch-size BATCH_SIZE" in result.stdout and "(default: 100)" in result.stdout
    assert result.returncode == 0


def test_a_named_server_is_used_and_none_is_started():
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        assert start_api_server() is None


def test_no_server_is_started_where_prefect_forbids_a_temporary_one():
    with temporary_settings({PREFECT_SERVER_EPHEMERAL_ENABLED: False}, restore_defaults={PREFECT_API_URL}):
        assert start_api_server() is None


@pytest.mark.slow
def test_without_a_named_server_the_run_starts_its_own_and_stops_it(tmp_path):
    env = {**os.environ}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run([sys.executable, "-m", "flows", "run", "--input", "seeds", "--output", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "using a temporary Prefect server on http://127.0.0.1:" in result.stderr
    assert "View at" not in result.stderr      # the temporary server serves no UI
    assert storage.read_published(tmp_path, "articles").num_rows == 5


def test_log_lines_come_at_each_tenth_once(caplog):
    caplog.set_level(logging.INFO)
    show = log_steps(logging.getLogger("test-progress"), "extracting", "articles")
    for done in (100, 150, 250, 1000):
        show(done, 1000)
    assert caplog.messages == ["extracting: 10% (100/1000 articles)", "extracting: 25% (250/1000 articles)",
                               "extracting: 100% (1000/1000 articles)"]


def test_a_step_with_nothing_to_do_logs_it_is_done(caplog):
    caplog.set_level(logging.INFO)
    log_steps(logging.getLogger("test-progress"), "validating", "steps")(0, 0)
    assert caplog.messages == ["validating: 100% (0/0 steps)"]


def test_on_a_terminal_the_bar_is_drawn_on_prefects_console(monkeypatch):
    """Prefect's console has only its log styles (``Theme(inherit=False)``): the bar brings its own."""
    console = Console(file=io.StringIO(), force_terminal=True, width=60, theme=Theme(inherit=False))
    monkeypatch.setattr(flows.progress, "terminal_console", lambda: console)
    with progress("validating", "steps") as show:
        show(4, 8)
        console.print("a log line")
        show(8, 8)
    drawn = console.file.getvalue()
    assert "a log line" in drawn and "validating" in drawn and "100%" in drawn


def test_the_seeds_run_shows_extraction_and_validation_in_its_log(seeds_output):
    _, result = seeds_output
    shown = [line.split(" - ", 1)[1] for line in result.stderr.splitlines()
             if " - extracting: " in line or " - validating: " in line]
    steps = len(VALIDATED_TABLES) + 1       # each suite, then the Data Docs
    assert shown == ["extracting: 100% (5/5 articles)"] + [
        f"validating: {100 * done // steps}% ({done}/{steps} steps)" for done in range(1, steps + 1)]

