"""Validate the tables of an output with the table suites; build the Data Docs site.

``validate_output`` returns the report, whose ``results`` table (schema ``VALIDATION``) a run
writes as ``_validation/validation.parquet`` (``newsfacts validate --output DIR`` checks a folder
on its own, writes nothing unless asked, and prints the report as text, JSON or JUnit XML:
``report_json``, ``report_junit``). Great Expectations (about 6 s to import) is imported only
when a validation runs, or ahead of it by ``preload_in_background``; it runs with an in-memory
context, no analytics, no progress bars and no network.

Memory stays bounded whatever the corpus: each table is validated chunk by chunk
(``expectations.reading``), the chunks' results merged into one per expectation
(``expectations.merge``); rules across rows and the key tables the cross-table rules look up
read a few columns only (``expectations.table_level``). The report and the Data Docs show one
result per table, as if it had been validated whole. Cost follows what changed: a part whose
bytes, looked-up values and rules are unchanged is not validated again, its stored row-level
results are merged in (``expectations.part_results``).
"""
from __future__ import annotations

import html
import importlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import pyarrow as pa

from expectations.merge import Merged, TableResults
from expectations.offline_docs import make_offline
from expectations.part_results import (
    NO_RESULTS,
    Part,
    PartResults,
    blocks,
    described_parts,
    rule_groups,
    split,
    stored_results_format,
)
from expectations.reading import CHUNK_ROWS, Piece, TableBatches, TableParts, Tables, chunks_of
from expectations.suites import DERIVED, SUITES, VALIDATED_TABLES, KeyTables, Rule, to_frame, with_derived_columns
from expectations.table_level import NotEvaluated, across_rows, key_tables
from transforms.schemas import VALIDATION, VALIDATION_TABLE, grain_columns

