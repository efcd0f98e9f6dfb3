"""`make serve` + `prefect deployment run 'newsfacts/daily'`, for real: a Prefect server on a
free loopback port, the process work pool and worker, and every process stopped by PID."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
from conftest import ROOT, free_port, stop

PREFECT = str(Path(sys.executable).with_name("prefect"))


@pytest.fixture
def served(tmp_path):
    """`python -m flows.serve` (what `make serve` runs) with its own PREFECT_HOME and port."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_SERVER_API_PORT": str(port),
           "PREFECT_WORKER_QUERY_SECONDS": "2"}
    env.pop("PREFECT_API_URL", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        serve = subprocess.Popen([sys.executable, "-m", "flows.serve"], cwd=ROOT, env=env,
                                 stdout=out, stderr=subprocess.STDOUT)
    env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 240
        while "is registered" not in log.read_text(errors="replace"):
            assert serve.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        yield serve, env, log
    finally:
        stop(serve)


@pytest.mark.slow
def test_deployment_run_completes_and_serve_stops_everything(served, tmp_path):
    serve, env, log = served
    out = tmp_path / "out"
    inspect = subprocess.run([PREFECT, "deployment", "inspect", "newsfacts/daily"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert "0 3 * * *" in inspect.stdout and "'timezone': 'UTC'" in inspect.stdout

    run = subprocess.run([PREFECT, "deployment", "run", "newsfacts/daily", "-p", f"output_dir={out}",
                          "--watch", "--watch-interval", "1", "--watch-timeout", "300"],
                         env=env, capture_output=True, text=True, timeout=360)
    assert run.returncode == 0, run.stdout + run.stderr + log.read_text(errors="replace")
    assert "Completed" in run.stdout
    assert len(pd.read_parquet(out / "articles")) == 5     # a table is a folder of parts

    children = psutil.Process(serve.pid).children(recursive=True)
    assert len(children) >= 2  # the server and the worker
    serve.send_signal(signal.SIGINT)
    assert serve.wait(60) == 0
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, [p.cmdline() for p in alive]
