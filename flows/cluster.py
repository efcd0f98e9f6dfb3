"""Extraction on a Dask cluster: one Prefect task maps the batches with dask.distributed.

Prefect's DaskTaskRunner ran each batch as a Prefect task on a worker, paying Prefect's engine
and API calls per batch: on 2 cores and 17,083 articles the run took 112 s against 56 s on
the default pool. Here a batch is a plain Dask task (milliseconds). A worker of a cluster at
``--dask-address`` extracts in a pool of its own (``ExtractionPool``); a LocalCluster's workers
are threads of the flow's process sharing one pool, since its own worker processes would only
relay batches to pools of theirs, and starting them (a nanny and a worker per core, each
importing dask.distributed, then a pool each) took 10-14 s under load on 2 cores, against 1-2 s.
Imported only by runs that use Dask.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, TypeVar

import dask
from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from flows.pool import call_pickled, extraction_pool, in_pool

T = TypeVar("T")
LOCAL_WORKERS = {"distributed.worker.profile.enabled": False}   # sampling every 10 ms: 2,000 articles took 58 s, not 36


@contextmanager
def dask_client(address: str | None, workers: int) -> Iterator[Client]:
    """A Client of the scheduler at ``address``, every worker of which gets its ``ExtractionPool``;
    or of a LocalCluster of ``workers`` threads (0: one per core) in this process around one
    extraction pool of as many processes, both started here and closed on leaving."""
    logging.getLogger("distributed").setLevel(logging.WARNING)     # not a line per worker and connection
    with ExitStack() as stack:
        if address:
            client = stack.enter_context(Client(address))
            client.register_plugin(ExtractionPool(), name=ExtractionPool.name)
        else:
            workers = workers or os.cpu_count() or 1
            stack.enter_context(extraction_pool(workers))
            with dask.config.set(LOCAL_WORKERS):
                cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=False,
                                                           dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        yield client


def map_batches(client: Client, function: Callable[..., T], batches: list, *args: Any) -> Iterator[T]:
    """``function(batch, number, *args)`` for every batch, in the workers' extraction pools;
    the results as they complete.

    Calls and results cross the worker as pickled bytes (``call_pickled``), so a worker never
    imports the transforms (1.2 s of CPU and 90 MB each): only its pool processes do.
    """
    futures = [client.submit(in_pool, call_pickled, pickle.dumps((function, (batch, number, *args))), pure=False)
               for number, batch in enumerate(batches)]
    for future in as_completed(futures):
        yield pickle.loads(future.result())


class ExtractionPool(WorkerPlugin):
    """``flows.pool``'s extraction pool in a worker of a cluster at ``--dask-address``, one
    process per worker thread.

    A Dask worker runs tasks on threads, where the time budget can only interrupt Python
    between two bytecodes; in a pool process a batch runs in the main thread, where the
    budget's alarm interrupts a long C call too (as on the default runner). The pool lives as
    long as its worker, and workers that join later get one (``idempotent``): another run on
    the same cluster reuses it.
    """

    name = "newsfacts-extraction-pool"
    idempotent = True

    def setup(self, worker) -> None:
        if multiprocessing.current_process().daemon:
            raise RuntimeError("this Dask worker is a daemonic process, which cannot start newsfacts' extraction "
                               "processes: start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
        self._pool = ExitStack()
        self._pool.enter_context(extraction_pool(worker.state.nthreads))

    def teardown(self, worker) -> None:
        self._pool.close()
