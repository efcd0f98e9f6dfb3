"""The listing cache: the SHA-256 of each text input as the last published run hashed it, with
the file's status (``os.stat``), so that a re-run reads only the files that changed (as git's
index does).

Kept beside the tables as state (``_listing``, published atomically with the run's tables). A
text file whose status (size, mtime, ctime, inode and device; its sidecar's too, or that it has
none) equals the cached one takes the cached hash without being read. An entry is cached only
when its file's mtime and ctime are older than the start of the listing that took them by more
than ``RACY_MARGIN_NS`` (git's "racy" rule: a file written within the timestamps' granularity of
its status being taken may change again without its status changing), so a later change always
shows in the status. The bytes read for extraction are still checked against the hash. A missing
or damaged cache hashes every file (as a first run does); ``--full-refresh`` ignores it. JSON
Lines files are read whole when listed anyway (``storage.json_articles``): not cached.
"""
from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field

import pyarrow as pa

from flows import storage
from flows.inputs import is_json_lines, sidecar_name
from flows.storage import InputFile
from transforms.tables import python_values

LISTING = "_listing"
LISTING_PART = "part-0-listing.parquet"
RACY_MARGIN_NS = 2_000_000_000
"""Coarser than any file system's timestamps (FAT's are 2 s apart; Linux's coarse clock, milliseconds)."""
_STATUS = ("size", "mtime_ns", "ctime_ns", "inode", "device")
_FIELDS = [*_STATUS, *(f"sidecar_{name}" for name in _STATUS)]
_UNSIGNED = ("inode", "device")
LISTING_SCHEMA = pa.schema([pa.field("path", pa.binary(), nullable=False),      # os.fsencode: any file name
                            *(pa.field(name, pa.uint64() if name.endswith(_UNSIGNED) else pa.int64())
                              for name in _FIELDS),
                            pa.field("sha256", pa.string(), nullable=False)])
"""One row per cached text input: where it is read, its status and its sidecar's (nulls: it has
none), and its hash."""

Status = tuple[int | None, ...]
"""A text file's status and its sidecar's, in ``_FIELDS`` order."""


@dataclass(slots=True)
class Listing:
    """The hashes a run may take from the last run (``known``), and those it keeps for the next (``seen``)."""

    known: dict[str, tuple[Status, str]] = field(default_factory=dict)     # path -> (status, sha256)
    seen: dict[str, tuple[Status, str]] = field(default_factory=dict)
    started_ns: int = field(default_factory=time.time_ns)

    def with_hashes(self, items: list[InputFile], max_bytes: int) -> list[InputFile]:
        """``storage.with_hashes``, but a text file whose status is unchanged takes its cached hash unread."""
        hashed = []
        for item in items:
            if is_json_lines(item.source_file):
                hashed += storage.with_hashes([item], max_bytes)
                continue
            now = status(item.path, sidecar_name(item.path))
            sha256 = self.cached(item.path, now, max_bytes)
            if sha256 is None:
                (item,) = storage.with_hashes([item], max_bytes)
                self.record(item.path, now, item.sha256)
            else:
                item = InputFile(item.source_file, item.path, sha256)      # 3 times faster than dataclasses.replace
            hashed.append(item)
        return hashed

    def cached(self, path: str, now: Status | None, max_bytes: int) -> str | None:
        """The hash the last run took of the file at ``path`` if its status is unchanged (and it is
        within ``max_bytes``, as a file hashed now must be)."""
        entry = self.known.get(path)
        if entry is None or now is None or entry[0] != now or max(now[0], now[5] or 0) > max_bytes:
            return None
        self.seen[path] = entry
        return entry[1]

    def record(self, path: str, taken: Status | None, sha256: str | None) -> None:
        """The hash of a file read after its status was ``taken``, kept unless the file was modified
        so close to this listing's start that it may change again without its status showing it."""
        if taken is None or sha256 is None:
            return
        changed = [ns for ns in (taken[1], taken[2], taken[6], taken[7]) if ns is not None]   # mtimes, ctimes
        if max(changed) < self.started_ns - RACY_MARGIN_NS:
            self.seen[path] = (taken, sha256)

    def table(self) -> pa.Table:
        """What this run keeps for the next, published as ``_listing``."""
        paths = sorted(self.seen)
        columns = {"path": [os.fsencode(p) for p in paths],
                   **{name: [self.seen[p][0][i] for p in paths] for i, name in enumerate(_FIELDS)},
                   "sha256": [self.seen[p][1] for p in paths]}
        return pa.table(columns, schema=LISTING_SCHEMA)


def status(path: str, sidecar: str) -> Status | None:
    """The status of a text file and of its sidecar (nulls when it has none), taken without
    following links; None when either is not a regular file or cannot be examined (not cached)."""
    try:
        own = _regular_status(path)
        try:
            theirs = _regular_status(sidecar)
        except FileNotFoundError:
            theirs = (None,) * len(_STATUS)
    except OSError:
        return None
    return None if own is None or theirs is None else own + theirs


def _regular_status(path: str) -> tuple[int, ...] | None:
    info = os.stat(path, follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def last_listing(output_dir: str | os.PathLike, full_refresh: bool) -> Listing:
    """The cache the last published run left in ``output_dir``; empty when there is none, it cannot
    be read, or the run is a full refresh."""
    table = None if full_refresh else storage.read_published(output_dir, LISTING)
    try:
        table = table.select(LISTING_SCHEMA.names).cast(LISTING_SCHEMA) if table is not None else None
    except (KeyError, ValueError, pa.ArrowException):
        table = None
    if table is None:
        return Listing()
    statuses = zip(*(python_values(table[name]) for name in _FIELDS))
    paths = (os.fsdecode(path) for path in python_values(table["path"]))
    return Listing(dict(zip(paths, zip(statuses, python_values(table["sha256"])))))
