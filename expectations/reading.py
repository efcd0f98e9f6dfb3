"""The tables of an output, read for validation in bounded pieces through the flow's reader.

Expectations never open files: where and how a table is stored is the flow's business
(``flows.storage``), so the flow hands over ``TableBatches``, and validation reads a table
either chunk by chunk (all its columns, ``CHUNK_ROWS`` rows at a time) or as a few key columns
of every row, never whole.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import pyarrow as pa

from transforms.schemas import SCHEMAS

TableBatches = Callable[[str, list[str] | None], Iterable[pa.Table]]
"""The pieces (row groups, parts) of a table in row order, with only the named columns (all of
them for ``None``); raises ``FileNotFoundError`` when the table is missing, ``OSError`` or an
Arrow error when it cannot be read."""

CHUNK_ROWS = 50_000
"""Rows validated at once: bounds the memory of a table's frame, whatever the corpus size. Great
Expectations costs about a second a chunk whatever its size, so chunks are not made smaller."""


class Tables:
    """An output's tables as ``batches`` gives them; ``unreadable`` says why a table could not
    be read (missing, or the error), for each table that failed."""

    def __init__(self, batches: TableBatches):
        self._batches = batches
        self._schemas: dict[str, pa.Schema] = {}
        self.unreadable: dict[str, str] = {}

    def schema(self, table: str) -> pa.Schema | None:
        """The table's schema as stored (its first piece's; the contract's when it has no rows),
        or None when it cannot be read."""
        if table not in self._schemas and table not in self.unreadable:
            with self.reading(table):
                first = next(iter(self._batches(table, None)), None)
                self._schemas[table] = SCHEMAS[table] if first is None else first.schema
        return self._schemas.get(table)

    def columns(self, table: str, names: list[str]) -> pa.Table:
        """Only these columns of every row (a table of the contract's columns, empty, when the
        table cannot be read: cross-table checks then find nothing there)."""
        with self.reading(table):
            pieces = list(self._batches(table, names))
            return pa.concat_tables(pieces) if pieces else SCHEMAS[table].empty_table().select(names)
        return SCHEMAS[table].empty_table().select(names)

    def chunks(self, table: str, rows: int = CHUNK_ROWS) -> Iterator[pa.Table]:
        """The table in chunks of ``rows`` rows (the last one shorter; pieces are joined and cut to
        make them), at least one (empty when the table has no rows). Read errors are raised."""
        pending: list[pa.Table] = []
        held, given = 0, False
        for piece in self._batches(table, None):
            while piece.num_rows:
                pending.append(piece.slice(0, rows - held))
                piece = piece.slice(pending[-1].num_rows)
                held += pending[-1].num_rows
                if held == rows:
                    yield pa.concat_tables(pending)
                    pending, held, given = [], 0, True
        if pending or not given:
            yield pa.concat_tables(pending) if pending else self.schema(table).empty_table()

    @contextmanager
    def reading(self, table: str) -> Iterator[None]:
        """Records why ``table`` cannot be read, when reading it fails inside the block."""
        try:
            yield
        except FileNotFoundError:
            self.unreadable.setdefault(table, f"the {table} table is missing")
        except (OSError, pa.ArrowException) as error:
            self.unreadable.setdefault(table, f"the {table} table is unreadable: {error}")
