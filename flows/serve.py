"""``make serve``: a local Prefect server on 127.0.0.1 plus a worker that runs the deployment.

Starts ``prefect server start`` (port ``PREFECT_SERVER_API_PORT``, default 4200) unless one
already answers there, creates the ``newsfacts-local`` process work pool, registers the
deployments of ``prefect.yaml`` and runs a worker in the foreground. Ctrl-C (or SIGTERM)
stops the worker, then the server, by PID. Trigger a run from another terminal with
``prefect deployment run 'newsfacts/daily' --watch``.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import flows  # noqa: F401  (quiet, offline environment defaults)

ROOT = Path(__file__).resolve().parent.parent
WORK_POOL = "newsfacts-local"
PREFECT = str(Path(sys.executable).with_name("prefect"))


def main() -> int:
    port = int(os.environ.get("PREFECT_SERVER_API_PORT", "4200"))
    api_url = f"http://127.0.0.1:{port}/api"
    os.environ["PREFECT_API_URL"] = api_url
    started: list[subprocess.Popen] = []
    for sig in (signal.SIGINT, signal.SIGTERM):   # SIGINT too: a shell may start us with it ignored
        signal.signal(sig, _interrupt)
    try:
        if not healthy(api_url):
            print(f"serve: starting a Prefect server on {api_url}", flush=True)
            started.append(subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)]))
            wait_until_healthy(api_url, started[-1])
        prefect("work-pool", "create", WORK_POOL, "--type", "process", "--overwrite")
        prefect("--no-prompt", "deploy", "--all")
        print("serve: deployment 'newsfacts/daily' is registered; run it with\n"
              "  prefect deployment run 'newsfacts/daily' --watch\n"
              f"(with PREFECT_API_URL={api_url}). Ctrl-C stops the worker and the server.", flush=True)
        started.append(subprocess.Popen([PREFECT, "worker", "start", "--pool", WORK_POOL], cwd=ROOT))
        started[-1].wait()
        return started[-1].returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        for process in reversed(started):  # the worker before the server
            stop(process)


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def prefect(*args: str) -> None:
    subprocess.run([PREFECT, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2):
            return True
    except OSError:
        return False


def wait_until_healthy(api_url: str, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(api_url):
        if server.poll() is not None:
            raise SystemExit(f"serve: the Prefect server exited with code {server.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"serve: no Prefect server on {api_url} after {timeout:.0f} s")
        time.sleep(0.3)


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    """SIGINT first (a graceful stop for the worker), SIGTERM, then SIGKILL."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            continue


if __name__ == "__main__":
    sys.exit(main())
