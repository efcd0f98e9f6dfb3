"""The row-level results of each part of a table, kept beside the validation report so that a
later validation reuses them for every part, or every group of rules, that did not change.

A part's results are kept per group of rules (``rule_groups``: the row-level rules that read the
same columns), each group's (``merge.TableResults`` of its rows, as JSON) under a key made of
everything they depend on (``group_keys``): the columns its rules read (a derived column's inputs,
``suites.Derived.reads``), the rows' ids they name failing rows by (grain columns, source_file;
only for a group with a failing row: results of rules that all passed name no row), the part's
schema, the values its rows look up in the key tables (the article of a figure, the entity of a
mention, the counts of an entity; every lookup for the rule on the columns), and a fingerprint
of the rules (the code and data of ``expectations`` and ``transforms``, and the versions of the
libraries that judge the rows). A change to any of them is another key, so a
stored result is never served for rows it was not computed on. Rules that compare rows with each
other are not stored: they run on the whole table's columns every time.

A part's results are stored in ``<report>/part_results/<table>/<part name>.json`` with its key
(``Part.key``: its bytes, its lookups and the rules), its bytes' digest, rows and lookups, and its
groups' results by the rules they hold: a part that did not change is found by its key, reading
nothing more of it. The groups' keys are computed only for a part that changed and whose
predecessor (the part of the same name the stored report validated, its bytes unchanged since: in
a run, the published part) has as many rows: both are read whole, and the groups whose keys are
the same on both (a part whose entity names were relinked: all but the rules on the linked
columns) keep their results. A new part, or one of more or fewer rows, is validated in every rule,
and a full run computes no group key. A validation writes the results of every part into its new
report folder (read from an older report when unchanged), so the folder holds exactly the current
parts' results. ``newsfacts validate`` on a folder reads and writes none: it validates every part.

So that an unchanged table costs a few reads, not one per part, the results of runs of
consecutive parts (``blocks``, cut where a part's key says) are also stored merged, in
``<report>/part_blocks/<table>/<digest of the parts' keys>.json``: a block whose parts are all
unchanged is read as one result, and its parts' files are linked into the new report unread. The
digest of a part's bytes is recorded in ``<report>/part_digests/<table>.json`` with the file's
size and modification time, and read again only when they differ (``PartResults.file_digests``).

Great Expectations runs on the rows of all the parts to validate at once (``reading.chunks_of``)
and its results are cut back into each part's (``split``): the failing rows by their place in
the frame, the rows judged and missing recounted per part and checked against Great
Expectations' totals; when they do not add up, each part is validated on its own.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from expectations.codec import decoded
from expectations.merge import TableResults
from expectations.reading import CHUNK_ROWS, TableParts
from expectations.suites import DERIVED, SUITES, KeyTables, Rule, looked_up_columns
from transforms.schemas import SCHEMAS, grain_columns

FOLDER = "part_results"
BLOCKS = "part_blocks"
DIGESTS = "part_digests"
SETTLED = 2
"""Seconds since its last change after which a part file's digest is recorded (``PartResults.file_digests``)."""
BLOCK_PARTS = 16
"""Parts in a block, on average (``blocks``)."""
_ROOT = Path(__file__).resolve().parent.parent
_RULE_SOURCES = ("expectations", "transforms")
_JUDGES = ("great_expectations", "pandas", "pyarrow", "numpy", "duckdb")
_POSITIONS = re.compile(r"df\.filter\(items=\[([0-9, ]*)\], axis=0\)")


@cache
def rules_fingerprint() -> str:
    """A digest of the rules' code and data files and of the judging libraries' versions."""
    digest = hashlib.sha256()
    for package in _JUDGES:
        digest.update(f"{package}={version(package)}\0".encode())
    for source in _RULE_SOURCES:
        root = _ROOT / source
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Part:
    """A part's file and what its results depend on besides the rules: its bytes (``file``, a
    digest), its rows, and the values its rows look up in the key tables (``lookups``: a digest
    per derived column that looks rows up)."""

    path: Path
    file: str
    rows: int
    lookups: Mapping[str, bytes]
    key: str            # of its results: its bytes, what its rows look up, the rules (``part_key``)


