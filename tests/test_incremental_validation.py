"""Issue 18 item 2: validation costs what changed. A part whose bytes, looked-up values and rules
are unchanged keeps its stored row-level results; the report after any change equals the one of
validating the whole output from scratch (no stored results, no parts), and a changed part, a
changed lookup or a changed rule is validated again. As in a run, a change is made to a copy of
the validated folder (the run's staging folder), the earlier report reading its parts in the original.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_expectations import _corrupt

import expectations.validate
from expectations import part_results
from expectations.part_results import BLOCKS, FOLDER, Part, PartResults, Source, blocks
from expectations.reading import Tables
from expectations.suites import DERIVED, SUITES
from expectations.table_level import key_tables
from expectations.validate import validate_output
from flows.storage import iter_published, read_published, table_parts
from transforms.schemas import SCHEMAS

PART_ROWS = 7


@pytest.fixture
def output(seeds_output, tmp_path) -> Path:
    """The seeds' tables, corrupted as in test_expectations, each cut into parts of PART_ROWS rows."""
    folder = tmp_path / "output"
    shutil.copytree(seeds_output[0], folder)
    _corrupt(folder)
    for table in SCHEMAS:
        if (folder / table).exists():
            rows = read_published(folder, table)
            shutil.rmtree(folder / table)
            (folder / table).mkdir()
            for number, start in enumerate(range(0, max(rows.num_rows, 1), PART_ROWS)):
                pq.write_table(rows.slice(start, PART_ROWS), folder / table / f"part-000001-{number:06d}.parquet")
    return folder


@pytest.fixture
def validated_parts(monkeypatch) -> dict[str, int]:
    """Parts Great Expectations validated per table, counted while the test runs."""
    counted: dict[str, int] = {}
    real = expectations.validate._validate_parts

    def counting(gx, table, batch, pieces, *args):
        if pieces:
            counted[table] = counted.get(table, 0) + len(pieces)
        return real(gx, table, batch, pieces, *args)
    monkeypatch.setattr(expectations.validate, "_validate_parts", counting)
    return counted


def _validate(folder: Path, reports: Path, name: str, sources: tuple[tuple[str, Path], ...] = ()):
    """Validate ``folder`` into report ``name``, with the stored results of the earlier reports
    ``sources`` (each with the folder it validated)."""
    target = reports / name
    target.mkdir(parents=True)
    return validate_output(functools.partial(iter_published, folder), target / "docs",
                           parts=functools.partial(table_parts, folder),
                           stored=PartResults([Source(reports / s, functools.partial(table_parts, validated))
                                               for s, validated in sources], target), chunk_rows=20)


def _staged(output: Path, tmp_path: Path) -> Path:
    """A copy of ``output`` to change, as a run's staging folder is."""
    staging = tmp_path / "staging"
    shutil.copytree(output, staging)
    return staging


def _from_scratch(folder: Path, docs: Path):
    return validate_output(functools.partial(iter_published, folder), docs)


def _facts(report) -> list[tuple]:
    return [(o.suite, o.expectation, o.column, o.severity, o.success, o.observed_value, o.unexpected_count, o.why,
             o.offending, o.every_row_named, o.row_ids, o.judged) for o in report.outcomes]


def _same_report(found, expected) -> None:
    assert _facts(found) == _facts(expected)
    assert found.results.drop_columns(["validated_at"]).equals(expected.results.drop_columns(["validated_at"]))


def _failed(report) -> set[tuple]:
    return {(o.suite, o.column, o.protects, o.unexpected_count) for o in report.failures}


