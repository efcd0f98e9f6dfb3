"""The data contract: one schema per table, described fields, fresh generated documents."""
from flows.docs import COMMAND, stale_documents
from transforms.schemas import SCHEMAS


def test_every_field_is_described_and_every_table_has_a_grain():
    for name, schema in SCHEMAS.items():
        assert schema.metadata[b"grain"], name
        assert all(field.metadata and field.metadata[b"description"] for field in schema), name


def test_generated_documents_are_up_to_date():
    assert stale_documents() == [], f"run `{COMMAND}` and commit the documents it rewrites"


def test_tables_with_offsets_share_the_same_offset_columns():
    for name in ("sentences", "figures", "mentions", "quotes"):
        names = SCHEMAS[name].names
        assert {"article_id", "source_file", "sentence_id", "start", "end", "text"} <= set(names), name
