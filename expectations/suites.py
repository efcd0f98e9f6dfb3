"""One expectation suite per output table, declared as data; Great Expectations is only
imported by ``expectations.validate`` when the suites are run.

``SUITES`` is the one table-to-suite mapping. Each suite is the table's contract rules,
derived from ``transforms.schemas.SCHEMAS`` (columns and types, not-null, unique grain, links
to ``articles``, offsets, closed vocabularies), followed by the table's own rules in
``TABLE_RULES``. A new schema column or vocabulary value is therefore checked without touching
this file. Cross-table checks run on derived columns (``DERIVED``: a lookup in a small key table
of ``KEYS``, made with Arrow) that are added to each chunk of the table before validation, so
that each stays one plain GE expectation.

Rules are judged in one of two ways: row by row (every rule but the ``spans_rows`` ones), on
each bounded chunk of a table in turn, or across rows (uniqueness), on the columns they read
only (``expectations.table_level``).
"""
from __future__ import annotations

import functools
import re
import sys
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from transforms.lexicon import load_tsv
from transforms.schemas import EXTRACTED_TABLES, SCHEMAS, grain_columns, label_columns, vocabulary

Severity = Literal["critical", "warning"]

VALIDATED_TABLES = EXTRACTED_TABLES  # the validation report's own table is written, not validated

PARAMETERS: dict[str, dict[str, list[str]]] = tomllib.loads(
    (Path(__file__).with_name("parameters.toml")).read_text(encoding="utf-8"))
CURRENCY_CODES: tuple[str, ...] = tuple(sorted({c.alpha_3 for c in pycountry.currencies}
                                               | set(PARAMETERS["figures"]["historic_currency_codes"])))
COUNTRY_CODES: tuple[str, ...] = tuple(sorted({c.alpha_3 for c in pycountry.countries}
                                              | set(PARAMETERS["entities"]["user_assigned_country_codes"])))

GRAIN: dict[str, tuple[str, ...]] = {table: grain_columns(table) for table in VALIDATED_TABLES}
"""The columns that identify a row of each table (the contract's)."""
ALSO_ACCEPTED: dict[tuple[str, str], tuple[str, ...]] = {("figures", "unit"): CURRENCY_CODES,
                                                         ("claims", "unit"): CURRENCY_CODES}
"""Values a label column accepts besides its contract vocabulary (money's unit is its currency)."""
DURATION_UNITS = tuple(unit for unit in vocabulary("figures", "unit") if unit.startswith("duration_"))


