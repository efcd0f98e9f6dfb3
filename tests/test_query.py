"""The query layer (``newsfacts.duckdb``): a view per table that works from any working folder,
the contract's descriptions as comments, ``figure_facts`` built from the contract, and an
output folder where only tables sit beside it (the report under ``_validation/``).

Built on a hand-made output folder of a few rows (no Prefect); one slow test opens the file a
real run published.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa
import pytest

from flows import cli, query, storage
from flows.assemble import STATE
from flows.listing import LISTING
from flows.report import REPORT_FOLDER
from transforms.schemas import ANALYST_VIEWS, ENTITY_TYPES, SCHEMAS, SENTENCE_KEY, VALIDATION_TABLE

ARTICLE = "0123456789abcdef"
TEXT = "Kenya said 5,000 people fled. Kenya pledged $3 million."


def _rows() -> dict[str, list[dict]]:
    common = {"article_id": ARTICLE, "source_file": "a.txt"}
    figure = {**common, "value_low": None, "value_high": None, "qualifier": "exact"}
    return {
        "articles": [{**common, "sha256": "0" * 64, "encoding": "utf-8", "title": "Kenya", "n_chars": len(TEXT),
                      "n_sentences": 2, "run_id": "r", "pipeline_version": "v",
                      "processed_at": datetime(2026, 1, 2, tzinfo=UTC)}],
        "sentences": [{**common, "sentence_id": 0, "paragraph": 0, "start_char": 0, "end_char": 29,
                       "text": TEXT[:29]},
                      {**common, "sentence_id": 1, "paragraph": 0, "start_char": 30, "end_char": len(TEXT),
                       "text": TEXT[30:]}],
        "figures": [{**figure, "figure_id": f"{ARTICLE}-f0", "sentence_id": 0, "start_char": 11, "end_char": 16,
                     "text": "5,000", "value": 5000.0, "unit": "count", "counted": "person",
                     "category": "displacement", "attribution": "Kenya", "quantity_kind": "count",
                     "claim_id": "c0", "topic_id": "t0"},
                    {**figure, "figure_id": f"{ARTICLE}-f1", "sentence_id": 1, "start_char": 44, "end_char": 54,
                     "text": "$3 million", "value": 3e6, "unit": "USD", "counted": None, "category": "funding",
                     "attribution": None, "quantity_kind": "money", "claim_id": "c1", "topic_id": "t1"}],
        "mentions": [], "quotes": [], "rejects": [], "validation": [], "figure_entities": [], "claims": [],
        "entities": [{"entity_id": "e-norp", "canonical": "Kenya", "type": "NORP", "country_code": "KEN",
                      "aliases": ["Kenyan"], "n_mentions": 1, "n_articles": 1},
                     {"entity_id": "e-gpe", "canonical": "Kenya", "type": "GPE", "country_code": "KEN",
                      "aliases": ["Kenya"], "n_mentions": 2, "n_articles": 1}],
    }


def write_output(folder, rows=None, schemas=SCHEMAS):
    """The tables published as a run publishes them (links to snapshot folders of parts), and the query file."""
    with storage.output_lock(folder):
        staging = storage.begin_staging(folder, "test")
        for table, table_rows in (rows or _rows()).items():
            rows_table = pa.Table.from_pylist(table_rows, schema=schemas[table])
            if table == VALIDATION_TABLE:
                (staging / storage.VALIDATION_FOLDER).mkdir()
                storage.write_table(rows_table, staging / storage.VALIDATION_FOLDER / f"{table}.parquet")
            else:
                storage.write_part(rows_table, staging / table, "part-000001-000000.parquet")
        storage.publish(staging)
    return query.write_query_database(folder)


@pytest.fixture
def database(tmp_path, monkeypatch):
    """The query file of a small output folder, opened read-only from another working folder."""
    path = write_output(tmp_path / "out")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with duckdb.connect(str(path), read_only=True) as connection:
        yield connection


def test_every_table_has_a_view_that_works_from_another_working_folder(database):
    counts = {t: database.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SCHEMAS}
    assert counts == {table: len(rows) for table, rows in _rows().items()}


def test_every_view_and_column_carries_the_contracts_description_and_hxl(database):
    views = dict(database.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    assert views["figures"] == "One row per figure mention (a reported quantity) in an article."
    assert set(views) == set(SCHEMAS) | set(ANALYST_VIEWS)
    comments = {(t, c): comment for t, c, comment in database.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns()").fetchall()}
    for table, schema in SCHEMAS.items():
        for field in schema:
            assert comments[(table, field.name)] == query.column_comment(field), (table, field.name)
    assert comments[("entities", "country_code")].endswith(" HXL: #country+code")
    assert comments[("figure_facts", "displaced")].endswith(" HXL: #affected+displaced")
    assert None not in {comment for (table, _), comment in comments.items() if table in views}


def test_sentence_level_views_have_a_one_column_sentence_key(database):
    keyed = {t for (t,) in database.execute("SELECT table_name FROM duckdb_columns() WHERE column_name = "
                                        "'sentence_key'").fetchall()}
    assert keyed == {"sentences", "figures", "mentions", "quotes", "figure_facts"}
    assert database.execute("SELECT f.figure_id, s.text FROM figures f JOIN sentences s USING (sentence_key) "
                        "ORDER BY 1").fetchall() == [(f"{ARTICLE}-f0", TEXT[:29]), (f"{ARTICLE}-f1", TEXT[30:])]
    assert SENTENCE_KEY.name not in {name for schema in SCHEMAS.values() for name in schema.names}


def test_figure_facts_joins_each_figure_to_its_sentence_article_and_source(database):
    rows = database.execute("SELECT figure_id, sentence_key, sentence_text, title, source_entity_id, source_type, "
                        "source_org, displaced, amount, currency FROM figure_facts ORDER BY figure_id").fetchall()
    assert rows == [
        (f"{ARTICLE}-f0", f"{ARTICLE}-s0", TEXT[:29], "Kenya", "e-gpe", "GPE", None, 5000.0, None, None),
        (f"{ARTICLE}-f1", f"{ARTICLE}-s1", TEXT[30:], "Kenya", None, None, None, None, 3e6, "USD")]


def test_figure_facts_columns_are_the_declared_ones_in_order(database):
    names = [name for (name,) in database.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = "
                                              "'figure_facts' ORDER BY column_index").fetchall()]
    assert names == [field.name for field in query.figure_facts_columns()]


def test_a_column_added_to_figures_or_articles_reaches_figure_facts(tmp_path, monkeypatch):
    grown = {"figures": SCHEMAS["figures"].append(pa.field("place", pa.string(), metadata={"description": "p."})),
             "articles": SCHEMAS["articles"].append(pa.field("published", pa.date32(),
                                                             metadata={"description": "d.", "hxl": "#date+reported"}))}
    for table, schema in grown.items():
        monkeypatch.setitem(SCHEMAS, table, schema)
    rows = _rows()
    rows["figures"] = [{**row, "place": "Nairobi"} for row in rows["figures"]]
    rows["articles"] = [{**row, "published": None} for row in rows["articles"]]
    with duckdb.connect(str(write_output(tmp_path, rows)), read_only=True) as connection:
        assert connection.execute("SELECT DISTINCT place FROM figure_facts").fetchall() == [("Nairobi",)]
        comment = connection.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'figure_facts' "
                                 "AND column_name = 'published'").fetchone()[0]
    assert comment == "d. HXL: #date+reported"


def test_the_source_type_order_covers_every_entity_type_and_the_contract_states_it():
    assert sorted(query.SOURCE_TYPE_ORDER) == sorted(ENTITY_TYPES)
    description = ANALYST_VIEWS["figure_facts"].field("source_entity_id").metadata[b"description"].decode()
    assert ", ".join(query.SOURCE_TYPE_ORDER).replace(", PERSON", ", then PERSON") in description


def _claim(claim_id, value, first=None, last=None, topic="t", sources=(), category="displacement"):
    return {"claim_id": claim_id, "topic_id": topic, "category": category, "unit": "count", "counted": "person",
            "country_code": "HTI", "value": value, "value_min": value, "value_max": value, "n_figures": 1,
            "n_articles": 1, "n_sources": len(sources), "sources": list(sources), "first_published": first,
            "last_published": last or first}


def _disputes(tmp_path, claims, entities=()) -> list[tuple]:
    rows = {**{table: [] for table in SCHEMAS}, "claims": claims, "entities": list(entities)}
    with duckdb.connect(str(write_output(tmp_path, rows)), read_only=True) as connection:
        return connection.execute("SELECT low_claim_id, high_claim_id, spread, ratio FROM disputes "
                                  "ORDER BY ALL").fetchall()


def test_disputes_pairs_the_claims_of_a_topic_whose_values_disagree_at_about_the_same_time(tmp_path):
    jan1, jan10, feb15, jul1 = date(2024, 1, 1), date(2024, 1, 10), date(2024, 2, 15), date(2024, 7, 1)
    claims = [_claim("c100", 100.0, jan1),
              _claim("c104", 104.0, jan1),             # within the 5% tolerance of 100: no dispute
              _claim("c200", 200.0, jan10, feb15),     # dates overlap the window of c100 and c104
              _claim("c300", 300.0, jul1),             # months later: a new count, no dispute with the dated ones
              _claim("c500", 500.0),                   # undated: disputes every other value
              _claim("vague", None),                   # a vague magnitude disputes nothing
              _claim("other", 900.0, jan1, topic="u"),  # another topic
              *(_claim(f"o{v}", v, jan1, topic="o", category="other") for v in (1.0, 9.0))]   # no known quantity
    assert _disputes(tmp_path, claims) == [
        ("c100", "c200", 100.0, 2.0), ("c100", "c500", 400.0, 5.0), ("c104", "c200", 96.0, 200 / 104),
        ("c104", "c500", 396.0, 500 / 104), ("c200", "c500", 300.0, 2.5), ("c300", "c500", 200.0, 500 / 300)]


def test_disputes_of_a_zero_or_negative_value_have_no_ratio(tmp_path):
    assert _disputes(tmp_path, [_claim("zero", 0.0), _claim("two", 2.0)]) == [("zero", "two", 2.0, None)]


def test_disputes_in_the_seeds_362000_vs_580000_displaced_in_haiti(tmp_path, seed_tables):
    rows = {**{table: [] for table in SCHEMAS}, "claims": seed_tables["claims"].to_pylist(),
            "entities": seed_tables["entities"].to_pylist()}
    with duckdb.connect(str(write_output(tmp_path, rows)), read_only=True) as connection:
        haiti = connection.execute(
            "SELECT low_value, low_n_articles, low_source_names, high_value, high_n_articles, high_source_names, "
            "spread FROM disputes WHERE category = 'displacement' AND country_code = 'HTI' ORDER BY ALL").fetchall()
        topics = connection.execute("SELECT count(*), count(DISTINCT topic_id) FROM disputes").fetchone()
    assert haiti == [(100000.0, 1, [], 360000.0, 2, ["Associated Press", "United Nations"], 260000.0),
                     (100000.0, 1, [], 580000.0, 1, ["Reuters"], 480000.0),
                     (360000.0, 2, ["Associated Press", "United Nations"], 580000.0, 1, ["Reuters"], 220000.0)]
    assert topics == (13, 4)      # displacement and officers in Haiti, funding in Kenya and for the USA


def test_a_missing_table_is_named_before_duckdb_refuses_the_view(tmp_path):
    rows = _rows()
    write_output(tmp_path, rows)
    (tmp_path / "quotes").unlink()
    assert query.missing_tables(tmp_path) == ["quotes"]


# --- the output folder's layout ----------------------------------------------------------------

def test_the_report_of_an_older_run_is_removed_only_when_newsfacts_wrote_it(tmp_path):
    older, foreign = tmp_path / "older", tmp_path / "foreign"
    for out in (older, foreign):
        (out / "validation" / "static").mkdir(parents=True)
        (out / "validation" / "index.html").write_text("site")
        (out / "validation.parquet").write_bytes(b"PAR1")
    (foreign / "validation" / "notes.md").write_text("mine")
    for out in (older, foreign):
        storage.retire_legacy_validation(out)
    assert sorted(p.name for p in older.iterdir()) == []
    assert sorted(p.name for p in foreign.iterdir()) == ["validation", "validation.parquet"]


@pytest.mark.slow
def test_a_run_publishes_only_tables_the_report_folder_and_the_query_file(seeds_output, tmp_path, monkeypatch):
    out = seeds_output[0]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [*(t for t in SCHEMAS if t != VALIDATION_TABLE), *STATE, LISTING, storage.VALIDATION_FOLDER, REPORT_FOLDER,
         query.DATABASE_FILE])
    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(out / query.DATABASE_FILE), read_only=True) as connection:
        facts = connection.execute("SELECT count(*) FROM figure_facts").fetchone()[0]
        failed = connection.execute("SELECT count(*) FROM validation WHERE NOT success").fetchone()[0]
    assert (facts, failed) == (storage.published_rows(out)["figures"], 0)


def test_newsfacts_query_points_a_moved_folders_views_at_its_new_place(tmp_path, capsys):
    write_output(tmp_path / "old")
    (tmp_path / "old").rename(tmp_path / "new")
    assert cli.main(["query", "--output", str(tmp_path / "new")]) == 0
    with duckdb.connect(str(tmp_path / "new" / query.DATABASE_FILE), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM figure_facts").fetchone() == (2,)
    assert cli.main(["query", "--output", str(tmp_path / "old")]) == 3
    assert "lacks the table(s) articles," in capsys.readouterr().err


def test_the_query_file_is_kept_while_its_views_would_not_change(tmp_path, monkeypatch):
    path = write_output(tmp_path)
    built = path.stat().st_ino
    assert query.write_query_database(tmp_path).stat().st_ino == built        # the next run's tables: same views
    monkeypatch.setattr(query, "SOURCE_TYPE_ORDER", ("PERSON", "ORG", "GPE", "LOC", "NORP"))
    assert query.write_query_database(tmp_path).stat().st_ino != built        # a view defined otherwise: rebuilt
