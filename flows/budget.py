"""A per-document time budget: extraction that runs too long is interrupted, not waited for.

The patterns are written to run in linear time; the budget is the safety net that turns
anything that still runs away into a ``timed_out`` reject instead of a hung run. In the
main thread a SIGALRM timer interrupts the work; in a worker thread (Prefect's thread pool,
a Dask worker) a watchdog raises the exception in that thread asynchronously, which takes
effect at the next Python bytecode, i.e. between two regex calls at the latest.
"""
from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BudgetExceeded(Exception):
    """The work did not finish within its time budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``BudgetExceeded`` inside the block once ``seconds`` have passed (None: no limit).

    >>> with time_budget(1):
    ...     sum(range(10))
    45
    """
    if not seconds:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def interrupt(signum, frame):
        raise BudgetExceeded(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    finished = threading.Event()
    lock = threading.Lock()  # the exception must never land after the block has left

    def interrupt() -> None:
        with lock:
            if not finished.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(BudgetExceeded))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)  # drop one not yet raised
        timer.cancel()
