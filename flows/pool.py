"""Extraction on every core while Prefect's tasks stay threads in the flow's process.

Batches are CPU-bound Python, so threads alone use one core. Measured on 2 cores
(``make bench``): Prefect's ProcessPoolTaskRunner pays a fresh interpreter and Prefect
import per worker, while a pool of plain processes started once per run (forkserver, with
the transforms preloaded) costs about a second; each extract task hands its batch to the
pool and waits. On a Dask cluster the workers are the processes and no pool is started.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_pool: ProcessPoolExecutor | None = None
_one_at_a_time = threading.Lock()


@contextmanager
def extraction_pool(processes: int) -> Iterator[None]:
    """Run ``in_pool`` calls on ``processes`` processes (0: one per core; 1: in the caller)."""
    global _pool
    processes = processes or os.cpu_count() or 1
    if processes == 1:
        yield
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["flows.batches", "pandas"])   # pyarrow imports pandas for timestamps
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        _pool = pool
        try:
            yield
        finally:
            _pool = None


def in_pool(function: Callable[..., T], *args) -> T:
    """``function(*args)`` in the pool when one is running in this process, else right here,
    one call at a time: task threads running batches side by side would only contend for
    the GIL and hold every batch's rows in memory at once."""
    if _pool is not None:
        return _pool.submit(function, *args).result()
    with _one_at_a_time:
        return function(*args)