@dataclass(frozen=True, slots=True)
class Rule:
    """One expectation: a GE class name with its arguments, and what it protects.

    ``when`` restricts the rule to some rows: ``(column, "in", values)``, ``(column, "==",
    value)``, ``(column, "is_null", None)`` or ``(column, "not_null", None)``.
    """

    expectation: str
    kwargs: Mapping[str, Any]
    protects: str
    severity: Severity = "critical"
    when: tuple[str, str, Any] | None = None

    @property
    def judges_rows(self) -> bool:
        """Whether a failure is row by row (a value, a pair, a null, a link) rather than about
        the table (its columns, its types, uniqueness across rows): only then can it be pinned
        on the articles whose rows fail."""
        return self.expectation in ROW_EXPECTATIONS

    @property
    def spans_rows(self) -> bool:
        """Whether the rule compares rows with each other (uniqueness), so that it is judged on
        the whole table's columns rather than chunk by chunk."""
        return self.expectation in ACROSS_ROWS_EXPECTATIONS

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the rule reads (empty for table-level rules)."""
        k = self.kwargs
        read = (k["column"],) if "column" in k else (k["column_A"], k["column_B"]) if "column_A" in k \
            else tuple(k.get("column_list", ()))
        return read + ((self.when[0],) if self.when else ())


ROW_EXPECTATIONS = frozenset({
    "ExpectColumnValuesToBeBetween", "ExpectColumnValuesToBeInSet", "ExpectColumnValuesToNotBeNull",
    "ExpectColumnValuesToBeNull", "ExpectColumnValuesToMatchRegex", "ExpectColumnPairValuesAToBeGreaterThanB",
    "ExpectColumnPairValuesToBeEqual"})
"""GE expectations that judge each row on its own (the unique-value ones compare rows: table-level)."""
ACROSS_ROWS_EXPECTATIONS = frozenset({"ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"})
"""GE expectations that compare rows with each other; the others hold for a table when they hold
for each of its chunks (columns and types are the same in every chunk)."""


def rule(expectation: str, protects: str, severity: Severity = "critical",
         when: tuple[str, str, Any] | None = None, **kwargs: Any) -> Rule:
    return Rule(expectation, kwargs, protects, severity, when)


KeyTables = Mapping[str, pa.Table]
"""The key tables of ``KEYS`` by name, as computed for one validation."""


@dataclass(frozen=True, slots=True)
class Derived:
    """A column computed from a chunk of the table (and the key tables, when it ``looks_up``
    rows there), for a cross-table rule.

    ``reads`` names every column of the table it is computed from. A part's stored results hold
    only while what their rules read is the same (``expectations.part_results``): the columns,
    and the values looked up for its rows, so a derived column must say what it reads."""

    compute: Callable[[pa.Table, KeyTables], pa.ChunkedArray | pa.Array]
    meaning: str
    reads: tuple[str, ...]
    looks_up: bool = True


@dataclass(frozen=True, slots=True)
class KeyTable:
    """A small table the derived columns look rows up in: ``query`` (DuckDB SQL over ``rows``,
    the named ``columns`` of ``table``) keeps one row per article, entity or reject."""

    table: str
    columns: tuple[str, ...]
    query: str


KEYS: dict[str, KeyTable] = {
    "articles": KeyTable("articles", ("article_id", "source_file", "n_chars", "n_sentences"), "SELECT * FROM rows"),
    "rejects": KeyTable("rejects", ("source_file",), "SELECT * FROM rows"),
    "entities": KeyTable("entities", ("entity_id",), "SELECT * FROM rows"),
    "sentences_per_article": KeyTable(
        "sentences", ("article_id",),
        "SELECT article_id, count(*) AS found FROM rows WHERE article_id IS NOT NULL GROUP BY article_id"),
    "mentions_per_entity": KeyTable(
        "mentions", ("entity_id", "article_id"),
        "SELECT entity_id, count(*) AS mentions, count(DISTINCT article_id) AS articles FROM rows "
        "WHERE entity_id IS NOT NULL GROUP BY entity_id"),
    "figures": KeyTable("figures", ("figure_id",), "SELECT * FROM rows"),
    "claims": KeyTable("claims", ("claim_id",), "SELECT * FROM rows"),
    "figures_per_claim": KeyTable(
        "figures", ("claim_id", "article_id"),
        "SELECT claim_id, count(*) AS figures, count(DISTINCT article_id) AS articles FROM rows "
        "WHERE claim_id IS NOT NULL GROUP BY claim_id"),
}


@functools.cache
def _database() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def connection() -> duckdb.DuckDBPyConnection:
    """A new connection to the process's one in-memory DuckDB database: making a database took
    20-30 ms, and a validation asked for about 20 (the key tables, each rule across rows)."""
    return _database().cursor()


def to_frame(table: pa.Table) -> pd.DataFrame:
    """The pandas frame the suites validate: int64 stays int64 (nullable Int64) even with nulls."""
    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def expected_dtypes(table: str) -> dict[str, str]:
    """The pandas dtype name each schema column has after ``to_frame``, e.g. ``{"n_chars": "Int64"}``."""
    return {name: str(dtype) for name, dtype in to_frame(SCHEMAS[table].empty_table()).dtypes.items()}


class _KeyIndex:
    """Where each value of a key table's column first is, hashed once: a validation looks up
    every part and chunk of a table in the same key tables, and hashing a key column of a
    million figure ids again for each of them took most of a re-run's validation at ×10.

    It keeps the distinct values sorted by a 64-bit hash (DuckDB's ``hash``): 16 bytes a value
    besides the values, where a hash table of Python strings took 220 MB for 1.27 M figure ids.
    A value is found by binary search and then compared with the value found, so a lookup is
    exact; should two key values share a hash, each lookup hashes the column as Arrow does."""

    _LAST = 16          # the key columns of about two validations (``KEYS``' columns looked up)
    _cache: dict[tuple[int, str], tuple[pa.Table, _KeyIndex]] = {}

    def __init__(self, keys: pa.Table, key: str):
        values = keys[key].combine_chunks()
        self._db = connection()                     # hashes with it; one a lookup, not a connection each
        self._keys = keys
        self._has_null = values.null_count > 0
        held = np.flatnonzero(pc.is_valid(values).to_numpy(zero_copy_only=False))
        hashes = self._hash(values)[held]
        by_hash = np.argsort(hashes, kind="stable")     # stable: a value's first row comes first
        hashes, rows = hashes[by_hash], held[by_hash]
        first = np.diff(hashes, prepend=hashes[:1] - 1) != 0 if len(hashes) else np.zeros(0, bool)
        self._hashes, self._unique_hashes = hashes[first], _runs_hold_one_value(values, rows, first)
        if self._unique_hashes:     # sorted by hash, no Arrow hash table of every value (+190 MB at ×10)
            self._first = pa.array(rows[first])
            self._distinct = values.take(self._first)
        else:
            self._distinct = pc.unique(values).drop_null()
            self._first = pc.index_in(self._distinct, value_set=values)     # the first row holding each value
        self._columns: dict[str, pa.Array] = {}

    @classmethod
    def of(cls, keys: pa.Table, key: str) -> _KeyIndex:
        """The index of ``keys[key]``, made once per key table (known by identity, kept alive here)."""
        found = cls._cache.get((id(keys), key))
        if found is not None and found[0] is keys:
            return found[1]
        index = cls(keys, key)
        cls._cache[(id(keys), key)] = (keys, index)
        while len(cls._cache) > cls._LAST:
            del cls._cache[next(iter(cls._cache))]
        return index

    def _positions(self, values: pa.ChunkedArray | pa.Array) -> pa.Array:
        """The place of each value among the sorted distinct values; null where it is not one."""
        values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        if not self._unique_hashes or not len(self._hashes):
            return pc.index_in(values, value_set=self._distinct)
        hashes = self._hash(values)
        at = np.minimum(np.searchsorted(self._hashes, hashes), len(self._hashes) - 1)
        same = pc.fill_null(pc.equal(values, self._distinct.take(pa.array(at))), False).to_numpy(zero_copy_only=False)
        return pa.array(at, mask=~((self._hashes[at] == hashes) & same))

    def _hash(self, values: pa.Array) -> np.ndarray:
        """DuckDB's 64-bit hash of each value (null's too: callers mask nulls)."""
        return self._db.from_arrow(pa.table({"v": values})).project("hash(v)").to_arrow_table().column(0).to_numpy()

    def looked_up(self, values: pa.ChunkedArray | pa.Array, column: str) -> pa.Array:
        """``column`` of the first row of the key table with each value; null for a value it
        lacks, and for null."""
        if column not in self._columns:
            self._columns[column] = pc.take(self._keys[column], self._first).combine_chunks()
        return pc.take(self._columns[column], self._positions(values))

    def holds(self, values: pa.ChunkedArray | pa.Array) -> pa.Array:
        """Whether each value is in the key column (null is, when the column has a null)."""
        held = pc.is_valid(self._positions(values))
        return pc.or_(held, pc.is_null(values)) if self._has_null else held


def _runs_hold_one_value(values: pa.Array, rows: np.ndarray, first: np.ndarray) -> bool:
    """Whether the ``rows`` (sorted by the hash of their value; ``first`` marks where a hash
    starts) that share a hash all hold the same value: no two values share a hash."""
    if first.all():
        return True
    starts = np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))
    again = ~first
    same = pc.equal(values.take(pa.array(rows[again])), values.take(pa.array(rows[starts[again]])))
    return bool(pc.all(same).as_py())


def _looked_up(rows: pa.Table, key: str, keys: pa.Table, column: str) -> pa.ChunkedArray:
    """``column`` of the first row of ``keys`` with the row's ``key``; null when there is none."""
    return pa.chunked_array([_KeyIndex.of(keys, key).looked_up(rows[key], column).cast(pa.int64())])


