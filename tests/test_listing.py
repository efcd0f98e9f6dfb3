"""The listing cache (``flows.listing``): a re-run reads only the text inputs whose status changed,
and a change the status may hide (racy), a damaged cache or a full refresh means reading again."""
import os
import time
from pathlib import Path

import pytest

from flows import storage
from flows.inputs import article_sha256
from flows.listing import LISTING, LISTING_PART, RACY_MARGIN_NS, Listing, last_listing


@pytest.fixture()
def inputs(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_bytes(b"Alpha said 5 people.")
    (inp / "b.txt").write_bytes(b"Beta said 7 people.")
    (inp / "b.json").write_bytes(b'{"outlet": "X"}')
    (inp / "c.jsonl").write_bytes(b'{"text": "Gamma said 9 people."}\n')
    return inp


@pytest.fixture()
def reads(monkeypatch):
    """The text inputs hashed (read), in order."""
    hashed = []
    real = storage._hashed

    def counting(item, max_bytes):
        hashed.append(item.source_file)
        return real(item, max_bytes)

    monkeypatch.setattr(storage, "_hashed", counting)
    return hashed


def listed(inp: Path, listing: Listing) -> dict[str, str | None]:
    found, _ = storage.discover_inputs(inp)
    return {item.source_file: item.sha256 for item in listing.with_hashes(found, 1_000)}


def published(listing: Listing, out: Path) -> Listing:
    """The listing as the next run finds it beside the tables."""
    storage.write_part(listing.table(), out / LISTING, LISTING_PART)
    return last_listing(out, full_refresh=False)


def later() -> Listing:
    """A listing that starts after the racy margin: the files written just now are old enough to cache."""
    return Listing(started_ns=time.time_ns() + 2 * RACY_MARGIN_NS)


EXPECTED = {"a.txt": article_sha256(b"Alpha said 5 people."),
            "b.txt": article_sha256(b"Beta said 7 people.", b'{"outlet": "X"}'),
            "c.jsonl#L1": article_sha256(b'{"text": "Gamma said 9 people."}')}


def test_unchanged_text_files_take_the_cached_hash_unread(inputs, tmp_path, reads):
    first = later()
    assert listed(inputs, first) == EXPECTED
    assert (reads, first.table().column("path").to_pylist()) == (
        ["a.txt", "b.txt"], [os.fsencode(inputs.resolve() / "a.txt"), os.fsencode(inputs.resolve() / "b.txt")])
    reads.clear()
    again = published(first, tmp_path / "out")
    assert listed(inputs, again) == EXPECTED
    assert reads == []                         # the JSON Lines file is read at listing, as ever
    assert again.table().equals(first.table())


def test_a_rewritten_file_of_the_same_size_and_mtime_is_hashed_again(inputs, tmp_path, reads):
    cached = published(_listed(inputs, later()), tmp_path / "out")
    before = (inputs / "a.txt").stat()
    (inputs / "a.txt").write_bytes(b"Alpha said 6 people.")               # same size
    os.utime(inputs / "a.txt", ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back: the ctime moved
    reads.clear()
    assert listed(inputs, cached) == {**EXPECTED, "a.txt": article_sha256(b"Alpha said 6 people.")}
    assert reads == ["a.txt"]


def test_a_changed_sidecar_hashes_its_article_again(inputs, tmp_path, reads):
    cached = published(_listed(inputs, later()), tmp_path / "out")
    (inputs / "b.json").write_bytes(b'{"outlet": "Y"}')
    reads.clear()
    assert listed(inputs, cached)["b.txt"] == article_sha256(b"Beta said 7 people.", b'{"outlet": "Y"}')
    assert reads == ["b.txt"]


def test_a_file_modified_within_the_racy_margin_is_not_cached(inputs, tmp_path, reads):
    now = Listing()                              # the files were written just before this listing
    assert listed(inputs, now) == EXPECTED
    assert now.table().num_rows == 0
    cached = published(now, tmp_path / "out")
    before = (inputs / "a.txt").stat()
    (inputs / "a.txt").write_bytes(b"Alpha said 6 people.")
    os.utime(inputs / "a.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    reads.clear()
    assert listed(inputs, cached)["a.txt"] == article_sha256(b"Alpha said 6 people.")
    assert reads == ["a.txt", "b.txt"]


@pytest.mark.parametrize("damage", [b"not parquet", None])
def test_a_damaged_or_missing_cache_hashes_every_file(inputs, tmp_path, reads, damage):
    out = tmp_path / "out"
    published(_listed(inputs, later()), out)
    part = out / LISTING / LISTING_PART
    if damage is None:
        part.unlink()
    else:
        part.write_bytes(damage)
    reads.clear()
    assert listed(inputs, last_listing(out, full_refresh=False)) == EXPECTED
    assert reads == ["a.txt", "b.txt"]


def test_a_full_refresh_ignores_the_cache(inputs, tmp_path, reads):
    out = tmp_path / "out"
    published(_listed(inputs, later()), out)
    reads.clear()
    assert listed(inputs, last_listing(out, full_refresh=True)) == EXPECTED
    assert reads == ["a.txt", "b.txt"]


def test_a_cached_file_over_the_size_limit_is_not_hashed(inputs, tmp_path):
    cached = published(_listed(inputs, later()), tmp_path / "out")
    found, _ = storage.discover_inputs(inputs)
    hashes = [item.sha256 for item in cached.with_hashes(found, 19)]
    assert hashes == [None, EXPECTED["b.txt"], None]           # 20 bytes, 19 (and a sidecar of 15), a line of 32


def _listed(inp: Path, listing: Listing) -> Listing:
    listed(inp, listing)
    return listing


def test_a_file_name_that_is_not_utf8_is_cached(tmp_path, reads):
    """A path is kept as the file system's bytes: a Latin-1 name broke the whole run once."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"Alpha said 5 people.")
    first = later()
    assert list(listed(inp, first).values()) == [article_sha256(b"Alpha said 5 people.")]
    reads.clear()
    again = published(first, tmp_path / "out")
    assert list(listed(inp, again).values()) == [article_sha256(b"Alpha said 5 people.")] and reads == []
