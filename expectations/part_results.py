"""The row-level results of each part of a table, kept beside the validation report so that a
later validation reuses them for every part, or every group of rules, that did not change.

A part's results are kept per group of rules (``rule_groups``: the row-level rules that read the
same columns), each group's (``merge.TableResults`` of its rows, as JSON) under a key made of
everything they depend on (``group_keys``): the columns its rules read (a derived column's inputs,
``suites.Derived.reads``), the rows' ids they name failing rows by (grain columns, source_file),
the part's schema, the values its rows look up in the key tables (the article of a figure, the
entity of a mention, the counts of an entity; every lookup for the rule on the columns), and a
fingerprint of the rules (the code and data of ``expectations`` and ``transforms``, and the
versions of the libraries that judge the rows). A change to any of them is another key, so a
stored result is never served for rows it was not computed on. Rules that compare rows with each
other are not stored: they run on the whole table's columns every time.

A part's groups are stored together, in ``<report>/part_results/<table>/<key>.json``, under the
part's own key (``part_key``: its bytes, its lookups and the rules): a part that did not change
is found by that key, reading nothing more of it; only for one that did are its groups' keys
computed (reading it once), and only the groups found under none of the stored parts are
validated again (a part whose entity names were relinked: the rules on the linked columns). A
validation writes the results of every part into its new report folder (read from an older
report when unchanged), so the folder holds exactly the current parts' results. ``newsfacts
validate`` on a folder reads and writes none: it validates every part.

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
from collections.abc import Mapping
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from expectations.suites import DERIVED, SUITES, KeyTables, Rule, looked_up_columns
from transforms.schemas import SCHEMAS, grain_columns

FOLDER = "part_results"
_ROOT = Path(__file__).resolve().parent.parent
_RULE_SOURCES = ("expectations", "transforms")
_JUDGES = ("great_expectations", "pandas", "pyarrow", "numpy", "duckdb")
_POSITIONS = re.compile(r"df\.filter\(items=\[([0-9, ]*)\], axis=0\)")
_KEY = re.compile(r"[0-9a-f]{64}")


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


def looked_up(table: str, part: Path, keys: KeyTables) -> dict[str, bytes]:
    """A digest of the values each derived column of the table's suite that looks rows up in the
    key tables takes on the part's rows (reading only the columns they read)."""
    import pyarrow.parquet as pq

    lookups = looked_up_columns(table)
    names = pq.read_schema(part).names
    rows = pq.read_table(part, columns=sorted({c for reads in lookups.values() for c in reads if c in names}))
    return {name: _looked_up_digest(name, rows, keys) for name in lookups}


def part_key(table: str, part: Path, lookups: Mapping[str, bytes]) -> str:
    """The key of a part's results: its bytes, what its rows look up (``looked_up``), the rules
    (as loaded, and the files they come from)."""
    digest = hashlib.sha256(f"{rules_fingerprint()}\0{table}\0{SUITES[table]!r}\0".encode())
    with open(part, "rb") as stored:
        digest.update(hashlib.file_digest(stored, "sha256").digest())
    for name in sorted(lookups):
        digest.update(lookups[name])
    return digest.hexdigest()


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


def group_keys(table: str, part: Path, lookups: Mapping[str, bytes]) -> dict[tuple[int, ...], str]:
    """The key of each rule group's results on a part (``rule_groups``), with what its rows look
    up (``looked_up``); the part is read once."""
    import pyarrow.parquet as pq

    rows = pq.read_table(part)
    common = f"{rules_fingerprint()}\0{table}\0{rows.schema.remove_metadata()}\0".encode()
    ids = {c for c in (*grain_columns(table), "source_file") if c in SCHEMAS[table].names}
    columns: dict[str, bytes] = {}
    found = {}
    for group in rule_groups(table):
        rule = SUITES[table][group[0]]
        reads, lookup = _reads(table, rule)
        digest = hashlib.sha256(common + repr([SUITES[table][i] for i in group]).encode())
        for name in sorted(reads | ids):
            if name not in columns:
                columns[name] = _column_digest(name, rows[name]) if name in rows.column_names \
                    else f"{name}: absent\0".encode()
            digest.update(columns[name])
        for name in sorted(lookup):
            digest.update(lookups[name] if rule.columns else _made(name, lookups[name]))
        found[group] = digest.hexdigest()
    return found


def _column_digest(name: str, values: pa.ChunkedArray | pa.Array) -> bytes:
    """A digest of a column's name, type and values (as one Arrow IPC record batch)."""
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, pa.schema([(name, array.type)])) as stream:
        stream.write_batch(pa.record_batch([array], names=[name]))
    return name.encode() + b"\0" + hashlib.sha256(sink.getvalue()).digest()


def _looked_up_digest(name: str, rows: pa.Table, keys: KeyTables) -> bytes:
    """A digest of the values derived column ``name`` looks up for ``rows`` in the key tables (a
    lookup that cannot be made, its inputs missing, counts as such)."""
    try:
        return _column_digest(name, DERIVED[name].compute(rows, keys))
    except (KeyError, pa.ArrowException):
        return _not_made(name)


def _not_made(name: str) -> bytes:
    return f"{name}: not made\0".encode()


def _made(name: str, digest: bytes) -> bytes:
    """Whether a lookup was made (its digest not ``_not_made``'s): all the rule on the columns reads of it."""
    return digest if digest == _not_made(name) else f"{name}: made\0".encode()


class PartResults:
    """Stored part results: read from ``sources`` (older report folders), written to ``target``
    (the new report folder; None: nothing written). A part's results are its groups' results by
    their keys, as JSON values."""

    def __init__(self, sources: list[Path], target: Path | None):
        self._sources = [source / FOLDER for source in sources]
        self._target = None if target is None else target / FOLDER
        self._groups: dict[str, dict[str, Any]] = {}

    @property
    def stores(self) -> bool:
        """Whether results are written (else there is no need to key them)."""
        return self._target is not None

    def get(self, table: str, key: str) -> dict[str, Any] | None:
        """The stored results of a part, or None."""
        if not _KEY.fullmatch(key):
            return None
        for source in self._sources:
            found = _groups_in(source / table / f"{key}.json")
            if found is not None:
                return found
        return None

    def group(self, table: str, key: str) -> Any | None:
        """The stored results of a rule group on a part, found under any stored part, or None."""
        if table not in self._groups:
            self._groups[table] = {}
            for source in self._sources:
                paths = sorted((source / table).glob("*.json")) if (source / table).is_dir() else []
                for path in paths:
                    for group, results in (_groups_in(path) or {}).items():
                        self._groups[table].setdefault(group, results)
        return self._groups[table].get(key)

    def put(self, table: str, key: str, groups: dict[str, Any]) -> None:
        if self._target is not None:
            folder = self._target / table
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{key}.json").write_text(json.dumps(groups), encoding="utf-8")


def _groups_in(path: Path) -> dict[str, Any] | None:
    """A stored part's results by group key; None when there are none or they cannot be read."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return found if isinstance(found, dict) and all(_KEY.fullmatch(str(k)) for k in found) else None


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
