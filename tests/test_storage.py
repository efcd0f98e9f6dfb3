"""Input discovery, reading limits, the output lock and the atomic swap of output tables."""
import os
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import storage
from flows.assemble import Assembly, Piece, Unit, _compacted
from flows.batches import Batch, process_batch
from flows.plan import Manifest, plan_run
from flows.storage import InputFile
from transforms.records import Reject
from transforms.tables import RunInfo


def table(value: int) -> pa.Table:
    return pa.table({"x": [value]})


def publish_tables(tables: dict[str, pa.Table], out, run_id: str) -> None:
    """What a run does: tables written complete into a fresh staging folder, then swapped in."""
    staging = storage.begin_staging(out, run_id)
    for name, t in tables.items():
        storage.write_part(t, staging / name, "part-000001-000000.parquet")
    storage.publish(staging)


def values(out, names="ab") -> list[int]:
    return [storage.read_published(out, n)["x"][0].as_py() for n in names]


def entries(out) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name != storage.SNAPSHOTS)


def test_discover_is_recursive_sorted_and_rejects_links_outside(tmp_path):
    inp, outside = tmp_path / "in", tmp_path / "secret.txt"
    (inp / "sub").mkdir(parents=True)
    (inp / "b.txt").write_text("b")
    (inp / "sub" / "a.txt").write_text("a")
    (inp / "notes.md").write_text("ignored")
    outside.write_text("outside")
    (inp / "leak.txt").symlink_to(outside)
    (inp / "inside.txt").symlink_to(inp / "b.txt")
    found, rejects = storage.discover_inputs(inp)
    assert [f.source_file for f in found] == ["b.txt", "inside.txt", "sub/a.txt"]
    assert rejects == [Reject("leak.txt", "outside_input", "a link that leads outside the input folder")]


def test_missing_input_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        storage.discover_inputs(tmp_path / "nope")


def test_read_input_limits_and_vanished_files(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 11)
    item = InputFile("a.txt", str(path))
    assert storage.read_input(item, max_bytes=11).data == b"x" * 11
    too_large = storage.read_input(item, max_bytes=10)
    assert (too_large.reason, too_large.size_bytes) == ("too_large", 11)
    path.unlink()
    assert storage.read_input(item, max_bytes=10).reason == "vanished"


def test_unreadable_input_is_a_reject_not_a_crash(tmp_path):
    reject = storage.read_input(InputFile("dir.txt", str(tmp_path)), 10)
    assert (reject.reason, reject.detail) == ("unreadable", "Is a directory (EISDIR)")


def test_publishing_replaces_all_tables(tmp_path):
    publish_tables({"a": table(1), "b": table(1)}, tmp_path, "run1")
    publish_tables({"a": table(2), "b": table(2)}, tmp_path, "run2")
    assert values(tmp_path) == [2, 2]
    assert entries(tmp_path) == ["a", "b"]
    assert [os.readlink(tmp_path / n).split("/")[0] for n in "ab"] == [storage.SNAPSHOTS] * 2


def test_a_table_is_a_folder_of_parts_plain_readers_take_whole(tmp_path):
    staging = storage.begin_staging(tmp_path, "run1")
    for unit in range(3):
        storage.write_part(table(unit), staging / "a", f"part-000001-{unit:06d}.parquet")
    storage.publish(staging)
    assert pq.read_table(tmp_path / "a")["x"].to_pylist() == [0, 1, 2]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [f"part-000001-00000{u}.parquet" for u in range(3)]
    assert storage.table_glob(tmp_path, "a") == f"{tmp_path}/a/part-*.parquet"