def test_incremental_validations_equal_validating_from_scratch(output, tmp_path, validated_parts):
    reports = tmp_path / "reports"
    first = _validate(output, reports, "first")
    parts = {table: len(table_parts(output, table)) for table in SUITES if table_parts(output, table)}
    assert validated_parts == parts                                # nothing stored yet: every part
    _same_report(first, _from_scratch(output, tmp_path / "scratch-1"))

    validated_parts.clear()
    again = _validate(output, reports, "again", (("first", output),))
    assert validated_parts == {}                                   # nothing changed: no part validated
    _same_report(again, first)
    for folder in (FOLDER, BLOCKS):         # each unchanged block's results kept unread: linked
        kept = sorted((reports / "again" / folder / "figures").iterdir())
        assert [p.name for p in kept] == sorted(p.name for p in (reports / "first" / folder / "figures").iterdir())
        assert all(p.samefile(reports / "first" / folder / "figures" / p.name) for p in kept)

    # a figures part rewritten under its name (an infinite value), a new figures part (a bad unit),
    # and the last mentions part gone: the entities' counts of mentions change, their bytes do not
    staging = _staged(output, tmp_path)
    figures = table_parts(staging, "figures")
    changed = pq.read_table(figures[1])
    values = changed["value"].to_pylist()
    values[0] = float("inf")
    pq.write_table(changed.set_column(changed.schema.get_field_index("value"), changed.schema.field("value"),
                                      pa.array(values, changed.schema.field("value").type)), figures[1])
    added = pq.read_table(figures[0]).slice(0, 1).to_pylist()
    added[0].update(figure_id=added[0]["figure_id"] + "-new", unit="leagues")
    pq.write_table(pa.Table.from_pylist(added, schema=pq.read_schema(figures[0])),
                   figures[0].with_name("part-000002-000000.parquet"))
    table_parts(staging, "mentions")[-1].unlink()
    last = table_parts(staging, "rejects")[-1]        # renamed, its bytes unchanged
    last.rename(last.with_name("part-000009-000000.parquet"))

    validated_parts.clear()
    later = _validate(staging, reports, "later", (("again", output),))
    assert validated_parts["figures"] == 2                         # the changed part and the new one
    assert validated_parts["entities"] >= 1 and "articles" not in validated_parts
    _same_report(later, _from_scratch(staging, tmp_path / "scratch-2"))
    for table in SUITES:                                           # the results of exactly the current parts
        stored = reports / "later" / FOLDER / table
        assert (sorted(p.name for p in stored.iterdir()) if stored.exists() else []) == \
            [f"{p.name}.json" for p in table_parts(staging, table)]
    new_failures = _failed(later) - _failed(again)
    assert {(suite, column) for suite, column, _, _ in new_failures} >= {
        ("figures", "value"), ("figures", "unit"), ("entities", "n_mentions, mentions_found")}


def test_a_changed_rule_validates_every_part_again(output, tmp_path, validated_parts, monkeypatch):
    reports = tmp_path / "reports"
    first = _validate(output, reports, "first")
    assert not any(o.suite == "rejects" and o.column == "size_bytes" for o in first.failures)
    stricter = [dataclasses.replace(r, kwargs={**r.kwargs, "min_value": 10**9})
                if r.kwargs.get("column") == "size_bytes" and "min_value" in r.kwargs else r for r in SUITES["rejects"]]
    monkeypatch.setitem(SUITES, "rejects", stricter)
    validated_parts.clear()
    later = _validate(output, reports, "later", (("first", output),))
    assert validated_parts == {"rejects": len(table_parts(output, "rejects"))}
    assert any(o.suite == "rejects" and o.column == "size_bytes" for o in later.failures)
    _same_report(later, _from_scratch(output, tmp_path / "scratch"))

    monkeypatch.setattr(part_results, "rules_fingerprint", lambda: "another version of the rules")
    validated_parts.clear()
    _validate(output, reports, "again", (("later", output),))
    assert validated_parts == {table: len(table_parts(output, table)) for table in SUITES if table_parts(output, table)}


def test_a_damaged_stored_result_is_validated_again(output, tmp_path, validated_parts):
    reports = tmp_path / "reports"
    first = _validate(output, reports, "first")
    for folder in (FOLDER, BLOCKS):
        for stored in (reports / "first" / folder / "figures").iterdir():
            stored.write_text('{"d": [["0", ', encoding="utf-8")
    validated_parts.clear()
    later = _validate(output, reports, "later", (("first", output),))
    assert validated_parts == {"figures": len(table_parts(output, "figures"))}
    _same_report(later, first)


