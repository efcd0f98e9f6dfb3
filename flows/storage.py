"""All file I/O of the pipeline: finding and reading inputs, fingerprinting the rules, and
writing tables atomically.

Inputs (``flows.inputs`` says what each holds): every ``*.txt`` (one article, its sidecar
``<name>.json`` read with it), ``*.jsonl`` and ``*.jsonl.gz`` (one article per line) below the
input folder. A JSON Lines file is read once, when listed: each line's bytes (or why they could
not be read) travel with its ``InputFile`` to its batch, so a run holds those files' text in
memory until their batches have run.

Writing: every table of a run is first written complete into ``<output>/.staging-<run>/``
(where the validation report joins them); then a journal naming that folder is written,
each entry is moved into place with ``os.replace`` (atomic per file), and the journal is
removed. A run killed before the
journal leaves the previous tables untouched; one killed during the moves is rolled forward
by the next run as soon as it holds the lock (``recover_interrupted_swap``), so a reader never
finds a half-written file. One run at a time holds ``<output>/.lock``; a second run fails at
once with a clear message.

Ownership: the pipeline touches only what it wrote. A staging folder carries a mark
(``.newsfacts-staging``), a published folder a list of the paths it wrote there
(``.newsfacts-owned``); a folder without them, or holding anything else, is never deleted or
replaced: the run stops with a message instead (``OutputRefused``). A journal is trusted only
when it names one of its own staging folders and plain entry names.

Reading: an input is opened without following a link and without blocking, then checked on
the descriptor (a regular file, the one hashed at listing, still at its listed place), so a
file swapped for a link or a FIFO after listing becomes a reject, never read, never a hang.

Tables are datasets: ``<output>/<table>`` is a folder of immutable Parquet parts
(``part-<generation>-<unit>.parquet``) that plain readers take whole (DuckDB
``read_parquet('output/figures/*.parquet')``, ``pandas.read_parquet('output/figures')``,
``pyarrow.dataset``, polars); nothing else is ever put in it. It is a symbolic link to a
snapshot folder ``<output>/.snapshots/<table>-<n>/``: a run builds the next snapshot in its
staging folder from hard links to the parts it keeps plus the parts it writes, moves it
under ``.snapshots`` and swaps the link with ``os.replace`` (atomic), so a reader that
resolves the folder sees one run's parts, never a mix. A part is never written in place: a
changed part is a new file (a new inode), so the snapshot a reader resolved stays whole; the
snapshot before the last one is deleted (the last but one is kept for readers still listing
it). Chosen over an open table format because Delta and Iceberg folders read wrong through
plain readers until vacuumed (measured: 11,500 rows seen after an overwrite to 500) and DuckDB
here cannot load their extensions. Measured here: hard-linking 200 parts takes 2.3 ms and the
link swap 0.05 ms; 200 parts cost a reader at most 0.15 s more than one file (1.4 M rows). Every reader in the code goes
through ``read_published``, ``iter_published`` or ``table_glob``.
"""
from __future__ import annotations

import dataclasses
import errno
import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import BinaryIO, TextIO

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from flows.inputs import (
    INPUT_SUFFIXES,
    article_sha256,
    is_json_lines,
    json_lines,
    line_name,
    sidecar_digest,
    sidecar_name,
)
from transforms.records import Reject
from transforms.schemas import SCHEMAS, VALIDATION_TABLE

JOURNAL = ".swap-journal.json"
PARTS = "parts"
LOCK = ".lock"
SNAPSHOTS = ".snapshots"                # <output>/.snapshots/<table>-<n>/: the folders table links lead to
PART_GLOB = "part-*.parquet"
STAGING_MARK = ".newsfacts-staging"     # in a staging folder: a run of newsfacts made it
OWNED_LIST = ".newsfacts-owned"         # in a published folder: every path newsfacts wrote there
_DATA_DOCS_LAYOUT = frozenset({"index.html", "static", "expectations", "validations"})  # what GE's site builder writes
VALIDATION_FOLDER = "_validation"
"""Where the validation report and its Data Docs live: Parquet dataset readers (pyarrow, pandas) skip
folders named ``_*``, so a reader pointed at the output folder sees only the tables."""
_LEGACY_VALIDATION = ("validation", "validation.parquet")  # where runs before VALIDATION_FOLDER put them
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
"""The SHA-256 of an empty file: every empty file is ``empty``, none a duplicate of another."""

