"""The data contract: one schema per table, described fields, vocabularies, fresh generated documents."""
import json

import pytest

from flows.docs import COMMAND, DOCUMENTS, ROOT
from transforms.schemas import (
    ARTICLE_TABLES,
    RECORD_TABLES,
    SCHEMAS,
    grain_columns,
    id_prefix,
    label_columns,
    vocabulary,
)


def test_every_field_is_described_and_every_table_has_a_grain():
    for name, schema in SCHEMAS.items():
        assert schema.metadata[b"grain"], name
        assert set(grain_columns(name)) <= set(schema.names), name
        assert all(field.metadata and field.metadata[b"description"] for field in schema), name


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.path)
def test_generated_document_is_up_to_date(document):
    committed = (ROOT / document.path).read_text(encoding="utf-8")
    assert committed == document.render(committed), f"{document.path} is stale: run `{COMMAND}` and commit it"


def test_tables_with_offsets_share_the_same_offset_columns():
    for name in ("sentences", "figures", "mentions", "quotes"):
        names = SCHEMAS[name].names
        assert {"article_id", "source_file", "sentence_id", "start_char", "end_char", "text"} <= set(names), name


def test_record_tables_have_their_id_prefix_and_id_column():
    assert {name: (id_prefix(name), grain_columns(name)) for name in RECORD_TABLES} == {
        "figures": ("f", ("figure_id",)), "mentions": ("m", ("mention_id",)), "quotes": ("q", ("quote_id",))}
    assert ARTICLE_TABLES == ("articles", "sentences", "figures", "figure_entities", "mentions", "quotes")


def test_label_descriptions_are_rendered_from_their_values():
    for name in SCHEMAS:
        for column in label_columns(name):
            description = SCHEMAS[name].field(column).metadata[b"description"].decode()
            assert ", ".join(vocabulary(name, column)) in description, (name, column)
    assert json.loads(SCHEMAS["entities"].field("type").metadata[b"values"]) == list(vocabulary("mentions", "type"))


def test_a_column_without_a_vocabulary_says_so():
    with pytest.raises(KeyError, match="figures.text has no closed vocabulary"):
        vocabulary("figures", "text")