RESULTS_FILE = f"{VALIDATION_TABLE}.parquet"
MISSING_TABLE = "expect_table_file_to_exist"  # not a GE expectation: checked before GE runs
TYPE_CHECK = "expect_column_type_to_be"
_SITE = "newsfacts_docs"
# The Data Docs section of the checks on derived values: GE groups a page's expectations by the
# column they read, and a derived value (suites.DERIVED) is no column of the table.
DERIVED_CHECKS = "Derived checks (not table columns)"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One expectation result, as a row of ``validation.parquet``."""

    suite: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    observed_value: str | None
    unexpected_count: int | None
    protects: str
    why: str | None
    judges_rows: bool = False                       # a row-by-row rule (see ``Rule.judges_rows``)
    offending: tuple[tuple[str | None, str], ...] = ()   # (source_file, the failing values) of each file's
    every_row_named: bool = False                   # first failing row; every failing row came with its file
    row_ids: tuple[str, ...] = ()                   # the id (grain values, "/"-joined) of each failing row
    judged: bool = True     # False: it read a column of the wrong type, so its failure says nothing more

    def describe(self) -> str:
        where = f" [{self.column}]" if self.column else ""
        return f"{self.suite}: {self.severity.upper()} {self.expectation}{where}: {self.protects} -- {self.why}"

    @property
    def files(self) -> tuple[str | None, ...]:
        """The input files whose rows failed, first-seen order (None: a row without a source_file)."""
        return tuple(source_file for source_file, _ in self.offending)


@dataclass(frozen=True, slots=True)
class SuiteCounts:
    evaluated: int
    passed: int
    critical_failed: int
    warnings: int
    not_judged: int = 0

    def describe(self, suite: str) -> str:
        unjudged = f", {self.not_judged} not judged: a column they read has the wrong type" if self.not_judged else ""
        return (f"{suite}: {self.passed}/{self.evaluated} expectations passed "
                f"({self.critical_failed} critical failed, {self.warnings} warnings{unjudged})")


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """``success`` is False when any critical expectation failed; warnings are only reported."""

    success: bool
    suites: dict[str, SuiteCounts]
    failures: list[Outcome]
    outcomes: list[Outcome] = field(repr=False)
    results: pa.Table = field(repr=False)      # the outcomes as a ``VALIDATION`` table
    docs_index: Path | None                    # None: no Data Docs were built
    seconds: float

    @property
    def critical_failures(self) -> list[Outcome]:
        return [o for o in self.failures if o.severity == "critical"]

    def summary_lines(self) -> list[str]:
        lines = [counts.describe(suite) for suite, counts in self.suites.items()]
        lines += [o.describe() for o in self.failures]
        critical = len(self.critical_failures)
        verdict = "passed" if self.success else f"failed: {critical} critical expectation(s) failed"
        lines.append(f"validation {verdict} in {self.seconds:.1f} s")
        return lines


def preload_in_background() -> None:
    """Import Great Expectations (~5 s) in a daemon thread, while the caller does other work."""
    threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True).start()


def validate_output(batches: TableBatches, docs_dir: str | Path | None, chunk_rows: int = CHUNK_ROWS,
                    show: Callable[[int, int], None] | None = None, parts: TableParts | None = None,
                    stored: PartResults = NO_RESULTS) -> ValidationReport:
    """Run every table suite on the tables ``batches`` reads, ``chunk_rows`` rows at a time; build
    the Data Docs site in ``docs_dir`` (a folder that does not exist yet; None: no site).
    ``show(done, total)`` is told of each suite run and of the site built. With ``parts`` (the
    files of each table), the row-level results of a part found in ``stored`` are reused, and
    those computed are stored there (``expectations.part_results``); the report is the same.

    A table that is missing or unreadable is a critical failure of its suite (whose
    expectations are then not run); the other suites still run, finding nothing in it.
    """
    started = time.perf_counter()
    docs_dir = None if docs_dir is None else Path(docs_dir)
    tables = Tables(batches, parts)
    for table in VALIDATED_TABLES:
        tables.schema(table)
    ran = run_suites(tables, key_tables(tables), docs_dir, chunk_rows,      # may find a table unreadable midway
                     show or (lambda done, total: None), stored)
    outcomes = [_missing_table_outcome(table, why) for table, why in tables.unreadable.items()] + ran
    outcomes = without_cascades(sorted(outcomes, key=lambda o: VALIDATED_TABLES.index(o.suite)))
    failures = [o for o in outcomes if not o.success and o.judged]
    return ValidationReport(
        success=not any(o.severity == "critical" for o in failures),
        suites={table: _counts([o for o in outcomes if o.suite == table]) for table in VALIDATED_TABLES},
        failures=failures, outcomes=outcomes, results=results_table(outcomes, datetime.now(UTC)),
        docs_index=None if docs_dir is None else docs_dir / "index.html", seconds=time.perf_counter() - started)


def without_cascades(outcomes: list[Outcome]) -> list[Outcome]:
    """Failures that only follow from a column of the wrong type (Great Expectations then observes
    None, or cannot evaluate) marked as not judged: the type failure is the one to report."""
    mistyped = {(o.suite, o.column) for o in outcomes if o.expectation == TYPE_CHECK and not o.success}
    return [replace(o, judged=False, why=f"not judged: {wrong[1]} does not have the contract's type")
            if not o.success and o.expectation != TYPE_CHECK and (wrong := _mistyped_column(o, mistyped)) else o
            for o in outcomes]


def _mistyped_column(outcome: Outcome, mistyped: set[tuple[str, str | None]]) -> tuple[str, str] | None:
    columns = outcome.column.split(", ") if outcome.column else []
    return next(((outcome.suite, c) for c in columns if (outcome.suite, c) in mistyped), None)


def run_suites(tables: Tables, keys: KeyTables, docs_dir: Path | None, chunk_rows: int,
               show: Callable[[int, int], None], stored: PartResults = NO_RESULTS) -> list[Outcome]:
    """Run each readable table's suite with Great Expectations and build the Data Docs site in
    ``docs_dir`` (None: none): one stored result per table, merged from its chunks and table-level rules."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GE sets some of its loggers to INFO; kept off Prefect's handlers, only warnings reach stderr.
    logging.getLogger("great_expectations").propagate = False
    if docs_dir is not None and docs_dir.exists():
        raise FileExistsError(f"{docs_dir} exists; Data Docs are built into a new folder")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        context.add_data_docs_site(site_name=_SITE, site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir.absolute())}})
    source = context.data_sources.add_pandas(name="output")
    run_id = RunIdentifier(run_name="newsfacts", run_time=datetime.now(UTC))
    outcomes = []
    try:
        steps = len(VALIDATED_TABLES) + 1       # each suite, then the Data Docs
        for done, table in enumerate(VALIDATED_TABLES, 1):
            if tables.schema(table) is not None:
                batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe(table)
                suite = context.suites.add(gx.ExpectationSuite(
                    name=table, expectations=[_expectation(gx, r, i) for i, r in enumerate(SUITES[table])],
                    meta={"notes": f"newsfacts contract for the {table} table (expectations/suites.py)"}))
                merged = _validated(gx, table, batch, suite, tables, keys, chunk_rows, stored)
                if table not in tables.unreadable:      # a read error midway: reported as unreadable
                    outcomes += [_outcome(table, m) for m in merged]
                    if docs_dir is not None:            # after the outcomes: readied for the pages in place
                        _store(context, table, merged, {**_meta(gx, table), "run_id": run_id,
                                                        "validation_time": run_id.run_time})
            show(done, steps)
        if docs_dir is not None:
            context.build_data_docs(site_names=[_SITE])
            make_offline(docs_dir)
        show(steps, steps)
    except BaseException:  # never leave a half-built site where publishing would pick it up
        if docs_dir is not None:
            shutil.rmtree(docs_dir, ignore_errors=True)
        raise
    return outcomes


