"""The query layer: ``<output>/newsfacts.duckdb``, a DuckDB file of views over the Parquet tables.

SQL tools and BI tools (DBeaver, Superset, Metabase, Power BI through ODBC) open it in-process,
no server: one view per table, every view and column commented from the data contract
(``transforms/schemas.py``), each sentence-level view with a one-column ``sentence_key``, and
the analyst views of ``ANALYST_VIEWS`` (``figure_facts``, ``disputes``).

DuckDB resolves a relative path in a view against the working folder of whoever queries it,
not against the database file, so the views name the tables by absolute path
(``storage.table_glob`` of the output folder's real path). A run rewrites the file after it
publishes when its views would change; a copied or moved output folder needs ``newsfacts query --output DIR``.
The file holds no data: it is rebuilt in well under a second.

>>> print(sentence_key_sql("f"))
f.article_id || '-s' || CAST(f.sentence_id AS VARCHAR)
"""
from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from flows import storage
from transforms.claims import DATE_WINDOW_DAYS, VALUE_TOLERANCE
from transforms.schemas import ANALYST_VIEWS, SCHEMAS, SENTENCE_KEY, vocabulary

DATABASE_FILE = "newsfacts.duckdb"
BUILT_FROM = ".newsfacts.duckdb.sha256"
SOURCE_TYPE_ORDER = ("ORG", "PERSON", "GPE", "LOC", "NORP")
"""Which entity a source name means when several entities share it (Kenya the GPE before the NORP)."""


def write_query_database(output_dir: str | Path) -> Path:
    """(Re)write ``<output_dir>/newsfacts.duckdb`` atomically; its views read the tables in ``output_dir``.

    A file built from the same statements (the same contract and output folder: a run's usual
    case, since the views read the tables' folders, not their parts) is kept as it is; the
    statements' digest beside it (``BUILT_FROM``) says what it was built from."""
    out = Path(output_dir).resolve()
    path, built = out / DATABASE_FILE, out / BUILT_FROM
    digest = hashlib.sha256("\n".join(statements(out)).encode()).hexdigest()
    if path.is_file() and built.is_file() and built.read_text(encoding="utf-8") == digest:
        return path
    storage.write_file(path, lambda tmp: _build(tmp, out))
    storage.write_file(built, lambda tmp: tmp.write_text(digest, encoding="utf-8"))
    return path


def missing_tables(output_dir: str | Path) -> list[str]:
    """The tables a view would read that ``output_dir`` does not hold (DuckDB refuses such a view)."""
    return [table for table in SCHEMAS if not glob.glob(storage.table_glob(output_dir, table))]


def _build(path: Path, out: Path) -> None:
    import duckdb  # imported here: only a run's last step and the query tests need it

    with duckdb.connect(str(path)) as connection:
        for statement in statements(out):
            connection.execute(statement)


def statements(out: Path) -> Iterator[str]:
    """Every SQL statement that builds the views over the tables in ``out``, comments included."""
    for table, schema in SCHEMAS.items():
        yield f"CREATE VIEW {_name(table)} AS {table_view_sql(table, storage.table_glob(out, table))}"
        yield from _comments(table, _grain(schema), [*schema, *([SENTENCE_KEY] if _has_sentences(schema) else [])])
    yield f"CREATE VIEW figure_facts AS {figure_facts_sql()}"
    yield from _comments("figure_facts", _grain(ANALYST_VIEWS["figure_facts"]), figure_facts_columns())
    yield f"CREATE VIEW disputes AS {disputes_sql()}"
    yield from _comments("disputes", _grain(ANALYST_VIEWS["disputes"]), list(ANALYST_VIEWS["disputes"]))


def table_view_sql(table: str, glob: str) -> str:
    """A table's view: its columns as stored, and ``sentence_key`` when its rows sit in sentences."""
    key = f", {sentence_key_sql('t')} AS sentence_key" if _has_sentences(SCHEMAS[table]) else ""
    return f"SELECT t.*{key} FROM read_parquet({_literal(glob)}) AS t"


def sentence_key_sql(alias: str) -> str:
    return f"{alias}.article_id || '-s' || CAST({alias}.sentence_id AS VARCHAR)"


