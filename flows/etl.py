"""The ``newsfacts`` Prefect flow: read articles, extract, build tables, write them atomically.

    python -m flows run --input seeds --output output

The flow reads like the pipeline: list inputs → extract batches (read, decode, segment,
figures, entities, quotes) → build tables → write. Tasks are one-line wrappers; articles
are batched because each Prefect task run costs ~20 ms.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run
from rich.progress import Progress

from expectations.validate import DOCS_FOLDER, RESULTS_FILE, ValidationReport, preload_in_background, validate_output
from flows import storage
from flows.assemble import assemble, copy_reused
from flows.batches import Batch, BatchOutcome, process_batch
from flows.plan import Manifest, Plan, plan_run
from flows.pool import extraction_pool, in_pool
from flows.storage import InputFile, pipeline_version
from transforms.records import Reject
from transforms.tables import RunInfo


@task(name="list-inputs", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def list_inputs(input_dir: str, max_bytes: int) -> tuple[list[InputFile], list[Reject]]:
    found, rejects = storage.discover_inputs(input_dir)
    return storage.with_hashes(found, max_bytes), rejects


def plan(inputs: list[InputFile], output_dir: str, version: str, full_refresh: bool) -> tuple[Plan, Manifest]:
    manifest = Manifest.from_tables(storage.read_published(output_dir, "articles"),
                                    storage.read_published(output_dir, "rejects"))
    return plan_run(inputs, manifest, version, full_refresh), manifest


@task(name="extract-batch", task_run_name="extract-batch-{number}", cache_policy=NO_CACHE)
def extract_batch(batch: Batch, number: int, staging: str, run: RunInfo, max_bytes: int,
                  time_budget_s: float) -> BatchOutcome:
    return in_pool(process_batch, batch, number, staging, run, max_bytes, time_budget_s)


@task(name="assemble-tables", retries=1, cache_policy=NO_CACHE)
def assemble_tables(output_dir: str, staging: Path, reused: frozenset[str], rejects: list[Reject],
                    lap: Callable[[str], None]) -> dict[str, int]:
    copy_reused(output_dir, staging, reused)
    lap("reuse")
    return assemble(staging, rejects, lap)


@task(name="validate-tables", cache_policy=NO_CACHE)
def validate_tables(staging: Path) -> ValidationReport:
    return validate_into(staging, staging / DOCS_FOLDER)


def validate_into(folder: Path, docs_dir: Path) -> ValidationReport:
    """Validate the tables in ``folder``, build Data Docs in ``docs_dir``, write ``validation.parquet``."""
    report = validate_output(folder, docs_dir)
    storage.write_table(report.results, folder / RESULTS_FILE)
    return report


def validate_folder(output_dir: str | Path) -> ValidationReport:
    """Validate an output folder on its own (no run): its report and Data Docs are replaced."""
    out = Path(output_dir)
    if not out.is_dir():
        raise FileNotFoundError(f"output folder {out} does not exist or is not a folder")
    docs = out / DOCS_FOLDER
    if docs.is_dir() and any(docs.iterdir()) and not (docs / "index.html").exists():
        raise FileExistsError(f"{docs} exists and is not a Data Docs site; refusing to replace it")
    with storage.output_lock(out):
        building = storage.fresh_path(docs)
        report = validate_into(out, building)
        storage.replace_folder(building, docs)
    return dataclasses.replace(report, docs_index=docs / "index.html")


@task(name="publish-output", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def publish_output(staging: Path) -> None:
    storage.publish(staging)


class ValidationFailed(RuntimeError):
    """A critical expectation failed: the previous output is kept."""


@flow(name="newsfacts")
def newsfacts(input_dir: str = "seeds", output_dir: str = "output", batch_size: int = 100,
              max_bytes: int = 5_000_000, time_budget_s: float = 30.0,
              full_refresh: bool = False, processes: int = 0) -> dict:
    """Extract figures, entities and quotes from every ``*.txt`` below ``input_dir`` into ``output_dir``.

    Articles unchanged since the last run keep their rows unless ``full_refresh``;
    ``processes`` extraction processes run the batches (0: one per core).
    """
    started = time.perf_counter()
    run = RunInfo(run_id=flow_run.get_id() or "local", pipeline_version=pipeline_version(),
                  processed_at=datetime.now(UTC))
    with storage.output_lock(output_dir):
        steps = Laps()
        inputs, listing_rejects = list_inputs(input_dir, max_bytes)
        steps.lap("list")
        work, manifest = plan(inputs, output_dir, run.pipeline_version, full_refresh)
        steps.lap("plan")
        summary = {"run_id": run.run_id, "input_dir": input_dir, "output_dir": output_dir, "steps": steps,
                   "files_found": len(inputs) + len(listing_rejects), "reused": len(work.reused), "extracted": 0}
        if work.changes_nothing(manifest, listing_rejects):
            summary.update(rows=storage.published_rows(output_dir),
                           validation=["nothing changed since the last run: its tables and report are kept"])
        else:
            extract_and_publish(work, listing_rejects + work.rejects, run, summary, batch_size, max_bytes,
                                time_budget_s, processes)
    rejects = storage.read_published(output_dir, "rejects").to_pylist()
    summary.update(rejected=len(rejects), seconds=round(time.perf_counter() - started, 2),
                   data_docs=str(Path(output_dir) / "validation" / "index.html"))
    log_summary(summary, rejects)
    create_markdown_artifact(key="newsfacts-run", markdown=summary_markdown(summary, rejects),
                             description="Rows per table and rejected inputs of this run")
    return summary


def extract_and_publish(work: Plan, rejects: list[Reject], run: RunInfo, summary: dict, batch_size: int,
                        max_bytes: int, time_budget_s: float, processes: int) -> None:
    """Extract the planned batches into staging, assemble, validate, publish (inside the flow)."""
    output_dir = summary["output_dir"]
    staging = storage.begin_staging(output_dir, run.run_id)
    batches = [work.extract[start:start + batch_size] for start in range(0, len(work.extract), batch_size)]
    stages: dict[str, float] = {}     # seconds per extraction stage, summed over processes
    preload_in_background()     # Great Expectations imports while the batches are extracted elsewhere
    with extraction_pool(processes if len(batches) > 1 else 1):
        futures = [extract_batch.submit(Batch(batch), number, str(staging), run, max_bytes, time_budget_s)
                   for number, batch in enumerate(batches)]
        with Progress(transient=True, disable=len(futures) < 2) as progress:
            bar = progress.add_task("extracting", total=len(work.extract))
            for future in as_completed(futures):
                outcome = future.result()
                rejects += outcome.rejects
                summary["extracted"] += outcome.extracted
                for stage, seconds in outcome.seconds.items():
                    stages[stage] = stages.get(stage, 0.0) + seconds
                progress.advance(bar, outcome.extracted + len(outcome.rejects))
    summary["steps"].lap("extract")
    summary["extract_stages"] = {stage: round(seconds, 2) for stage, seconds in stages.items()}
    summary["rows"] = assemble_tables(output_dir, staging, work.reused, rejects, summary["steps"].lap)
    report = validate_tables(staging)
    summary["steps"].lap("validate")
    if not report.success:
        failed = "\n".join(f"  {o.describe()}" for o in report.failures if o.severity == "critical")
        raise ValidationFailed(f"critical expectations failed; {output_dir} keeps the previous run's "
                               f"tables (this run's report: {report.docs_index}):\n{failed}")
    publish_output(staging)
    summary["steps"].lap("publish")
    summary["validation"] = report.summary_lines()


class Laps(dict):
    """Seconds per step of a run, in order: each ``lap`` closes the step since the last one."""

    def __init__(self):
        super().__init__()
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self[step], self._last = round(now - self._last, 2), now


def log_summary(summary: dict, rejects: list[dict]) -> None:
    """One line a run: files, articles, rejects, rows per table, seconds; then the rejects."""
    logger = get_run_logger()
    rows = ", ".join(f"{name} {n}" for name, n in summary["rows"].items())
    logger.info(f"summary: {summary['files_found']} files found, {summary['rows']['articles']} articles, "
                f"{summary['rejected']} rejected in {summary['seconds']} s ({summary['extracted']} extracted, "
                f"{summary['reused']} unchanged since the last run); rows: {rows}")
    logger.info("steps: " + ", ".join(f"{step} {seconds} s" for step, seconds in summary["steps"].items()))
    if summary.get("extract_stages"):
        logger.info("extract stages, seconds summed over processes: "
                    + ", ".join(f"{stage} {seconds}" for stage, seconds in summary["extract_stages"].items()))
    for line in summary["validation"]:
        logger.info(f"validation: {line}")
    logger.info(f"Data Docs: {summary['data_docs']}")
    if rejects:
        shown = "".join(f"\n  {r['source_file']}: {r['reason']}: {r['detail']}" for r in rejects[:20])
        more = f"\n  ... and {len(rejects) - 20} more" if len(rejects) > 20 else ""
        logger.warning(f"{len(rejects)} input(s) rejected (see rejects.parquet):{shown}{more}")


def summary_markdown(summary: dict, rejects: list[dict]) -> str:
    """The run summary as the Markdown artifact shown in the Prefect UI."""
    lines = [f"# newsfacts run {summary['run_id']}", "",
             f"{summary['files_found']} files found in `{summary['input_dir']}`, "
             f"{summary['rows']['articles']} articles ({summary['extracted']} extracted, {summary['reused']} "
             f"unchanged since the last run), {summary['rejected']} rejected, {summary['seconds']} s.", "", "| table | rows |", "| --- | ---: |"]
    lines += [f"| {name} | {n} |" for name, n in summary["rows"].items()]
    lines += ["", "## Validation", ""] + [f"- {line}" for line in summary["validation"]]
    if rejects:
        lines += ["", "## Rejected inputs", "", "| file | reason | detail |", "| --- | --- | --- |"]
        lines += [f"| {r['source_file']} | {r['reason']} | {r['detail']} |" for r in rejects]
    return "\n".join(lines)

