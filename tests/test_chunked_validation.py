"""Issue 18 item 2: validation in bounded memory. A table is validated chunk by chunk and the
chunks' results merged; rules across rows run in DuckDB on their columns only. Validating a
table cut into many chunks gives the same results (counts, failing values, files, ids) as
validating it in one piece, and the DuckDB uniqueness check agrees with Great Expectations'.
"""
from __future__ import annotations

import functools
import math
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from test_expectations import _corrupt, _rewrite

from expectations.merge import Tally
from expectations.reading import Tables
from expectations.suites import SUITES, to_frame
from expectations.table_level import across_rows
from expectations.validate import validate_output
from flows.storage import iter_published, read_published
from transforms.schemas import SCHEMAS, grain_columns

# --- reading in chunks (no Great Expectations) ------------------------------------------------

def _pieces(sizes: list[int]):
    """A reader whose tables come in pieces of ``sizes`` rows, numbered 0, 1, 2, ...; articles is missing."""
    def batches(table: str, columns: list[str] | None):
        if table == "articles":
            raise FileNotFoundError(table)
        start = 0
        for size in sizes:
            yield pa.table({"n": list(range(start, start + size)), "m": [0] * size}).select(columns or ["n", "m"])
            start += size
    return batches


@pytest.mark.parametrize(("sizes", "rows", "chunks"), [
    ([3, 0, 10, 2], 4, [3 + 1, 4, 4, 1 + 2]),   # pieces joined and cut to fill each chunk
    ([5], 5, [5]),
    ([2, 2], 100, [4]),
    ([0], 4, [0]),                               # no rows: one empty chunk
])
def test_chunks_cover_the_table_in_order(sizes, rows, chunks):
    found = list(Tables(_pieces(sizes)).chunks("t", rows))
    assert [c.num_rows for c in found] == chunks
    assert [n for c in found for n in c["n"].to_pylist()] == list(range(sum(sizes)))


def test_a_table_stored_without_pieces_is_one_empty_chunk_of_the_contract():
    (chunk,) = Tables(_pieces([])).chunks("rejects", 4)
    assert chunk.num_rows == 0 and chunk.schema.names == SCHEMAS["rejects"].names


def test_a_missing_table_is_recorded_not_raised():
    tables = Tables(_pieces([2]))
    assert tables.schema("articles") is None
    assert tables.columns("articles", ["article_id"]).num_rows == 0     # an empty stand-in
    assert tables.schema("t").names == ["n", "m"]
    assert tables.unreadable == {"articles": "the articles table is missing"}


def test_a_tally_sums_chunks_and_keeps_each_files_first_failure():
    tally = Tally()
    tally.add({"element_count": 3, "missing_count": 1, "unexpected_count": 2, "unexpected_list": [-1.0, -2.0],
               "unexpected_index_list": [{"value": -1.0, "source_file": "a.txt"},
                                         {"value": -2.0, "source_file": "a.txt"}]})
    tally.add({"element_count": 4, "missing_count": 0, "unexpected_count": 1, "unexpected_list": [-3.0],
               "unexpected_index_list": [{"value": -3.0, "source_file": "b.txt"}]})
    assert (tally.elements, tally.nonmissing, tally.unexpected, tally.values) == (7, 6, 3, [-1.0, -2.0, -3.0])
    assert tally.offending == (("a.txt", "value=-1.0"), ("b.txt", "value=-3.0"))
    assert tally.every_row_named


# --- the whole validation, in one piece and in chunks -------------------------------------------

@pytest.fixture(scope="module")
def corrupted(seeds_output, tmp_path_factory) -> Path:
    """The seeds' tables with the corruptions of test_expectations, two figure ids shared by rows
    that land in different chunks, an infinite value, a duplicated entity (type, canonical), and
    figures stored in row groups of 10 rows (pieces smaller than a chunk)."""
    folder = tmp_path_factory.mktemp("chunked") / "output"
    shutil.copytree(seeds_output[0], folder)
    _corrupt(folder)
    figures = read_published(folder, "figures")
    ids, values = figures["figure_id"].to_pylist(), figures["value"].to_pylist()
    ids[1], ids[2], values[35] = ids[32], ids[33], math.inf
    figures = figures.set_column(0, "figure_id", pa.array(ids)).set_column(
        figures.schema.get_field_index("value"), "value", pa.array(values))
    _rewrite(folder, "figures", figures.cast(read_published(folder, "figures").schema), row_group_size=10)
    entities = read_published(folder, "entities")
    canonical, types = entities["canonical"].to_pylist(), entities["type"].to_pylist()
    twin = next(i for i in range(1, len(types)) if types[i] == types[0])
    canonical[twin] = canonical[0]
    _rewrite(folder, "entities", entities.set_column(entities.schema.get_field_index("canonical"),
                                                     entities.schema.field("canonical"), pa.array(canonical)))
    return folder


