"""The Dask path (flows.cluster): batches as plain Dask tasks, extracted in a pool of processes
(a remote worker's own, or the one a LocalCluster's threads share), so the time budget interrupts
a C call there as on the default runner (issue 18 item 3). ``remote`` is a cluster of worker
processes, as ``--dask-address`` finds one."""
import os
import sys
import time
from datetime import UTC, datetime

import dask
import pytest
from conftest import run_cli
from distributed import Client, LocalCluster
from test_budget import sleep_within_budget
from test_flow import LINEAGE, read
from test_security import CHANGED, replace_by_copy

from flows import storage
from flows.batches import Batch, process_batch
from flows.cluster import ExtractionPool, dask_client, map_batches
from flows.pool import in_pool
from transforms.schemas import SCHEMAS
from transforms.tables import RunInfo


def test_a_dask_worker_enforces_the_budget_on_a_c_call():
    """In a Dask worker's own thread the budget would wait for the 30 s sleep to end."""
    with dask_client(None, 1) as client:
        client.submit(in_pool, len, "warm", pure=False).result()     # the pool's start-up is not the budget's
        started = time.monotonic()
        assert client.submit(in_pool, sleep_within_budget, 30, 0.2, pure=False).result() == "interrupted"
        assert time.monotonic() - started < 10


@pytest.fixture
def remote():
    """The scheduler address of a LocalCluster of two worker processes, as a user would start one."""
    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_every_batch_is_mapped_with_its_number():
    with dask_client(None, 2) as client:
        assert sorted(map_batches(client, pow, [10, 11, 12, 13])) == [1, 11, 144, 2197]


def pool_process(batch: int, number: int) -> int:
    return os.getpid()


def test_a_local_cluster_s_workers_are_threads_of_the_run_around_its_extraction_pool():
    """Worker processes of its own would only relay batches to pools of theirs (10-14 s to start)."""
    with dask_client(None, 2) as client:
        assert set(client.run(os.getpid).values()) == {os.getpid()}
        assert len(client.scheduler_info()["workers"]) == 2
        assert os.getpid() not in set(map_batches(client, pool_process, list(range(8))))


def test_a_daemonic_worker_is_refused_with_the_setting_that_fixes_it():
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        with pytest.raises(RuntimeError, match="start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            client.register_plugin(ExtractionPool(), name=ExtractionPool.name)


def _plugins(dask_worker) -> list[str]:
    return sorted(dask_worker.plugins)


def test_a_run_on_an_existing_cluster_gives_the_default_runner_s_tables(seeds_output, tmp_path, remote):
    first, _ = seeds_output
    with Client(remote) as client:
        result = run_cli("--input", "seeds", "--output", str(tmp_path), "--dask-address", remote, "--batch-size", "2")
        assert result.returncode == 0, result.stderr
        assert all(ExtractionPool.name in names for names in client.run(_plugins).values())
    for name in SCHEMAS:
        assert read(first, name).drop(columns=LINEAGE, errors="ignore").equals(
            read(tmp_path, name).drop(columns=LINEAGE, errors="ignore")), name


def test_workers_relay_batches_without_importing_the_transforms(tmp_path, remote):
    (tmp_path / "a.txt").write_text("Kenya will send 1,000 officers to Haiti.", encoding="utf-8")
    items = storage.with_hashes(storage.discover_inputs(tmp_path)[0], 1_000)
    run = RunInfo("test", "0", datetime(2026, 1, 1, tzinfo=UTC))
    with dask_client(remote, 0) as client:
        outcomes = list(map_batches(client, process_batch, [Batch(items)], str(tmp_path / "staging"), run, 1_000, 5.0))
        assert [(o.number, o.extracted, o.rejects) for o in outcomes] == [(0, 1, [])]
        imported = client.run(lambda: "transforms.extract" in sys.modules)   # by value: this module is not imported
        assert list(imported.values()) == [False, False]


def test_a_worker_knows_an_input_by_its_bytes_not_by_its_device_and_inode(tmp_path, remote):
    """On shared storage each machine numbers devices its own way: a copy holding the bytes the
    flow hashed (a new inode here) is extracted, a changed file is a reject saying so."""
    for name in ("same.txt", "changed.txt"):
        (tmp_path / name).write_text("Kenya will send 1,000 officers to Haiti.", encoding="utf-8")
    items = storage.with_hashes(storage.discover_inputs(tmp_path)[0], 1_000)
    replace_by_copy(tmp_path / "same.txt", "Kenya will send 1,000 officers to Haiti.")
    replace_by_copy(tmp_path / "changed.txt", "Kenya will send 2,000 officers to Haiti.")
    run = RunInfo("test", "0", datetime(2026, 1, 1, tzinfo=UTC))
    with dask_client(remote, 0) as client:
        (outcome,) = map_batches(client, process_batch, [Batch(items)], str(tmp_path / "staging"), run, 1_000, 5.0)
    assert outcome.extracted == 1
    assert [(r.source_file, r.reason, r.detail) for r in outcome.rejects] == [("changed.txt", "unreadable", CHANGED)]
