"""The processes a run starts die with it, even when it is killed with SIGKILL.

Prefect's temporary API server is a plain subprocess that Prefect stops only at exit, which a
SIGKILL skips; the extraction pool's workers watch the run themselves (``flows.pool``). A
run marks its environment with a token that every process it starts inherits, and starts
this watcher in a session of its own: when the run is gone, the watcher kills every process
that still carries the token. Linux (a pidfd on the run, ``/proc`` environments); elsewhere
it does nothing.

    python -m flows.reaper <run pid> <token>
"""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import uuid

TOKEN_VARIABLE = "NEWSFACTS_RUN_TOKEN"


def reap_children_on_exit() -> None:
    """Mark this process's environment and start the watcher (once per process)."""
    if not hasattr(os, "pidfd_open") or not os.path.isdir("/proc") or TOKEN_VARIABLE in os.environ:
        return
    os.environ[TOKEN_VARIABLE] = token = uuid.uuid4().hex
    subprocess.Popen([sys.executable, "-m", "flows.reaper", str(os.getpid()), token], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def carrying(variable: str, value: str) -> list[int]:
    """The processes whose environment sets ``variable`` to ``value`` (this one left out)."""
    needle = f"{variable}={value}".encode()
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/environ", "rb") as environ:
                    if needle in environ.read().split(b"\0"):
                        found.append(int(name))
            except OSError:      # gone meanwhile, or not ours
                continue
    return found


def main(run_pid: int, token: str) -> None:
    try:
        run = os.pidfd_open(run_pid)
    except ProcessLookupError:
        run = None
    if run is not None:
        select.select([run], [], [])         # readable once the run has exited
    for pid in carrying(TOKEN_VARIABLE, token):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