@pytest.fixture(scope="module")
def reports(corrupted, tmp_path_factory):
    """The corrupted output validated in one piece per table and in chunks of 30 rows."""
    batches = functools.partial(iter_published, corrupted)
    return {rows: validate_output(batches, tmp_path_factory.mktemp(f"docs{rows}") / "docs", chunk_rows=rows)
            for rows in (10**9, 30)}


def _facts(report) -> list[tuple]:
    return [(o.suite, o.expectation, o.column, o.severity, o.success, o.observed_value, o.unexpected_count, o.why,
             o.offending, o.every_row_named) for o in report.outcomes]


def test_chunks_give_the_results_of_the_whole_table(reports):
    whole, chunked = (_facts(reports[rows]) for rows in (10**9, 30))
    assert chunked == whole
    rows = [reports[rows].results.drop_columns(["validated_at"]) for rows in (10**9, 30)]
    assert rows[1].equals(rows[0])


def test_failures_across_chunks_are_counted_and_pinned_on_their_files(reports, corrupted):
    figures = read_published(corrupted, "figures")
    files = figures["source_file"].to_pylist()
    failed = {(o.suite, o.expectation, o.column, o.protects): o for o in reports[30].failures}
    unique = failed[("figures", "expect_column_values_to_be_unique", "figure_id", "one row per figure_id")]
    shared = figures["figure_id"].to_pylist()[32:34]
    assert unique.unexpected_count == 4 and f"e.g. {shared + shared}" in unique.why
    assert unique.files == tuple(dict.fromkeys(files[i] for i in (1, 2, 32, 33)))
    finite = failed[("figures", "expect_column_values_to_be_between", "value",
                     "value is a finite number (no inf from an over-long number)")]
    assert (finite.unexpected_count, finite.offending, finite.every_row_named) == (1, ((files[35], "value=inf"),), True)
    twins = failed[("entities", "expect_compound_columns_to_be_unique", "type, canonical",
                    "one entity per (type, canonical): ids derive from them")]
    assert (twins.unexpected_count, twins.every_row_named) == (2, False)


def test_data_docs_show_one_result_per_table_either_way(reports):
    for report in reports.values():
        pages = list((report.docs_index.parent / "validations").rglob("*.html"))
        assert len(pages) == len(SUITES) - 1        # the quotes table is missing: not validated


def test_uniqueness_in_duckdb_agrees_with_great_expectations(corrupted):
    """The table-level path against Great Expectations' own rule on the whole frame."""
    import great_expectations as gx
    tables = Tables(functools.partial(iter_published, corrupted))
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas(name="whole")
    for table in ("figures", "entities"):
        for index, rule in enumerate(SUITES[table]):
            if not rule.spans_rows:
                continue
            batch = source.add_dataframe_asset(name=f"{table}{index}").add_batch_definition_whole_dataframe("all")
            stored = tables.schema(table).names
            named = [c for c in dict.fromkeys((*grain_columns(table), "source_file")) if c in stored]
            expectation = getattr(gx.expectations, rule.expectation)(**rule.kwargs)
            frame = to_frame(read_published(corrupted, table))
            expected = batch.get_batch(batch_parameters={"dataframe": frame}).validate(
                expectation, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": named}).result
            found = across_rows(rule, table, tables)
            for key in ("element_count", "missing_count", "unexpected_count", "unexpected_list"):
                assert found[key] == expected[key], (table, rule.kwargs, key)
            assert [dict(sorted(r.items())) if named else r for r in found["unexpected_index_list"]] == \
                [dict(sorted(r.items())) if named else r for r in expected["unexpected_index_list"]]
