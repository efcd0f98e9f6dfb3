"""All file I/O of the pipeline: finding and reading inputs, fingerprinting the rules, and
writing tables atomically.

Writing: every table of a run is first written complete into ``<output>/.staging-<run>/``
(where the validation report joins them); then a journal naming that folder is written,
each entry is moved into place with ``os.replace`` (atomic per file), and the journal is
removed. A run killed before the
journal leaves the previous tables untouched; one killed during the moves is rolled forward
by the next run (``recover_interrupted_swap``), so a reader never finds a half-written file.
One run at a time holds ``<output>/.lock``; a second run fails at once with a clear message.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.records import Reject

JOURNAL = ".swap-journal.json"
PARTS = "parts"
LOCK = ".lock"


@dataclass(frozen=True, slots=True)
class InputFile:
    source_file: str  # relative to the input folder, "/"-separated
    path: str
    sha256: str | None = None  # of the bytes when listed (None: too large or unreadable then)


@dataclass(frozen=True, slots=True)
class RawArticle:
    source_file: str
    data: bytes
    sha256: str


class OutputLocked(RuntimeError):
    """Another run holds the output folder."""


def discover_inputs(input_dir: str | os.PathLike) -> tuple[list[InputFile], list[Reject]]:
    """Every ``*.txt`` file below ``input_dir`` (recursive, sorted by path); links leading outside are rejected.

    Walked with ``os.scandir`` (a resolve per file would cost more than the rest of the
    listing): only links need resolving, and linked folders are not entered (as ``rglob``).
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    real_root = root.resolve()
    found, rejects = [], []
    for entry, source_file in _walk(str(root), "", rejects):
        if not entry.is_symlink():
            if entry.is_file(follow_symlinks=False):
                found.append(InputFile(source_file, entry.path))
            continue
        try:
            real = Path(entry.path).resolve(strict=True)
        except (OSError, RuntimeError) as error:
            rejects.append(Reject(source_file, "unreadable", f"broken or looping link: {error}"))
            continue
        if not real.is_relative_to(real_root):
            rejects.append(Reject(source_file, "outside_input", "a link that leads outside the input folder"))
        elif real.is_file():
            found.append(InputFile(source_file, entry.path))
    return sorted(found, key=_path_order), sorted(rejects, key=_path_order)


def _path_order(item: InputFile | Reject) -> list[str]:
    return item.source_file.split("/")      # folder by folder, as sorted paths are


def _walk(folder: str, prefix: str, rejects: list[Reject]) -> Iterator[tuple[os.DirEntry, str]]:
    """``*.txt`` entries below ``folder`` with their "/"-separated paths; an unlistable folder is a reject."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as error:
        rejects.append(Reject(prefix or ".", "unreadable", f"folder cannot be listed: {error.strerror or error}"))
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, f"{prefix}{entry.name}/", rejects)
        elif entry.name.endswith(".txt"):
            yield entry, prefix + entry.name


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
    """The inputs with the SHA-256 of their bytes, which decides what a re-run can skip."""
    return [InputFile(item.source_file, item.path, _sha256(item.path, max_bytes)) for item in items]


def _sha256(path: str, max_bytes: int) -> str | None:
    try:
        if os.stat(path).st_size <= max_bytes:
            with open(path, "rb") as handle:
                return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        pass  # read_input reports it
    return None


def read_input(item: InputFile, max_bytes: int) -> RawArticle | Reject:
    """The file's bytes, or why they could not be read (vanished, unreadable, too large)."""
    try:
        with open(item.path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return Reject(item.source_file, "too_large",
                              f"{size:,} bytes is over the limit of {max_bytes:,} (--max-bytes)", size)
            data = handle.read(size + 1)        # read(max_bytes + 1) would allocate max_bytes each time
            if len(data) > size:                 # it grew since fstat: read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except FileNotFoundError:
        return Reject(item.source_file, "vanished", "the file was deleted after the run listed it")
    except OSError as error:
        return Reject(item.source_file, "unreadable", f"{error.strerror or error} ({errno.errorcode.get(error.errno, '?')})")
    if len(data) > max_bytes:
        return Reject(item.source_file, "too_large", f"grew past the limit of {max_bytes:,} bytes while read", len(data))
    return RawArticle(item.source_file, data, hashlib.sha256(data).hexdigest())


def begin_staging(output_dir: str | os.PathLike, run_id: str) -> Path:
    """A fresh staging folder for this run (after finishing or dropping what a killed run left)."""
    out = Path(output_dir)
    recover_interrupted_swap(out)
    staging = out / f".staging-{run_id}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def write_parts(tables: dict[str, pa.Table], staging: Path, part: str) -> None:
    """A batch's rows as ``<staging>/parts/<table>/<part>.parquet`` (empty tables are skipped)."""
    for name, table in tables.items():
        if table.num_rows:
            folder = staging / PARTS / name
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / f"{part}.parquet")