_STAGING_NAME = re.compile(r"\.staging-[A-Za-z0-9_-]+")
_ENTRY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")     # a table or folder the pipeline publishes
_PART_NAME = re.compile(r"part-[0-9]+-[A-Za-z0-9]+\.parquet")
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True, slots=True)
class InputFile:
    source_file: str  # relative to the input folder, "/"-separated, bytes that are not UTF-8 escaped
    path: str         # where it is read: below the input folder's real path, links resolved
    sha256: str | None = None  # of the bytes when listed, which the bytes read must match (None: not hashed then)
    listed: RawArticle | Reject | None = None  # a JSON Lines article: read when its file was listed


@dataclass(frozen=True, slots=True)
class RawArticle:
    source_file: str
    data: bytes                     # the text file's bytes, or the JSON line's (line break excluded)
    sha256: str                     # flows.inputs.article_sha256 of data and sidecar
    sidecar: bytes | None = None    # a text file's <name>.json, when it has one
    json_line: bool = False         # data is one JSON Lines record


class OutputLocked(RuntimeError):
    """Another run holds the output folder."""


class OutputRefused(FileExistsError):
    """The output folder holds something newsfacts did not write (or a journal it did not write
    or cannot trust) where it would write: nothing there is deleted or replaced."""


class _Refused(Exception):
    """An input that must not be read (swapped, not a regular file): a ``rejects`` row."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def discover_inputs(input_dir: str | os.PathLike) -> tuple[list[InputFile], list[Reject]]:
    """Every input file (``flows.inputs.INPUT_SUFFIXES``) below ``input_dir`` (recursive, sorted by
    path); links leading outside, and entries that are not regular files (FIFOs, links to
    folders), are rejected.

    Walked with ``os.scandir`` (a resolve per file would cost more than the rest of the
    listing): only links need resolving, and linked folders are not entered (as ``rglob``).
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    real_root = root.resolve()
    found, rejects = [], []
    for entry, source_file in _walk(str(real_root), rejects):
        if entry.is_symlink():
            found_or_reject = _linked_input(Path(entry.path), source_file, real_root)
            (found if isinstance(found_or_reject, InputFile) else rejects).append(found_or_reject)
        elif entry.is_file(follow_symlinks=False):
            found.append(InputFile(source_file, entry.path))
        else:
            rejects.append(Reject(source_file, "unreadable",
                                  f"not a regular file ({_kind(entry.stat(follow_symlinks=False).st_mode)})"))
    return sorted(found, key=_path_order), sorted(rejects, key=_path_order)


def _linked_input(link: Path, source_file: str, real_root: Path) -> InputFile | Reject:
    """A link below the input folder: the file it leads to, read at its real place, or why not."""
    try:
        real = link.resolve(strict=True)
    except RuntimeError:
        return Reject(source_file, "unreadable", "broken or looping link: a link loop")
    except OSError as error:
        return Reject(source_file, "unreadable", f"broken or looping link: {error.strerror or type(error).__name__}")
    if not real.is_relative_to(real_root):
        return Reject(source_file, "outside_input", "a link that leads outside the input folder")
    mode = real.stat().st_mode
    if not stat.S_ISREG(mode):
        return Reject(source_file, "unreadable", f"a link to a {_kind(mode)}, not to a file")
    return InputFile(source_file, str(real))


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
             (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))
    return next((name for test, name in kinds if test(mode)), "special file")


def _path_order(item: InputFile | Reject) -> list[str]:
    return item.source_file.split("/")      # folder by folder, as sorted paths are


