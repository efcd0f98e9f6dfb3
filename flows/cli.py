"""Command line: ``python -m flows run|validate|docs`` (also installed as ``newsfacts``)."""
from __future__ import annotations

import argparse
import inspect
import sys

import flows  # noqa: F401  (sets the quiet, offline environment defaults before Prefect loads)
from flows.docs import regenerate_documents
from flows.etl import ValidationFailed, newsfacts, validate_folder
from flows.runners import TASK_RUNNERS, make_task_runner
from flows.storage import OutputLocked

DEFAULTS = {name: parameter.default for name, parameter in inspect.signature(newsfacts.fn).parameters.items()}
"""The flow's parameter defaults: the one place they are set."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsfacts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract every *.txt below --input into Parquet tables in --output")
    run.add_argument("--input", default=DEFAULTS["input_dir"],
                     help="folder of article .txt files, read recursively (default: %(default)s)")
    run.add_argument("--output", default=DEFAULTS["output_dir"], help="folder for the Parquet tables (default: %(default)s)")
    run.add_argument("--batch-size", type=int, default=DEFAULTS["batch_size"],
                     help="articles per Prefect task (default: %(default)s)")
    run.add_argument("--max-bytes", type=int, default=DEFAULTS["max_bytes"],
                     help="larger files are rejected as too_large (default: %(default)s)")
    run.add_argument("--time-budget", type=float, default=DEFAULTS["time_budget_s"],
                     help="seconds one article may take to extract before it is rejected as timed_out "
                          "(default: %(default)s)")
    run.add_argument("--full-refresh", action="store_true",
                     help="extract every article again instead of keeping the rows of unchanged ones")
    run.add_argument("--task-runner", choices=TASK_RUNNERS, default="threads",
                     help="where batches run: threads (default), local processes, or Dask")
    run.add_argument("--workers", type=int,
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
    except (OutputLocked, FileNotFoundError, FileExistsError, ValidationFailed) as error:
        sys.exit(f"newsfacts: {error}")


def run_flow(args: argparse.Namespace) -> int:
    threads = args.task_runner == "threads"
    runner = make_task_runner(args.task_runner, None if threads else args.workers, args.dask_address)
    newsfacts.with_options(task_runner=runner)(
        input_dir=args.input, output_dir=args.output, batch_size=args.batch_size, max_bytes=args.max_bytes,
        time_budget_s=args.time_budget, full_refresh=args.full_refresh,
        processes=(args.workers or 0) if threads else 1)
    return 0


def validate_only(args: argparse.Namespace) -> int:
    report = validate_folder(args.output)
    print("\n".join(report.summary_lines()))
    print(f"Data Docs: {report.docs_index}")
    return 0 if report.success else 1


def write_documents(args: argparse.Namespace) -> int:
    for path in regenerate_documents():
        print(f"wrote {path}")
    return 0