def test_a_lookup_says_what_it_reads(output):
    """A derived column is made from the columns it ``reads`` alone; one that does not look up reads no key table."""
    tables = Tables(functools.partial(iter_published, output))
    keys = key_tables(tables)
    for table in SUITES:
        if not table_parts(output, table):
            continue
        rows = read_published(output, table)
        for name in expectations.suites.derived_columns(table):
            derived = DERIVED[name]
            alone = derived.compute(rows.select(list(derived.reads)), keys if derived.looks_up else {})
            assert alone.equals(derived.compute(rows, keys)), name


@pytest.fixture
def validated_rules(monkeypatch) -> list[tuple[str, int, set[tuple[str, tuple[str, ...]]]]]:
    """(table, parts, the rules run as (expectation, columns)) of each Great Expectations run."""
    runs = []
    real = expectations.validate._validate_parts

    def recording(gx, table, batch, pieces, tables, keys, chunk_rows, run):
        runs.append((table, len(pieces), {(SUITES[table][i].expectation, SUITES[table][i].columns) for i in run}))
        return real(gx, table, batch, pieces, tables, keys, chunk_rows, run)
    monkeypatch.setattr(expectations.validate, "_validate_parts", recording)
    return runs


@pytest.fixture
def keyed_parts(monkeypatch) -> list[tuple[str, str]]:
    """(table, part name) of each part whose rule groups' keys were computed (each read whole for them)."""
    keyed = []
    real = part_results.group_keys

    def recording(table, part, *args):
        keyed.append((table, part.name))
        return real(table, part, *args)
    monkeypatch.setattr(part_results, "group_keys", recording)
    return keyed


def _set_values(part: Path, changed: dict[str, dict[int, object]]) -> None:
    """Part file ``part`` written again with the values ``changed`` ({column: {row: value}})."""
    rows = pq.read_table(part)
    for name, values in changed.items():
        index = rows.schema.get_field_index(name)
        column = rows[name].to_pylist()
        for row, value in values.items():
            column[row] = value
        rows = rows.set_column(index, rows.schema.field(index), pa.array(column, rows.schema.field(index).type))
    pq.write_table(rows, part)


# the rules on the columns entity linking fills, which a relinked part is validated again in
_LINKED_RULES = {("ExpectColumnTypeToBe", ("entity_id",)), ("ExpectColumnTypeToBe", ("canonical",)),
                 ("ExpectColumnValuesToNotBeNull", ("entity_id",)), ("ExpectColumnValuesToNotBeNull", ("canonical",)),
                 ("ExpectColumnValuesToBeInSet", ("entity_in_entities",))}


def test_a_relinked_part_is_validated_again_in_the_rules_on_its_linked_columns(output, tmp_path, validated_rules,
                                                                              keyed_parts):
    """A mentions part written again with its first mention linked to another entity (as a relinked
    article's are: its other columns as they were) is validated again in the rules reading
    canonical or entity_id only; the entities whose counts of mentions changed, in the rules on the
    counts; the report is the one of validating from scratch."""
    reports = tmp_path / "reports"
    _validate(output, reports, "first")
    assert keyed_parts == []            # results stored without their groups' keys: none was needed yet
    staging = _staged(output, tmp_path)
    part = table_parts(staging, "mentions")[1]
    old = pq.read_table(part)["entity_id"][0].as_py()
    new = next(e for e in read_published(output, "entities")["entity_id"].to_pylist() if e != old)
    _set_values(part, {"entity_id": {0: new}, "canonical": {0: "Renamed"}})
    holding = sum(bool(set(pq.read_table(p, columns=["entity_id"])["entity_id"].to_pylist()) & {old, new})
                  for p in table_parts(staging, "entities"))

    validated_rules.clear()
    later = _validate(staging, reports, "later", (("first", output),))
    assert validated_rules == [
        ("mentions", 1, _LINKED_RULES),
        ("entities", holding, {("ExpectColumnPairValuesToBeEqual", ("n_mentions", "mentions_found")),
                               ("ExpectColumnPairValuesToBeEqual", ("n_articles", "articles_found"))})]
    assert holding == 2
    # read whole for their groups' keys, as they are now and as validated last: only the changed parts
    assert len(keyed_parts) == 2 * (1 + holding) and keyed_parts.count(("mentions", part.name)) == 2
    _same_report(later, _from_scratch(staging, tmp_path / "scratch"))
    assert ("entities", "n_mentions, mentions_found") in {(suite, column) for suite, column, _, _ in _failed(later)}


