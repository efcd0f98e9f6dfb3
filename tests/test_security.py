"""A hostile input or output folder: swapped files, planted journals and locks, files the
pipeline did not write. Races use a deterministic hook (the swap happens between the steps)."""
import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pytest

from flows import storage
from flows.storage import OutputRefused


@contextmanager
def no_hang(seconds: int = 5):
    """Fail the test instead of hanging it (a FIFO opened for reading blocks without O_NONBLOCK)."""
    def fail(signum, frame):
        raise AssertionError(f"blocked for {seconds} s")
    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def listed(tmp_path):
    """An input folder with one article, listed and hashed; a secret file outside it."""
    inp, secret = tmp_path / "in", tmp_path / "secret.txt"
    (inp / "sub").mkdir(parents=True)
    (inp / "sub" / "a.txt").write_text("An article.")
    secret.write_text("root:x:0:0")
    found, _ = storage.discover_inputs(inp)
    return inp, secret, storage.with_hashes(found, 100)


def swap_for_link(path, target) -> None:
    path.unlink()
    path.symlink_to(target)


def swap_for_fifo(path, target) -> None:
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("swap", [swap_for_link, swap_for_fifo])
def test_a_file_swapped_after_hashing_is_a_reject_never_read(listed, swap):
    inp, secret, (item,) = listed
    swap(inp / "sub" / "a.txt", secret)
    with no_hang():
        reject = storage.read_input(item, 100)
    assert (reject.source_file, reject.reason) == ("sub/a.txt", "unreadable")
    assert reject.detail in ("replaced by a link after the run listed it (not followed)",
                             "not a regular file (FIFO); not read")


@pytest.mark.parametrize("swap", [swap_for_link, swap_for_fifo])
def test_a_file_swapped_between_listing_and_hashing_is_neither_hashed_nor_read(tmp_path, swap):
    inp, secret = tmp_path / "in", tmp_path / "secret.txt"
    inp.mkdir()
    (inp / "a.txt").write_text("An article.")
    secret.write_text("root:x:0:0")
    found, _ = storage.discover_inputs(inp)
    swap(inp / "a.txt", secret)
    with no_hang():
        (item,) = storage.with_hashes(found, 100)
        reject = storage.read_input(item, 100)
    assert (item.sha256, reject.reason) == (None, "unreadable")


def test_a_folder_swapped_for_a_link_outside_is_not_read_through(listed):
    inp, secret, (item,) = listed
    outside = secret.parent / "outside"
    outside.mkdir()
    (outside / "a.txt").write_text("root:x:0:0")
    (inp / "sub").rename(inp / "old-sub")
    (inp / "sub").symlink_to(outside)
    reject = storage.read_input(item, 100)
    assert (reject.reason, reject.detail) == ("unreadable", "replaced or moved after the run listed it; not read")


CHANGED = "changed after the run listed it (not the bytes it hashed); not extracted"


def replace_by_copy(path, text: str) -> None:
    """``path`` becomes a new file (a new inode), as an editor saves or another NFS client sees it."""
    path.with_suffix(".tmp").write_text(text)
    path.with_suffix(".tmp").replace(path)


@pytest.mark.parametrize("change", [
    lambda path: replace_by_copy(path, "Other bytes than the hash says."),
    lambda path: path.write_text("An article!"),                   # in place: the same inode
], ids=["another file", "rewritten in place"])
def test_bytes_other_than_those_hashed_are_a_reject_never_extracted(listed, change):
    inp, _, (item,) = listed
    change(inp / "sub" / "a.txt")
    reject = storage.read_input(item, 100)
    assert (reject.source_file, reject.reason, reject.detail) == ("sub/a.txt", "unreadable", CHANGED)


def test_the_bytes_hashed_are_read_from_another_file_holding_them(listed):
    """A file is known by its bytes, not by its device and inode, which every NFS client numbers
    its own way (a Dask worker on another machine would reject every input)."""
    inp, _, (item,) = listed
    replace_by_copy(inp / "sub" / "a.txt", "An article.")
    assert storage.read_input(item, 100).data == b"An article."


def test_an_unswapped_file_is_read(listed):
    _, _, (item,) = listed
    assert storage.read_input(item, 100).data == b"An article."


def plant_journal(out, staging: str, entries: list) -> None:
    (out / storage.JOURNAL).write_text(json.dumps({"staging": staging, "entries": entries}))


@pytest.mark.parametrize("staging, entries", [
    ("../victim", ["keep.txt"]),
    ("/", ["etc"]),
    (".staging-planted", ["keep.txt"]),         # our pattern, but no staging mark: not made by a run
    (".staging-run", ["../keep.txt"]),
    (".staging-run", ["/etc/passwd"]),
    (".staging-run", "keep.txt"),
])
def test_a_planted_journal_stops_the_run_and_moves_nothing(tmp_path, staging, entries):
    out, victim = tmp_path / "out", tmp_path / "victim"
    out.mkdir()
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    (out / ".staging-planted").mkdir()
    (out / ".staging-planted" / "keep.txt").write_text("planted")
    storage.begin_staging(out, "run")
    plant_journal(out, staging, entries)
    with pytest.raises(OutputRefused, match="is not a swap journal newsfacts wrote"):
        with storage.output_lock(out):
            pass
    assert (victim / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".lock", storage.JOURNAL, ".staging-planted", ".staging-run"])


