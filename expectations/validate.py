"""Validate the tables of a folder with the table suites; build the Data Docs site.

``validate_output`` returns the report, whose ``results`` table (schema ``VALIDATION``) the
flows write as ``validation.parquet`` (``python -m flows validate --output DIR`` for a folder
on its own). Great Expectations (about 6 s to import) is imported only when a validation runs,
or ahead of it by ``preload_in_background``; it runs with an in-memory context, no analytics,
no progress bars and no network.
"""
from __future__ import annotations

import html
import importlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from expectations.suites import SUITES, VALIDATED_TABLES, Rule, to_frame, with_derived_columns
from transforms.schemas import SCHEMAS, VALIDATION, VALIDATION_TABLE

RESULTS_FILE = f"{VALIDATION_TABLE}.parquet"
DOCS_FOLDER = "validation"
MISSING_TABLE = "expect_table_file_to_exist"  # not a GE expectation: checked before GE runs
_SITE = "newsfacts_docs"


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
    offending: tuple[tuple[str | None, str], ...] = ()   # (source_file, the failing values) per failing row

    def describe(self) -> str:
        where = f" [{self.column}]" if self.column else ""
        return f"{self.suite}: {self.severity.upper()} {self.expectation}{where}: {self.protects} -- {self.why}"

    @property
    def files(self) -> tuple[str | None, ...]:
        """The input files whose rows failed, first-seen order (None: a row without a source_file)."""
        return tuple(dict.fromkeys(source_file for source_file, _ in self.offending))


@dataclass(frozen=True, slots=True)
class SuiteCounts:
    evaluated: int
    passed: int
    critical_failed: int
    warnings: int

    def describe(self, suite: str) -> str:
        return (f"{suite}: {self.passed}/{self.evaluated} expectations passed "
                f"({self.critical_failed} critical failed, {self.warnings} warnings)")


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """``success`` is False when any critical expectation failed; warnings are only reported."""

    success: bool
    suites: dict[str, SuiteCounts]
    failures: list[Outcome]
    outcomes: list[Outcome] = field(repr=False)
    results: pa.Table = field(repr=False)      # the outcomes as a ``VALIDATION`` table
    docs_index: Path
    seconds: float

    @property
    def critical_failures(self) -> list[Outcome]:
        return [o for o in self.failures if o.severity == "critical"]

    def summary_lines(self) -> list[str]:
        lines = [counts.describe(suite) for suite, counts in self.suites.items()]
        lines += [f"FAILED {o.describe()}" for o in self.failures]
        verdict = "passed" if self.success else "FAILED (a critical expectation failed)"
        lines.append(f"validation {verdict} in {self.seconds:.1f} s")
        return lines


def preload_in_background() -> None:
    """Import Great Expectations (~5 s) in a daemon thread, while the caller does other work."""
    threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True).start()


def validate_output(folder: str | Path, docs_dir: str | Path) -> ValidationReport:
    """Run every table suite on the tables in ``folder``; build the Data Docs site in ``docs_dir``
    (a folder that does not exist yet).

    A table file that is missing or unreadable is a critical failure of its suite (whose
    expectations are then not run); the other suites still run against an empty stand-in.
    """
    started = time.perf_counter()
    folder, docs_dir = Path(folder), Path(docs_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"output folder {folder} does not exist or is not a folder")
    frames, unreadable = read_tables(folder)
    validated = {table: with_derived_columns(table, frames[table], frames)
                 for table in VALIDATED_TABLES if table not in unreadable}
    outcomes = [_missing_table_outcome(table, why) for table, why in unreadable.items()]
    outcomes += run_suites(validated, docs_dir)
    outcomes.sort(key=lambda o: VALIDATED_TABLES.index(o.suite))
    failures = [o for o in outcomes if not o.success]
    return ValidationReport(
        success=not any(o.severity == "critical" for o in failures),
        suites={table: _counts([o for o in outcomes if o.suite == table]) for table in VALIDATED_TABLES},
        failures=failures, outcomes=outcomes, results=results_table(outcomes, datetime.now(UTC)),
        docs_index=docs_dir / "index.html", seconds=time.perf_counter() - started)