def _validated(gx: Any, table: str, batch: Any, suite: Any, tables: Tables, keys: KeyTables,
               chunk_rows: int, stored: PartResults) -> list[Merged]:
    """The suite's results on ``table``: the row-level rules part by part (a part's stored results
    when it did not change, else those of its rule groups that did not, and Great Expectations on
    the chunks of the parts to validate for the others, their derived columns added), the
    table-level ones on their columns, merged into one result per rule."""
    rules = SUITES[table]
    expectations = {e.meta["rule"]: e for e in suite.expectations}
    configurations = {rule: expectation.configuration for rule, expectation in expectations.items()}
    result_format = _result_format(table, tables.schema(table))
    row_level = frozenset(i for i, r in enumerate(rules) if not r.spans_rows)
    merged = TableResults(result_format)
    with tables.reading(table):
        pieces = tables.pieces(table)
        parts = _described(table, pieces, keys, stored)
        known = [part for part in parts if part is not None]
        whole = len(known) == len(parts)        # every piece a described part: blocks are kept
        cuts = blocks(known) if whole else [range(len(pieces))]
        kept = {cut.start: block for cut in cuts if whole and (block := _stored_block(
            table, known[cut.start:cut.stop], stored, row_level, result_format, configurations))}
        wanted = [index for cut in cuts if cut.start not in kept for index in cut]
        found = _part_results(gx, table, batch, tables, keys, chunk_rows, stored, pieces, parts, wanted,
                              row_level, result_format, configurations)
        for cut in cuts:
            if cut.start in kept:
                merged.extend(kept[cut.start])
                continue
            block = TableResults(result_format)
            for index in cut:
                block.extend(found[index])
            if whole:
                stored.put_block(table, known[cut.start:cut.stop], block)
            merged.extend(block)
        merged.add(_across_rows_result(gx, rule, expectations[index], table, tables)
                   for index, rule in enumerate(rules) if rule.spans_rows)
    return merged.merged()


def _stored_block(table: str, parts: list[Part], stored: PartResults, row_level: frozenset[int],
                  result_format: dict[str, Any], configurations: dict[int, Any]) -> TableResults | None:
    """The merged results of a block of unchanged parts, stored by an earlier validation (its
    parts' results then kept in the new report unread), or None."""
    found = stored.block(table, parts)
    if found is None:
        return None
    results = _read_back([found[0]], row_level, result_format, configurations)
    if results is not None:
        stored.carry(table, parts, found[1])
    return results


