"""The defaults of a run's options, read by the flow's signature and by the command line.

Kept apart from ``flows.etl`` so that ``newsfacts run --help`` and the checks of a run's
paths need no Prefect import (``flows.cli``).
"""
from types import MappingProxyType

DEFAULTS = MappingProxyType({
    "input_dir": "seeds",
    "output_dir": "output",
    "batch_size": 100,
    "max_bytes": 5_000_000,
    "time_budget_s": 30.0,
})
"""The flow's parameter defaults (by parameter name): the one place they are set."""

TASK_RUNNERS = ("threads", "processes", "dask")
"""Where a run's batches can run (``flows.runners``); the first is the default."""