def _lookup(key: str, column: str) -> Callable[[pa.Table, KeyTables], pa.ChunkedArray]:
    """``column`` of the row's article (joined on ``key``); null when the article is not there."""
    return lambda rows, keys: _looked_up(rows, key, keys["articles"], column)


def _count_of(name: str, key: str, count: str) -> Callable[[pa.Table, KeyTables], pa.ChunkedArray]:
    """The ``count`` of key table ``name`` for the row's ``key``; 0 when it has none."""
    return lambda rows, keys: pc.fill_null(_looked_up(rows, key, keys[name], count), 0)


def _is_in(column: str, name: str, key: str) -> Callable[[pa.Table, KeyTables], pa.ChunkedArray]:
    """Whether the row's ``column`` is among the ``key`` values of key table ``name``."""
    return lambda rows, keys: pa.chunked_array([_KeyIndex.of(keys[name], key).holds(rows[column])])


EARLIEST_ZONE = timedelta(hours=14)
"""UTC+14, the earliest time zone: a date written there may be a day ahead of UTC's."""


def _published_by_processing(rows: pa.Table, keys: KeyTables) -> pa.ChunkedArray:
    """True where published_date is null or not after processed_at's date (in the earliest zone)."""
    latest = pc.cast(pc.add(rows["processed_at"], pa.scalar(EARLIEST_ZONE, pa.duration("us"))), pa.date32())
    published = rows["published_date"]
    return pc.or_(pc.is_null(published), pc.fill_null(pc.less_equal(published, latest), False))