def _part_results(gx: Any, table: str, batch: Any, tables: Tables, keys: KeyTables, chunk_rows: int,
                  stored: PartResults, pieces: list[Piece], parts: list[Part | None], wanted: list[int],
                  row_level: frozenset[int], result_format: dict[str, Any], configurations: dict[int, Any]
                  ) -> dict[int, TableResults]:
    """The row-level results of the ``wanted`` pieces (by place): a part's stored results when it
    did not change, else those of its rule groups that did not, and Great Expectations on the
    chunks of the parts to validate for the others. Each part's are stored in the new report."""
    groups = {index: {} if parts[index] is None else stored.get(table, parts[index]) or {} for index in wanted}
    found = {index: results for index, stored_groups in groups.items()
             if (results := _read_back(list(stored_groups.values()), row_level, result_format, configurations))}
    missing = [index for index in wanted if index not in found]
    to_run = {}
    for index in missing:       # the groups that still hold, the rules of the others
        reused = {} if parts[index] is None else stored.reusable(table, parts[index])
        groups[index] = {group: data for group, data in reused.items()
                         if _read_back([data], frozenset(group), result_format, configurations)}
        to_run[index] = frozenset(rule for group in rule_groups(table) if group not in groups[index]
                                  for rule in group)
    for run, indexes in _runs(to_run, row_level):
        fresh = _validate_parts(gx, table, batch, [pieces[i] for i in indexes], tables, keys, chunk_rows, run)
        for index, results in zip(indexes, fresh):
            groups[index].update({group: results.only(group).to_data()
                                  for group in rule_groups(table) if group not in groups[index]})
    for index in missing:
        results = _read_back(list(groups[index].values()), row_level, result_format, configurations)
        if results is None:
            raise RuntimeError(f"the results of a {table} part do not hold every row-level rule")
        found[index] = results
    for index in wanted:     # the new report holds every current part's results
        part = parts[index]
        if part is not None:
            stored.put(table, part, groups[index])
    return found


def _runs(to_run: dict[int, frozenset[int]], every: frozenset[int]) -> list[tuple[frozenset[int], list[int]]]:
    """The Great Expectations runs that validate each part (by index) in the rules it needs: the
    parts that need every rule in one, the others in one with the rules any of them needs (or in
    the first, when that is every rule). A run costs about as much per rule as per chunk of rows:
    fewer, larger runs cost less than one per distinct set of rules.

    >>> _runs({0: frozenset({1, 2}), 1: frozenset({1, 2, 3}), 2: frozenset({2}), 3: frozenset()}, frozenset({1, 2, 3}))
    [(frozenset({1, 2, 3}), [1]), (frozenset({1, 2}), [0, 2])]
    """
    whole = [index for index, rules in to_run.items() if rules == every]
    partly = [index for index, rules in to_run.items() if rules and rules != every]
    needed = frozenset().union(*(to_run[index] for index in partly))
    if needed == every:
        return [(every, sorted(whole + partly))]
    return [(rules, indexes) for rules, indexes in ((every, whole), (needed, partly)) if indexes]


def _described(table: str, pieces: list[Piece], keys: KeyTables, stored: PartResults) -> list[Part | None]:
    """Each piece as a ``Part`` whose results are looked for and kept; None for every piece when
    there is a piece without a file, or no results are read or written."""
    if not stored.used or any(piece.path is None for piece in pieces):
        return [None] * len(pieces)
    paths = [piece.path for piece in pieces if piece.path is not None]
    return list(described_parts(table, paths, keys, files=stored.file_digests(table, paths)))


def _read_back(stored_groups: list[Any], rules: frozenset[int] | None, result_format: dict[str, Any],
               configurations: dict[int, Any]) -> TableResults | None:
    """Stored results of rule groups as one part's, when they are of exactly ``rules`` (None: any)
    and can be read; else None (then they are validated again)."""
    results = TableResults(result_format)
    try:
        for data in stored_groups:
            results.extend(TableResults.from_data(data, result_format, configurations))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return results if results.rules and (rules is None or results.rules == rules) else None


