"""The row-level results of each part of a table, kept beside the validation report so that a
later validation reuses them for every part that did not change.

A part's results (``merge.TableResults`` of its rows, as JSON) are filed under a key made of
everything they depend on: the part's bytes (SHA-256), the values its rows look up in the key
tables (``suites.Derived.reads``: the article of a figure, the entity of a mention, the counts of
an entity), and a fingerprint of the rules (the code and data of ``expectations`` and
``transforms``, and the versions of the libraries that judge the rows). A change to any of them
is another key, so a stored result is never served for rows it was not computed on. Rules that
compare rows with each other are not stored: they run on the whole table's columns every time.

Results are stored as ``<report>/part_results/<table>/<key>.json``; a validation writes the
results of every part it validated into its new report folder (read from an older report when
unchanged), so the folder holds exactly the current parts' results. ``newsfacts validate`` on a
folder reads and writes none: it validates every part.

Great Expectations runs on the rows of all the parts to validate at once (``reading.chunks_of``)
and its results are cut back into each part's (``split``): the failing rows by their place in
the frame, the rows judged and missing recounted per part and checked against Great
Expectations' totals; when they do not add up, each part is validated on its own.
"""
from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from expectations.suites import DERIVED, SUITES, KeyTables, Rule, looked_up_columns

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


def part_key(table: str, part: Path, keys: KeyTables) -> str:
    """The key of a part's results: its bytes, what its rows look up, the rules (as loaded, and
    the files they come from)."""
    digest = hashlib.sha256(f"{rules_fingerprint()}\0{table}\0{SUITES[table]!r}\0".encode())
    with open(part, "rb") as stored:
        digest.update(hashlib.file_digest(stored, "sha256").digest())
    digest.update(_looked_up_digest(table, part, keys))
    return digest.hexdigest()


def _looked_up_digest(table: str, part: Path, keys: KeyTables) -> bytes:
    """A digest of the values the part's rows look up in the key tables (a lookup that cannot be
    made, its inputs missing, counts as such)."""
    import pyarrow.parquet as pq

    lookups = looked_up_columns(table)
    stored = pq.read_schema(part).names
    rows = pq.read_table(part, columns=sorted({c for reads in lookups.values() for c in reads if c in stored}))
    digest = hashlib.sha256()
    for name in lookups:
        try:
            values = pa.chunked_array(DERIVED[name].compute(rows, keys)).combine_chunks()
        except (KeyError, pa.ArrowException):
            digest.update(f"{name}: not made\0".encode())
            continue
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, pa.schema([(name, values.type)])) as stream:
            stream.write_batch(pa.record_batch([values], names=[name]))
        digest.update(name.encode() + b"\0" + sink.getvalue())
    return digest.digest()


class PartResults:
    """Stored part results: read from ``sources`` (older report folders), written to ``target``
    (the new report folder; None: nothing written)."""

    def __init__(self, sources: list[Path], target: Path | None):
        self._sources = [source / FOLDER for source in sources]
        self._target = None if target is None else target / FOLDER

    def get(self, table: str, key: str) -> str | None:
        """The stored results of a part, or None."""
        if not _KEY.fullmatch(key):
            return None
        for source in self._sources:
            try:
                return (source / table / f"{key}.json").read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
        return None

    def put(self, table: str, key: str, results: str) -> None:
        if self._target is not None:
            folder = self._target / table
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{key}.json").write_text(results, encoding="utf-8")


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
