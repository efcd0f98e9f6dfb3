"""Command line: ``python -m flows run|validate|query|docs`` (also installed as ``newsfacts``).

Errors are one ``newsfacts: ...`` line with an exit code per kind (README, "Exit codes");
``validate`` has its own four (``Verdict``), as CI tools expect."""
from __future__ import annotations

import argparse
import functools
import glob
import logging
import sys
import traceback
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path

import flows  # noqa: F401  (sets the quiet, offline environment defaults before Prefect loads)
from flows.api_server import prefect_api, start_api_server
from flows.defaults import DEFAULTS, TASK_RUNNERS
from flows.pool import start_forkserver
from flows.preflight import (
    Exit,
    OperatorError,
    check_input,
    check_output,
    names_operator_error,
    operator_error,
    positive,
)
from flows.reaper import reap_children_on_exit

STOPPING_ERRORS = (("flows.etl", "ValidationFailed", Exit.VALIDATION_FAILED),
                   ("flows.storage", "OutputLocked", Exit.OUTPUT_IN_USE),
                   ("flows.etl", "InputsUnaccounted", Exit.INPUTS_UNACCOUNTED))
"""Module, name and exit code of the errors besides ``OperatorError`` (which carries its own
code) and a missing or clashing path (1) that stop a command with one line. Named, not
imported: this module imports neither Prefect nor pandas at start, so that parsing and the
path checks take a fraction of a second."""


def exit_code(error: Exception) -> int | None:
    """The exit code of an error that stops a command with one line; None for any other error.
    A module not imported yet cannot have raised its errors, so it is not imported here."""
    if isinstance(error, OperatorError):
        return error.exit_code
    if isinstance(error, FileNotFoundError | FileExistsError):
        return 1
    for module, name, code in STOPPING_ERRORS:
        kind = getattr(sys.modules.get(module), name, None)
        if kind is not None and isinstance(error, kind):
            return code
    return None


class Parser(argparse.ArgumentParser):
    """argparse, with a bad argument reported as one line (exit 2) instead of usage plus error."""

    def error(self, message: str):
        self.exit(Exit.BAD_ARGUMENT, f"newsfacts: {message} (see --help)\n")


def above_zero(convert: Callable[[str], float]) -> Callable[[str], float]:
    """An argparse type: ``convert(text)``, finite and above 0."""
    def parse(text: str) -> float:
        try:
            return positive("the value", convert(text))
        except (ValueError, OperatorError):
            kind = "a whole" if convert is int else "a finite"
            raise argparse.ArgumentTypeError(f"must be {kind} number above 0, not {text!r}") from None
    parse.__name__ = convert.__name__
    return parse


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="newsfacts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract every article below --input (*.txt, *.jsonl, *.jsonl.gz) "
                                          "into Parquet tables in --output")
    run.add_argument("--input", default=DEFAULTS["input_dir"],
                     help="folder of articles (*.txt, *.jsonl, *.jsonl.gz), read recursively (default: %(default)s)")
    run.add_argument("--output", default=DEFAULTS["output_dir"],
                     help="folder for the Parquet tables (default: %(default)s)")
    run.add_argument("--batch-size", type=above_zero(int), default=DEFAULTS["batch_size"],
                     help="articles per Prefect task (default: %(default)s)")
    run.add_argument("--max-bytes", type=above_zero(int), default=DEFAULTS["max_bytes"],
                     help="larger files are rejected as too_large (default: %(default)s)")
    run.add_argument("--time-budget", type=above_zero(float), default=DEFAULTS["time_budget_s"],
                     help="seconds one article may take to extract before it is rejected as timed_out "
                          "(default: %(default)s)")
    run.add_argument("--full-refresh", action="store_true",
                     help="extract every article again instead of keeping the rows of unchanged ones")
    run.add_argument("--allow-shrink", action="store_true",
                     help="publish even when the run has under half the last run's articles, or none")
    run.add_argument("--task-runner", choices=TASK_RUNNERS, default=TASK_RUNNERS[0],
                     help="where batches run: a pool of local processes (threads, the default), Prefect's "
                          "process runner, or a Dask cluster")
    run.add_argument("--workers", type=above_zero(int),
                     help="extraction processes, or the LocalCluster workers of --task-runner dask "
                          "(default: one per core), or the processes of --task-runner processes")
    run.add_argument("--dask-address", help="scheduler address of an existing Dask cluster, e.g. tcp://host:8786 "
                                            "(implies --task-runner dask)")
    validate = commands.add_parser("validate", help="validate the tables of an output folder (which may be "
                                   "read-only: nothing is written there unless asked); exit 0 passed, 1 a critical "
                                   "expectation failed, 2 a bad argument or folder, 3 an internal error")
    validate.add_argument("--output", required=True, help="the output folder holding the tables")
    validate.add_argument("--format", choices=("text", "json", "junit"), default="text",
                          help="the report on stdout: text lines, one JSON document, or JUnit XML (default: text)")
    validate.add_argument("--results", type=Path, metavar="PATH",
                          help="also write the results table (one row per expectation) as Parquet to PATH")
    validate.add_argument("--docs", type=Path, metavar="DIR",
                          help="also build the Data Docs site in DIR (replaced if newsfacts built it)")
    query = commands.add_parser("query", help="rewrite <output>/newsfacts.duckdb, the DuckDB views over the tables "
                                "(a run does it; needed after the folder is copied or moved)")
    query.add_argument("--output", required=True, help="the output folder holding the tables")
    commands.add_parser("docs", help="regenerate the documents derived from the data contract and the suites")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate_only(args)
    try:
        return {"run": run_flow, "query": write_query_file, "docs": write_documents}[args.command](args)
    except Exception as error:
        code = exit_code(error)
        if code is None:
            raise
        print(f"newsfacts: {error}", file=sys.stderr)
        return code