def part_key(rules: str, file: str, lookups: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256(f"{rules}\0{file}\0".encode())
    for name in sorted(lookups):
        digest.update(lookups[name])
    return digest.hexdigest()


def blocks(parts: list[Part]) -> list[range]:
    """The parts (by place) cut into runs of consecutive parts whose results are also stored
    merged (``PartResults.block``), so that a later validation reads one result per unchanged
    run, not one per part. A run ends after a part whose key says so (one in ``BLOCK_PARTS``):
    where runs end depends on the parts' keys, not their places, so a part added, changed or
    gone changes only the run it falls in."""
    found, start = [], 0
    for place, part in enumerate(parts, 1):
        if int(part.key[:8], 16) % BLOCK_PARTS == 0 or place == len(parts):
            found.append(range(start, place))
            start = place
    return found


def _block_key(parts: list[Part]) -> str:
    """The parts' names and keys: a part's stored results are found by its name, and linked by it."""
    return hashlib.sha256("\0".join(f"{part.path.name}\0{part.key}" for part in parts).encode()).hexdigest()


def rules_digest(table: str) -> str:
    """A digest of the table's suite as loaded, and of the files and libraries it comes from."""
    return hashlib.sha256(f"{rules_fingerprint()}\0{table}\0{SUITES[table]!r}".encode()).hexdigest()


def described_parts(table: str, paths: list[Path], keys: KeyTables, rows: int = CHUNK_ROWS,
                    files: list[str] | None = None) -> list[Part]:
    """Each part as a ``Part`` (``files``: the digests of their bytes, when known). The derived
    columns are computed on runs of parts of about ``rows`` rows at once (a lookup costs mostly
    per call), reading only the columns they read; each part's digest is of its own rows'
    values, whatever run it fell in."""
    import pyarrow.parquet as pq

    lookups, rules = looked_up_columns(table), rules_digest(table)
    wanted = sorted({c for reads in lookups.values() for c in reads})
    found: list[Part] = []
    run: list[tuple[Path, pa.Table]] = []
    digests = iter(files or [_file_digest(path) for path in paths])

    def describe_run() -> None:
        together = pa.concat_tables([columns for _, columns in run])
        made = {name: _looked_up(name, together, keys) for name in lookups}
        start = 0
        for path, columns in run:
            file, looked_up = next(digests), {
                name: _not_made(name) if values is None
                else _column_digest(name, pa.concat_arrays([values.slice(start, columns.num_rows)]))
                for name, values in made.items()}
            found.append(Part(path, file, columns.num_rows, looked_up, part_key(rules, file, looked_up)))
            start += columns.num_rows
        run.clear()

    for path in paths:
        parquet = pq.ParquetFile(path)
        columns = parquet.read(columns=[c for c in wanted if c in parquet.schema_arrow.names])
        if run and (run[0][1].schema != columns.schema or sum(t.num_rows for _, t in run) >= rows):
            describe_run()
        run.append((path, columns))
    if run:
        describe_run()
    return found


def _looked_up(name: str, rows: pa.Table, keys: KeyTables) -> pa.Array | None:
    """The values derived column ``name`` looks up for ``rows``; None when the lookup cannot be
    made (its inputs missing, or of another type)."""
    try:
        values = DERIVED[name].compute(rows, keys)
    except (KeyError, pa.ArrowException):
        return None
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _file_digest(path: Path) -> str:
    with open(path, "rb") as stored:
        return hashlib.file_digest(stored, "sha256").hexdigest()


def rule_groups(table: str) -> list[tuple[int, ...]]:
    """The row-level rules of the table's suite (their places in it), grouped by what they read."""
    groups: dict[tuple[frozenset[str], frozenset[str]], list[int]] = {}
    for index, rule in enumerate(SUITES[table]):
        if not rule.spans_rows:
            groups.setdefault(_reads(table, rule), []).append(index)
    return [tuple(group) for group in groups.values()]


def _reads(table: str, rule: Rule) -> tuple[frozenset[str], frozenset[str]]:
    """The table's columns a rule reads, and the derived columns it reads that look rows up (for
    the rule on the columns, which reads the frame's columns only: every lookup, made or not)."""
    if not rule.columns:
        return frozenset(), frozenset(looked_up_columns(table))
    columns = {read for c in rule.columns for read in (DERIVED[c].reads if c in DERIVED else (c,))}
    return frozenset(columns), frozenset(c for c in rule.columns if c in DERIVED and DERIVED[c].looks_up)


def group_keys(table: str, part: Path, lookups: Mapping[str, bytes],
               naming: frozenset[tuple[int, ...]]) -> dict[tuple[int, ...], str]:
    """The key of each rule group's results on a part (``rule_groups``), with what its rows look
    up (``Part.lookups``); the part is read once. The id columns are in the key of the groups
    ``naming`` failing rows only: results without a failing row hold no id, so a part whose
    ids changed (a figure relinked to another entity) keeps the results of the groups it passes
    whose columns did not."""
    import pyarrow.parquet as pq

    rows = pq.read_table(part)
    common = f"{rules_digest(table)}\0{rows.schema.remove_metadata()}\0".encode()
    columns: dict[str, bytes] = {}
    found = {}
    for group in rule_groups(table):
        rule = SUITES[table][group[0]]
        reads, lookup = _reads(table, rule)
        digest = hashlib.sha256(common + repr(group).encode())
        for name in sorted(reads | (_ids(table) if group in naming else set())):
            if name not in columns:
                columns[name] = _column_digest(name, rows[name]) if name in rows.column_names \
                    else f"{name}: absent\0".encode()
            digest.update(columns[name])
        for name in sorted(lookup):
            digest.update(lookups[name] if rule.columns else _made(name, lookups[name]))
        found[group] = digest.hexdigest()
    return found


def _passed(data: Any) -> bool:
    """Whether a group's stored results (``Groups``) are of rules that all passed on every row, so
    that they name no row; False too when they cannot be read."""
    try:
        return all(stored["success"] and stored["result_success"]
                   and not (stored["exception_info"] or {}).get("raised_exception")
                   and (stored["tally"] is None or stored["tally"]["unexpected"] == 0)
                   for stored in decoded(data).values())
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def _ids(table: str) -> set[str]:
    """The columns a failing row is named by (grain columns, source_file): every group's results hold them."""
    return {c for c in (*grain_columns(table), "source_file") if c in SCHEMAS[table].names}


def _column_digest(name: str, values: pa.ChunkedArray | pa.Array) -> bytes:
    """A digest of a column's name, type and values (as one Arrow IPC record batch)."""
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, pa.schema([(name, array.type)])) as stream:
        stream.write_batch(pa.record_batch([array], names=[name]))
    return name.encode() + b"\0" + hashlib.sha256(sink.getvalue()).digest()