def _walk(root: str, rejects: list[Reject]) -> Iterator[tuple[os.DirEntry, str]]:
    """Input entries below ``root`` with their "/"-separated paths; an unlistable folder is a reject.

    Folders wait on a list rather than the call stack, so any depth can be listed."""
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            rejects.append(Reject(prefix or ".", "unreadable",
                                  f"folder cannot be listed: {error.strerror or type(error).__name__}"))
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, f"{prefix}{escaped_name(entry.name)}/"))
            elif entry.name.endswith(INPUT_SUFFIXES):
                yield entry, prefix + escaped_name(entry.name)


def escaped_name(name: str) -> str:
    r"""A file name as text a table can hold: bytes that are not UTF-8 are written ``\xNN``.

    >>> escaped_name(os.fsdecode(b"caf\xe9.txt")), escaped_name("café.txt")
    ('caf\\xe9.txt', 'café.txt')
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def pipeline_version() -> str:
    """Package version plus a fingerprint of the rules (transforms code and data files).

    Extractions are reused by a later run only when this is unchanged, so editing a lexicon
    recomputes every article.
    """
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent / "transforms"
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".tsv", ".toml", ".txt")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{version('newsfacts')}+rules.{digest.hexdigest()[:12]}"


def with_hashes(items: list[InputFile], max_bytes: int) -> list[InputFile]:
    """The inputs with the SHA-256 of their bytes (``article_sha256``), which decides what a re-run
    can skip and which the bytes read later must match. A JSON Lines file becomes its articles,
    read now (``json_articles``)."""
    hashed = []
    for item in items:
        if is_json_lines(item.source_file):
            hashed += json_articles(item, max_bytes)
        else:
            hashed.append(_hashed(item, max_bytes))
    return hashed


def _hashed(item: InputFile, max_bytes: int) -> InputFile:
    try:
        with _open_input(item) as handle:
            info = os.fstat(handle.fileno())
            digest = hashlib.file_digest(handle, "sha256") if info.st_size <= max_bytes else None
        if digest is not None:
            digest = sidecar_digest(digest, _read_sidecar(item, max_bytes))
    except (OSError, _Refused):
        return item  # read_input reports it
    return dataclasses.replace(item, sha256=digest and digest.hexdigest())


def json_articles(item: InputFile, max_bytes: int) -> list[InputFile]:
    """One article per non-blank line of a JSON Lines file (``<file>#L<n>``), its bytes read now; a
    line over ``max_bytes`` is a ``too_large`` reject. The file itself is listed only when it
    cannot be read to its end: a reject saying how far it was read."""
    articles: list[InputFile] = []
    try:
        with _open_input(item) as handle:
            for line in json_lines(handle, item.source_file, max_bytes):
                name = line_name(item.source_file, line.number)
                if line.data is None:
                    articles.append(InputFile(name, item.path, listed=Reject(
                        name, "too_large", f"{line.size:,} bytes is over the limit of {max_bytes:,} (--max-bytes)",
                        line.size)))
                else:
                    sha256 = article_sha256(line.data)
                    articles.append(InputFile(name, item.path, sha256,
                                              listed=RawArticle(name, line.data, sha256, json_line=True)))
    except (OSError, EOFError, zlib.error, _Refused) as error:
        read = f"after line {articles[-1].source_file.rpartition('#L')[2]}" if articles else "at its start"
        if isinstance(error, EOFError | zlib.error | gzip.BadGzipFile):
            reject = Reject(item.source_file, "undecodable", f"not valid gzip data {read}: {error}")
        else:
            reject = _read_failure(item, error)
            if articles:
                reject = dataclasses.replace(reject, detail=f"{reject.detail} (reading stopped {read})")
        articles.append(InputFile(item.source_file, item.path, listed=reject))
    return articles


def read_input(item: InputFile, max_bytes: int) -> RawArticle | Reject:
    """The article's bytes (a text file's with its sidecar's), or why they could not be read
    (vanished, swapped, unreadable, too large). A JSON Lines article was read when listed."""
    if item.listed is not None:
        return item.listed
    try:
        sidecar = _read_sidecar(item, max_bytes)
        with _open_input(item) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return Reject(item.source_file, "too_large",
                              f"{size:,} bytes is over the limit of {max_bytes:,} (--max-bytes)", size)
            data = handle.read(size + 1)        # read(max_bytes + 1) would allocate max_bytes each time
            if len(data) > size:                 # it grew since fstat: read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except (OSError, _Refused) as error:
        return _read_failure(item, error)
    if len(data) > max_bytes:
        return Reject(item.source_file, "too_large", f"grew past the limit of {max_bytes:,} bytes while read",
                      len(data))
    sha256 = article_sha256(data, sidecar)
    if item.sha256 not in (None, sha256):
        return Reject(item.source_file, "unreadable", "changed after the run listed it (not the bytes it hashed); "
                      "not extracted", len(data), sha256)
    return RawArticle(item.source_file, data, sha256, sidecar)


def _read_failure(item: InputFile, error: OSError | _Refused) -> Reject:
    """The reject of an input whose reading failed with ``error``."""
    if isinstance(error, _Refused):
        return Reject(item.source_file, error.reason, error.detail)
    if isinstance(error, FileNotFoundError):
        return Reject(item.source_file, "vanished", "the file was deleted after the run listed it")
    return Reject(item.source_file, "unreadable",
                  f"{error.strerror or type(error).__name__} ({errno.errorcode.get(error.errno, '?')})")


def _read_sidecar(item: InputFile, max_bytes: int) -> bytes | None:
    """The bytes of a text file's sidecar ``<name>.json`` beside it (beside a link's target), None
    when it has none. Read as inputs are (no link followed, a regular file, within ``max_bytes``);
    one that cannot be read refuses its article (``_Refused``)."""
    name = sidecar_name(item.source_file)
    try:
        with _open_input(InputFile(name, sidecar_name(item.path))) as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return None
    except (OSError, _Refused) as error:
        why = error.detail if isinstance(error, _Refused) else error.strerror or type(error).__name__
        raise _Refused("unreadable", f"its sidecar {name} cannot be read: {why}") from None
    if len(data) > max_bytes:
        raise _Refused("too_large", f"its sidecar {name} is over the limit of {max_bytes:,} bytes (--max-bytes)")
    return data


def _open_input(item: InputFile) -> BinaryIO:
    """``item`` opened without following a link or blocking, checked on the descriptor: a regular
    file still at its listed place below the input folder (that it is the file hashed, its bytes say)."""
    try:
        fd = os.open(item.path, _READ_FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _Refused("unreadable", "replaced by a link after the run listed it (not followed)") from None
        raise
    handle = open(fd, "rb")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused("unreadable", f"not a regular file ({_kind(info.st_mode)}); not read")
        if _opened_path(fd) not in (None, item.path):
            raise _Refused("unreadable", "replaced or moved after the run listed it; not read")
    except BaseException:
        handle.close()
        raise
    return handle


def _opened_path(fd: int) -> str | None:
    """Where the file behind ``fd`` is now, links resolved (Linux ``/proc``; None where unknown)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def begin_staging(output_dir: str | os.PathLike, run_id: str) -> Path:
    """A fresh, marked staging folder for this run (taken under ``output_lock``, which recovered
    what a killed run left)."""
    staging = Path(output_dir) / f".staging-{run_id}"
    if not _STAGING_NAME.fullmatch(staging.name):
        raise ValueError(f"run id {run_id!r} cannot name a staging folder")
    if os.path.lexists(staging):
        if not _is_staging(staging):
            raise OutputRefused(f"{staging} exists and was not made by newsfacts; move it away and run again")
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    (staging / STAGING_MARK).write_text(f"staging folder of newsfacts run {run_id}\n", encoding="utf-8")
    return staging


