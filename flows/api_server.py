"""The Prefect API a run talks to: the server its settings name (``PREFECT_API_URL``), or a
temporary one that starts while the run imports its libraries.

Prefect starts its own temporary server only when the flow is called, after importing the
server's code into the run's process (about 2 s of CPU), then waits for it (about 4 s of CPU
in the server's process): a third of a small run. ``start_api_server`` runs the same command
as Prefect's ``SubprocessASGIServer`` (``prefect/server/api/server.py``, Prefect 3.8) as soon
as Prefect's settings are read, so the server comes up on another core while the run imports
pandas, Prefect's flow engine and the flow's modules. It stops when the run exits; when the run is
killed, ``flows.reaper`` stops it.
"""
from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flows.serve import healthy


@dataclass(frozen=True, slots=True)
class TemporaryServer:
    """A Prefect API server this run started, on a free loopback port."""

    process: subprocess.Popen
    api_url: str
    startup_timeout: float

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while not healthy(self.api_url):
            if self.process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server exited with code {self.process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the temporary Prefect server did not answer within {self.startup_timeout:.0f} s "
                                   "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_api_server() -> TemporaryServer | None:
    """Start a temporary server unless Prefect's settings name one (``PREFECT_API_URL``) or
    forbid it (``PREFECT_SERVER_EPHEMERAL_ENABLED=false``: Prefect then reports the missing URL)."""
    import prefect
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api_url = f"http://127.0.0.1:{port}/api"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, **settings.to_environment_variables(exclude_unset=True),
             "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
    server = TemporaryServer(process, api_url, settings.server.ephemeral.startup_timeout_seconds)
    atexit.register(server.stop)      # registered before Prefect's log and event workers: they flush first
    os.environ["PREFECT_API_URL"] = api_url     # for the processes the run starts
    return server


@contextmanager
def prefect_api(server: TemporaryServer | None) -> Iterator[None]:
    """Prefect talks to ``server`` (once it answers) inside this block; to its own settings' server without one."""
    if server is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

    logging.getLogger("prefect.newsfacts").info(
        "using a temporary Prefect server on %s, started with this run (PREFECT_API_URL names a running one "
        "to use instead)", server.api_url)
    server.wait_until_ready()
    with temporary_settings({PREFECT_API_URL: server.api_url, PREFECT_UI_URL: ""}):   # it serves no UI
        yield
