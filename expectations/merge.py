"""One result per expectation from the results of a table's chunks (and of its table-level rules).

A map expectation (a value, a pair, a null, a link, uniqueness: one with ``element_count``) is
tallied: rows, missing rows and failing rows summed, the failing values and rows kept up to
``ROWS_KEPT``, its shares and most common values recomputed by Great Expectations' own result
formatter from the values kept; and the first failing row of each input file is kept however many
there are, so that quarantine can pin every failure on its articles. Any other expectation (the
columns, a type) is the same in every chunk: the first failing chunk's result stands.

The merge does not depend on how the rows were cut into chunks, only on their order: the
results of a table's parts can be merged part by part (``TableResults.extend``), and a part's
results stored and read back (``TableResults.to_data``, ``from_data``: JSON values) to be merged
again by a later validation (``expectations.part_results``); so can the results of disjoint sets
of rules on the same rows (``only`` cuts them out).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from expectations.codec import decoded, encoded

ROWS_KEPT = 1_000
"""Failing rows kept in an expectation's result (values and rows); the counts are always whole."""


def offending_values(row: Mapping[str, Any], ids: Iterable[str] = ()) -> str:
    """A failing row's values but its source_file and id columns, e.g. ``value=-10.0``."""
    skipped = {"source_file", *ids}
    return ", ".join(f"{k}={_plain(v)!r}" for k, v in row.items() if k not in skipped)


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones, so that a value reads as ``-5.0``, not ``np.float64(-5.0)``."""
    return value.item() if hasattr(value, "item") else value


@dataclass(slots=True)
class Tally:
    """What a map expectation found in the chunks seen so far."""

    elements: int = 0
    nonmissing: int | None = 0          # None when a chunk did not count its missing rows
    unexpected: int = 0
    values: list[Any] = field(default_factory=list)     # the first ROWS_KEPT failing values
    rows: list[Any] = field(default_factory=list)       # and their rows (index columns or row numbers)
    first_by_file: dict[str | None, str] = field(default_factory=dict)
    named: int = 0                      # failing rows that came with their source_file
    ids: list[str] = field(default_factory=list)        # the first ROWS_KEPT failing rows' ids (grain values)

    def add(self, result: Mapping[str, Any]) -> None:
        """Add one chunk's result (``COMPLETE``: every failing row of the chunk is listed)."""
        elements, missing = result.get("element_count") or 0, result.get("missing_count")
        self.elements += elements
        self.nonmissing = None if missing is None or self.nonmissing is None else self.nonmissing + elements - missing
        self.unexpected += result.get("unexpected_count") or 0
        self.values += (result.get("unexpected_list") or [])[:ROWS_KEPT - len(self.values)]
        rows = result.get("unexpected_index_list") or []
        self.rows += rows[:ROWS_KEPT - len(self.rows)]
        id_columns = [c for c in result.get("unexpected_index_column_names") or () if c != "source_file"]
        for row in rows:
            if not isinstance(row, Mapping):
                continue
            if "source_file" in row:
                self.named += 1
                self.first_by_file.setdefault(row["source_file"], offending_values(row, id_columns))
            if id_columns and len(self.ids) < ROWS_KEPT:
                self.ids.append("/".join(str(_plain(row.get(c))) for c in id_columns))

    def extend(self, later: Tally) -> None:
        """Add what ``later`` found in the rows after these (the same as adding its chunks here)."""
        self.elements += later.elements
        self.nonmissing = None if later.nonmissing is None or self.nonmissing is None \
            else self.nonmissing + later.nonmissing
        self.unexpected += later.unexpected
        self.values += later.values[:ROWS_KEPT - len(self.values)]
        self.rows += later.rows[:ROWS_KEPT - len(self.rows)]
        for source_file, values in later.first_by_file.items():
            self.first_by_file.setdefault(source_file, values)
        self.named += later.named
        self.ids += later.ids[:ROWS_KEPT - len(self.ids)]

    def result(self, success: bool, result_format: Mapping[str, Any], index_columns: Any) -> dict[str, Any]:
        """The tally as Great Expectations words a map expectation's result (its most common failing
        values counted among the values kept: all of them up to ``ROWS_KEPT``)."""
        from great_expectations.expectations.expectation import _format_map_output
        from great_expectations.expectations.expectation_configuration import parse_result_format
        result_format = parse_result_format(dict(result_format))
        return _format_map_output(
            result_format, success, element_count=self.elements, nonnull_count=self.nonmissing,
            unexpected_count=self.unexpected, unexpected_list=self.values, unexpected_index_list=self.rows,
            unexpected_index_column_names=index_columns)["result"]

    @property
    def offending(self) -> tuple[tuple[str | None, str], ...]:
        """(source_file, the failing values) of the first failing row of each file, first-seen order."""
        return tuple(self.first_by_file.items())

    @property
    def row_ids(self) -> tuple[str, ...]:
        """The ids of the failing rows kept, in order."""
        return tuple(self.ids)

    @property
    def every_row_named(self) -> bool:
        """Whether every failing row came with its source_file (so its article is known)."""
        return self.named == self.unexpected