def test_a_kept_part_is_a_hard_link_and_old_snapshots_go(tmp_path):
    publish_tables({"a": table(1)}, tmp_path, "run1")
    for run in ("run2", "run3"):
        staging = storage.begin_staging(tmp_path, run)
        storage.keep_part(storage.table_parts(tmp_path, "a")[0], staging / "a")
        storage.write_part(table(2), staging / "a", f"part-000002-{run[-1]}.parquet")
        storage.publish(staging)
    first, kept = storage.table_parts(tmp_path, "a")[0], storage.table_parts(tmp_path, "a")
    assert first.stat().st_nlink == 2          # in this snapshot and the one before (kept for readers)
    assert [p.name for p in kept] == ["part-000001-000000.parquet", "part-000002-3.parquet"]
    assert len(list((tmp_path / storage.SNAPSHOTS).iterdir())) == 2


def test_a_run_failing_while_writing_leaves_the_old_output(tmp_path, monkeypatch):
    publish_tables({"a": table(1), "b": table(1)}, tmp_path, "run1")
    real_write = pq.write_table

    def failing_write(tbl, path, **kw):
        if "/b/" in str(path):
            raise OSError("disk full")
        real_write(tbl, path, **kw)

    monkeypatch.setattr(pq, "write_table", failing_write)
    with pytest.raises(OSError, match="disk full"):
        publish_tables({"a": table(2), "b": table(2)}, tmp_path, "run2")
    assert values(tmp_path) == [1, 1]


def test_a_swap_interrupted_after_the_journal_is_rolled_forward(tmp_path, monkeypatch):
    publish_tables({"a": table(1), "b": table(1)}, tmp_path, "run1")
    real_replace, calls = os.replace, []

    def dying_replace(src, dst):
        calls.append(dst)
        if dst == tmp_path / "b":
            raise KeyboardInterrupt  # the process dies between the two moves
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        publish_tables({"a": table(2), "b": table(2)}, tmp_path, "run2")
    monkeypatch.setattr(os, "replace", real_replace)
    assert (tmp_path / storage.JOURNAL).exists()
    storage.recover_interrupted_swap(tmp_path)
    assert values(tmp_path) == [2, 2]
    assert not (tmp_path / storage.JOURNAL).exists() and entries(tmp_path) == ["a", "b"]
    assert not list(tmp_path.glob(".staging-*"))


def test_a_second_run_on_the_same_output_fails_clearly(tmp_path):
    with storage.output_lock(tmp_path):
        with pytest.raises(storage.OutputLocked, match=f"in use by process {os.getpid()}"):
            with storage.output_lock(tmp_path):
                pass
    with storage.output_lock(tmp_path):  # released after the first run
        pass


def test_publish_replaces_folders_too(tmp_path):
    for run, page in (("run1", "old"), ("run2", "new")):
        staging = storage.begin_staging(tmp_path, run)
        storage.write_part(table(1), staging / "a", "part-000001-000000.parquet")
        (staging / "validation").mkdir()
        (staging / "validation" / "index.html").write_text(page)
        storage.publish(staging)
    assert (tmp_path / "validation" / "index.html").read_text() == "new"
    assert entries(tmp_path) == ["a", "validation"]


def test_write_table_replaces_one_file_and_leaves_no_temporary(tmp_path):
    storage.write_table(table(1), tmp_path / "v.parquet")
    storage.write_table(table(2), tmp_path / "v.parquet")
    assert pq.read_table(tmp_path / "v.parquet")["x"].to_pylist() == [2]
    assert [p.name for p in tmp_path.iterdir()] == ["v.parquet"]


def test_taking_the_lock_finishes_an_interrupted_publish(tmp_path, monkeypatch):
    """Every path of a run starts here, the "nothing changed" one too: none keeps a mixed output."""
    publish_tables({"a": table(1), "b": table(1)}, tmp_path, "run1")
    real_replace = os.replace

    def dying_replace(src, dst):
        if dst == tmp_path / "b":
            raise KeyboardInterrupt  # killed after the first move of the publish
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        publish_tables({"a": table(2), "b": table(2)}, tmp_path, "run2")
    monkeypatch.setattr(os, "replace", real_replace)
    with storage.output_lock(tmp_path):
        assert values(tmp_path) == [2, 2]
    assert entries(tmp_path) == [".lock", "a", "b"]


