"""Turn per-article extractions into the output tables declared in ``flows.schemas``.

Pure (no I/O): the flow calls ``extract_raw_article`` per input and ``build_tables`` once.
"""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

import pyarrow as pa

from flows.schemas import SCHEMAS
from flows.storage import RawArticle, Reject
from transforms.decode import decode_article
from transforms.extract import extract_document
from transforms.records import Extraction


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    pipeline_version: str
    processed_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleResult:
    article_id: str
    source_file: str
    sha256: str
    encoding: str
    n_chars: int
    extraction: Extraction


def article_id_for(text: str) -> str:
    """Deterministic id from content: the same text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def extract_raw_article(raw: RawArticle) -> ArticleResult | Reject:
    """Decode and extract one article, or say why it cannot be."""
    decoded = decode_article(raw.data)
    if decoded.reason:
        return Reject(raw.source_file, decoded.reason, decoded.detail, len(raw.data))
    return ArticleResult(article_id_for(decoded.text), raw.source_file, raw.sha256, decoded.encoding,
                         len(decoded.text), extract_document(decoded.text))


def build_tables(results: Iterable[ArticleResult], rejects: Iterable[Reject], run: RunInfo) -> dict[str, pa.Table]:
    """Every output table, in ``SCHEMAS`` order; duplicates of an earlier article become rejects."""
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    rows["rejects"] = [asdict(r) for r in rejects]
    first_file: dict[str, str] = {}
    for result in sorted(results, key=lambda r: r.source_file):
        if result.article_id in first_file:
            rows["rejects"].append(asdict(Reject(result.source_file, "duplicate",
                                                 f"same text as {first_file[result.article_id]}")))
            continue
        first_file[result.article_id] = result.source_file
        _add_article_rows(rows, result, run)
    rows["rejects"].sort(key=lambda r: r["source_file"])
    return {name: pa.Table.from_pylist(table_rows, schema=SCHEMAS[name]) for name, table_rows in rows.items()}


def _add_article_rows(rows: dict[str, list[dict]], result: ArticleResult, run: RunInfo) -> None:
    extraction = result.extraction
    key = {"article_id": result.article_id, "source_file": result.source_file}
    rows["articles"].append({
        **key, "sha256": result.sha256, "encoding": result.encoding, "title": extraction.title,
        "n_chars": result.n_chars, "n_sentences": len(extraction.sentences),
        "run_id": run.run_id, "pipeline_version": run.pipeline_version, "processed_at": run.processed_at,
    })
    starts = [s.start for s in extraction.sentences]
    for index, sentence in enumerate(extraction.sentences):
        rows["sentences"].append({**key, "sentence_id": index, **asdict(sentence)})
    for table, prefix, records in (("figures", "f", extraction.figures),
                                   ("mentions", "m", extraction.mentions),
                                   ("quotes", "q", extraction.quotes)):
        id_column = SCHEMAS[table].names[0]
        for index, record in enumerate(records):
            rows[table].append({id_column: f"{result.article_id}-{prefix}{index}", **key,
                                "sentence_id": _sentence_of(starts, record.start), **asdict(record)})


def _sentence_of(starts: list[int], offset: int) -> int:
    """Index of the sentence holding ``offset`` (the one before, when it falls between two)."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)