def _validate_parts(gx: Any, table: str, batch: Any, pieces: list[Piece], tables: Tables, keys: KeyTables,
                    chunk_rows: int, run: frozenset[int]) -> list[TableResults]:
    """Each piece's row-level results of the rules ``run`` (their places in the suite), from Great
    Expectations run on chunks of all their rows (a piece alone when its results cannot be cut
    out of a chunk's)."""
    from great_expectations.validator.v1_validator import Validator

    rules = SUITES[table]
    per_chunk = gx.ExpectationSuite(name=table, expectations=[_expectation(gx, r, i) for i, r in enumerate(rules)
                                                              if i in run])
    schema = tables.schema(table)
    result_format = _result_format(table, schema)
    results = [TableResults(result_format) for _ in pieces]
    read = _columns_read(table, run, schema)

    def judged(rows: pa.Table) -> tuple[pd.DataFrame, list[Any]]:
        frame = to_frame(with_derived_columns(table, rows, keys, None if read is None else read[1]))
        validator = Validator(batch_definition=batch, result_format=stored_results_format(result_format),
                              batch_parameters={"dataframe": frame})
        return frame, validator.validate_expectation_suite(per_chunk).results

    if not pieces:
        return results
    for chunk, slices in chunks_of(pieces, chunk_rows, schema, None if read is None else read[0]):
        frame, found = judged(chunk)
        cut = split(found, rules, frame, slices)
        if cut is None:      # each piece of the chunk on its own
            start, cut = 0, []
            for _, rows in slices:
                cut.append(judged(chunk.slice(start, rows))[1])
                start += rows
        for (index, _), part in zip(slices, cut):
            results[index].add(part)
    return results


def _columns_read(table: str, run: frozenset[int], schema: pa.Schema) -> tuple[list[str], set[str]] | None:
    """The table's columns and the derived columns the rules ``run`` read (with the columns that
    name a failing row): all a frame needs for them; None (every column) when one of them is about
    the frame's columns."""
    rules = [SUITES[table][i] for i in run]
    if any(not rule.columns for rule in rules):
        return None
    named = _result_format(table, schema)["unexpected_index_column_names"]
    derived = {c for rule in rules for c in rule.columns if c in DERIVED}
    reads = {c for rule in rules for c in rule.columns if c not in DERIVED}
    reads |= {c for name in derived for c in DERIVED[name].reads} | set(named)
    return [c for c in schema.names if c in reads], derived


def _meta(gx: Any, table: str) -> dict[str, Any]:
    """The meta of a table's stored result, as Great Expectations gives a chunk's but for what
    differs from chunk to chunk (load time, data fingerprint): the same whichever parts ran."""
    return {"great_expectations_version": gx.__version__, "batch_spec": {"batch_data": "PandasDataFrame"},
            "batch_markers": {}, "active_batch_definition": {
                "datasource_name": "output", "data_connector_name": "fluent", "data_asset_name": table,
                "batch_identifiers": {"dataframe": "<DATAFRAME>"}}}


def _across_rows_result(gx: Any, rule: Rule, expectation: Any, table: str, tables: Tables) -> Any:
    """A table-level rule's result (``table_level.across_rows``) as Great Expectations words it."""
    from great_expectations.core import ExpectationValidationResult
    try:
        found = across_rows(rule, table, tables)
    except NotEvaluated as error:
        return ExpectationValidationResult(
            success=False, expectation_config=expectation.configuration, result={},
            exception_info={"raised_exception": True, "exception_message": str(error), "exception_traceback": None})
    return ExpectationValidationResult(success=found["unexpected_count"] == 0,
                                       expectation_config=expectation.configuration, result=found,
                                       exception_info={"raised_exception": False, "exception_message": None,
                                                       "exception_traceback": None})


def _store(context: Any, table: str, merged: list[Merged], meta: dict[str, Any]) -> None:
    """Store the table's merged results as one validation result (the one its Data Docs page
    shows), readied for the page by ``_for_the_page``; it is serialized once, as it is stored."""
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )
    from great_expectations.validator.validator import calc_validation_statistics

    results = [_for_the_page(m.result) for m in merged]
    statistics = calc_validation_statistics(results)
    batch_id = f"output-{table}"
    context.validation_results_store.set(
        ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(name=table),
                                   run_id=meta["run_id"], batch_identifier=batch_id),
        ExpectationSuiteValidationResult(
            success=not any(not r.success and r.expectation_config.meta.get("severity") == "critical"
                            for r in results),
            results=results, suite_name=table, batch_id=batch_id,
            statistics={"evaluated_expectations": statistics.evaluated_expectations,
                        "successful_expectations": statistics.successful_expectations,
                        "unsuccessful_expectations": statistics.unsuccessful_expectations,
                        "success_percent": statistics.success_percent},
            meta={**meta, "batch_parameters": {"dataframe": "<DATAFRAME>"}}))


