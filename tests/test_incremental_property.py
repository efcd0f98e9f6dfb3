"""Property: after any sequence of incremental runs (files added, changed, deleted), every table
holds the rows a full refresh of the same input gives (lineage columns aside).

Runs the flow's own path without Prefect or validation: list and hash, plan against the last
output, extract in small batches, assemble, publish. Small batches and a small ``MAX_UNITS``
make runs carry, rewrite, relink and compact parts; the names make entity resolution merge,
split and rename across articles (a bare surname, two spellings of one person, a country and
its demonym), and equal texts make duplicates.
"""
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flows import assemble, storage
from flows.batches import Batch, process_batch
from flows.etl import plan
from transforms.schemas import SCHEMAS, VALIDATION_TABLE
from transforms.tables import RunInfo

LINEAGE = {"run_id", "processed_at"}
TABLES = [name for name in SCHEMAS if name != VALIDATION_TABLE]
SENTENCES = (
    'Antony Blinken said 400 police officers from Kenya arrived in Haiti.',
    'U.S. Secretary of State Anthony Blinken visited Nairobi on Monday.',
    '"We will help," said Anthony Blinken.',
    'Secretary Blinken said 2,000 more could follow.',
    'Kenyan President William Ruto said the mission would cost $600 million.',
    'Ruto told reporters that 12 people died.',
    'William Rutto said 5 people fled to Haiti.',
)
FILES = [f"{folder}{index}.txt" for folder in ("", "sub/") for index in range(4)]
TEXTS = st.lists(st.sampled_from(range(len(SENTENCES))), min_size=1, max_size=3).map(
    lambda picked: "\n".join(SENTENCES[i] for i in picked) + "\n")
STEPS = st.lists(st.tuples(st.sampled_from(FILES), st.none() | TEXTS), min_size=1, max_size=6)
"""One step writes a file (``None``: deletes it); a run follows each step."""


SEED = SENTENCES[0] + "\n" + SENTENCES[3] + "\n"


def seed_copied_before(inp: Path) -> bool:
    """A file named before seed.txt holds its text: that file is the kept one, seed.txt its duplicate."""
    return any(path.read_text(encoding="utf-8") == SEED for path in inp.rglob("*.txt")
               if path.relative_to(inp).as_posix() < "seed.txt")


def run(inp: Path, out: Path, number: int, full_refresh: bool = False) -> frozenset[str]:
    """One run (an empty validation report stands for validation); returns the files it reused."""
    with storage.output_lock(out):
        found, listing_rejects = storage.discover_inputs(inp)
        work, manifest, _ = plan(storage.with_hashes(found, 10_000), str(out), "v", full_refresh)
        if work.changes_nothing(manifest, listing_rejects):
            return work.reused
        staging = storage.begin_staging(out, f"run{number}")
        info = RunInfo(f"run{number}", "v", datetime.now(UTC))
        rejects = listing_rejects + work.rejects
        for index in range(0, len(work.extract), 2):
            rejects += process_batch(Batch(work.extract[index:index + 2]), index, str(staging), info,
                                     10_000, 30.0).rejects
        assemble.Assembly(out, staging, work.reused).assemble(rejects)
        (staging / storage.VALIDATION_FOLDER).mkdir()
        storage.write_table(SCHEMAS[VALIDATION_TABLE].empty_table(),
                            staging / storage.VALIDATION_FOLDER / f"{VALIDATION_TABLE}.parquet")
        storage.drop_parts(staging)
        storage.publish(staging)
        return work.reused


def rows(out: Path) -> dict[str, Counter]:
    tables = {}
    for name in TABLES:
        table = storage.read_published(out, name)
        table = table.drop_columns([c for c in table.column_names if c in LINEAGE])
        decoded = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
        tables[name] = Counter(repr(tuple(row.values()))
                               for row in pa.table(decoded, names=table.column_names).to_pylist())
    return tables


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(steps=[("0.txt", SENTENCES[1]), ("1.txt", SENTENCES[2] + SENTENCES[5])])  # seed.txt's Blinken renamed
@example(steps=[("0.txt", SENTENCES[4]), ("sub/0.txt", SENTENCES[4]), ("0.txt", None)])   # a duplicate kept
@example(steps=[("1.txt", SENTENCES[4]), ("sub/1.txt", SENTENCES[4]), ("2.txt", SENTENCES[1]),
                ("1.txt", SENTENCES[5])])   # a repeat carried unextracted, then the file it repeats changed
