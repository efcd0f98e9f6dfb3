"""The per-document time budget interrupts runaway work in the main thread, in worker threads and
in the extraction pool's processes; the pool's processes die with the run."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows.budget import BudgetExceeded, time_budget
from flows.pool import extraction_pool, in_pool


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_main_thread_work_is_interrupted():
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="after 0.2 s"):
        with time_budget(0.2):
            spin(5)
    assert time.monotonic() - started < 2


def test_worker_thread_work_is_interrupted_and_finished_work_is_not():
    outcome = {}

    def work():
        try:
            with time_budget(0.2):
                spin(5)
        except BudgetExceeded:
            outcome["slow"] = "interrupted"
        with time_budget(0.5):
            spin(0.01)
        time.sleep(0.8)  # a late timer must not fire after the block has left
        outcome["fast"] = "finished"

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert outcome == {"slow": "interrupted", "fast": "finished"}


def test_no_budget_means_no_limit():
    with time_budget(None):
        spin(0.05)


def sleep_within_budget(seconds: float, budget: float) -> str:
    """A long blocking C call under a budget, as a pool process runs it."""
    try:
        with time_budget(budget):
            time.sleep(seconds)
    except BudgetExceeded:
        return "interrupted"
    return "finished"


@pytest.mark.parametrize("processes", [1, 2])
def test_the_pool_enforces_the_budget_with_one_worker_too(processes):
    """Issue 15 item 10: one batch or --workers 1 ran in a thread, where the budget cannot
    interrupt a C call (a 5 s budget took 118 s); every pool worker is now a process."""
    with extraction_pool(processes):
        in_pool(os.getpid)                   # the pool's start-up is not the budget's to count
        started = time.monotonic()
        assert in_pool(sleep_within_budget, 30, 0.2) == "interrupted"
        assert time.monotonic() - started < 5


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="workers follow their owner by pidfd (Linux)")
def test_pool_workers_exit_when_the_run_is_killed():
    """Issue 15 item 17: kill -9 of the run left the pool's workers running for good."""
    code = ("import os, time\nfrom flows.pool import extraction_pool, in_pool\nwith extraction_pool(2):\n"
            "    print(*{in_pool(os.getpid) for _ in range(4)}, flush=True)\n    time.sleep(60)\n")
    run = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in run.stdout.readline().split()]
    run.kill()
    run.wait()
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(map(_running, workers))


def test_the_forkserver_stops_with_the_last_pool_and_a_later_pool_starts_another():
    """Issue 18: the forkserver (~150 MB) stayed through assembly and validation."""
    import multiprocessing.forkserver

    def forkserver() -> int | None:
        return multiprocessing.forkserver._forkserver._forkserver_pid

    with extraction_pool(1):
        with extraction_pool(1):
            in_pool(os.getpid)
        first = forkserver()
        assert first is not None and _running(first)      # another pool is still open
    assert forkserver() is None
    deadline = time.monotonic() + 10
    while _running(first) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(first)
    with extraction_pool(1):
        assert in_pool(os.getpid) != os.getpid()
        assert forkserver() not in (None, first)
