"""Prefect flows: thin orchestration over ``transforms`` (all file I/O of a run lives in ``flows.storage``)."""
import os

# Quiet, offline defaults, set before Prefect or Great Expectations is imported; the
# environment still wins. The ephemeral API server needs ~20 s to create its database on
# a fresh machine, so its start-up timeout is raised from Prefect's 20 s.
for _name, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_name, _value)