@example(steps=[("1.txt", SENTENCES[4]), ("sub/1.txt", SENTENCES[4]), ("0.txt", SENTENCES[4])])  # an earlier copy
@example(steps=[("0.txt", SEED)])   # a copy of seed.txt named before it: seed.txt becomes the duplicate
def test_incremental_runs_equal_a_full_refresh(tmp_path_factory, monkeypatch, steps):
    monkeypatch.setattr(assemble, "MAX_UNITS", 4)
    root = tmp_path_factory.mktemp("property")
    inp, out = root / "in", root / "out"
    (inp / "sub").mkdir(parents=True)
    (inp / "seed.txt").write_text(SEED, encoding="utf-8")
    run(inp, out, 0)
    for number, (name, text) in enumerate(steps, start=1):
        if text is None:
            (inp / name).unlink(missing_ok=True)
        else:
            (inp / name).write_text(text, encoding="utf-8")
        reused = run(inp, out, number)
        assert "seed.txt" in reused or seed_copied_before(inp)     # an incremental run, not a refresh
        refreshed = root / f"full{number}"
        run(inp, refreshed, number, full_refresh=True)
        assert rows(out) == rows(refreshed), f"after step {number} of {steps}"


def test_a_relinked_unit_keeps_its_rows_in_place_and_equals_a_full_refresh(tmp_path):
    """a.txt's Antony Blinken becomes Anthony when two new articles name him so: its unit (a.txt,
    b.txt) is written again with a.txt's rows linked anew where they were, b.txt's as stored, so
    the part is the full refresh's and differs from the stored one in the linked values only."""
    inp, out, refreshed = tmp_path / "in", tmp_path / "out", tmp_path / "full"
    inp.mkdir()
    (inp / "a.txt").write_text(SENTENCES[0] + "\n" + SENTENCES[3] + "\n", encoding="utf-8")
    (inp / "b.txt").write_text(SENTENCES[4] + "\n", encoding="utf-8")
    run(inp, out, 0)
    unit = "part-000001-000000.parquet"
    before = {table: pq.read_table(out / table / unit) for table in ("mentions", "figures", "figure_entities")}
    (inp / "c.txt").write_text(SENTENCES[1] + "\n", encoding="utf-8")
    (inp / "d.txt").write_text(SENTENCES[2] + "\n", encoding="utf-8")
    run(inp, out, 1)
    run(inp, refreshed, 1, full_refresh=True)
    for table, linked in (("mentions", ["entity_id", "canonical"]), ("figures", ["attribution_entity_id",
                                                                                  "attribution"]),
                          ("figure_entities", ["entity_id", "canonical"])):
        part = pq.read_table(out / table / unit)
        assert part.drop_columns(linked).equals(before[table].drop_columns(linked))
        assert not part.select(linked).equals(before[table].select(linked))
        assert part.equals(pq.read_table(refreshed / table / unit))
    mentions = pq.read_table(out / "mentions" / unit)
    assert list(zip(mentions["source_file"].to_pylist(), mentions["canonical"].to_pylist())) == [
        ("a.txt", "Anthony Blinken"), ("a.txt", "Kenya"), ("a.txt", "Haiti"), ("a.txt", "Anthony Blinken"),
        ("b.txt", "Kenya"), ("b.txt", "William Ruto")]


def test_a_relinked_unit_keeps_the_parts_its_new_links_leave_unchanged(tmp_path):
    """a.txt's Antony Blinken becomes Anthony: its mentions part is written again, but its quotes
    part (William Ruto's quote) is the stored file, hard-linked, not a copy validated again."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text(SENTENCES[0] + '\n"We will pay," said William Ruto.\n', encoding="utf-8")
    run(inp, out, 0)
    unit = "part-000001-000000.parquet"
    before = {table: (out / table / unit).stat().st_ino for table in ("mentions", "quotes")}
    (inp / "c.txt").write_text(SENTENCES[1] + "\n", encoding="utf-8")
    (inp / "d.txt").write_text(SENTENCES[2] + "\n", encoding="utf-8")
    run(inp, out, 1)
    assert pq.read_table(out / "mentions" / unit)["canonical"].to_pylist()[0] == "Anthony Blinken"
    assert (out / "mentions" / unit).stat().st_ino != before["mentions"]
    assert pq.read_table(out / "quotes" / unit)["speaker"].to_pylist() == ["William Ruto"]
    assert (out / "quotes" / unit).stat().st_ino == before["quotes"]
