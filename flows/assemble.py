"""Assemble the staged batch parts (and the rows taken over from the last run) into tables.

Memory stays bounded by the batch size: each part is read, linked to its entities and
appended to its table as one row group; only the (article_id, type, name) of every mention
and the claim keys of every figure are held at once, for cross-article entity resolution and
claim grouping.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows import storage
from transforms.records import Reject
from transforms.schemas import ARTICLE_TABLES, SCHEMAS
from transforms.tables import (
    CLAIM_INPUTS,
    CLAIM_KEYS,
    Resolution,
    claims_table,
    duplicates,
    figure_claims,
    link_claims,
    rejects_table,
    without_files,
)

REUSED_PART = "0-reused"   # sorts before the batch parts ("b000000", ...)


def copy_reused(output_dir: str | Path, staging: Path, reused: frozenset[str]) -> None:
    """The last run's rows of unchanged articles, as parts of this run (one per row group)."""
    if not reused:
        return
    wanted = pa.array(sorted(reused))
    for name in ARTICLE_TABLES:
        for index, group in enumerate(storage.iter_published(output_dir, name)):
            kept = group.filter(pc.is_in(group["source_file"], wanted))
            storage.write_parts({name: kept.cast(SCHEMAS[name])}, staging, f"{REUSED_PART}-{index:06d}")


def assemble(staging: Path, rejects: list[Reject], lap: Callable[[str], None] = lambda step: None) -> dict[str, int]:
    """Write every table into ``staging`` from its parts; returns rows per table. The parts stay
    (the flow drops them before publishing), so that quarantine can assemble again.

    ``lap("resolve")`` and ``lap("write")`` are called as those steps end (run timings)."""
    rejects = rejects + duplicates(_read_parts(staging, "articles", ["article_id", "source_file", "sha256"]))
    dropped = {r.source_file for r in rejects}
    keys = without_files(_read_parts(staging, "mentions", ["source_file", *Resolution.KEY_COLUMNS]),
                         dropped)
    resolution = Resolution(keys)
    dates = without_files(_read_parts(staging, "articles", ["source_file", "article_id", "published_date"]), dropped)
    published = dict(zip(dates["article_id"].to_pylist(), dates["published_date"].to_pylist()))
    claims = figure_claims(without_files(_read_parts(staging, "figures", ["source_file", *CLAIM_KEYS]), dropped),
                           published)
    lap("resolve")
    rows = {}
    for name in ARTICLE_TABLES:
        rows[name] = 0
        with pq.ParquetWriter(staging / f"{name}.parquet", SCHEMAS[name]) as writer:
            for path in storage.part_files(staging, name):
                part = resolution.link(name, without_files(pq.read_table(path, schema=SCHEMAS[name]), dropped))
                part = link_claims(part, claims) if name == "figures" else part
                writer.write_table(part)
                rows[name] += part.num_rows
            if rows[name] == 0:
                writer.write_table(SCHEMAS[name].empty_table())
    for name, table in (("entities", resolution.entities_table()),
                        ("claims", claims_table(pq.read_table(staging / "figures.parquet", columns=list(CLAIM_INPUTS)),
                                                published)),
                        ("rejects", rejects_table(rejects))):
        pq.write_table(table, staging / f"{name}.parquet")
        rows[name] = table.num_rows
    lap("write")
    return rows


def _read_parts(staging: Path, name: str, columns: list[str]) -> pa.Table:
    parts = [pq.read_table(path, columns=columns) for path in storage.part_files(staging, name)]
    schema = pa.schema([SCHEMAS[name].field(c) for c in columns])
    return pa.concat_tables([p.cast(schema) for p in parts]) if parts else schema.empty_table()
