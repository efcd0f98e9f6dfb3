"""The data contract: one schema per table, described fields, a fresh data dictionary."""
from pathlib import Path

from flows.schemas import SCHEMAS, data_dictionary

ROOT = Path(__file__).resolve().parent.parent


def test_every_field_is_described_and_every_table_has_a_grain():
    for name, schema in SCHEMAS.items():
        assert schema.metadata[b"grain"], name
        assert all(field.metadata and field.metadata[b"description"] for field in schema), name


def test_data_dictionary_is_up_to_date():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "run `make dictionary` and commit docs/data-dictionary.md"


def test_tables_with_offsets_share_the_same_offset_columns():
    for name in ("sentences", "figures", "mentions", "quotes"):
        names = SCHEMAS[name].names
        assert {"article_id", "source_file", "sentence_id", "start", "end", "text"} <= set(names), name
