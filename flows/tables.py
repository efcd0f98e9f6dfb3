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
from transforms.resolve import Entity, resolve_entities

TABLES = tuple(name for name in SCHEMAS if name != "validation")  # validation is written by expectations/


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
    """Every extracted table; duplicates of an earlier article become rejects."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["rejects"] = [asdict(r) for r in rejects]
    articles: dict[str, ArticleResult] = {}
    for result in sorted(results, key=lambda r: r.source_file):
        if result.article_id in articles:
            rows["rejects"].append(asdict(Reject(result.source_file, "duplicate",
                                                 f"same text as {articles[result.article_id].source_file}")))
            continue
        articles[result.article_id] = result
        _add_article_rows(rows, result, run)
    rows["rejects"].sort(key=lambda r: r["source_file"])
    entities, entity_ids = resolve_entities({a: r.extraction.mentions for a, r in articles.items()})
    _link_entities(rows, entities, entity_ids, articles)
    return {name: pa.Table.from_pylist(table_rows, schema=SCHEMAS[name]) for name, table_rows in rows.items()}


def _link_entities(rows: dict[str, list[dict]], entities: list[Entity], entity_ids: dict[str, list[str]],
                   articles: dict[str, ArticleResult]) -> None:
    """Give mentions their entity, and quotes and figures the entity's canonical name.

    Resolution may rename (``Anthony Blinken`` -> ``Antony Blinken``), so every name a row
    carries is looked up through the article's own mentions.
    """
    by_id = {e.entity_id: e for e in entities}
    rows["entities"] = [asdict(e) for e in entities]
    entity_of: dict[tuple[str, str], Entity] = {}  # (article_id, name in the article) -> entity
    mention_rows = iter(rows["mentions"])
    for article_id, result in articles.items():
        for mention, eid in zip(result.extraction.mentions, entity_ids[article_id]):
            row = next(mention_rows)
            row["entity_id"], row["canonical"] = eid, by_id[eid].canonical
            entity_of.setdefault((article_id, mention.canonical), by_id[eid])
    for row in rows["quotes"]:
        speaker = entity_of.get((row["article_id"], row["speaker"]))
        row["speaker_entity_id"] = speaker.entity_id if speaker else None
        row["speaker"] = speaker.canonical if speaker else row["speaker"]
    for row in rows["figures"]:
        source = entity_of.get((row["article_id"], row["attribution"]))
        row["attribution"] = source.canonical if source else row["attribution"]


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
