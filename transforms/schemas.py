"""The data contract: one pyarrow schema per output table, a description on every field.

The table builder, the Great Expectations suites' column lists and the data dictionary
(``docs/data-dictionary.md``, regenerated with ``python -m flows docs``) all derive
from ``SCHEMAS``; a test fails when the dictionary is stale.
"""
from __future__ import annotations

import pyarrow as pa

LABEL = pa.dictionary(pa.int32(), pa.string())  # low-cardinality strings, dictionary-encoded
UTC_TIME = pa.timestamp("us", tz="UTC")


def _f(name: str, type_: pa.DataType, description: str, nullable: bool = False) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


def _schema(grain: str, *fields: pa.Field) -> pa.Schema:
    return pa.schema(fields, metadata={"grain": grain})


_ARTICLE_ID = _f("article_id", pa.string(), "Article id: the first 16 hex digits of the SHA-256 of the decoded text.")
_SOURCE_FILE = _f("source_file", pa.string(), "Path of the input file, relative to the input folder, with / separators.")
_SENTENCE_ID = _f("sentence_id", pa.int64(), "Index of the sentence in its article (0-based); joins to sentences.")
_START = _f("start", pa.int64(), "Character offset (code points) of the first character in the decoded article text.")
_END = _f("end", pa.int64(), "Character offset one past the last character; text = article[start:end].")


def _text(what: str) -> pa.Field:
    return _f("text", pa.string(), f"The exact {what} as written in the article: article[start:end].")


ARTICLES = _schema(
    "one row per input file that was read and extracted",
    _ARTICLE_ID,
    _SOURCE_FILE,
    _f("sha256", pa.string(), "SHA-256 (hex) of the raw file bytes."),
    _f("encoding", LABEL, "Encoding the bytes were decoded with: utf-8, utf-8-sig (BOM dropped) or cp1252."),
    _f("title", pa.string(), "The headline: the first line when it reads as one, else null.", nullable=True),
    _f("n_chars", pa.int64(), "Length of the decoded text in characters."),
    _f("n_sentences", pa.int64(), "Number of sentences the splitter found."),
    _f("run_id", pa.string(), "Lineage: id of the run that extracted the article (the Prefect flow run id)."),
    _f("pipeline_version", pa.string(), "Lineage: newsfacts version that extracted the article."),
    _f("processed_at", UTC_TIME, "Lineage: when the article was extracted (UTC)."),
)

SENTENCES = _schema(
    "one row per sentence of an article",
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _f("paragraph", pa.int64(), "Index of the paragraph (a non-blank line) in the article (0-based)."),
    _START,
    _END,
    _text("sentence"),
)

REJECTS = _schema(
    "one row per input file that could not be processed",
    _SOURCE_FILE,
    _f("reason", LABEL, "Why: empty, binary, undecodable, too_large, unreadable, vanished, outside_input, duplicate, timed_out, failed."),
    _f("detail", pa.string(), "A sentence a person can act on: sizes, byte positions, the first error."),
    _f("size_bytes", pa.int64(), "Size of the file in bytes when it was seen, null when unknown.", nullable=True),
    _f("sha256", pa.string(), "SHA-256 (hex) of the raw file bytes, null when they could not be read.", nullable=True),
)

FIGURES = _schema(
    "one row per figure mention (a reported quantity) in an article",
    _f("figure_id", pa.string(), "Figure id: <article_id>-f<index>, stable for unchanged text."),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _START,
    _END,
    _text("numeric expression (currency symbol, scale and unit words included; qualifier and counted noun excluded)"),
    _f("value", pa.float64(), "Normalised value ($360 million -> 360000000, half -> 0.5, 80% -> 80); null for vague magnitudes.", nullable=True),
    _f("value_low", pa.float64(), "Lower bound of a range or vague magnitude (thousands -> 2000), else null.", nullable=True),
    _f("value_high", pa.float64(), "Upper bound of a range or vague magnitude (thousands -> 9000), else null.", nullable=True),
    _f("unit", LABEL, "count, percent, fraction, duration_days/weeks/months/years, other, or an ISO 4217 currency code (withdrawn codes BEF, DEM, FRF, ZWL included)."),
    _f("qualifier", LABEL, "exact, approximately, nearly, more_than, less_than; null for vague magnitudes.", nullable=True),
    _f("counted", pa.string(), "Head noun of what is counted, lower-case singular (officer, person); null for money and durations.", nullable=True),
    _f("category", LABEL, "displacement, deployment, funding, casualties, humanitarian, territory or other."),
    _f("attribution", pa.string(), "Canonical name of the source the sentence names for the figure, else null.", nullable=True),
)

