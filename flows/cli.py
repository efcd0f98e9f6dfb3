"""Command line: ``python -m flows run|validate|docs`` (also installed as ``newsfacts``).

Errors are one ``newsfacts: ...`` line with an exit code per kind (README, "Exit codes")."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

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
imported: this module imports neither Prefect nor pandas, so that parsing and the path checks
take a fraction of a second."""


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
    run = commands.add_parser("run", help="extract every *.txt below --input into Parquet tables in --output")
    run.add_argument("--input", default=DEFAULTS["input_dir"],
                     help="folder of article .txt files, read recursively (default: %(default)s)")
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
                     help="where batches run: threads (default), local processes, or Dask")
    run.add_argument("--workers", type=above_zero(int),
                     help="extraction processes (threads runner; default: one per core), or the processes "
                          "or LocalCluster workers of the other runners")
    run.add_argument("--dask-address", help="scheduler address of an existing Dask cluster (with --task-runner dask)")
    validate = commands.add_parser("validate", help="validate the tables of an output folder on their own: "
                                   "writes its validation.parquet and Data Docs; exit 1 when a critical "
                                   "expectation fails")
    validate.add_argument("--output", required=True, help="the output folder holding <table>.parquet")
    commands.add_parser("docs", help="regenerate the documents derived from the data contract and the suites")
    args = parser.parse_args(argv)
    try:
        return {"run": run_flow, "validate": validate_only, "docs": write_documents}[args.command](args)
    except Exception as error:
        code = exit_code(error)
        if code is None:
            raise
        print(f"newsfacts: {error}", file=sys.stderr)
        return code


def run_flow(args: argparse.Namespace) -> int:
    """Check the paths, then start the temporary Prefect server (unless ``PREFECT_API_URL`` names
    one, ``flows.api_server``) and the extraction pool's forkserver, and import the flow's
    libraries while they come up."""
    check_input(args.input)          # before Prefect starts: no task retries, no output folder created
    check_output(args.output)
    reap_children_on_exit()          # the temporary Prefect server and the pool die with this run
    server = start_api_server()
    threads = args.task_runner == TASK_RUNNERS[0]
    if threads:
        start_forkserver()           # the extraction pool's, which imports the transforms meanwhile
    from flows.etl import newsfacts
    from flows.runners import make_task_runner

    without_operator_tracebacks(args.output)      # on the handlers Prefect's logging set-up made
    runner = make_task_runner(args.task_runner, None if threads else args.workers, args.dask_address)
    with prefect_api(server):
        newsfacts.with_options(task_runner=runner)(
            input_dir=args.input, output_dir=args.output, batch_size=args.batch_size, max_bytes=args.max_bytes,
            time_budget_s=args.time_budget, full_refresh=args.full_refresh,
            processes=(args.workers or 0) if threads else 1, allow_shrink=args.allow_shrink)
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


def validate_only(args: argparse.Namespace) -> int:
    from flows.etl import validate_folder

    report = validate_folder(args.output)
    print("\n".join(report.summary_lines()))
    print(f"Data Docs: {report.docs_index}")
    return 0 if report.success else 1


def write_documents(args: argparse.Namespace) -> int:
    from flows.docs import regenerate_documents

    for path in regenerate_documents():
        print(f"wrote {path}")
    return 0