def run_flow(args: argparse.Namespace) -> int:
    """Check the paths, then start the temporary Prefect server (unless ``PREFECT_API_URL`` names
    one, ``flows.api_server``) and the extraction pool's forkserver, and import the flow's
    libraries while they come up; Great Expectations' import then goes on while the run waits
    for the server and extracts."""
    check_input(args.input)          # before Prefect starts: no task retries, no output folder created
    check_output(args.output)
    reap_children_on_exit()          # the temporary Prefect server and the pool die with this run
    server = start_api_server()
    kind = "dask" if args.dask_address else args.task_runner
    if kind == "threads":
        start_forkserver()           # the extraction pool's, which imports the transforms meanwhile
    from expectations.validate import preload_in_background
    from flows.etl import newsfacts
    from flows.runners import make_task_runner

    preload_in_background()          # Great Expectations, while the server comes up (one import at a time)

    without_operator_tracebacks(args.output)      # on the handlers Prefect's logging set-up made
    on_processes = kind == "processes"          # Prefect's processes are the extraction processes
    with prefect_api(server):
        newsfacts.with_options(task_runner=make_task_runner(kind, args.workers))(
            input_dir=args.input, output_dir=args.output, batch_size=args.batch_size, max_bytes=args.max_bytes,
            time_budget_s=args.time_budget, full_refresh=args.full_refresh,
            processes=1 if on_processes else args.workers or 0, allow_shrink=args.allow_shrink,
            dask=kind == "dask", dask_address=args.dask_address)
    return 0


def without_operator_tracebacks(output_dir: str) -> None:
    """Prefect logs a failed task or flow with its traceback (Great Expectations' Data Docs
    builder puts one in its message); an operator error keeps its one line."""
    class Filter(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            error = record.exc_info[1] if record.exc_info else None
            if isinstance(error, OperatorError) or operator_error(error, output_dir) is not None:
                record.exc_info = record.exc_text = None
            message = record.getMessage()
            if "Traceback" in message and names_operator_error(message):
                record.msg, record.args = message.split("Traceback")[0].rstrip(' ."'), ()
            return True

    handlers = [handler for name in ("", "prefect.flow_runs", "prefect.task_runs")
                for handler in logging.getLogger(name).handlers]
    for handler in [*handlers, logging.lastResort]:      # the last: Great Expectations' loggers, kept apart
        handler.addFilter(Filter())


class Verdict(IntEnum):
    """Exit codes of ``newsfacts validate``."""

    PASSED = 0
    CRITICAL_FAILED = 1
    BAD_INPUT = 2           # a bad argument, a folder that is missing or holds no tables, an unwritable --results
    INTERNAL_ERROR = 3


def validate_only(args: argparse.Namespace) -> int:
    """Validate a folder without writing into it; ``--results`` and ``--docs`` write where they name."""
    from expectations.validate import report_json, report_junit, validate_output
    from flows import storage
    from flows.summary import printable

    try:
        check_validated_folder(Path(args.output), args.results)
        building = storage.fresh_path(args.docs) if args.docs else None
        report = validate_output(functools.partial(storage.iter_published, args.output), building)
        if args.docs:
            storage.replace_folder(building, args.docs)
        if args.results:
            storage.write_table(report.results, args.results)
    except (OSError, storage.OutputRefused) as error:      # a path that is wrong, or cannot be written where asked
        print(f"newsfacts: {error}", file=sys.stderr)
        return Verdict.BAD_INPUT
    except Exception as error:                     # a bug: its own exit code, with the traceback to report
        traceback.print_exc()
        print(f"newsfacts: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return Verdict.INTERNAL_ERROR
    if args.format == "json":
        print(report_json(report))
    elif args.format == "junit":
        print(report_junit(report))
    else:
        lines = report.summary_lines()
        if args.docs:
            lines.append(f"Data Docs: {args.docs / 'index.html'}")
        if args.results:
            lines.append(f"results: {args.results}")
        print("\n".join(printable(line) for line in lines))
    return Verdict.PASSED if report.success else Verdict.CRITICAL_FAILED


def check_validated_folder(folder: Path, results: Path | None) -> None:
    """A ``FileNotFoundError`` for a folder that is missing or holds no table (a wrong path, not a
    failed validation), and for a ``--results`` path whose folder does not exist."""
    from expectations.suites import VALIDATED_TABLES
    from flows import storage

    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} does not exist or is not a folder")
    if not any(glob.glob(storage.table_glob(folder, table)) for table in VALIDATED_TABLES):
        raise FileNotFoundError(f"{folder} holds none of the tables ({', '.join(VALIDATED_TABLES)})")
    if results and not results.parent.is_dir():
        raise FileNotFoundError(f"--results: the folder {results.parent} does not exist")


def write_query_file(args: argparse.Namespace) -> int:
    from flows import query, storage

    missing = query.missing_tables(args.output)
    if missing:
        raise OperatorError(Exit.INPUT_MISSING,
                            f"{args.output} lacks the table(s) {', '.join(missing)}; run newsfacts run first")
    with storage.output_lock(args.output):
        print(f"wrote {query.write_query_database(args.output)}")
    return 0


def write_documents(args: argparse.Namespace) -> int:
    from flows.docs import regenerate_documents

    for path in regenerate_documents():
        print(f"wrote {path}")
    return 0

