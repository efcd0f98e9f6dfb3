"""Memory a step freed goes back to the system before the next step (issue 18: the run's peak)."""
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pyarrow as pa

from flows.etl import completed
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


def test_extraction_keeps_a_window_of_batches_submitted_and_yields_every_one():
    """Each pending Prefect task holds a thread: at most ``window`` are submitted and not yet taken."""
    submitted = taken = most = 0

    def submit(number: int) -> Future:
        nonlocal submitted, most
        submitted += 1
        most = max(most, submitted - taken)
        return pool.submit(lambda: time.sleep(0.001 * (number % 3)) or number)

    with ThreadPoolExecutor(4) as pool:
        numbers = []
        for future in completed(submit, 20, window=3):
            numbers.append(future.result())
            taken += 1
    assert (sorted(numbers), most) == (list(range(20)), 3)