def part_files(staging: Path, table: str) -> list[Path]:
    """The parts of one table, in part-name order."""
    return sorted((staging / PARTS / table).glob("*.parquet"))


def drop_parts(staging: Path) -> None:
    shutil.rmtree(staging / PARTS, ignore_errors=True)


def read_published(output_dir: str | os.PathLike, table: str, columns: list[str] | None = None) -> pa.Table | None:
    """A table of the last published run, or ``None`` when there is none (or it cannot be read)."""
    path = Path(output_dir) / f"{table}.parquet"
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException):
        return None


def published_rows(output_dir: str | os.PathLike) -> dict[str, int]:
    """Rows per table of the last published run (from the Parquet footers)."""
    return {path.stem: pq.ParquetFile(path).metadata.num_rows for path in sorted(Path(output_dir).glob("*.parquet"))}


def iter_published(output_dir: str | os.PathLike, table: str) -> Iterator[pa.Table]:
    """A published table one row group at a time (memory stays bounded)."""
    parquet = pq.ParquetFile(Path(output_dir) / f"{table}.parquet")
    for index in range(parquet.num_row_groups):
        yield parquet.read_row_group(index)


@contextmanager
def output_lock(output_dir: str | os.PathLike) -> Iterator[Path]:
    """Hold the output folder for one run; fail at once if another run holds it."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+") as handle:
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
            yield out
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(staging: Path) -> list[Path]:
    """Move everything in ``staging`` (files and folders) into its parent, all or nothing."""
    for path in staging.rglob("*"):
        if path.is_file():
            _fsync(path)
    _fsync(staging)
    out = staging.parent
    entries = sorted(p.name for p in staging.iterdir())
    journal = json.dumps({"staging": staging.name, "entries": entries})
    _write_atomically(out / JOURNAL, lambda tmp: tmp.write_text(journal, encoding="utf-8"))
    return _finish_swap(out)


def recover_interrupted_swap(output_dir: str | os.PathLike) -> None:
    """Roll forward a swap that a killed run left half-done; drop abandoned staging folders."""
    out = Path(output_dir)
    if (out / JOURNAL).exists():
        _finish_swap(out)
    for stale in out.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.glob(".old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _finish_swap(out: Path) -> list[Path]:
    journal = out / JOURNAL
    plan = json.loads(journal.read_text(encoding="utf-8"))
    staging = out / plan["staging"]
    published = []
    for name in plan["entries"]:
        staged, final = staging / name, out / name
        if staged.is_dir():
            replace_folder(staged, final)
        elif staged.exists():
            os.replace(staged, final)
        published.append(final)
    _fsync(out)
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return published


def fresh_path(final: Path) -> Path:
    """A free place beside ``final`` to build its replacement in (for ``replace_folder``)."""
    path = final.with_name(f".{final.name}.building-{os.getpid()}")
    shutil.rmtree(path, ignore_errors=True)
    return path


def write_table(table: pa.Table, path: Path) -> None:
    """One Parquet file replaced atomically (written beside it, synced, then renamed)."""
    _write_atomically(path, lambda tmp: pq.write_table(table, tmp))


def replace_folder(new: Path, final: Path) -> None:
    """Folders cannot be replaced in one step: the old one is moved aside first."""
    if final.exists():
        old = final.with_name(f".old-{final.name}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        os.replace(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)


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
