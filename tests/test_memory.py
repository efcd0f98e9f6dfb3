"""Memory a step freed goes back to the system before the next step (issue 18: the run's peak)."""
import os

import pyarrow as pa

from flows.memory import release_freed_memory


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_arrow_s_freed_pages_are_returned():
    column = pa.array(range(20_000_000), pa.int64())        # 160 MB in Arrow's pool
    del column
    held = _resident_mb()
    release_freed_memory()
    assert held - _resident_mb() > 100