def test_a_journal_that_is_not_json_stops_the_run_with_a_message(tmp_path):
    (tmp_path / storage.JOURNAL).write_text("{not json")
    with pytest.raises(OutputRefused, match="unreadable"):
        storage.recover_interrupted_swap(tmp_path)


def test_a_planted_lock_link_is_refused_and_its_target_kept(tmp_path):
    target = tmp_path / "precious"
    target.write_text("do not truncate")
    out = tmp_path / "out"
    out.mkdir()
    (out / storage.LOCK).symlink_to(target)
    with pytest.raises(OutputRefused, match="is a symbolic link"):
        with storage.output_lock(out):
            pass
    assert target.read_text() == "do not truncate"


def publish_validation(out, page: str) -> None:
    with storage.output_lock(out):
        staging = storage.begin_staging(out, "run")
        storage.write_part(pa.table({"x": [1]}), staging / "a", "part-000001-000000.parquet")
        (staging / "validation").mkdir()
        (staging / "validation" / "index.html").write_text(page)
        storage.publish(staging)


def test_user_files_in_validation_are_never_deleted(tmp_path):
    publish_validation(tmp_path, "first")
    (tmp_path / "validation" / "notes.md").write_text("mine")
    with pytest.raises(OutputRefused, match="validation/notes.md was not written by newsfacts"):
        publish_validation(tmp_path, "second")
    assert (tmp_path / "validation" / "notes.md").read_text() == "mine"
    assert (tmp_path / "validation" / "index.html").read_text() == "first"
    assert not (tmp_path / storage.JOURNAL).exists()      # refused before the swap began


def test_a_validation_folder_newsfacts_did_not_make_is_refused(tmp_path):
    (tmp_path / "validation").mkdir()
    (tmp_path / "validation" / "index.html").write_text("a user's site")
    with pytest.raises(OutputRefused, match="holds no list of the files newsfacts wrote there"):
        publish_validation(tmp_path, "ours")
    assert (tmp_path / "validation" / "index.html").read_text() == "a user's site"


def test_foreign_old_and_staging_folders_survive_clean_up(tmp_path):
    for name in (".old-validation", ".staging-x", ".old-photos"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "keep.txt").write_text("mine")
    with pytest.raises(OutputRefused, match=".old-validation/ holds no list"):
        publish_validation(tmp_path, "first")      # the first publish only adds validation/
        publish_validation(tmp_path, "second")     # the second would set the old one aside
    for name in (".old-validation", ".staging-x", ".old-photos"):
        assert (tmp_path / name / "keep.txt").read_text() == "mine"
    assert (tmp_path / "validation" / "index.html").read_text() == "first"


def test_output_equal_to_input_keeps_every_input_file(tmp_path):
    (tmp_path / "a.txt").write_text("An article.")
    (tmp_path / ".staging-notes").mkdir()
    (tmp_path / ".staging-notes" / "draft.txt").write_text("mine")
    publish_validation(tmp_path, "first")
    publish_validation(tmp_path, "second")
    assert (tmp_path / "a.txt").read_text() == "An article."
    assert (tmp_path / ".staging-notes" / "draft.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".lock", storage.SNAPSHOTS, ".staging-notes", "a", "a.txt", "validation"]


@pytest.mark.parametrize("planted", ["folder", "link elsewhere", "file"])
def test_a_table_place_newsfacts_did_not_make_is_refused(tmp_path, planted):
    """A table is published as a link to a snapshot; a user's folder, file or link there stays."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out, place = tmp_path / "out", tmp_path / "out" / "a"
    out.mkdir()
    mine = {"folder": place / "part-000001-000000.parquet", "file": place,
            "link elsewhere": elsewhere / "part-000001-000000.parquet"}[planted]
    if planted == "folder":
        place.mkdir()
    elif planted == "link elsewhere":
        place.symlink_to(elsewhere)
    mine.write_text("mine")
    with pytest.raises(OutputRefused, match="a is not a link newsfacts made"):
        publish_validation(out, "first")
    assert mine.read_text() == "mine" and place.is_symlink() == (planted == "link elsewhere")
    assert not (out / storage.JOURNAL).exists()


def test_an_old_snapshot_holding_a_user_file_is_not_deleted(tmp_path):
    publish_validation(tmp_path, "first")
    first = Path(os.path.realpath(tmp_path / "a"))
    (first / "notes.md").write_text("mine")
    publish_validation(tmp_path, "second")
    publish_validation(tmp_path, "third")      # the first snapshot is now the one to drop
    assert (first / "notes.md").read_text() == "mine"
    assert storage.read_published(tmp_path, "a")["x"].to_pylist() == [1]


def test_a_data_docs_folder_published_before_ownership_lists_is_taken_over(tmp_path):
    for name in ("index.html", "static/style.css", "validations/figures.html"):
        (tmp_path / "validation" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "validation" / name).write_text("old site")
    (tmp_path / "validation.parquet").write_bytes(b"PAR1")     # the report of that earlier run
    publish_validation(tmp_path, "new")
    assert (tmp_path / "validation" / "index.html").read_text() == "new"
    assert not (tmp_path / "validation" / "static").exists()