def _not_made(name: str) -> bytes:
    return f"{name}: not made\0".encode()


def _made(name: str, digest: bytes) -> bytes:
    """Whether a lookup was made (its digest not ``_not_made``'s): all the rule on the columns reads of it."""
    return digest if digest == _not_made(name) else f"{name}: made\0".encode()


Groups = dict[tuple[int, ...], Any]
"""A part's results by rule group (``rule_groups``), as JSON values (``merge.TableResults.to_data``)."""


@dataclass(frozen=True, slots=True)
class Source:
    """An older report folder, and where the parts of the tables it validated are now
    (``TableParts``; a part may have been rewritten since: its stored digest tells)."""

    report: Path
    parts: TableParts


class PartResults:
    """Stored part results: read from ``sources`` (older reports), written to ``target`` (the new
    report folder; None: nothing written)."""

    def __init__(self, sources: list[Source], target: Path | None):
        self._sources = sources
        self._target = None if target is None else target / FOLDER

    @property
    def used(self) -> bool:
        """Whether results are read or written (else parts need no key)."""
        return self._target is not None or bool(self._sources)

    def get(self, table: str, part: Part) -> Groups | None:
        """The stored results of a part that did not change (the same key), or None."""
        return next((_groups(stored) for source in self._sources
                     if (stored := _stored(source, table, part.path.name)) and stored["key"] == part.key), None)

    def reusable(self, table: str, part: Part) -> Groups:
        """The stored results of the rule groups that still hold for a part that changed: those of
        the part of the same name validated last (its file unchanged since) whose group key
        (``group_keys``) on that part is the same as on this one. Only then is either part read
        whole: a new part, or one of more or fewer rows, keeps nothing."""
        for source in self._sources:
            stored = _stored(source, table, part.path.name)
            if stored is None or stored["rules"] != rules_digest(table):
                continue
            if stored["rows"] != part.rows and _ids(table):     # then every group's id columns differ
                return {}
            before = _previous_part(source, table, part.path.name, stored["file"])
            if before is None:
                continue
            held = _groups(stored)
            naming = frozenset(group for group, data in held.items() if not _passed(data))
            then = group_keys(table, before, {name: bytes.fromhex(d) for name, d in stored["lookups"].items()}, naming)
            now = group_keys(table, part.path, part.lookups, naming)
            return {group: held[group] for group, key in now.items() if group in held and then.get(group) == key}
        return {}

    def file_digests(self, table: str, paths: list[Path]) -> list[str]:
        """The digest of each part file's bytes: as an earlier validation recorded it when the
        file has the size and modification time recorded with it (a part is written once, then
        kept by hard link, which keeps both), else read. A digest is recorded only for a file
        modified ``SETTLED`` seconds before it was read: a file rewritten later under its name
        has another modification time even on a file system of coarse times."""
        known: dict[str, list[Any]] = {}
        for source in reversed(self._sources):
            try:
                known.update(json.loads((source.report / DIGESTS / f"{table}.json").read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, ValueError, TypeError):
                continue
        settled, found, recorded = time.time_ns() - SETTLED * 10**9, [], {}
        for path in paths:
            status = path.stat()
            seen = [status.st_size, status.st_mtime_ns]
            entry = known.get(path.name)
            digest = entry[2] if isinstance(entry, list) and entry[:2] == seen else _file_digest(path)
            found.append(digest)
            if status.st_mtime_ns < settled:
                recorded[path.name] = [*seen, digest]
        if self._target is not None:
            folder = self._target.parent / DIGESTS
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{table}.json").write_text(json.dumps(recorded), encoding="utf-8")
        return found

    def block(self, table: str, parts: list[Part]) -> tuple[Any, Source] | None:
        """The merged results stored for these consecutive parts (``blocks``), all unchanged, and
        the report they were found in; None when no report has them."""
        for source in self._sources:
            try:
                return json.loads((source.report / BLOCKS / table / f"{_block_key(parts)}.json"
                                   ).read_text(encoding="utf-8")), source
            except (OSError, UnicodeDecodeError, ValueError):
                continue
        return None

    def put_block(self, table: str, parts: list[Part], results: TableResults) -> None:
        if self._target is not None:
            folder = self._target.parent / BLOCKS / table
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{_block_key(parts)}.json").write_text(json.dumps(results.to_data()), encoding="utf-8")

    def carry(self, table: str, parts: list[Part], source: Source) -> None:
        """Keep the stored results of parts found unchanged in ``source`` (their block was), and
        their block's, without reading them: the files are linked into the new report."""
        if self._target is None:
            return
        folders = [(source.report / FOLDER / table, self._target / table),
                   (source.report / BLOCKS / table, self._target.parent / BLOCKS / table)]
        names = [[f"{part.path.name}.json" for part in parts], [f"{_block_key(parts)}.json"]]
        for (old, new), files in zip(folders, names):
            new.mkdir(parents=True, exist_ok=True)
            for name in files:
                _link_or_copy(old / name, new / name)

    def put(self, table: str, part: Part, groups: Groups) -> None:
        if self._target is not None:
            folder = self._target / table
            folder.mkdir(parents=True, exist_ok=True)
            stored = {"key": part.key, "rules": rules_digest(table), "file": part.file, "rows": part.rows,
                      "lookups": {name: digest.hex() for name, digest in part.lookups.items()},
                      "groups": {",".join(map(str, group)): data for group, data in groups.items()}}
            (folder / f"{part.path.name}.json").write_text(json.dumps(stored), encoding="utf-8")


def _link_or_copy(old: Path, new: Path) -> None:
    """``old`` as ``new`` too (a copy on another file system); nothing when it is gone: the
    part is then validated again when its block changes."""
    try:
        new.hardlink_to(old)
    except OSError:
        try:
            shutil.copyfile(old, new)
        except OSError:
            pass


def _stored(source: Source, table: str, name: str) -> dict[str, Any] | None:
    """What ``source`` stored for the part called ``name``, or None (none, or it cannot be read)."""
    try:
        found = json.loads((source.report / FOLDER / table / f"{name}.json").read_text(encoding="utf-8"))
        _groups(found)
        return found if all(isinstance(found[k], t) for k, t in _STORED.items()) else None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


_STORED = {"key": str, "rules": str, "file": str, "rows": int, "lookups": dict, "groups": dict}


def _groups(stored: dict[str, Any]) -> Groups:
    return {tuple(int(rule) for rule in group.split(",")): data for group, data in stored["groups"].items()}


def _previous_part(source: Source, table: str, name: str, file: str) -> Path | None:
    """The part called ``name`` among ``source``'s tables, if its bytes are still those validated."""
    try:
        found = next((path for path in source.parts(table) if path.name == name), None)
        return found if found is not None and _file_digest(found) == file else None
    except OSError:
        return None


NO_RESULTS = PartResults([], None)


def split(results: list[Any], rules: list[Rule], frame: pd.DataFrame, slices: list[tuple[int, int]]
          ) -> list[list[Any]] | None:
    """Great Expectations' results on ``frame`` (the rows of several parts, ``slices`` giving each
    part's rows in order) cut into each part's results; None when the counts do not add up."""
    bounds, start = [], 0
    for _, rows in slices:
        bounds.append((start, start + rows))
        start += rows
    cut: list[list[Any]] = [[] for _ in slices]
    for result in results:
        pieces = _split_one(result, rules[result.expectation_config.meta["rule"]], frame, bounds)
        if pieces is None:
            return None
        for part, piece in zip(cut, pieces):
            part.append(piece)
    return cut


def _split_one(result: Any, rule: Rule, frame: pd.DataFrame, bounds: list[tuple[int, int]]) -> list[Any] | None:
    from great_expectations.core import ExpectationValidationResult

    details = result.result or {}
    if "element_count" not in details or (result.exception_info or {}).get("raised_exception"):
        return [result] * len(bounds)     # about the columns or types, or an error: the same for every part
    found = _POSITIONS.fullmatch(details.get("unexpected_index_query") or "")
    values, rows = details.get("unexpected_list") or [], details.get("unexpected_index_list") or []
    if found is None:
        return None
    positions = [int(p) for p in found[1].split(",") if p.strip()]
    if not len(positions) == len(values) == len(rows) == details.get("unexpected_count") \
            or bool(result.success) != (not positions):
        return None
    try:
        judged, missing = _judged_and_missing(rule, frame)
    except KeyError:
        return None
    pieces, counts = [], [0, 0]
    for start, end in bounds:
        mine = [i for i, p in enumerate(positions) if start <= p < end]
        part = {"element_count": int(judged[start:end].sum()), "unexpected_count": len(mine),
                "unexpected_list": [values[i] for i in mine], "unexpected_index_list": [rows[i] for i in mine]}
        if "missing_count" in details:
            part["missing_count"] = int(missing[start:end].sum())
            counts[1] += part["missing_count"]
        if "unexpected_index_column_names" in details:
            part["unexpected_index_column_names"] = details["unexpected_index_column_names"]
        counts[0] += part["element_count"]
        pieces.append(ExpectationValidationResult(success=not mine, expectation_config=result.expectation_config,
                                                  result=part, exception_info=result.exception_info))
    if counts != [details["element_count"], details.get("missing_count", counts[1])]:
        return None
    return pieces


def _judged_and_missing(rule: Rule, frame: pd.DataFrame) -> tuple[Any, Any]:
    """Per row: whether the rule judges it (its ``when`` holds), and whether it counts as missing
    (Great Expectations' null handling: the column null; for a pair, as ``ignore_row_if`` says)."""
    judged = pd.Series(True, index=frame.index) if rule.when is None else _holds(rule.when, frame)
    kwargs = rule.kwargs
    if "column_A" in kwargs:
        a, b = frame[kwargs["column_A"]].isna(), frame[kwargs["column_B"]].isna()
        ignore = kwargs.get("ignore_row_if", "both_values_are_missing")
        missing = a | b if ignore == "either_value_is_missing" else a & b if ignore == "both_values_are_missing" \
            else pd.Series(False, index=frame.index)
    else:
        missing = frame[kwargs["column"]].isna()
    return judged.to_numpy(dtype=bool), (missing & judged).to_numpy(dtype=bool)


def _holds(when: tuple[str, str, Any], frame: pd.DataFrame) -> pd.Series:
    column, operator, value = when
    values = frame[column]
    held = {"in": lambda: values.isin(value), "==": lambda: values == value,
            "is_null": values.isna, "not_null": values.notna}[operator]()
    return held.fillna(False).astype(bool)


def stored_results_format(result_format: Mapping[str, Any]) -> dict[str, Any]:
    """The result format the parts are validated with: also the frame positions of the failing
    rows, by which they are cut into each part's."""
    return {**result_format, "return_unexpected_index_query": True}