def write_parts(tables: dict[str, pa.Table], staging: Path, part: str) -> None:
    """A batch's rows as ``<staging>/parts/<table>/<part>.parquet`` (empty tables are skipped)."""
    for name, table in tables.items():
        if table.num_rows:
            folder = staging / PARTS / name
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / f"{part}.parquet")


def part_files(staging: Path, table: str) -> list[Path]:
    """The staged batch parts of one table, in part-name order."""
    return sorted((staging / PARTS / table).glob("*.parquet"))


def drop_parts(staging: Path) -> None:
    shutil.rmtree(staging / PARTS, ignore_errors=True)


def table_glob(output_dir: str | os.PathLike, table: str) -> str:
    """Where ``table`` is stored below ``output_dir``, as a file glob (DuckDB ``read_parquet``, polars
    ``scan_parquet``): the one place every reader (the query layer included) learns it. A table is
    its parts; the validation report is one file in ``VALIDATION_FOLDER``.

    >>> table_glob("output", "figures")
    'output/figures/part-*.parquet'
    """
    if table == VALIDATION_TABLE:
        return str(Path(output_dir) / VALIDATION_FOLDER / f"{table}.parquet")
    return str(Path(output_dir) / table / PART_GLOB)


def table_parts(output_dir: str | os.PathLike, table: str) -> list[Path]:
    """The part files of a table in part-name order, inside the one snapshot its link leads to now
    (so a swap while they are read cannot mix two runs); the validation report as its one file;
    ``[]`` when there is none."""
    if table == VALIDATION_TABLE:
        single = Path(table_glob(output_dir, table))
        return [single] if single.is_file() else []
    return sorted(Path(os.path.realpath(Path(output_dir) / table)).glob(PART_GLOB))