MENTIONS = _schema(
    "one row per entity mention in an article",
    _f("mention_id", pa.string(), "Mention id: <article_id>-m<index>, stable for unchanged text."),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _START,
    _END,
    _text("name (titles and a possessive 's excluded)"),
    _f("type", LABEL, "PERSON, ORG, GPE, LOC or NORP."),
    _f("entity_id", pa.string(), "The resolved entity; joins to entities."),
    _f("canonical", pa.string(), "Canonical name of the entity (Kenyan -> Kenya, U.N. -> United Nations)."),
    _f("title", pa.string(), "Role stated next to a person (President, Ambassador to the United Nations), else null.", nullable=True),
)

ENTITIES = _schema(
    "one row per resolved real-world entity across all articles",
    _f("entity_id", pa.string(), "Entity id: stable across runs, derived from type and canonical name."),
    _f("canonical", pa.string(), "Canonical name."),
    _f("type", LABEL, "PERSON, ORG, GPE, LOC or NORP."),
    _f("country_code", LABEL, "ISO 3166-1 alpha-3 code for countries and nationalities (XKX for Kosovo), else null.", nullable=True),
    _f("aliases", pa.list_(pa.string()), "Every surface form seen for the entity, sorted."),
    _f("n_mentions", pa.int64(), "Number of rows in mentions for the entity."),
    _f("n_articles", pa.int64(), "Number of articles that mention the entity."),
)

QUOTES = _schema(
    "one row per quotation (direct or partial speech) in an article",
    _f("quote_id", pa.string(), "Quote id: <article_id>-q<index>, stable for unchanged text."),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _START,
    _END,
    _text("quoted words (without quote marks and a trailing comma or full stop)"),
    _f("speaker", pa.string(), "Canonical name of the speaker, else null.", nullable=True),
    _f("speaker_entity_id", pa.string(), "The speaker's entity; joins to entities. Null when there is no speaker.", nullable=True),
    _f("verb", pa.string(), "The speech verb that introduces the quote (said, told, warned), else null.", nullable=True),
)

VALIDATION = _schema(
    "one row per expectation result of the last validation (expectations/validate.py)",
    _f("suite", pa.string(), "The table the expectation suite checks (articles, figures, ...)."),
    _f("expectation", LABEL, "Great Expectations expectation type (expect_column_values_to_be_between, ...)."),
    _f("column", pa.string(), "The column(s) checked, comma-separated; null for table-level expectations.", nullable=True),
    _f("severity", LABEL, "critical (a failure fails the run) or warning (reported only)."),
    _f("success", pa.bool_(), "Whether the expectation held."),
    _f("observed_value", pa.string(), "The observed value as text (a type, a column list, a proportion), else null.", nullable=True),
    _f("unexpected_count", pa.int64(), "Number of rows that broke the expectation; null for table-level expectations.", nullable=True),
    _f("protects", pa.string(), "What the expectation protects, in one line."),
    _f("why", pa.string(), "Why it failed, in one line (with a sample of unexpected values); null when it held.", nullable=True),
    _f("validated_at", UTC_TIME, "Lineage: when the validation ran (UTC)."),
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "figures": FIGURES,
    "mentions": MENTIONS,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "rejects": REJECTS,
    "validation": VALIDATION,
}


VALIDATION_TABLE = "validation"
EXTRACTED_TABLES: tuple[str, ...] = tuple(name for name in SCHEMAS if name != VALIDATION_TABLE)
"""Tables the extraction builds; the validation report is written by ``expectations``."""