def figure_facts_sql() -> str:
    """Each figure with its sentence, its article's other columns and its source entity (the
    first of ``SOURCE_TYPE_ORDER`` among the entities of that name), and the HXL-ready columns.

    Built from the contract: every column of figures and articles is selected by name, so one
    added to either table is in the view after the next run."""
    figures, articles = SCHEMAS["figures"].names, SCHEMAS["articles"].names
    article_columns = "".join(f", a.{_name(c)}" for c in articles if c not in figures)
    ranks = ", ".join(_literal(t) for t in SOURCE_TYPE_ORDER)
    currencies = ", ".join(_literal(u) for u in vocabulary("figures", "unit"))
    return (
        f"WITH sources AS (SELECT canonical, arg_min(entity_id, list_position([{ranks}], CAST(type AS VARCHAR))) "
        f"AS entity_id, arg_min(CAST(type AS VARCHAR), list_position([{ranks}], CAST(type AS VARCHAR))) AS type "
        f"FROM entities GROUP BY canonical) "
        f"SELECT f.*, s.text AS sentence_text{article_columns}, "
        f"src.entity_id AS source_entity_id, src.type AS source_type, "
        f"CASE WHEN src.type = 'ORG' THEN f.attribution END AS source_org, "
        f"CASE WHEN f.category = 'displacement' AND f.unit = 'count' THEN f.value END AS displaced, "
        f"CASE WHEN f.unit NOT IN ({currencies}) THEN f.value END AS amount, "
        f"CASE WHEN f.unit NOT IN ({currencies}) THEN CAST(f.unit AS VARCHAR) END AS currency "
        f"FROM figures AS f "
        f"JOIN sentences AS s ON s.article_id = f.article_id AND s.sentence_id = f.sentence_id "
        f"JOIN articles AS a ON a.article_id = f.article_id "
        f"LEFT JOIN sources AS src ON src.canonical = f.attribution"
    )


def disputes_sql() -> str:
    """Pairs of claims of one topic whose values disagree: "362,000 vs 580,000 displaced in Haiti".

    Disagree as claim grouping means it (``transforms.claims``): the higher value is more than
    ``VALUE_TOLERANCE`` above the lower one. Claims published further apart than
    ``DATE_WINDOW_DAYS`` (both dates known) report the quantity at other times, not a dispute.
    Vague magnitudes (no value) dispute nothing, nor does category ``other``: its figures are about
    what no category names, so one country's "other" claims are seldom one quantity (on the shared
    corpus they made 1.9 of 2.5 million pairs). Each side's sources are named from entities."""
    sides = ("claim_id", "value", "n_figures", "n_articles", "sources", "source_names", "first_published",
             "last_published")
    columns = ", ".join(f"{alias}.{c} AS {side}_{c}" for alias, side in (("lo", "low"), ("hi", "high")) for c in sides)
    return (
        f"WITH named AS (SELECT c.claim_id, list(e.canonical ORDER BY e.canonical) AS source_names "
        f"FROM claims AS c CROSS JOIN unnest(c.sources) AS s(entity_id) "
        f"JOIN entities AS e ON e.entity_id = s.entity_id "
        f"GROUP BY c.claim_id), "
        f"valued AS (SELECT c.*, coalesce(n.source_names, CAST([] AS VARCHAR[])) AS source_names FROM claims AS c "
        f"LEFT JOIN named AS n ON n.claim_id = c.claim_id WHERE c.value IS NOT NULL AND c.category <> 'other') "
        f"SELECT lo.topic_id, lo.category, lo.unit, lo.counted, lo.country_code, {columns}, "
        f"hi.value - lo.value AS spread, CASE WHEN lo.value > 0 THEN hi.value / lo.value END AS ratio "
        f"FROM valued AS lo JOIN valued AS hi ON hi.topic_id = lo.topic_id AND hi.value > lo.value "
        f"WHERE hi.value - lo.value > {VALUE_TOLERANCE!r} * greatest(abs(hi.value), abs(lo.value)) "
        f"AND (lo.first_published IS NULL OR hi.first_published IS NULL "
        f"OR (hi.first_published <= lo.last_published + {DATE_WINDOW_DAYS:d} "
        f"AND lo.first_published <= hi.last_published + {DATE_WINDOW_DAYS:d}))"
    )


def figure_facts_columns() -> list[pa.Field]:
    """The view's columns in order, each with its contract description (and HXL hashtag)."""
    figures, added = SCHEMAS["figures"], list(ANALYST_VIEWS["figure_facts"])
    articles = [f for f in SCHEMAS["articles"] if f.name not in figures.names]
    return [*figures, *added[:2], *articles, *added[2:]]      # f.* (sentence_key last), sentence_text, ...


def _has_sentences(schema: pa.Schema) -> bool:
    return {"article_id", "sentence_id"} <= set(schema.names)


def _grain(schema: pa.Schema) -> str:
    return schema.metadata[b"grain"].decode()


def _comments(view: str, grain: str, fields: list[pa.Field]) -> Iterator[str]:
    yield f"COMMENT ON VIEW {_name(view)} IS {_literal(grain[0].upper() + grain[1:] + '.')}"
    for field in fields:
        yield f"COMMENT ON COLUMN {_name(view)}.{_name(field.name)} IS {_literal(column_comment(field))}"


def column_comment(field: pa.Field) -> str:
    """A column's description, with its HXL hashtag when it has one."""
    metadata = field.metadata or {}
    hxl = metadata.get(b"hxl", b"").decode()
    return metadata[b"description"].decode() + (f" HXL: {hxl}" if hxl else "")


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
