"""The tables of an output, read for validation in bounded pieces through the flow's reader.

Expectations never open files: where and how a table is stored is the flow's business
(``flows.storage``), so the flow hands over ``TableBatches``, and validation reads a table
either chunk by chunk (all its columns, ``CHUNK_ROWS`` rows at a time) or as a few key columns
of every row, never whole. When the flow also hands over ``TableParts`` (the files a table is
stored in), a table is read part by part, so that a part's results can be kept and reused.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.schemas import SCHEMAS

TableBatches = Callable[[str, list[str] | None], Iterable[pa.Table]]
"""The pieces (row groups, parts) of a table in row order, with only the named columns (all of
them for ``None``); raises ``FileNotFoundError`` when the table is missing, ``OSError`` or an
Arrow error when it cannot be read."""

TableParts = Callable[[str], list[Path]]
"""The Parquet files a table is stored in, in row order (the rows ``TableBatches`` gives)."""

CHUNK_ROWS = 50_000
"""Rows validated at once: bounds the memory of a table's frame, whatever the corpus size. Great
Expectations costs about a second a chunk whatever its size, so chunks are not made smaller."""


class Tables:
    """An output's tables as ``batches`` gives them; ``unreadable`` says why a table could not
    be read (missing, or the error), for each table that failed."""

    def __init__(self, batches: TableBatches, parts: TableParts | None = None):
        self._batches = batches
        self._parts = parts
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

    def batches(self, table: str, names: list[str]) -> Iterator[pa.Table]:
        """Only these columns, a piece at a time (none when the table cannot be read)."""
        with self.reading(table):
            yield from self._batches(table, names)

    def chunks(self, table: str, rows: int = CHUNK_ROWS) -> Iterator[pa.Table]:
        """The table in chunks of ``rows`` rows (the last one shorter; pieces are joined and cut to
        make them), at least one (empty when the table has no rows). Read errors are raised."""
        whole = Piece(None, lambda columns: self._batches(table, columns))
        for chunk, _ in chunks_of([whole], rows, self.schema(table)):
            yield chunk

    def pieces(self, table: str) -> list[Piece]:
        """The table as its parts (each with its file), or as one piece without a file when the
        flow gave no ``TableParts``. Read errors are raised."""
        if self._parts is None:
            return [Piece(None, lambda columns: self._batches(table, columns))]
        parts = self._parts(table)
        if not parts:
            raise FileNotFoundError(f"the {table} table has no part")
        return [Piece(part, functools.partial(_row_groups, part)) for part in parts]

    @contextmanager
    def reading(self, table: str) -> Iterator[None]:
        """Records why ``table`` cannot be read, when reading it fails inside the block."""
        try:
            yield
        except FileNotFoundError:
            self.unreadable.setdefault(table, f"the {table} table is missing")
        except (OSError, pa.ArrowException) as error:
            self.unreadable.setdefault(table, f"the {table} table is unreadable: {error}")


@dataclass(frozen=True, slots=True)
class Piece:
    """Rows of a table read together: a part (``path``), or the whole table (``path`` None)."""

    path: Path | None
    batches: Callable[[list[str] | None], Iterable[pa.Table]]    # its rows, only the named columns if given


def _row_groups(part: Path, columns: list[str] | None) -> Iterator[pa.Table]:
    parquet = pq.ParquetFile(part)
    for index in range(parquet.num_row_groups):
        yield parquet.read_row_group(index, columns=columns)


def chunks_of(pieces: list[Piece], rows: int, schema: pa.Schema, columns: list[str] | None = None
              ) -> Iterator[tuple[pa.Table, list[tuple[int, int]]]]:
    """The pieces' rows in chunks of ``rows`` rows (pieces joined and cut to make them), each with
    the (piece's index, its rows in the chunk) of every piece it holds, in order (a piece without
    rows holds 0 in the chunk it falls in); at least one chunk (empty, of ``schema``, when there is
    no row). Only ``columns`` are read when given."""
    pending: list[pa.Table] = []
    slices: list[tuple[int, int]] = []
    held, given = 0, False
    for index, piece in enumerate(pieces):
        slices.append((index, 0))
        for batch in piece.batches(columns):
            while batch.num_rows:
                pending.append(batch.slice(0, rows - held))
                batch = batch.slice(pending[-1].num_rows)
                held += pending[-1].num_rows
                last = slices.pop() if slices and slices[-1][0] == index else (index, 0)
                slices.append((index, last[1] + pending[-1].num_rows))
                if held == rows:
                    yield pa.concat_tables(pending), slices
                    pending, slices, held, given = [], [], 0, True
    if pending or slices or not given:
        empty = schema.empty_table() if columns is None else schema.empty_table().select(columns)
        yield (pa.concat_tables(pending) if pending else empty), slices
