"""Extraction on every core while Prefect's tasks stay threads in the flow's process.

Batches are CPU-bound Python, so threads alone use one core. Each extract task hands its
batch to a pool of plain processes started once per run (forkserver, the transforms
preloaded) and waits. Measured on 2 cores and 2,000 articles (``make bench``), the extract
step takes 6.4 s this way and 27 s with Prefect's ProcessPoolTaskRunner (it pays Prefect's
engine and API calls per task in every worker; its workers are the processes and no pool is
started). On Dask, every worker starts a pool of its own (``flows.cluster.ExtractionPool``).

One batch or one worker still gets a process of its own, never a thread of this one: in a
process's main thread the time budget's alarm interrupts a long regex or sleep, while a
thread can only be interrupted between two bytecodes (a 5 s budget once took 118 s). Every
worker exits when this process does, kill -9 included (``die_with_owner``), and the
forkserver follows its last worker.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import select
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_pool: Executor | None = None


_open_pools = 0
_open_pools_lock = threading.Lock()


@contextmanager
def extraction_pool(processes: int) -> Iterator[None]:
    """Run ``in_pool`` calls on ``processes`` processes (0: one per core). When the last pool of
    this process closes, its forkserver is stopped too: it holds the transforms and pandas
    (~150 MB) and would otherwise stay through assembly and validation (a later pool starts another)."""
    global _pool, _open_pools
    with _open_pools_lock:
        _open_pools += 1
    try:
        with ProcessPoolExecutor(processes or os.cpu_count() or 1, mp_context=forkserver_context(),
                                 initializer=die_with_owner, initargs=(os.getpid(),)) as pool:
            _pool = pool
            try:
                yield
            finally:
                _pool = None
    finally:
        with _open_pools_lock:
            _open_pools -= 1
            if _open_pools == 0:
                stop_forkserver()


def forkserver_context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    # flows.batches imports the extraction itself only when it runs a batch; pyarrow imports pandas for timestamps
    context.set_forkserver_preload(["flows.batches", "transforms.extract", "pandas"])
    return context


def start_forkserver() -> None:
    """Start the pool's forkserver now: it imports the transforms and pandas (about 1 s of CPU) in a
    process of its own, which the run's start-up can overlap. Its workers then start at once."""
    forkserver_context()
    multiprocessing.forkserver.ensure_running()


def stop_forkserver() -> None:
    """Stop this process's forkserver, if one runs (it exits once its alive pipe closes; the
    standard library's own ``_stop`` does that and waits for it)."""
    multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]


def die_with_owner(owner: int) -> None:
    """Exit this worker as soon as the ``owner`` process (the run) is gone, even by kill -9.

    A thread waits on a pidfd of the owner (Linux 5.3+; elsewhere a no-op). The parent's
    death signal (PR_SET_PDEATHSIG) cannot do it: a worker's parent is the forkserver, which
    waits for its workers before it exits. The thread blocks every signal, so the time
    budget's alarm still reaches the main thread and interrupts its system calls.
    """
    if not hasattr(os, "pidfd_open"):
        return
    try:
        owner_fd = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        threading.Thread(target=_exit_when_ready, args=(owner_fd,), name="owner-watch", daemon=True).start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exit_when_ready(owner_fd: int) -> None:
    select.select([owner_fd], [], [])       # a pidfd turns readable when its process exits
    os._exit(1)


def in_pool(function: Callable[..., T], *args) -> T:
    """``function(*args)`` in the pool when one is running in this process, else right here
    (a process-pool runner's worker runs one batch at a time)."""
    return function(*args) if _pool is None else _pool.submit(function, *args).result()


def call_pickled(call: bytes) -> bytes:
    """``function(*args)`` from a pickled ``(function, args)``, its result pickled: lets a process
    relay a call to the pool without importing what the call needs."""
    function, args = pickle.loads(call)
    return pickle.dumps(function(*args))
