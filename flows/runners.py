"""Where Prefect's tasks run: threads (default and on Dask) or local processes.

On Dask, the tasks stay threads in the flow's process and one of them sends the batches to
the cluster with dask.distributed's own Client (``flows.cluster``), because Prefect's
DaskTaskRunner made every batch pay Prefect's engine and API calls in a worker.
"""
from __future__ import annotations

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.defaults import TASK_RUNNERS


def make_task_runner(kind: str, workers: int | None = None) -> TaskRunner:
    """Prefect's task runner: ``processes`` runs every task in ``workers`` processes; ``threads``
    and ``dask`` run them as threads.

    >>> type(make_task_runner("dask")).__name__
    'ThreadPoolTaskRunner'
    """
    if kind == "processes":
        return ProcessPoolTaskRunner(max_workers=workers)
    if kind in ("threads", "dask"):
        return ThreadPoolTaskRunner()
    raise ValueError(f"unknown task runner {kind!r}; choose from {', '.join(TASK_RUNNERS)}")