def read_published(output_dir: str | os.PathLike, table: str, columns: list[str] | None = None,
                   where: ds.Expression | None = None) -> pa.Table | None:
    """A table of the last published run, or ``None`` when there is none (or it cannot be read);
    only its rows ``where`` holds, if given (filtered as each part is read)."""
    parts = table_parts(output_dir, table)
    if not parts:
        return None
    try:
        return ds.dataset(parts, format="parquet").to_table(columns=columns, filter=where)
    except (OSError, pa.ArrowException):
        return None


def published_rows(output_dir: str | os.PathLike) -> dict[str, int]:
    """Rows per table of the last published run (from the Parquet footers)."""
    rows = {}
    for table in SCHEMAS:
        parts = table_parts(output_dir, table)
        if parts:
            rows[table] = sum(pq.ParquetFile(part).metadata.num_rows for part in parts)
    return rows


def iter_published(output_dir: str | os.PathLike, table: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """A published table one row group at a time (memory stays bounded), only ``columns`` if given;
    ``FileNotFoundError`` when it has no part (a published table has one even when empty)."""
    parts = table_parts(output_dir, table)
    if not parts:
        raise FileNotFoundError(table_glob(output_dir, table))
    for part in parts:
        parquet = pq.ParquetFile(part)
        for index in range(parquet.num_row_groups):
            yield parquet.read_row_group(index, columns=columns)


def write_part(table: pa.Table, folder: Path, name: str) -> None:
    """One part of a staged dataset, ``<folder>/<name>``."""
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / name)


