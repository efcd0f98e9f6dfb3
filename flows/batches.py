"""One batch of articles: read, extract within the time budget, stage the rows as parts.

Runs wherever the batch is sent (this process, a pool process, a Dask worker), so it takes
and returns only small, picklable values: the rows go straight to the staging folder.
"""
from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from flows import storage
from flows.budget import BudgetExceeded, time_budget
from flows.inputs import sidecar_name
from flows.storage import InputFile, RawArticle
from transforms.decode import Decoded, decode_article
from transforms.metadata import ArticleMetadata, decode_json_line, describe_article, read_sidecar
from transforms.records import Reject
from transforms.tables import ArticleResult, RunInfo, article_id_for, article_tables


class Batch:
    """The input files of one extract task. A plain object rather than a list: Prefect walks
    every item of a task's list arguments (2 s for 17,000 files) and leaves objects alone."""

    __slots__ = ("items",)

    def __init__(self, items: list[InputFile]):
        self.items = items


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    number: int
    extracted: int
    rejects: list[Reject]
    seconds: dict[str, float]     # per stage: read, decode, each transform, rows (tables and parts)


def process_batch(batch: Batch, number: int, staging: str, run: RunInfo, max_bytes: int,
                  time_budget_s: float) -> BatchOutcome:
    results, rejects, seconds = [], [], defaultdict(float)
    for item in batch.items:
        started = time.perf_counter()
        raw = storage.read_input(item, max_bytes)
        seconds["read"] += time.perf_counter() - started
        result = raw if isinstance(raw, Reject) else extract_within_budget(raw, time_budget_s, seconds)
        (results if isinstance(result, ArticleResult) else rejects).append(result)
    started = time.perf_counter()
    storage.write_parts(article_tables(results, run), Path(staging), f"b{number:06d}")
    seconds["rows"] += time.perf_counter() - started
    return BatchOutcome(number, len(results), rejects, dict(seconds))


def extract_raw_article(raw: RawArticle, seconds: dict[str, float] | None = None) -> ArticleResult | Reject:
    """Decode and extract one article, or say why it cannot be; ``seconds`` adds up time per stage."""
    from transforms.extract import extract_document  # here: the flow's process sends batches and never needs it

    started = time.perf_counter()
    decoded, metadata = decode_raw_article(raw)
    if seconds is not None:
        seconds["decode"] = seconds.get("decode", 0.0) + time.perf_counter() - started
    if decoded.reason:
        return Reject(raw.source_file, decoded.reason, decoded.detail, len(raw.data), raw.sha256)
    text = decoded.text
    extraction = extract_document(text, seconds)
    described = describe_article(text, metadata, extraction.title)
    return ArticleResult(article_id_for(text), raw.source_file, raw.sha256, decoded.encoding, len(text),
                         dataclasses.replace(extraction, title=described.title), described.published_date,
                         described.date_source, metadata.url, metadata.outlet, described.dateline_place)


def decode_raw_article(raw: RawArticle) -> tuple[Decoded, ArticleMetadata]:
    """The article's text (or why there is none) and what its JSON line or sidecar says of it."""
    if raw.json_line:
        return decode_json_line(raw.data)
    metadata = read_sidecar(raw.sidecar) if raw.sidecar is not None else ArticleMetadata()
    if isinstance(metadata, str):
        return Decoded(reason="undecodable", detail=f"its sidecar {sidecar_name(raw.source_file)}: {metadata}"), \
            ArticleMetadata()
    return decode_article(raw.data), metadata


def extract_within_budget(raw: RawArticle, budget_s: float, stages: dict[str, float] | None = None
                          ) -> ArticleResult | Reject:
    """One article's extraction; a runaway or a crash becomes a reject and the run goes on."""
    try:
        with time_budget(budget_s):
            return extract_raw_article(raw, stages)
    except BudgetExceeded as error:
        return Reject(raw.source_file, "timed_out", f"extraction {error} (--time-budget)", len(raw.data), raw.sha256)
    except Exception as error:  # a bug on one input must not cost the other articles
        return Reject(raw.source_file, "failed", f"{type(error).__name__}: {error}", len(raw.data), raw.sha256)
