"""Shared fixtures. Prefect state goes to a throw-away PREFECT_HOME; flows talk to a real
Prefect server on a free loopback port, started once per session and stopped by PID."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_PREFECT_HOME = tempfile.mkdtemp(prefix="newsfacts-prefect-")
os.environ.update({
    "PREFECT_HOME": _PREFECT_HOME,
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen, grace: float = 15) -> None:
    """Stop a process we started: SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def prefect_server():
    """A real Prefect server on 127.0.0.1; exports PREFECT_API_URL for this process and children."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = open(Path(_PREFECT_HOME) / "server.log", "wb")
    server = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start",
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, cwd=_PREFECT_HOME)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Prefect server did not start:\n"
                                       + (Path(_PREFECT_HOME) / "server.log").read_text(errors="replace")) from None
                time.sleep(0.3)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        stop(server)
        log.close()


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m flows run`` (the documented command) in a subprocess."""
    return subprocess.run([sys.executable, "-m", "flows", "run", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=os.environ.copy())


@pytest.fixture(scope="session")
def seeds_output(prefect_server, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The seeds run once through the documented command: the tables the flow really writes,
    shared by the flow's and the expectations' tests (copy before changing them)."""
    out = tmp_path_factory.mktemp("seeds-out")
    result = run_cli("--input", "seeds", "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="session")
def seed_tables() -> dict:
    """The seeds' tables built in-process by the functions assembly uses (no Prefect, no files):
    figures linked to entities and claims, entities, and claims (the seeds have no dates)."""
    from datetime import UTC, datetime

    from transforms.extract import extract_document
    from transforms.tables import (
        ArticleResult,
        Resolution,
        RunInfo,
        article_id_for,
        article_tables,
        claims_table,
        figure_claims,
        link_claims,
    )

    results = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        results.append(ArticleResult(article_id_for(text), path.name, "", "utf-8", len(text), extract_document(text)))
    tables = article_tables(results, RunInfo("run", "0", datetime(2026, 1, 1, tzinfo=UTC)))
    resolution = Resolution(tables["mentions"].select(list(Resolution.KEY_COLUMNS)))
    figures = resolution.link("figures", tables["figures"])
    figures = link_claims(figures, figure_claims(figures, {}))
    return {"figures": figures, "entities": resolution.entities_table(), "claims": claims_table(figures)}


def pytest_collection_modifyitems(items):
    """A test that needs the Prefect server (the seeds run included) is end-to-end: marked ``slow``,
    so ``pytest -m "not slow"`` (``make test-fast``) leaves it out. Tests that start Prefect
    another way carry the mark themselves."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