def keep_part(part: Path, folder: Path) -> None:
    """A published part taken into a staged dataset as it is: a hard link (a copy where the file
    system has none), so an unchanged part costs no writing."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.link(part, folder / part.name)
    except OSError:
        shutil.copy2(part, folder / part.name)


@contextmanager
def output_lock(output_dir: str | os.PathLike) -> Iterator[Path]:
    """Hold the output folder for one run; fail at once if another run holds it.

    A publish a killed run left half-done is finished first, so every path of a run (the
    "nothing changed" one too) starts from a whole output."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with _open_lock(out / LOCK) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another run"
            raise OutputLocked(f"output folder {out} is in use by {holder}; wait for it to finish") from None
        handle.truncate(0)
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        try:
            recover_interrupted_swap(out)
            yield out
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open_lock(path: Path) -> TextIO:
    """The lock file, opened without following a link (a planted link's target is never truncated)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     0o644)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        raise OutputRefused(f"{path} is a symbolic link; newsfacts keeps its lock there as a plain file: "
                            "remove the link and run again") from None
    handle = open(fd, "a+")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise OutputRefused(f"{path} is not a plain file; newsfacts keeps its lock there: remove it and run again")
    return handle


def publish(staging: Path) -> list[Path]:
    """Move everything in ``staging`` (files, folders and datasets) into its parent, all or nothing.

    A dataset (a folder of part files only) becomes a snapshot that the table's link is swapped
    to. Refused before anything moves when it would replace what newsfacts did not write."""
    out = staging.parent
    entries = sorted(p.name for p in staging.iterdir() if p.name != STAGING_MARK)
    datasets = [name for name in entries if _is_dataset(staging / name)]
    for name in entries:
        if name in datasets:
            _refuse_to_relink(out, name)
        else:
            _refuse_to_replace(out / name, staging / name)
    for path in staging.rglob("*"):
        if path.is_file() and path.stat().st_nlink == 1:    # a kept part is a link to a published part: synced
            _fsync(path)
    _fsync(staging)
    number = time.time_ns()
    snapshots = {name: f"{name}-{number}" for name in datasets}
    journal = json.dumps({"staging": staging.name, "entries": entries, "snapshots": snapshots})
    _write_atomically(out / JOURNAL, lambda tmp: tmp.write_text(journal, encoding="utf-8"))
    return _finish_swap(out)


def recover_interrupted_swap(output_dir: str | os.PathLike) -> None:
    """Roll forward a swap that a killed run left half-done; drop the staging and set-aside
    folders and half-made links killed runs left (only those newsfacts made: others stay)."""
    out = Path(output_dir)
    if os.path.lexists(out / JOURNAL):
        _finish_swap(out)
    for stale in out.glob(".staging-*"):
        if _is_staging(stale):
            shutil.rmtree(stale, ignore_errors=True)
    for stale in out.glob(".old-*"):
        if _foreign_content(stale) is None:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in out.glob(".*.link-*"):
        if stale.is_symlink():
            stale.unlink()


def _finish_swap(out: Path) -> list[Path]:
    staging, entries, snapshots = _read_journal(out)
    published = []
    for name in entries:
        staged, final = staging / name, out / name
        if name in snapshots:
            _swap_snapshot(staged, out, name, snapshots[name])
        elif _is_folder(staged):
            replace_folder(staged, final)
        elif os.path.lexists(staged):
            os.replace(staged, final)
        published.append(final)
    _fsync(out)
    (out / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return published


def _swap_snapshot(staged: Path, out: Path, name: str, snapshot: str) -> None:
    """Move a staged dataset under ``.snapshots`` and swap the table's link to it (each step can
    be repeated, so a roll-forward finishes what a killed run began); then drop the snapshot
    before the last one and a table file of the one-file layout."""
    folder = out / SNAPSHOTS / snapshot
    if _is_folder(staged):
        folder.parent.mkdir(exist_ok=True)
        os.replace(staged, folder)
    link = out / f".{name}.link-{os.getpid()}"
    if os.path.lexists(link):
        link.unlink()
    os.symlink(f"{SNAPSHOTS}/{snapshot}", link)
    os.replace(link, out / name)
    legacy = out / f"{name}.parquet"
    if stat.S_ISREG(_lstat_mode(legacy)):
        legacy.unlink()
    older = sorted((p for p in (out / SNAPSHOTS).iterdir() if _snapshot_of(p.name, name) is not None
                    and p.name != snapshot), key=lambda p: _snapshot_of(p.name, name))
    for stale in older[:-1]:
        if _is_dataset(stale):
            shutil.rmtree(stale, ignore_errors=True)


def _snapshot_of(folder: str, name: str) -> int | None:
    """The number of ``folder`` when it is a snapshot of table ``name`` (``<name>-<n>``), else None."""
    head, _, number = folder.rpartition("-")
    return int(number) if head == name and number.isdigit() else None


def _is_dataset(path: Path) -> bool:
    """A folder of part files and nothing else: what newsfacts publishes as a table."""
    if not _is_folder(path):
        return False
    with os.scandir(path) as listing:
        entries = list(listing)
    return bool(entries) and all(_PART_NAME.fullmatch(e.name) and e.is_file(follow_symlinks=False)
                                 for e in entries)


def _refuse_to_relink(out: Path, name: str) -> None:
    """Raise ``OutputRefused`` unless the table's place is free or holds a link newsfacts made
    to one of its snapshots (a folder, a file or another link there is never replaced)."""
    final, snapshots = out / name, out / SNAPSHOTS
    if os.path.lexists(snapshots) and not _is_folder(snapshots):
        raise OutputRefused(f"output folder {out}: {SNAPSHOTS} is not a folder, and newsfacts keeps its "
                            "tables there; move it away (or choose another --output) and run again")
    if not os.path.lexists(final):
        return
    target = os.readlink(final) if final.is_symlink() else ""
    folder, _, snapshot = target.partition("/")
    if folder != SNAPSHOTS or _snapshot_of(snapshot, name) is None:
        raise OutputRefused(f"output folder {out}: {name} is not a link newsfacts made to one of its table "
                            "snapshots, and newsfacts would replace it; move it away (or choose another "
                            "--output) and run again")


def _read_journal(out: Path) -> tuple[Path, list[str], dict[str, str]]:
    """The swap the journal names, if newsfacts could have written it: one of its own staging
    folders and plain entry names; anything else stops the run before a file moves."""
    path = out / JOURNAL
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            raise ValueError("not a plain file")
        plan = json.loads(path.read_text(encoding="utf-8"))
        staging, entries, snapshots = plan["staging"], plan["entries"], plan.get("snapshots", {})
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise _bad_journal(path, f"unreadable: {error}") from None
    if not (isinstance(staging, str) and _STAGING_NAME.fullmatch(staging) and _is_staging(out / staging)):
        raise _bad_journal(path, f"{staging!r} is not a staging folder of newsfacts")
    if not isinstance(entries, list) or not all(isinstance(e, str) and _ENTRY_NAME.fullmatch(e) for e in entries):
        raise _bad_journal(path, "its entries are not plain table or folder names")
    if not isinstance(snapshots, dict) or not all(
            name in entries and isinstance(folder, str) and _snapshot_of(folder, name) is not None
            for name, folder in snapshots.items()):
        raise _bad_journal(path, "its snapshots are not snapshot names of its tables")
    return out / staging, entries, snapshots


def _bad_journal(path: Path, why: str) -> OutputRefused:
    return OutputRefused(f"{path} is not a swap journal newsfacts wrote ({why}); nothing was moved. "
                         "Remove it (and any .staging-* folder it names) and run again")


def _is_staging(path: Path) -> bool:
    """A staging folder a run of newsfacts made (a real folder holding the staging mark)."""
    return _is_folder(path) and stat.S_ISREG(_lstat_mode(path / STAGING_MARK))


def _is_folder(path: Path) -> bool:
    return stat.S_ISDIR(_lstat_mode(path))


def _lstat_mode(path: Path) -> int:
    try:
        return path.lstat().st_mode
    except OSError:
        return 0


def fresh_path(final: Path) -> Path:
    """A free place beside ``final`` to build its replacement in (for ``replace_folder``)."""
    path = final.with_name(f".{final.name}.building-{os.getpid()}")
    shutil.rmtree(path, ignore_errors=True)
    return path


def write_table(table: pa.Table, path: Path) -> None:
    """One Parquet file replaced atomically (written beside it, synced, then renamed)."""
    _write_atomically(path, lambda tmp: pq.write_table(table, tmp))


def replace_folder(new: Path, final: Path) -> None:
    """Folders cannot be replaced in one step: the old one is moved aside first.

    ``new`` gets a list of the paths in it (``.newsfacts-owned``); a ``final`` or set-aside
    folder holding anything not on its list is refused, never deleted."""
    _refuse_to_replace(final, new)
    _write_atomically(new / OWNED_LIST, lambda tmp: tmp.write_text(json.dumps(_tree(new)), encoding="utf-8"))
    if not os.path.lexists(final):
        os.replace(new, final)
        return
    old = _set_aside(final)
    if os.path.lexists(old):
        shutil.rmtree(old)
    os.replace(final, old)
    os.replace(new, final)
    shutil.rmtree(old, ignore_errors=True)


def retire_legacy_validation(output_dir: str | os.PathLike) -> None:
    """Remove the report and Data Docs that runs before ``VALIDATION_FOLDER`` wrote at the top of the
    output folder, where a Parquet reader of the folder trips on them; a ``validation/`` folder
    holding anything newsfacts did not write is kept (and so is the report beside it)."""
    out = Path(output_dir)
    docs, results = (out / name for name in _LEGACY_VALIDATION)
    if _is_folder(docs):
        if _foreign_content(docs):
            return
        shutil.rmtree(docs)
    if stat.S_ISREG(_lstat_mode(results)):
        results.unlink()


def write_file(path: Path, write: Callable[[Path], object]) -> None:
    """A file another library writes (``write(tmp)``), replaced atomically as a table is."""
    _write_atomically(path, write)


def _set_aside(final: Path) -> Path:
    return final.with_name(f".old-{final.name}")


def _refuse_to_replace(final: Path, new: Path) -> None:
    """Raise ``OutputRefused`` unless ``final`` (and the place a folder is set aside in) is absent
    or what newsfacts wrote there, of ``new``'s kind."""
    if not os.path.lexists(final):
        return
    if _is_folder(new):
        old = _set_aside(final)
        problem = _foreign_content(final) or (os.path.lexists(old) and _foreign_content(old))
    else:
        problem = None if stat.S_ISREG(_lstat_mode(final)) else f"{final.name} is not a plain file"
    if problem:
        raise OutputRefused(f"output folder {final.parent}: {problem}, and newsfacts would replace it; "
                            "move it away (or choose another --output) and run again")


