"""What needs more than one chunk of a table, computed with DuckDB on the columns it reads only:
the key tables of ``suites.KEYS`` (what the derived columns look up) and the rules that compare
rows with each other (``Rule.spans_rows``: unique ids, unique grain).

A rule's result has the shape of a Great Expectations result of the same expectation on the
whole table (``element_count``, ``missing_count``, ``unexpected_count``, the failing values and
rows, the first ``ROWS_KEPT`` of them), so that it is merged and reported like the others.
"""
from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from expectations.merge import ROWS_KEPT
from expectations.reading import Tables
from expectations.suites import KEYS, KeyTables, Rule, connection
from transforms.schemas import SCHEMAS, grain_columns

_ROW = "__row"


def _connect() -> duckdb.DuckDBPyConnection:
    """A connection to the in-memory database that prints nothing (DuckDB draws a progress bar
    on long queries), on one thread: one hash table per query rather than one per thread (-10 % peak memory at
    1.5 M rows, no slower on two cores)."""
    con = connection()
    con.execute("SET enable_progress_bar = false; SET threads = 1")
    return con


def key_tables(tables: Tables) -> KeyTables:
    """Every key table whose source table has the columns it reads (an unreadable table counts
    as empty); one that is left out leaves out the derived columns that look it up."""
    keys = {}
    with _connect() as con:
        for name, key in KEYS.items():
            schema = tables.schema(key.table) or SCHEMAS[key.table]
            if set(key.columns) <= set(schema.names):
                con.register("rows", tables.columns(key.table, list(key.columns)))
                keys[name] = con.sql(key.query).to_arrow_table().combine_chunks()
                con.unregister("rows")
    return keys


class NotEvaluated(Exception):
    """A table-level rule that could not be evaluated (a column it reads is missing, or DuckDB
    cannot compare its values)."""


def across_rows(rule: Rule, table: str, tables: Tables) -> dict[str, Any]:
    """The result of a uniqueness rule over the whole table, as Great Expectations gives it for
    one chunk (rows count as missing when all of the rule's columns are null).

    The rule's columns are read a piece at a time and only a 64-bit hash of each judged row's
    values is kept: rows with different hashes differ, so as many distinct hashes as judged rows
    means no values repeat. Otherwise (values repeat, or two hashes collide) the failing rows are
    looked for exactly, with their ids and files (holding every row's columns and ids for the
    join took 0.5 GB at 1.4 M sentences)."""
    columns, stored = list(rule.columns), tables.schema(table).names
    if not set(columns) <= set(stored):
        raise NotEvaluated(f"column(s) {', '.join(sorted(set(columns) - set(stored)))} not in the {table} table")
    named = [c for c in dict.fromkeys((*grain_columns(table), "source_file")) if c in stored]   # ids, then the file
    quoted = [f'"{c}"' for c in columns]
    kept_rows = f"NOT ({' AND '.join(f'{c} IS NULL' for c in quoted)})"
    elements, hashes = 0, []
    try:
        with _connect() as con:
            for piece in tables.batches(table, columns):
                con.register("rows", piece)
                elements += piece.num_rows
                hashes += con.sql(f"SELECT hash({', '.join(quoted)}) AS h FROM rows WHERE {kept_rows}"
                                  ).to_arrow_table()["h"].chunks
                con.unregister("rows")
            con.register("hashes", pa.table({"h": pa.chunked_array(hashes, pa.uint64())}))
            judged_rows, distinct = con.sql("SELECT count(*), count(DISTINCT h) FROM hashes").fetchall()[0]
        unexpected, kept = (0, []) if distinct == judged_rows else \
            _failing(columns, named, f"SELECT * FROM rows WHERE {kept_rows}", table, tables)
    except duckdb.Error as error:
        raise NotEvaluated(str(error).splitlines()[0]) from error
    values = [row[columns[0]] if len(columns) == 1 else {c: row[c] for c in columns} for row in kept]
    index = [{c: row[c] for c in [*columns, *named]} if named else row[_ROW] for row in kept]
    return {"element_count": elements, "missing_count": elements - judged_rows, "unexpected_count": unexpected,
            "unexpected_list": values, "unexpected_index_list": index, "unexpected_index_column_names": named}


def _failing(columns: list[str], named: list[str], judged: str, table: str, tables: Tables
             ) -> tuple[int, list[dict[str, Any]]]:
    """The count of the rows whose ``columns`` values another row has, and the first ``ROWS_KEPT``
    of them (with the ``named`` columns and their place in the table)."""
    rows = tables.columns(table, list(dict.fromkeys(columns + named)))
    rows = rows.append_column(_ROW, pa.array(np.arange(rows.num_rows, dtype=np.int64)))
    quoted = [f'"{c}"' for c in columns]
    same = " AND ".join(f"judged.{c} IS NOT DISTINCT FROM twice.{c}" for c in quoted)
    failing = (f"WITH judged AS ({judged}), twice AS (SELECT {', '.join(quoted)} FROM judged GROUP BY ALL "
               f"HAVING count(*) > 1) SELECT judged.* FROM judged SEMI JOIN twice ON {same}")
    with _connect() as con:
        con.register("rows", rows)
        unexpected = con.sql(f"SELECT count(*) FROM ({failing})").fetchall()[0][0]
        return unexpected, con.sql(f"{failing} ORDER BY {_ROW} LIMIT {ROWS_KEPT}").to_arrow_table().to_pylist()