class CurrencyReader:
    """Whether a figure's text names a currency, read with the extractor's own data files: the
    forms of ``figure_currencies.tsv`` and ``figure_units.tsv``, longest first at each place (so
    "per cent" is a unit, not "cent"s), never inside a longer word.

    >>> reader = CurrencyReader()
    >>> [reader.names_currency(text) for text in ("KSh5,000", "21 million dollars", "2 per cent")]
    [True, True, False]
    """

    def __init__(self) -> None:
        currencies = load_tsv("figure_currencies.tsv", required=("form", "case"))
        self._exact = {r["form"] for r in currencies if r["case"] == "exact"}
        self._any_case = {r["form"].casefold() for r in currencies if r["case"] != "exact"}
        forms = [(r["form"], r["case"] == "exact") for r in currencies]
        forms += [(r["form"], False) for r in load_tsv("figure_units.tsv", required=("form",))]
        # no letter either side, checked once around the alternatives (not in each: 5x faster)
        self._forms = re.compile(r"(?<![^\W\d_])(?:" + "|".join(self._pattern(form, exact) for form, exact
                                                                in sorted(forms, key=lambda f: -len(f[0])))
                                 + r")(?![^\W\d_])")

    @staticmethod
    def _pattern(form: str, exact: bool) -> str:
        return re.escape(form) if exact else f"(?i:{re.escape(form)})"

    def names_currency(self, text: str) -> bool:
        return any(m[0] in self._exact or m[0].casefold() in self._any_case for m in self._forms.finditer(text))

    def in_column(self, texts: pa.ChunkedArray) -> pa.ChunkedArray:
        """``names_currency`` of each text (False for null), read once per distinct text (a third
        of the figures' texts are distinct)."""
        distinct = pc.unique(texts).drop_null()
        naming = distinct.filter(pa.array([self.names_currency(text) for text in distinct.to_pylist()], pa.bool_()))
        return pc.is_in(texts, value_set=naming)


_CURRENCY = CurrencyReader()

