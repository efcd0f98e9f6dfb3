"""The ``newsfacts`` Prefect flow: read articles, extract, build tables, write them atomically.

    python -m flows.etl --input seeds --output output

The flow reads like the pipeline: list inputs → extract batches (read, decode, segment,
figures, entities, quotes) → build tables → write. Tasks are one-line wrappers; articles
are batched because each Prefect task run costs ~20 ms.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime
from importlib.metadata import version

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run
from rich.progress import Progress

from flows import storage
from flows.tables import ArticleResult, RunInfo, build_tables, extract_raw_article
from flows.budget import BudgetExceeded, time_budget
from flows.storage import InputFile, RawArticle, Reject

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIME_BUDGET_S = 30.0


@task(name="list-inputs", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def list_inputs(input_dir: str) -> tuple[list[InputFile], list[Reject]]:
    return storage.discover_inputs(input_dir)


@task(name="extract-batch", task_run_name="extract-batch-{batch_number}", cache_policy=NO_CACHE)
def extract_batch(items: list[InputFile], batch_number: int, max_bytes: int,
                  time_budget_s: float) -> list[ArticleResult | Reject]:
    results = []
    for item in items:
        raw = storage.read_input(item, max_bytes)
        results.append(raw if isinstance(raw, Reject) else extract_within_budget(raw, time_budget_s))
    return results


def extract_within_budget(raw: RawArticle, seconds: float) -> ArticleResult | Reject:
    """One article's extraction; a runaway or a crash becomes a reject and the run goes on."""
    try:
        with time_budget(seconds):
            return extract_raw_article(raw)
    except BudgetExceeded as error:
        return Reject(raw.source_file, "timed_out", f"extraction {error} (--time-budget)", len(raw.data))
    except Exception as error:  # a bug on one input must not cost the other articles
        return Reject(raw.source_file, "failed", f"{type(error).__name__}: {error}", len(raw.data))


@task(name="write-tables", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def write_tables(tables, output_dir: str, run_id: str) -> list[str]:
    return [str(p) for p in storage.write_tables(tables, output_dir, run_id)]


@flow(name="newsfacts")
def newsfacts(input_dir: str = "seeds", output_dir: str = "output", batch_size: int = 100,
              max_bytes: int = DEFAULT_MAX_BYTES, time_budget_s: float = DEFAULT_TIME_BUDGET_S) -> dict:
    """Extract figures, entities and quotes from every ``*.txt`` below ``input_dir`` into ``output_dir``."""
    started = time.perf_counter()
    run = RunInfo(run_id=flow_run.get_id() or "local", pipeline_version=version("newsfacts"),
                  processed_at=datetime.now(UTC))
    with storage.output_lock(output_dir):
        inputs, rejects = list_inputs(input_dir)
        files_found = len(inputs) + len(rejects)
        futures = [extract_batch.submit(inputs[start:start + batch_size], number, max_bytes, time_budget_s)
                   for number, start in enumerate(range(0, len(inputs), batch_size))]
        articles: list[ArticleResult] = []
        with Progress(transient=True, disable=len(futures) < 2) as progress:
            bar = progress.add_task("extracting", total=len(inputs))
            for future in as_completed(futures):
                batch = future.result()
                articles += [r for r in batch if isinstance(r, ArticleResult)]
                rejects += [r for r in batch if isinstance(r, Reject)]
                progress.advance(bar, len(batch))
        tables = build_tables(articles, rejects, run)
        write_tables(tables, output_dir, run.run_id)
    summary = {"run_id": run.run_id, "input_dir": input_dir, "output_dir": output_dir,
               "files_found": files_found,
               "rejected": tables["rejects"].num_rows,
               "rows": {name: table.num_rows for name, table in tables.items()},
               "seconds": round(time.perf_counter() - started, 2)}
    log_summary(summary, tables["rejects"].to_pylist())
    create_markdown_artifact(key="newsfacts-run", markdown=summary_markdown(summary, tables["rejects"].to_pylist()),
                             description="Rows per table and rejected inputs of this run")
    return summary


def log_summary(summary: dict, rejects: list[dict]) -> None:
    """One line a run: files, articles, rejects, rows per table, seconds; then the rejects."""
    logger = get_run_logger()
    rows = ", ".join(f"{name} {n}" for name, n in summary["rows"].items())
    logger.info(f"summary: {summary['files_found']} files found, {summary['rows']['articles']} articles, "
                f"{summary['rejected']} rejected in {summary['seconds']} s; rows: {rows}")
    if rejects:
        shown = "".join(f"\n  {r['source_file']}: {r['reason']}: {r['detail']}" for r in rejects[:20])
        more = f"\n  ... and {len(rejects) - 20} more" if len(rejects) > 20 else ""
        logger.warning(f"{len(rejects)} input(s) rejected (see rejects.parquet):{shown}{more}")


def summary_markdown(summary: dict, rejects: list[dict]) -> str:
    """The run summary as the Markdown artifact shown in the Prefect UI."""
    lines = [f"# newsfacts run {summary['run_id']}", "",
             f"{summary['files_found']} files found in `{summary['input_dir']}`, "
             f"{summary['rows']['articles']} articles extracted, {summary['rejected']} rejected, "
             f"{summary['seconds']} s.", "", "| table | rows |", "| --- | ---: |"]
    lines += [f"| {name} | {n} |" for name, n in summary["rows"].items()]
    if rejects:
        lines += ["", "## Rejected inputs", "", "| file | reason | detail |", "| --- | --- | --- |"]
        lines += [f"| {r['source_file']} | {r['reason']} | {r['detail']} |" for r in rejects]
    return "\n".join(lines)


if __name__ == "__main__":
    from flows.cli import main

    main(["run", *__import__("sys").argv[1:]])
