"""Command line: ``newsfacts run --input DIR --output DIR`` (same as ``python -m flows.etl``)."""
from __future__ import annotations

import argparse
import sys

import flows  # noqa: F401  (sets the quiet, offline environment defaults before Prefect loads)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="newsfacts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract every *.txt below --input into Parquet tables in --output")
    run.add_argument("--input", default="seeds", help="folder of article .txt files, read recursively (default: seeds)")
    run.add_argument("--output", default="output", help="folder for the Parquet tables (default: output)")
    run.add_argument("--batch-size", type=int, default=100, help="articles per Prefect task (default: 100)")
    run.add_argument("--max-bytes", type=int, default=5_000_000, help="larger files are rejected as too_large")
    run.add_argument("--time-budget", type=float, default=30.0,
                     help="seconds one article may take to extract before it is rejected as timed_out")
    run.add_argument("--full-refresh", action="store_true",
                     help="extract every article again instead of keeping the rows of unchanged ones")
    run.add_argument("--task-runner", choices=("threads", "processes", "dask"), default="threads",
                     help="where batches run: threads (default), local processes, or Dask")
    run.add_argument("--workers", type=int,
                     help="extraction processes (threads runner; default: one per core), or the processes "
                          "or LocalCluster workers of the other runners")
    run.add_argument("--dask-address", help="scheduler address of an existing Dask cluster (with --task-runner dask)")
    args = parser.parse_args(argv)

    from flows.etl import ValidationFailed, newsfacts
    from flows.runners import make_task_runner
    from flows.storage import OutputLocked

    threads = args.task_runner == "threads"
    runner = make_task_runner(args.task_runner, None if threads else args.workers, args.dask_address)
    try:
        newsfacts.with_options(task_runner=runner)(
            input_dir=args.input, output_dir=args.output, batch_size=args.batch_size, max_bytes=args.max_bytes,
            time_budget_s=args.time_budget, full_refresh=args.full_refresh,
            processes=(args.workers or 0) if threads else 1)
    except (OutputLocked, FileNotFoundError, ValidationFailed) as error:
        sys.exit(f"newsfacts: {error}")


if __name__ == "__main__":
    main()