DERIVED: dict[str, Derived] = {
    "article_n_chars": Derived(_lookup("article_id", "n_chars"), "n_chars of the row's article (null when absent)",
                               reads=("article_id",)),
    "article_n_sentences": Derived(_lookup("article_id", "n_sentences"), "n_sentences of the row's article",
                                   reads=("article_id",)),
    "source_file_in_articles": Derived(_is_in("source_file", "articles", "source_file"),
                                       "the row's source_file is an article", reads=("source_file",)),
    "source_file_in_rejects": Derived(_is_in("source_file", "rejects", "source_file"),
                                      "the article's source_file is also a reject", reads=("source_file",)),
    "published_by_processing": Derived(_published_by_processing,
                                       "published_date is null or not after processed_at (UTC+14)",
                                       reads=("processed_at", "published_date"), looks_up=False),
    "text_length": Derived(lambda rows, keys: pc.utf8_length(rows["text"]).cast(pa.int64()), "len(text)",
                           reads=("text",), looks_up=False),
    "span_length": Derived(lambda rows, keys: pc.subtract(rows["end_char"], rows["start_char"]).cast(pa.int64()),
                           "end_char - start_char", reads=("start_char", "end_char"), looks_up=False),
    "sentences_found": Derived(_count_of("sentences_per_article", "article_id", "found"),
                               "rows of sentences for the article", reads=("article_id",)),
    "mentions_found": Derived(_count_of("mentions_per_entity", "entity_id", "mentions"),
                              "rows of mentions for the entity", reads=("entity_id",)),
    "articles_found": Derived(_count_of("mentions_per_entity", "entity_id", "articles"),
                              "distinct articles among the entity's mentions", reads=("entity_id",)),
    "entity_in_entities": Derived(_is_in("entity_id", "entities", "entity_id"),
                                  "the mention's entity_id is an entity", reads=("entity_id",)),
    "speaker_in_entities": Derived(
        lambda rows, keys: pc.or_(pc.is_null(rows["speaker_entity_id"]),
                                  _is_in("speaker_entity_id", "entities", "entity_id")(rows, keys)),
        "the quote has no speaker entity, or it is an entity", reads=("speaker_entity_id",)),
    "figure_in_figures": Derived(_is_in("figure_id", "figures", "figure_id"), "the link's figure_id is a figure",
                                 reads=("figure_id",)),
    "attribution_in_entities": Derived(
        lambda rows, keys: pc.or_(pc.is_null(rows["attribution_entity_id"]),
                                  _is_in("attribution_entity_id", "entities", "entity_id")(rows, keys)),
        "the figure has no attribution entity, or it is an entity", reads=("attribution_entity_id",)),
    "claim_in_claims": Derived(_is_in("claim_id", "claims", "claim_id"), "the figure's claim_id is a claim",
                               reads=("claim_id",)),
    "claim_figures_found": Derived(_count_of("figures_per_claim", "claim_id", "figures"),
                                   "rows of figures for the claim", reads=("claim_id",)),
    "claim_articles_found": Derived(_count_of("figures_per_claim", "claim_id", "articles"),
                                    "distinct articles among the claim's figures", reads=("claim_id",)),
    "text_names_currency": Derived(lambda rows, keys: _CURRENCY.in_column(rows["text"]),
                                   "the figure's text holds a form of figure_currencies.tsv", reads=("text",),
                                   looks_up=False),
}


def contract_rules(table: str) -> list[Rule]:
    """The rules every table gets from its schema: columns, types, not-null, grain, vocabularies,
    links, offsets."""
    schema = SCHEMAS[table]
    rules = [rule("ExpectColumnTypeToBe", f"{name} has the contract's type ({dtype})", column=name, type_=dtype)
              for name, dtype in expected_dtypes(table).items()]
    rules += [rule("ExpectColumnValuesToNotBeNull", f"{f.name} is never null (non-nullable in the contract)",
                   column=f.name) for f in schema if not f.nullable]
    grain = GRAIN[table]
    rules.append(rule("ExpectColumnValuesToBeUnique", f"one row per {grain[0]}", column=grain[0]) if len(grain) == 1
                 else rule("ExpectCompoundColumnsToBeUnique", f"one row per ({', '.join(grain)})",
                           column_list=list(grain)))
    rules += [_in_vocabulary(table, column) for column in label_columns(table)]
    if "article_id" in schema.names and table != "articles":
        rules += [
            rule("ExpectColumnValuesToNotBeNull", "every row's article_id joins to articles", column="article_n_chars"),
            rule("ExpectColumnValuesToBeInSet", "every row's source_file is an extracted article",
                 column="source_file_in_articles", value_set=[True]),
        ]
    if {"start_char", "end_char"} <= set(schema.names):
        rules += [
            rule("ExpectColumnValuesToBeBetween", "offsets are not negative", column="start_char", min_value=0),
            rule("ExpectColumnPairValuesAToBeGreaterThanB", "spans are not empty or reversed: start_char < end_char",
                 column_A="end_char", column_B="start_char", or_equal=False, ignore_row_if="either_value_is_missing"),
            rule("ExpectColumnPairValuesAToBeGreaterThanB", "spans end inside the article: end_char <= n_chars",
                 column_A="article_n_chars", column_B="end_char", or_equal=True,
                 ignore_row_if="either_value_is_missing"),
            rule("ExpectColumnPairValuesToBeEqual", "text is the span: len(text) == end_char - start_char "
                 "(the exact slice is checked by the flow's tests)",
                 column_A="text_length", column_B="span_length", ignore_row_if="either_value_is_missing"),
            rule("ExpectColumnValuesToBeBetween", "sentence ids are not negative", column="sentence_id", min_value=0),
            rule("ExpectColumnPairValuesAToBeGreaterThanB", "sentence_id is one of the article's sentences",
                 column_A="article_n_sentences", column_B="sentence_id", or_equal=False,
                 ignore_row_if="either_value_is_missing"),
        ]
    return rules


