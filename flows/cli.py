"""Command line: ``python -m flows run|validate|docs`` (also installed as ``newsfacts``).

Errors are one ``newsfacts: ...`` line with an exit code per kind (README, "Exit codes")."""
from __future__ import annotations

import argparse
import inspect
import logging
import sys
from collections.abc import Callable

import flows  # noqa: F401  (sets the quiet, offline environment defaults before Prefect loads)
from flows.docs import regenerate_documents
from flows.etl import InputsUnaccounted, ValidationFailed, newsfacts, validate_folder
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
from flows.runners import TASK_RUNNERS, make_task_runner
from flows.storage import OutputLocked

DEFAULTS = {name: parameter.default for name, parameter in inspect.signature(newsfacts.fn).parameters.items()}
"""The flow's parameter defaults: the one place they are set."""

EXIT_CODES = {ValidationFailed: Exit.VALIDATION_FAILED, OutputLocked: Exit.OUTPUT_IN_USE,
              InputsUnaccounted: Exit.INPUTS_UNACCOUNTED}
"""Exit codes of the errors that are not ``OperatorError`` (those carry their own)."""


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
    run.add_argument("--task-runner", choices=TASK_RUNNERS, default="threads",
                     help="where batches run: a pool of local processes (threads, the default), Prefect's "
                          "process runner, or a Dask cluster")
    run.add_argument("--workers", type=above_zero(int),
                     help="extraction processes, or the LocalCluster workers of --task-runner dask "
                          "(default: one per core), or the processes of --task-runner processes")
    run.add_argument("--dask-address", help="scheduler address of an existing Dask cluster, e.g. tcp://host:8786 "
                                            "(implies --task-runner dask)")
    validate = commands.add_parser("validate", help="validate the tables of an output folder on their own: "
                                   "writes its validation.parquet and Data Docs; exit 1 when a critical "
                                   "expectation fails")
    validate.add_argument("--output", required=True, help="the output folder holding <table>.parquet")
    commands.add_parser("docs", help="regenerate the documents derived from the data contract and the suites")
    args = parser.parse_args(argv)
    try:
        return {"run": run_flow, "validate": validate_only, "docs": write_documents}[args.command](args)
    except (OperatorError, *EXIT_CODES, FileNotFoundError, FileExistsError) as error:
        print(f"newsfacts: {error}", file=sys.stderr)
        return getattr(error, "exit_code", None) or EXIT_CODES.get(type(error), 1)


def run_flow(args: argparse.Namespace) -> int:
    check_input(args.input)          # before Prefect starts: no task retries, no output folder created
    check_output(args.output)
    without_operator_tracebacks(args.output)
    reap_children_on_exit()          # the temporary Prefect server and the pool die with this run
    kind = "dask" if args.dask_address else args.task_runner
    on_processes = kind == "processes"          # Prefect's processes are the extraction processes
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


def validate_only(args: argparse.Namespace) -> int:
    report = validate_folder(args.output)
    print("\n".join(report.summary_lines()))
    print(f"Data Docs: {report.docs_index}")
    return 0 if report.success else 1


def write_documents(args: argparse.Namespace) -> int:
    for path in regenerate_documents():
        print(f"wrote {path}")
    return 0