def read_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every validated table as a frame, and why a table could not be read (missing/unreadable).

    An unread table is replaced by an empty frame of its schema so cross-table checks still run.
    """
    frames, unreadable = {}, {}
    for table in VALIDATED_TABLES:
        path = folder / table if (folder / table).is_dir() else folder / f"{table}.parquet"  # parts, or one file
        try:
            frames[table] = to_frame(pq.read_table(path))
            continue
        except FileNotFoundError:
            unreadable[table] = f"{path.name} is missing"
        except (OSError, pa.ArrowException) as error:
            unreadable[table] = f"{path.name} is unreadable: {error}"
        frames[table] = to_frame(SCHEMAS[table].empty_table())
    return frames, unreadable


def run_suites(frames: Mapping[str, pd.DataFrame], docs_dir: Path) -> list[Outcome]:
    """Run each table's suite with Great Expectations and build the Data Docs site in ``docs_dir``."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GE sets some of its loggers to INFO; kept off Prefect's handlers, only warnings reach stderr.
    logging.getLogger("great_expectations").propagate = False
    if docs_dir.exists():
        raise FileExistsError(f"{docs_dir} exists; Data Docs are built into a new folder")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(site_name=_SITE, site_config={
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir.absolute())}})
    source = context.data_sources.add_pandas(name="output")
    run_id = RunIdentifier(run_name="newsfacts", run_time=datetime.now(UTC))
    outcomes = []
    try:
        for table, frame in frames.items():
            batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe(table)
            suite = context.suites.add(gx.ExpectationSuite(
                name=table, expectations=[_expectation(gx, r, i) for i, r in enumerate(SUITES[table])],
                meta={"notes": f"newsfacts contract for {table}.parquet (expectations/suites.py)"}))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=table, data=batch, suite=suite))
            result = definition.run(batch_parameters={"dataframe": frame}, result_format=_result_format(frame),
                                    run_id=run_id)
            in_suite_order = sorted(result.results, key=lambda r: r.expectation_config.meta["rule"])
            outcomes += [_outcome(table, r) for r in in_suite_order]
        _escape_stored_results(context.validation_results_store)
        context.build_data_docs(site_names=[_SITE])
    except BaseException:  # never leave a half-built site where publishing would pick it up
        shutil.rmtree(docs_dir, ignore_errors=True)
        raise
    return outcomes


def _result_format(frame: pd.DataFrame) -> dict[str, Any]:
    """Every failing row, with the source_file it came from when the table has one (so that a
    failure can be pinned on its articles, and a message can name the files)."""
    named = ["source_file"] if "source_file" in frame.columns else []
    return {"result_format": "COMPLETE", "unexpected_index_column_names": named}


def _escape_stored_results(store: Any) -> None:
    """HTML-escape every string of the stored results before Data Docs renders them: GE puts
    sample values and file names into the pages as raw HTML."""
    for key in store.list_keys():
        stored = store.get(key)
        for result in stored.results:
            result.result = _escaped(result.result)
        store.set(key, stored)


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
        **rule.kwargs, severity=rule.severity, notes=rule.protects,
        meta={"severity": rule.severity, "protects": rule.protects, "rule": index, "judges_rows": rule.judges_rows},
        **({"row_condition": _condition(rule.when)} if rule.when else {}))


def _condition(when: tuple[str, str, Any]):
    from great_expectations.expectations.row_conditions import Column
    column, operator, value = when
    return {"in": lambda: Column(column).is_in(value), "==": lambda: Column(column) == value,
            "is_null": lambda: Column(column).is_null(), "not_null": lambda: Column(column).is_not_null()}[operator]()


def _outcome(table: str, result: Any) -> Outcome:
    config = result.expectation_config
    kwargs, details = config.kwargs, result.result or {}
    columns = kwargs.get("column") or ", ".join(c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c) \
        or ", ".join(kwargs.get("column_list") or []) or None
    observed, meta = details.get("observed_value"), config.meta or {}
    return Outcome(
        suite=table, expectation=config.type, column=columns,
        severity=meta.get("severity", "critical"), success=bool(result.success),
        observed_value=None if observed is None else str(observed),
        unexpected_count=details.get("unexpected_count"),
        protects=meta.get("protects", ""),
        why=None if result.success else _why(result, kwargs, details),
        judges_rows=bool(meta.get("judges_rows")),
        offending=() if result.success else _offending(details))


def _offending(details: Mapping) -> tuple[tuple[str | None, str], ...]:
    """(source_file, "column=value, ...") of each failing row GE listed."""
    rows = details.get("unexpected_index_list") or []
    return tuple((row.get("source_file"), ", ".join(f"{k}={_plain(v)!r}" for k, v in row.items() if k != "source_file"))
                 for row in rows if isinstance(row, Mapping))


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones, so that a value reads as ``-5.0``, not ``np.float64(-5.0)``."""
    return value.item() if hasattr(value, "item") else value


def _why(result: Any, kwargs: Mapping, details: Mapping) -> str:
    """One line saying what was wrong: the error, the bad rows with a sample, or the observed value."""
    error = (result.exception_info or {}).get("exception_message") if result.exception_info else None
    if error:
        return f"could not be evaluated: {str(error).splitlines()[0][:200]}"
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
                   protects=f"{table}.parquet exists and can be read", why=why)


def _counts(outcomes: list[Outcome]) -> SuiteCounts:
    failed = [o for o in outcomes if not o.success]
    return SuiteCounts(evaluated=len(outcomes), passed=len(outcomes) - len(failed),
                       critical_failed=sum(o.severity == "critical" for o in failed),
                       warnings=sum(o.severity == "warning" for o in failed))


def results_table(outcomes: list[Outcome], validated_at: datetime) -> pa.Table:
    """The outcomes as a ``VALIDATION`` table, one row per expectation result."""
    rows = [{"suite": o.suite, "expectation": o.expectation, "column": o.column, "severity": o.severity,
             "success": o.success, "observed_value": o.observed_value, "unexpected_count": o.unexpected_count,
             "protects": o.protects, "why": o.why, "validated_at": validated_at} for o in outcomes]
    return pa.Table.from_pylist(rows, schema=VALIDATION)