def _in_vocabulary(table: str, column: str) -> Rule:
    """The column's values are in its contract vocabulary (or ``ALSO_ACCEPTED``); nulls pass."""
    also = ALSO_ACCEPTED.get((table, column), ())
    return rule("ExpectColumnValuesToBeInSet",
                f"{column} is in the contract's vocabulary{' or an ISO 4217 code' if also else ''}",
                column=column, value_set=list(vocabulary(table, column)) + list(also))


_NON_NEGATIVE_CATEGORIES = PARAMETERS["figures"]["non_negative_categories"]
_FINITE = {"min_value": -sys.float_info.max, "max_value": sys.float_info.max}


def _finite(column: str) -> Rule:
    """±inf fails the finite bounds; NaN reads as null in the frame and is caught by the
    rules that say when a value must be there."""
    return rule("ExpectColumnValuesToBeBetween", f"{column} is a finite number (no inf from an over-long number)",
                column=column, **_FINITE)

_ISO_COUNTRY = rule("ExpectColumnValuesToBeInSet", "country_code is ISO 3166-1 alpha-3 (or null)",
                    column="country_code", value_set=list(COUNTRY_CODES))


TABLE_RULES: dict[str, list[Rule]] = {
    "articles": [
        rule("ExpectColumnValuesToMatchRegex", "article ids are 16 hex digits of the text's SHA-256",
             column="article_id", regex=r"^[0-9a-f]{16}$"),
        rule("ExpectColumnValuesToMatchRegex", "sha256 is a hex SHA-256", column="sha256", regex=r"^[0-9a-f]{64}$"),
        rule("ExpectColumnValuesToBeUnique", "one row per input file", column="source_file"),
        rule("ExpectColumnValuesToBeInSet", "no input is both an article and a reject (articles = inputs - rejects)",
             column="source_file_in_rejects", value_set=[False]),
        rule("ExpectColumnValuesToBeBetween", "an article has text: n_chars > 0", column="n_chars", min_value=1),
        rule("ExpectColumnPairValuesToBeEqual", "n_sentences equals the article's rows in sentences",
             column_A="n_sentences", column_B="sentences_found"),
        rule("ExpectColumnValuesToBeInSet", "an article is not published after it was processed "
             "(published_date <= processed_at, dates as written in any time zone)",
             column="published_by_processing", value_set=[True]),
        rule("ExpectColumnValuesToNotBeNull", "a published_date says where it came from (date_source)",
             column="date_source", when=("published_date", "not_null", None)),
        rule("ExpectColumnValuesToBeNull", "no date_source without a published_date",
             column="date_source", when=("published_date", "is_null", None)),
    ],
    "sentences": [
        rule("ExpectColumnValuesToBeBetween", "paragraph indexes are not negative", column="paragraph", min_value=0),
    ],
    "figures": [
        rule("ExpectColumnValuesToBeInSet", "money has a currency: text naming a currency has an ISO 4217 unit",
             column="unit", value_set=list(CURRENCY_CODES), when=("text_names_currency", "==", True)),
        *(_finite(column) for column in ("value", "value_low", "value_high", "value_usd")),
        rule("ExpectColumnValuesToNotBeNull", "a qualified figure has a value (only vague magnitudes have none)",
             column="value", when=("qualifier", "not_null", None)),
        rule("ExpectColumnValuesToNotBeNull", "a vague magnitude has bounds (thousands -> 2000-9000)",
             column="value_low", when=("qualifier", "is_null", None)),
        rule("ExpectColumnValuesToNotBeNull", "a range has both bounds: value_low set -> value_high set",
             column="value_high", when=("value_low", "not_null", None)),
        rule("ExpectColumnValuesToNotBeNull", "a range has both bounds: value_high set -> value_low set",
             column="value_low", when=("value_high", "not_null", None)),
        rule("ExpectColumnValuesToBeBetween", "people displaced, deployed or killed are not counted below zero "
             "(zero is a count: 'reported zero deaths')",
             column="value", min_value=0, when=("category", "in", _NON_NEGATIVE_CATEGORIES)),
        rule("ExpectColumnValuesToBeBetween", "the lower bound of people displaced, deployed or killed is not "
             "below zero", column="value_low", min_value=0, when=("category", "in", _NON_NEGATIVE_CATEGORIES)),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "ranges are ordered: value_low <= value_high",
             column_A="value_high", column_B="value_low", or_equal=True, ignore_row_if="either_value_is_missing"),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "the point value is inside its range: value >= value_low",
             column_A="value", column_B="value_low", or_equal=True, ignore_row_if="either_value_is_missing"),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "the point value is inside its range: value <= value_high",
             column_A="value_high", column_B="value", or_equal=True, ignore_row_if="either_value_is_missing"),
        rule("ExpectColumnValuesToBeBetween", "percentages are within 0-100 (a rise of 150% is possible: warning)",
             severity="warning", column="value", min_value=0, max_value=100, when=("unit", "==", "percent")),
        rule("ExpectColumnValuesToBeBetween", "fractions are within 0-1 (warning: 'one and a half' is possible)",
             severity="warning", column="value", min_value=0, max_value=1, when=("unit", "==", "fraction")),
        rule("ExpectColumnValuesToBeNull", "money and durations count nothing: counted is null",
             severity="warning", column="counted", when=("unit", "in", list(CURRENCY_CODES + DURATION_UNITS))),
        rule("ExpectColumnValuesToBeInSet", "money is the kind of a currency unit: quantity_kind is money",
             column="quantity_kind", value_set=["money"], when=("unit", "in", list(CURRENCY_CODES))),
        rule("ExpectColumnValuesToBeNull", "only money has a value in dollars",
             column="value_usd", when=("quantity_kind", "in", [k for k in vocabulary("figures", "quantity_kind")
                                                             if k != "money"])),
        rule("ExpectColumnPairValuesToBeEqual", "dollars are their own value in dollars: value_usd == value",
             column_A="value_usd", column_B="value", when=("unit", "==", "USD"),
             ignore_row_if="either_value_is_missing"),
        _ISO_COUNTRY,
        rule("ExpectColumnValuesToNotBeNull", "a figure with a place source has a country_code",
             column="country_code", when=("place_source", "not_null", None)),
        rule("ExpectColumnValuesToNotBeNull", "a figure's country_code says where it was found",
             column="place_source", when=("country_code", "not_null", None)),
        rule("ExpectColumnValuesToBeNull", "no attribution, no attribution entity",
             column="attribution_entity_id", when=("attribution", "is_null", None)),
        rule("ExpectColumnValuesToBeInSet", "every non-null attribution_entity_id is an entity",
             column="attribution_in_entities", value_set=[True]),
        rule("ExpectColumnValuesToBeInSet", "every figure's claim_id is a claim",
             column="claim_in_claims", value_set=[True]),
    ],
    "figure_entities": [
        rule("ExpectColumnValuesToBeInSet", "every link's figure_id is a figure",
             column="figure_in_figures", value_set=[True]),
        rule("ExpectColumnValuesToBeInSet", "every link's entity_id is an entity",
             column="entity_in_entities", value_set=[True]),
    ],
    "claims": [
        _ISO_COUNTRY,
        rule("ExpectColumnPairValuesToBeEqual", "n_figures equals the claim's rows in figures",
             column_A="n_figures", column_B="claim_figures_found"),
        rule("ExpectColumnPairValuesToBeEqual", "n_articles equals the articles among the claim's figures",
             column_A="n_articles", column_B="claim_articles_found"),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "a claim has at least as many figures as articles",
             column_A="n_figures", column_B="n_articles", or_equal=True),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "a claim has no more sources than figures",
             column_A="n_figures", column_B="n_sources", or_equal=True),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "the claim's spread is ordered: value_min <= value_max",
             column_A="value_max", column_B="value_min", or_equal=True, ignore_row_if="either_value_is_missing"),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "the most reported value is in the spread: value >= value_min",
             column_A="value", column_B="value_min", or_equal=True, ignore_row_if="either_value_is_missing"),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "the most reported value is in the spread: value <= value_max",
             column_A="value_max", column_B="value", or_equal=True, ignore_row_if="either_value_is_missing"),
        rule("ExpectColumnPairValuesAToBeGreaterThanB", "dates are ordered: first_published <= last_published",
             column_A="last_published", column_B="first_published", or_equal=True,
             ignore_row_if="either_value_is_missing"),
    ],
    "mentions": [
        rule("ExpectColumnValuesToBeInSet", "every mention's entity_id is an entity",
             column="entity_in_entities", value_set=[True]),
    ],
    "entities": [
        _ISO_COUNTRY,
        rule("ExpectCompoundColumnsToBeUnique", "one entity per (type, canonical): ids derive from them",
             column_list=["type", "canonical"]),
        rule("ExpectColumnPairValuesToBeEqual", "n_mentions equals the entity's rows in mentions",
             column_A="n_mentions", column_B="mentions_found"),
        rule("ExpectColumnPairValuesToBeEqual", "n_articles equals the articles among the entity's mentions",
             column_A="n_articles", column_B="articles_found"),
    ],
    "quotes": [
        rule("ExpectColumnValuesToBeInSet", "every non-null speaker_entity_id is an entity",
             column="speaker_in_entities", value_set=[True]),
        rule("ExpectColumnValuesToBeNull", "a quote without a speaker has no speaker entity",
             column="speaker_entity_id", when=("speaker", "is_null", None)),
    ],
    "rejects": [
        rule("ExpectColumnValuesToBeBetween", "sizes are not negative", column="size_bytes", min_value=0),
    ],
}