def extracted(inp, staging) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The flow's path without Prefect: list, hash, plan, extract, assemble; (articles, rejects)."""
    found, rejects = storage.discover_inputs(inp)
    work = plan_run(storage.with_hashes(found, 1000), Manifest(), "v", full_refresh=True)
    run = RunInfo("run", "v", datetime.now(UTC))
    outcome = process_batch(Batch(work.extract), 0, str(staging), run, 1000, 30.0)
    Assembly(staging.parent, staging, frozenset()).assemble(rejects + work.rejects + outcome.rejects)
    articles = storage.read_published(staging, "articles")["source_file"].to_pylist()
    return articles, [(r["source_file"], r["reason"], r["detail"])
                      for r in storage.read_published(staging, "rejects").to_pylist()]


def test_a_file_name_that_is_not_utf8_is_stored_escaped(tmp_path):
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    with open(os.path.join(os.fsencode(inp / "sub"), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Kenya will send 1,000 officers.")
    (tmp_path / "staging").mkdir()
    assert extracted(inp, tmp_path / "staging") == (["sub/caf\\xe9.txt"], [])


@pytest.fixture
def deep_input(tmp_path):
    """1,000 nested folders with a file at the bottom, removed bottom-up afterwards (``shutil.rmtree``
    recurses per level, and would fail in pytest's own clean-up of old temporary folders)."""
    folders = [tmp_path / "in"]
    for _ in range(1000):
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()
    (folders[-1] / "deep.txt").write_text("deep")
    yield folders[0]
    (folders[-1] / "deep.txt").unlink()
    for folder in reversed(folders):
        folder.rmdir()


def test_a_thousand_nested_folders_are_listed(deep_input):
    (found,), rejects = storage.discover_inputs(deep_input)
    assert (found.source_file, rejects) == ("d/" * 1000 + "deep.txt", [])


def test_fifos_links_to_folders_and_broken_links_are_rejects_without_absolute_paths(tmp_path):
    inp = tmp_path / "in"
    (inp / "folder").mkdir(parents=True)
    os.mkfifo(inp / "pipe.txt")
    (inp / "folder.txt").symlink_to(inp / "folder")
    (inp / "broken.txt").symlink_to(tmp_path / "gone")
    (inp / "loop.txt").symlink_to(inp / "loop.txt")
    found, rejects = storage.discover_inputs(inp)
    assert found == []
    assert rejects == [
        Reject("broken.txt", "unreadable", "broken or looping link: No such file or directory"),
        Reject("folder.txt", "unreadable", "a link to a folder, not to a file"),
        Reject("loop.txt", "unreadable", "broken or looping link: a link loop"),
        Reject("pipe.txt", "unreadable", "not a regular file (FIFO)"),
    ]
    assert not [r for r in rejects if str(tmp_path) in r.detail]


def test_every_empty_file_is_empty_not_a_duplicate(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (inp / name).write_bytes(b"")
    (tmp_path / "staging").mkdir()
    detail = "the file holds no text (0 bytes, all blank)"
    assert extracted(inp, tmp_path / "staging") == ([], [(n, "empty", detail) for n in ("a.txt", "b.txt", "c.txt")])


def test_compaction_packs_units_into_bounded_ones_and_keeps_a_large_carried_one():
    """171 batches of 100 articles (MAX_UNITS 64): 35 units of at most 535 articles, not one of 14,000."""
    batches = [((Piece(f"b{i}", False),), frozenset(f"a{i}-{j}" for j in range(100))) for i in range(171)]
    large = Unit("part-000001-000000.parquet", (Piece("part-000001-000000.parquet", True),),
                 frozenset(f"c{j}" for j in range(600)), carried=True)
    assert _compacted([], batches)[0] == []
    assert sorted(len(articles) for _, articles in _compacted([], batches)[1]) == [100] + [500] * 34
    assert _compacted([large], batches)[0] == [large]