def _result_format(table: str, schema: pa.Schema) -> dict[str, Any]:
    """Every failing row of a chunk, with its id (the grain columns: Data Docs list them, so a reader
    can find the row) and the source_file it came from when the table has one (so that a failure
    can be pinned on its articles, and a message can name the files). No
    ``unexpected_index_query``: the rows it names would be a chunk's."""
    named = list(dict.fromkeys(c for c in (*grain_columns(table), "source_file") if c in schema.names))
    return {"result_format": "COMPLETE", "unexpected_index_column_names": named,
            "return_unexpected_index_query": False}


def _for_the_page(result: Any) -> Any:
    """``result`` readied for Data Docs (in place): every string HTML-escaped (GE puts sample
    values and file names into the pages as raw HTML), and a check on a derived value filed under
    one section instead of a column each. The suite's verdict counts critical failures only
    (``_store``: GE marks a suite failed for a warning too)."""
    result.result = _escaped(result.result)
    kwargs = result.expectation_config.kwargs
    if kwargs.get("column") in DERIVED:
        kwargs["column"] = DERIVED_CHECKS
    return result


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_escaped(v) for v in value)
    return value


def _expectation(gx: Any, rule: Rule, index: int):
    return getattr(gx.expectations, rule.expectation)(
        **rule.kwargs, severity=rule.severity, description=_description(rule),
        meta={"severity": rule.severity, "protects": rule.protects, "rule": index, "judges_rows": rule.judges_rows},
        **({"row_condition": _condition(rule.when)} if rule.when else {}))


def _description(rule: Rule) -> str:
    """What Data Docs show for the expectation: its severity and what it protects, in place of GE's
    generic prose (a template: ``$`` is doubled)."""
    return f"{rule.severity.upper()}: {rule.protects}".replace("$", "$$")


def _condition(when: tuple[str, str, Any]):
    from great_expectations.expectations.row_conditions import Column
    column, operator, value = when
    return {"in": lambda: Column(column).is_in(value), "==": lambda: Column(column) == value,
            "is_null": lambda: Column(column).is_null(), "not_null": lambda: Column(column).is_not_null()}[operator]()