def _foreign_content(folder: Path) -> str | None:
    """What in ``folder`` newsfacts did not write (None when it wrote all of it)."""
    if not _is_folder(folder):
        return f"{folder.name} is not a folder"
    try:
        owned = set(json.loads((folder / OWNED_LIST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        if not _legacy_data_docs(folder):
            return f"{folder.name}/ holds no list of the files newsfacts wrote there"
        owned = set(_tree(folder))
    foreign = [path for path in _tree(folder) if path not in owned]
    return f"{folder.name}/{foreign[0]} was not written by newsfacts" if foreign else None


def _legacy_data_docs(folder: Path) -> bool:
    """A Data Docs folder published before ownership lists existed: beside the run's
    validation.parquet, holding only what Great Expectations' site builder writes."""
    top = {path.split("/")[0] for path in _tree(folder)}
    return (folder.parent / "validation.parquet").is_file() and "index.html" in top and top <= _DATA_DOCS_LAYOUT


def _tree(folder: Path) -> list[str]:
    """Every path below ``folder`` ("/"-separated, links not followed), but its ownership list."""
    paths, folders = [], [(str(folder), "")]
    while folders:
        current, prefix = folders.pop()
        with os.scandir(current) as listing:
            for entry in listing:
                path = prefix + entry.name
                if path != OWNED_LIST:
                    paths.append(path)
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, path + "/"))
    return sorted(paths)


def _write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
