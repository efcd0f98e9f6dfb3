"""The per-document time budget interrupts runaway work in the main thread and in worker threads."""
import threading
import time

import pytest

from flows.budget import BudgetExceeded, time_budget


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