def test_a_part_whose_ids_were_relinked_keeps_the_results_of_the_groups_that_name_no_row(output, tmp_path,
                                                                                         validated_rules):
    """figure_entities rows are named by (figure_id, entity_id, role): a part whose first row was
    relinked to another entity keeps the stored results of the rule groups that read neither
    entity_id nor canonical and failed on no row; the role rules, which failed on that very row
    (named by its old entity_id), are validated again, and the report names it by its new one."""
    part = table_parts(output, "figure_entities")[1]
    first_row = pq.read_table(part).slice(0, 1).to_pylist()[0]
    _set_values(part, {"role": {0: "bogus"}})
    reports = tmp_path / "reports"
    first = _validate(output, reports, "first")
    staging = _staged(output, tmp_path)
    new = next(e for e in read_published(output, "entities")["entity_id"].to_pylist() if e != first_row["entity_id"])
    _set_values(table_parts(staging, "figure_entities")[1], {"entity_id": {0: new}, "canonical": {0: "Renamed"}})

    validated_rules.clear()
    later = _validate(staging, reports, "later", (("first", output),))
    assert validated_rules == [
        ("figure_entities", 1, _LINKED_RULES | {("ExpectColumnTypeToBe", ("role",)),
                                                ("ExpectColumnValuesToNotBeNull", ("role",)),
                                                ("ExpectColumnValuesToBeInSet", ("role",))})]
    roles = [next(o for o in report.failures if o.suite == "figure_entities" and o.column == "role")
             for report in (first, later)]
    assert [o.row_ids for o in roles] == [(f"{first_row['figure_id']}/{first_row['entity_id']}/bogus",),
                                          (f"{first_row['figure_id']}/{new}/bogus",)]
    _same_report(later, _from_scratch(staging, tmp_path / "scratch"))


def test_parts_are_cut_into_blocks_by_their_keys_so_a_change_moves_one_block():
    keys = [f"{n:08x}" for n in (1, 16, 5, 7, 32, 3, 9)]       # 16 and 32 end a block
    parts = [Part(Path(f"p{n}"), "", 0, {}, key) for n, key in enumerate(keys)]
    assert blocks(parts) == [range(0, 2), range(2, 5), range(5, 7)]
    changed = [*parts[:3], dataclasses.replace(parts[3], key=f"{48:08x}"), *parts[4:]]
    assert blocks(changed) == [range(0, 2), range(2, 4), range(4, 5), range(5, 7)]
    assert blocks([*parts, parts[0]]) == [range(0, 2), range(2, 5), range(5, 8)]
    assert blocks(parts[1:]) == [range(0, 1), range(1, 4), range(4, 6)]


def test_a_part_file_is_read_for_its_digest_until_one_is_recorded_while_its_size_and_time_hold(tmp_path, monkeypatch):
    table = tmp_path / "output" / "figures"
    table.mkdir(parents=True)
    settled, fresh = table / "part-000001-000000.parquet", table / "part-000002-000000.parquet"
    settled.write_bytes(b"rows of run 1")
    fresh.write_bytes(b"rows of run 2")
    long_ago = settled.stat().st_mtime_ns - 60 * 10**9
    os.utime(settled, ns=(long_ago, long_ago))
    read = []
    real = part_results._file_digest
    monkeypatch.setattr(part_results, "_file_digest", lambda path: read.append(path.name) or real(path))

    def digests(report: str, sources: tuple[str, ...] = ()) -> list[str]:
        stored = PartResults([Source(tmp_path / s, functools.partial(table_parts, tmp_path / "output"))
                              for s in sources], tmp_path / report)
        return stored.file_digests("figures", [settled, fresh])

    assert digests("first") == [real(settled), real(fresh)]
    assert read == [settled.name, fresh.name]
    read.clear()
    assert digests("again", ("first",)) == [real(settled), real(fresh)]
    assert read == [fresh.name]                 # changed just now: its digest was not recorded
    settled.write_bytes(b"rows of run 3")       # rewritten under its name: another time
    read.clear()
    assert digests("later", ("again",)) == [real(settled), real(fresh)]
    assert read == [settled.name, fresh.name]
