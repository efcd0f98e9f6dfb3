"""Where the flow's tasks run: threads (default), local processes, or a Dask cluster."""
from __future__ import annotations

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.defaults import TASK_RUNNERS


def make_task_runner(kind: str, workers: int | None = None, dask_address: str | None = None) -> TaskRunner:
    """A Prefect task runner. ``dask`` joins ``dask_address`` or starts a LocalCluster of ``workers``.

    >>> type(make_task_runner("threads")).__name__
    'ThreadPoolTaskRunner'
    """
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "processes":
        return ProcessPoolTaskRunner(max_workers=workers)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers or 2, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    raise ValueError(f"unknown task runner {kind!r}; choose from {', '.join(TASK_RUNNERS)}")