def suite_rules(table: str) -> list[Rule]:
    """The table's whole suite: its column set first, then the contract rules, then its own."""
    rules = contract_rules(table) + TABLE_RULES.get(table, [])
    derived = _derived_names(rules)
    columns = rule("ExpectTableColumnsToMatchSet", "readers find exactly the columns of the data contract"
                   + (f" (the frame also holds derived: {', '.join(derived)})" if derived else ""),
                   column_set=list(SCHEMAS[table].names) + derived, exact_match=True)
    return [columns, *rules]


def _derived_names(rules: list[Rule]) -> list[str]:
    return list(dict.fromkeys(c for r in rules for c in r.columns if c in DERIVED))


SUITES: dict[str, list[Rule]] = {table: suite_rules(table) for table in VALIDATED_TABLES}


def derived_columns(table: str) -> list[str]:
    """The derived columns the table's suite reads, in first-use order."""
    return _derived_names(SUITES[table])


def looked_up_columns(table: str) -> dict[str, tuple[str, ...]]:
    """The derived columns of the table's suite that look rows up in the key tables, and what they read."""
    return {name: DERIVED[name].reads for name in derived_columns(table) if DERIVED[name].looks_up}


def with_derived_columns(table: str, rows: pa.Table, keys: KeyTables, only: Collection[str] | None = None
                         ) -> pa.Table:
    """``rows`` (a chunk of ``table``) plus the derived columns its suite reads (those in ``only``,
    when given); one whose inputs are missing (or of another type) is left out, so that the rules
    reading it fail instead of the whole run."""
    for name in derived_columns(table):
        if only is not None and name not in only:
            continue
        try:
            rows = rows.append_column(name, DERIVED[name].compute(rows, keys))
        except (KeyError, pa.ArrowException):
            continue
    return rows