def _outcome(table: str, merged: Merged) -> Outcome:
    result, tally = merged.result, merged.tally
    config = result.expectation_config
    kwargs, details = config.kwargs, result.result or {}
    columns = kwargs.get("column") or ", ".join(c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c) \
        or ", ".join(kwargs.get("column_list") or []) or None
    observed, meta = details.get("observed_value"), config.meta or {}
    return Outcome(
        suite=table, expectation=config.type, column=columns,
        severity=meta.get("severity", "critical"), success=bool(result.success),
        observed_value=None if observed is None else str(_plain(observed)),
        unexpected_count=_plain(details.get("unexpected_count")),
        protects=meta.get("protects", ""),
        why=None if result.success else _why(result, kwargs, details),
        judges_rows=bool(meta.get("judges_rows")),
        offending=() if result.success or tally is None else tally.offending,
        every_row_named=tally is not None and tally.every_row_named,
        row_ids=() if result.success or tally is None else tally.row_ids)


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones, in containers too, so that a value reads as ``-5.0``, not
    ``np.float64(-5.0)``.

    >>> import numpy as np
    >>> _plain({"a": [np.int64(2825), (np.float64(-5.0),)]})
    {'a': [2825, (-5.0,)]}
    """
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def _why(result: Any, kwargs: Mapping, details: Mapping) -> str:
    """One line saying what was wrong: the error, the bad rows with a sample, or the observed value."""
    error = (result.exception_info or {}).get("exception_message") if result.exception_info else None
    if error:
        return f"could not be evaluated: {str(error).splitlines()[0][:200]}"
    details = _plain(details)
    if details.get("unexpected_count"):
        sample = details.get("partial_unexpected_list") or []
        return (f"{details['unexpected_count']} of {details.get('element_count')} rows unexpected"
                f" ({details.get('unexpected_percent', 0):.3g}%), e.g. {sample[:5]}")
    mismatched = (details.get("details") or {}).get("mismatched")
    if mismatched:
        return f"columns mismatched: {mismatched}"
    if "type_" in kwargs:
        return f"observed type {details.get('observed_value')}, expected {kwargs['type_']}"
    return f"observed {details.get('observed_value')!r}"


def _missing_table_outcome(table: str, why: str) -> Outcome:
    return Outcome(suite=table, expectation=MISSING_TABLE, column=None, severity="critical", success=False,
                   observed_value=None, unexpected_count=None,
                   protects=f"the {table} table exists and can be read", why=why)


def _counts(outcomes: list[Outcome]) -> SuiteCounts:
    failed = [o for o in outcomes if not o.success]
    judged = [o for o in failed if o.judged]
    return SuiteCounts(evaluated=len(outcomes), passed=len(outcomes) - len(failed),
                       critical_failed=sum(o.severity == "critical" for o in judged),
                       warnings=sum(o.severity == "warning" for o in judged), not_judged=len(failed) - len(judged))


def results_table(outcomes: list[Outcome], validated_at: datetime) -> pa.Table:
    """The outcomes as a ``VALIDATION`` table, one row per expectation result."""
    rows = [{"suite": o.suite, "expectation": o.expectation, "column": o.column, "severity": o.severity,
             "success": o.success, "observed_value": o.observed_value, "unexpected_count": o.unexpected_count,
             "protects": o.protects, "why": o.why, "validated_at": validated_at} for o in outcomes]
    return pa.Table.from_pylist(rows, schema=VALIDATION)


def report_json(report: ValidationReport) -> str:
    """The report as one JSON document: the verdict, counts per suite, and each failure that was
    judged (warnings included), with the input files of its failing rows."""
    return json.dumps({
        "success": report.success, "seconds": round(report.seconds, 2),
        "suites": {suite: asdict(counts) for suite, counts in report.suites.items()},
        "failures": [{"suite": o.suite, "severity": o.severity, "expectation": o.expectation, "column": o.column,
                      "protects": o.protects, "why": o.why, "unexpected_count": o.unexpected_count,
                      "files": list(o.files)} for o in report.failures],
        "docs": None if report.docs_index is None else str(report.docs_index)}, indent=2, ensure_ascii=False)


def report_junit(report: ValidationReport) -> str:
    """The report as JUnit XML for CI: a test suite per table, a test case per expectation; a
    critical failure is a ``failure``, a warning passes with its message in ``system-out``, an
    expectation not judged (a column of the wrong type) is ``skipped``."""
    root = ElementTree.Element("testsuites", name="newsfacts validate", tests=str(len(report.outcomes)),
                               failures=str(len(report.critical_failures)), time=f"{report.seconds:.2f}")
    for suite, counts in report.suites.items():
        element = ElementTree.SubElement(root, "testsuite", name=suite, tests=str(counts.evaluated),
                                         failures=str(counts.critical_failed), skipped=str(counts.not_judged),
                                         errors="0")
        for index, outcome in enumerate(o for o in report.outcomes if o.suite == suite):
            where = f" [{outcome.column}]" if outcome.column else ""
            case = ElementTree.SubElement(element, "testcase", classname=f"newsfacts.{suite}",
                                          name=_xml_text(f"{index} {outcome.expectation}{where}: {outcome.protects}"))
            if outcome.success:
                continue
            message = _xml_text(outcome.why or "")
            if not outcome.judged:
                ElementTree.SubElement(case, "skipped", message=message)
            elif outcome.severity == "critical":
                failure = ElementTree.SubElement(case, "failure", type="critical", message=message)
                failure.text = _xml_text("\n".join([outcome.describe(), *(f"in {f}" for f in outcome.files if f)]))
            else:
                ElementTree.SubElement(case, "system-out").text = _xml_text(f"WARNING {outcome.describe()}")
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    r"""``text`` with the characters XML 1.0 cannot hold written as escapes (a file name may have them).

    >>> _xml_text("a\x1bb\tc")
    'a\\x1bb\tc'
    """
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
