"""The ``newsfacts`` Prefect flow: read articles, extract, build tables, write them atomically.

    python -m flows run --input seeds --output output

The flow reads like the pipeline: list inputs → extract batches (read, decode, segment,
figures, entities, quotes) → build tables → write. Tasks are one-line wrappers; articles
are batched because each Prefect task run costs ~20 ms.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import queue
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.states import Failed

from expectations.part_results import PartResults, Source
from expectations.validate import RESULTS_FILE, ValidationReport, preload_in_background, validate_output
from flows import storage
from flows.assemble import STATE, Assembly
from flows.batches import Batch, BatchOutcome, process_batch
from flows.defaults import DEFAULTS
from flows.listing import LISTING, LISTING_PART, Listing, last_listing
from flows.memory import release_freed_memory
from flows.plan import Manifest, Plan, plan_run, shrink_refusal
from flows.pool import extraction_pool, in_pool
from flows.preflight import Exit, OperatorError, check_input, check_output, positive, writing_errors
from flows.progress import Show, progress
from flows.quarantine import failed_validation_rejects
from flows.query import write_query_database
from flows.report import REPORT_FOLDER, write_report
from flows.storage import InputFile, pipeline_version
from flows.summary import SUMMARY_ARTIFACT, Published, RunSummary, error_markdown, failure_lines
from transforms.records import Reject
from transforms.schemas import SCHEMAS
from transforms.tables import RunInfo


@task(name="list-inputs", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def list_inputs(input_dir: str, max_bytes: int, output_dir: str, full_refresh: bool
                ) -> tuple[list[InputFile], list[Reject], Listing]:
    """The inputs with their hashes (those of unchanged files from the last run's ``_listing``)."""
    found, rejects = storage.discover_inputs(input_dir)
    listing = last_listing(output_dir, full_refresh)
    return listing.with_hashes(found, max_bytes), rejects, listing


def plan(inputs: list[InputFile], output_dir: str, version: str, full_refresh: bool
         ) -> tuple[Plan, Manifest, tuple[str, ...]]:
    """The run's plan, the last run's manifest, and a note when that run's tables are damaged.

    Reused rows are taken from every table and the state beside them, so one missing or
    unreadable table empties the manifest: the run extracts everything (a full refresh) and says why."""
    readable = {name: storage.read_published(output_dir, name, columns=[]) for name in (*SCHEMAS, *STATE)}
    broken = [name for name, table in readable.items() if table is None]
    if broken:
        articles = readable["articles"]
        manifest = Manifest(published_articles=articles.num_rows if articles is not None else 0)
    else:
        manifest = Manifest.from_tables(storage.read_published(output_dir, "articles"),
                                        storage.read_published(output_dir, "rejects"))
    notes = () if len(broken) in (0, len(readable)) else (
        f"the last run's {', '.join(broken)} table(s) are missing or unreadable: "
        "every article is extracted again (a full refresh)",)
    return plan_run(inputs, manifest, version, full_refresh or bool(broken)), manifest, notes


@task(name="extract-batch", task_run_name="extract-batch-{number}", cache_policy=NO_CACHE)
def extract_batch(batch: Batch, number: int, staging: str, run: RunInfo, max_bytes: int,
                  time_budget_s: float) -> BatchOutcome:
    return in_pool(process_batch, batch, number, staging, run, max_bytes, time_budget_s)


@task(name="assemble-tables", retries=1, cache_policy=NO_CACHE)
def assemble_tables(assembly: Assembly, rejects: list[Reject], lap: Callable[[str], None]) -> dict[str, int]:
    try:
        return assembly.assemble(rejects, lap)
    finally:
        release_freed_memory()


@task(name="validate-tables", cache_policy=NO_CACHE)
def validate_tables(staging: Path) -> ValidationReport:
    with progress("validating", "steps") as show:
        return validate_replacing(staging, show)


@task(name="quarantine-articles", cache_policy=NO_CACHE)
def quarantine_articles(assembly: Assembly, rejects: list[Reject], validation: ValidationReport,
                        rows: dict[str, int]) -> tuple[ValidationReport, dict[str, int]]:
    """While every critical failure is pinned on articles: quarantine them (``flows.quarantine``),
    assemble the tables again without them and validate again. Each round drops at least one
    article, so this ends."""
    staging = assembly.staging
    while not validation.success:
        articles = storage.read_published(staging, "articles", ["source_file", "sha256"])
        quarantined = failed_validation_rejects(validation, dict(zip(articles["source_file"].to_pylist(),
                                                                     articles["sha256"].to_pylist())))
        if not quarantined:
            break
        rejects = rejects + quarantined
        rows = assembly.assemble(rejects)
        validation = validate_replacing(staging)
    return validation, rows


def validate_into(folder: Path, report_dir: Path, show: Show | None = None) -> ValidationReport:
    """Validate the tables in ``folder``; ``report_dir`` (new) gets the Data Docs, ``validation.parquet``
    and the results of each table part, so that the next validation reuses those of the parts that
    did not change (read from the report of an earlier round in ``folder``, or of the published output)."""
    stored = PartResults([Source(place / storage.VALIDATION_FOLDER, functools.partial(storage.table_parts, place))
                          for place in (folder, folder.parent)], report_dir)
    report = validate_output(functools.partial(storage.iter_published, folder), report_dir, show=show,
                             parts=functools.partial(storage.table_parts, folder), stored=stored)
    storage.write_table(report.results, report_dir / RESULTS_FILE)
    return report


def validate_replacing(folder: Path, show: Show | None = None) -> ValidationReport:
    """Validate ``folder``: its report folder is built beside any old one, then swapped in (with
    the list of what newsfacts wrote there, so a later validation, or publish, may replace it)."""
    report_dir = folder / storage.VALIDATION_FOLDER
    building = storage.fresh_path(report_dir)
    report = validate_into(folder, building, show)
    storage.replace_folder(building, report_dir)
    return dataclasses.replace(report, docs_index=report_dir / "index.html")


class InputsUnaccounted(RuntimeError):
    """A listed file is neither an article nor a reject: a bug, so nothing is published."""


def check_accounted(staging: Path, listed: set[str]) -> None:
    """Every listed file ends in the staged ``articles`` or ``rejects``, or the run stops here."""
    ended = set()
    for table in ("articles", "rejects"):
        ended.update(storage.read_published(staging, table, columns=["source_file"])["source_file"].to_pylist())
    lost = sorted(listed - ended)
    if lost:
        raise InputsUnaccounted(f"{len(lost)} listed file(s) are neither articles nor rejects "
                                f"(first: {lost[0]}); nothing was published")


@task(name="publish-output", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def publish_output(staging: Path) -> None:
    storage.publish(staging)
    storage.retire_legacy_validation(staging.parent)


@task(name="write-run-report", cache_policy=NO_CACHE)
def write_run_report(staging: Path, run_name: str) -> None:
    """The run report page (``flows.report``), built beside any old one in ``staging`` and swapped in."""
    final = staging / REPORT_FOLDER
    building = storage.fresh_path(final)
    write_report(building, functools.partial(storage.iter_published, staging), run_name)
    storage.replace_folder(building, final)


@task(name="write-query-database", cache_policy=NO_CACHE)
def write_query_layer(output_dir: Path) -> Path:
    """``newsfacts.duckdb`` beside the published tables (its views name them by absolute path)."""
    return write_query_database(output_dir)


class ValidationFailed(RuntimeError):
    """A critical expectation failed: the previous output is kept. ``published`` is what the run
    staged (rows, validation lines, failures), for its summary and artifacts."""

    def __init__(self, message: str, published: Published | None = None, docs_index: Path | None = None):
        super().__init__(message)
        self.published, self.docs_index = published, docs_index


@flow(name="newsfacts")
def newsfacts(input_dir: str = DEFAULTS["input_dir"], output_dir: str = DEFAULTS["output_dir"],
              batch_size: int = DEFAULTS["batch_size"], max_bytes: int = DEFAULTS["max_bytes"],
              time_budget_s: float = DEFAULTS["time_budget_s"],
              full_refresh: bool = False, processes: int = 0, allow_shrink: bool = False,
              dask: bool = False, dask_address: str | None = None) -> RunSummary:
    """Extract figures, entities and quotes from every article below ``input_dir`` (``*.txt``,
    ``*.jsonl``, ``*.jsonl.gz``) into ``output_dir``.

    Articles unchanged since the last run keep their rows unless ``full_refresh``;
    ``processes`` extraction processes run the batches (0: one per core); with ``dask`` (or a
    ``dask_address``) they run on a Dask cluster: the scheduler at ``dask_address``, or a
    LocalCluster of ``processes`` workers. A run that would
    publish under half the last run's articles (or none) stops unless ``allow_shrink``.
    """
    try:
        limits = Limits(batch_size, max_bytes, time_budget_s, processes, dask or bool(dask_address), dask_address)
        summary = run_pipeline(input_dir, output_dir, limits, full_refresh, allow_shrink)
    except BaseException as error:
        report_error(error)
        raise
    report(summary)
    if summary.failure:    # an expected data-quality outcome: a Failed state with one message, no traceback
        return Failed(message=summary.failure, data=ValidationFailed(summary.failure))
    return summary


def run_pipeline(input_dir: str, output_dir: str, limits: Limits, full_refresh: bool,
                 allow_shrink: bool) -> RunSummary:
    """The flow's work (inside the flow); a critical validation failure ends in a summary that says so."""
    started = time.perf_counter()
    check_input(input_dir)
    check_output(output_dir)
    run = RunInfo(run_id=flow_run.get_id() or "local", pipeline_version=pipeline_version(),
                  processed_at=datetime.now(UTC))
    steps = Laps()
    failure, data_docs = None, Path(output_dir) / storage.VALIDATION_FOLDER / "index.html"
    with writing_errors(output_dir), storage.output_lock(output_dir):
        inputs, listing_rejects, listing = list_inputs(input_dir, limits.max_bytes, output_dir, full_refresh)
        steps.lap("list")
        work, manifest, notes = plan(inputs, output_dir, run.pipeline_version, full_refresh)
        steps.lap("plan")
        files_found = len(inputs) + len(listing_rejects)
        listed = {item.source_file for item in inputs} | {r.source_file for r in listing_rejects}
        del inputs      # with the listing's statuses (dropped once written), ~300 MB at ×10 no later step reads
        if work.changes_nothing(manifest, listing_rejects):
            published = Published(0, storage.published_rows(output_dir),
                                  ("nothing changed since the last run: its tables and report are kept",))
        else:
            guard = ShrinkGuard(manifest.published_articles, allow_shrink, input_dir, output_dir)
            guard.check(len(work.reused) + len(work.extract))
            staging = storage.begin_staging(output_dir, run.run_id)
            storage.write_part(listing.table(), staging / LISTING, LISTING_PART)
            del listing
            try:
                published = extract_and_publish(work, listing_rejects + work.rejects, run, staging, steps, limits,
                                                Checks(listed, guard))
            except ValidationFailed as error:
                if error.published is None:
                    raise
                published, failure, data_docs = error.published, str(error), error.docs_index
    rejects = tuple(storage.read_published(output_dir, "rejects").to_pylist())
    summary = RunSummary(run.run_id, input_dir, output_dir, files_found=files_found,
                         reused=len(work.reused), rejected=len(rejects), published=published, steps=dict(steps),
                         seconds=round(time.perf_counter() - started, 2),
                         data_docs=str(data_docs), report=str(Path(output_dir) / REPORT_FOLDER / "index.html"),
                         rejects=rejects,
                         notes=notes, run_name=flow_run.get_name() or run.run_id, failure=failure)
    return summary


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    """How a run cuts and bounds the extraction work (the flow's parameters)."""

    batch_size: int
    max_bytes: int
    time_budget_s: float
    processes: int
    dask: bool = False                 # the batches run on a Dask cluster ...
    dask_address: str | None = None    # ... whose scheduler is here (None: a LocalCluster of ``processes``)

    def __post_init__(self):
        """The CLI checks these at parse time; a deployment's parameters are checked here."""
        for flag, value in (("--batch-size", self.batch_size), ("--max-bytes", self.max_bytes),
                            ("--time-budget", self.time_budget_s)):
            positive(flag, value)
        if self.processes < 0:
            raise OperatorError(Exit.BAD_ARGUMENT, f"processes must be 0 (one per core) or more, not {self.processes}")


@dataclasses.dataclass(frozen=True, slots=True)
class ShrinkGuard:
    """Stops a run that would publish far fewer articles than the last one (see ``shrink_refusal``)."""

    published: int
    allowed: bool
    input_dir: str
    output_dir: str

    def check(self, articles: int) -> None:
        refusal = None if self.allowed else shrink_refusal(self.published, articles)
        if refusal:
            raise OperatorError(Exit.SHRINK_REFUSED, f"{refusal} from {self.input_dir}; {self.output_dir} keeps "
                                                     "the last run's tables (check the input folder, or pass "
                                                     "--allow-shrink)")


@dataclasses.dataclass(frozen=True, slots=True)
class Checks:
    """What the staged tables must satisfy before they are published."""

    listed: set[str]          # every file the run listed: each must end in articles or rejects
    shrink: ShrinkGuard


def extract_and_publish(work: Plan, rejects: list[Reject], run: RunInfo, staging: Path, steps: Laps,
                        limits: Limits, checks: Checks) -> Published:
    """Extract the planned batches into ``staging``, assemble, validate, publish (inside the flow)."""
    preload_in_background()     # Great Expectations imports while the batches are extracted elsewhere
    extracted, stages = extract_batches(work.extract, run, staging, rejects, limits)
    steps.lap("extract")
    assembly = Assembly(staging.parent, staging, work.reused)
    rows = assemble_tables(assembly, rejects, steps.lap)
    validation, rows = quarantine_articles(assembly, rejects, validate_tables(staging), rows)
    check_accounted(staging, checks.listed)        # quarantined files are rejects: still accounted for
    checks.shrink.check(rows["articles"])          # quarantine must not empty the output either
    steps.lap("validate")
    published = Published(extracted, rows, tuple(validation.summary_lines()),
                          {stage: round(seconds, 2) for stage, seconds in stages.items()}, tuple(validation.failures))
    if not validation.success:
        raise ValidationFailed(f"critical expectations failed; {staging.parent} keeps the previous run's "
                               f"tables (this run's report: {validation.docs_index}):\n"
                               + "\n".join(failure_lines(validation.critical_failures)), published,
                               validation.docs_index)
    storage.drop_parts(staging)
    write_run_report(staging, flow_run.get_name() or run.run_id)
    publish_output(staging)
    write_query_layer(staging.parent)
    steps.lap("publish")
    return published


def extract_batches(items: list[InputFile], run: RunInfo, staging: Path, rejects: list[Reject],
                    limits: Limits) -> tuple[int, dict[str, float]]:
    """Run the batches (on the extraction pool or a Dask cluster); their rejects are added to ``rejects``.
    Returns the articles extracted and the seconds per extraction stage, summed over processes."""
    batches = [Batch(items[start:start + limits.batch_size]) for start in range(0, len(items), limits.batch_size)]
    job = (str(staging.absolute()), run, limits.max_bytes, limits.time_budget_s)   # absolute: a worker's cwd differs
    if limits.dask:
        extracted, stages, batch_rejects = extract_on_dask(batches, job, limits.dask_address, limits.processes)
    else:
        workers = (limits.processes or os.cpu_count() or 1) if len(batches) > 1 else 1
        with extraction_pool(workers):
            futures = completed(lambda number: extract_batch.submit(batches[number], number, *job), len(batches),
                                window=4 * workers)
            extracted, stages, batch_rejects = tally((future.result() for future in futures), batches)
    rejects += batch_rejects
    return extracted, stages


def completed(submit: Callable[[int], PrefectFuture], count: int, window: int) -> Iterator[PrefectFuture]:
    """The futures of ``submit(0)``, ..., ``submit(count - 1)`` as they complete, at most ``window``
    of them pending at once: Prefect's thread runner gives each pending task a thread of its own
    (all 1,709 batches of a ×10 run submitted at once held 1,650 threads to the run's end: 140 MB)."""
    finished: queue.SimpleQueue[PrefectFuture] = queue.SimpleQueue()
    for number in range(count):
        if number >= window:
            yield finished.get()
        submit(number).add_done_callback(finished.put)
    for _ in range(min(count, window)):
        yield finished.get()


@task(name="extract-on-dask", cache_policy=NO_CACHE)
def extract_on_dask(batches: list[Batch], job: tuple, address: str | None, workers: int
                    ) -> tuple[int, dict[str, float], list[Reject]]:
    """Every batch as a plain Dask task: Prefect's cost is paid once, not per batch."""
    from flows.cluster import dask_client, map_batches

    with dask_client(address, workers) as client:
        return tally(map_batches(client, process_batch, batches, *job), batches)


def tally(outcomes: Iterable[BatchOutcome], batches: list[Batch]) -> tuple[int, dict[str, float], list[Reject]]:
    """The articles extracted, seconds per stage and rejects of ``batches``, shown as they complete."""
    extracted, done, stages, rejects = 0, 0, {}, []
    total = sum(len(batch.items) for batch in batches)
    with progress("extracting", "articles") as show:
        for outcome in outcomes:
            rejects += outcome.rejects
            extracted += outcome.extracted
            for stage, seconds in outcome.seconds.items():
                stages[stage] = stages.get(stage, 0.0) + seconds
            done += outcome.extracted + len(outcome.rejects)
            show(done, total)
    return extracted, stages, rejects


class Laps(dict):
    """Seconds per step of a run, in order: each ``lap`` closes the step since the last one."""

    def __init__(self):
        super().__init__()
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self[step], self._last = round(now - self._last, 2), now


def report(summary: RunSummary) -> None:
    """The summary in the run's log and as the run's artifacts in the Prefect UI: the Markdown
    summary, and tables of the failed expectations and of the rejects by reason."""
    logger = get_run_logger()
    for line in summary.log_lines():
        logger.info(line)
    duplicates, warning = summary.rejects_lines()
    if duplicates:
        logger.info(duplicates)
    if warning:
        logger.warning(warning)
    create_markdown_artifact(key=SUMMARY_ARTIFACT, markdown=summary.markdown(),
                             description=f"newsfacts run {summary.run_name}: rows, validation, rejects, Data Docs")
    if summary.published.failures:
        create_table_artifact(key="newsfacts-failed-expectations", table=summary.failed_expectations_table(),
                              description=f"newsfacts run {summary.run_name}: failed expectations and their rows")
    if summary.rejects:
        create_table_artifact(key="newsfacts-rejects", table=summary.rejects_by_reason(),
                              description=f"newsfacts run {summary.run_name}: input files not processed, by reason")


def report_error(error: BaseException) -> None:
    """A run that ended in an error still gets its summary artifact: what stopped it."""
    name = flow_run.get_name() or "local"
    create_markdown_artifact(key=SUMMARY_ARTIFACT, markdown=error_markdown(name, error),
                             description=f"newsfacts run {name}: stopped by an error")
