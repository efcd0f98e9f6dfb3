"""Extraction on every core while Prefect's tasks stay threads in the flow's process.

Batches are CPU-bound Python, so threads alone use one core. Each extract task hands its
batch to a pool of plain processes started once per run (forkserver, the transforms
preloaded) and waits. Measured on 2 cores and 2,000 articles (``make bench``), the extract
step takes 6.4 s this way, 27 s with Prefect's ProcessPoolTaskRunner and 34 s on a 2-worker
Dask LocalCluster (both pay Prefect's engine and API calls per task in every worker). On
Dask or a process-pool runner, the runner's workers are the processes and no pool is started.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_pool: Executor | None = None


@contextmanager
def extraction_pool(processes: int) -> Iterator[None]:
    """Run ``in_pool`` calls on ``processes`` processes (0: one per core; 1: one thread of this one)."""
    global _pool
    processes = processes or os.cpu_count() or 1
    if processes == 1:
        # One extraction thread, not Prefect's task threads: threads side by side would only
        # contend for the GIL, and work spread over the task threads grew this process by
        # 1.75 GB on 17,083 articles, against 0.2 GB on one thread.
        pool: Executor = ThreadPoolExecutor(1, thread_name_prefix="extraction")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["flows.batches", "pandas"])   # pyarrow imports pandas for timestamps
        pool = ProcessPoolExecutor(processes, mp_context=context)
    with pool:
        _pool = pool
        try:
            yield
        finally:
            _pool = None


def in_pool(function: Callable[..., T], *args) -> T:
    """``function(*args)`` in the pool when one is running in this process, else right here
    (a Dask or process-pool worker runs one batch at a time)."""
    return function(*args) if _pool is None else _pool.submit(function, *args).result()