@dataclass(slots=True)
class Merged:
    """One expectation's result over the whole table; ``tally`` for a map expectation."""

    result: Any                  # a great_expectations ExpectationValidationResult
    tally: Tally | None = None


def raised(result: Any) -> bool:
    return bool((result.exception_info or {}).get("raised_exception"))


def _is_map(result: Any) -> bool:
    return "element_count" in (result.result or {})


def _replaces(result: Any, kept: Any) -> bool:
    """Whether a later chunk's result stands for the rule instead of the one kept: the first
    error does, and (but for map expectations, whose first result is the template of the tally)
    the first failure."""
    if raised(kept):
        return False
    return raised(result) or (kept.success and not result.success and not _is_map(result))


class TableResults:
    """The results of one table's chunks and table-level rules, merged rule by rule (the rule's
    place in its suite is ``meta["rule"]``)."""

    def __init__(self, result_format: Mapping[str, Any]):
        self._format = result_format
        self._first: dict[int, Any] = {}
        self._successes: dict[int, bool] = {}
        self._tallies: dict[int, Tally] = {}

    def add(self, results: Iterable[Any]) -> None:
        """Add one chunk's results (or the table-level ones)."""
        for result in results:
            rule = result.expectation_config.meta["rule"]
            if rule not in self._first or _replaces(result, self._first[rule]):
                self._first[rule] = result
            self._successes[rule] = self._successes.get(rule, True) and bool(result.success)
            if _is_map(result):
                self._tallies.setdefault(rule, Tally()).add(result.result)

    def extend(self, later: TableResults) -> None:
        """Add the results of the rows after these (a later part of the table), rule by rule."""
        for rule, result in later._first.items():
            if rule not in self._first or _replaces(result, self._first[rule]):
                self._first[rule] = result
            self._successes[rule] = self._successes.get(rule, True) and later._successes[rule]
            if rule in later._tallies:
                self._tallies.setdefault(rule, Tally()).extend(later._tallies[rule])

    @property
    def rules(self) -> frozenset[int]:
        """The rules these results are of."""
        return frozenset(self._first)

    def only(self, rules: Iterable[int]) -> TableResults:
        """These results of ``rules`` alone."""
        kept = type(self)(self._format)
        for rule in rules:
            if rule in self._first:
                kept._first[rule], kept._successes[rule] = self._first[rule], self._successes[rule]
                if rule in self._tallies:
                    kept._tallies[rule] = self._tallies[rule]
        return kept

    def to_data(self) -> dict[str, Any]:
        """The results so far as JSON values, as a file gives them back (a map expectation's by its
        tally; values tagged with their types by ``expectations.codec``): results just computed
        then merge into the same report as results read back (a NaN is JSON's one NaN)."""
        rules = {}
        for rule, result in self._first.items():
            details = result.result or {}
            if rule in self._tallies:       # the tally holds the rest; the result is its template
                details = {k: details[k] for k in ("element_count", "unexpected_index_column_names") if k in details}
            tally = self._tallies.get(rule)
            rules[str(rule)] = {
                "success": self._successes[rule], "result_success": bool(result.success), "result": details,
                "exception_info": result.exception_info,
                "tally": None if tally is None else {name: getattr(tally, name) for name in Tally.__slots__}}
        return json.loads(json.dumps(encoded(rules)))

    @classmethod
    def from_data(cls, data: Any, result_format: Mapping[str, Any], configurations: Mapping[int, Any]
                  ) -> TableResults:
        """Results stored by ``to_data``, each against the expectation's configuration in ``configurations``."""
        from great_expectations.core import ExpectationValidationResult

        results = cls(result_format)
        for rule_text, stored in decoded(data).items():
            rule = int(rule_text)
            results._first[rule] = ExpectationValidationResult(
                success=stored["result_success"], expectation_config=configurations[rule], result=stored["result"],
                exception_info=stored["exception_info"])
            results._successes[rule] = stored["success"]
            if stored["tally"] is not None:
                results._tallies[rule] = Tally(**stored["tally"])
        return results

    def merged(self) -> list[Merged]:
        """Every rule's result, in suite order."""
        return [self._merged(rule) for rule in sorted(self._first)]

    def _merged(self, rule: int) -> Merged:
        result, tally = self._first[rule], self._tallies.get(rule)
        if raised(result) or tally is None:
            return Merged(result)
        result.success = self._successes[rule]
        result.result = tally.result(result.success, self._format,
                                     result.result.get("unexpected_index_column_names"))
        return Merged(result, tally)
