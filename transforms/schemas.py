"""The data contract: one pyarrow schema per output table, every fact about it stated once.

Each schema carries its grain (the prose, and the columns that identify a row), the id
prefix of its record ids (``f``/``m``/``q``: ``<article_id>-f3``) and, on each label column,
its closed vocabulary (``values``), from which the column's description is rendered. The
table builder, the suites, the data dictionary and the README's table list all derive from
``SCHEMAS`` (``python -m flows docs`` regenerates the documents; a test fails when one is stale).

>>> vocabulary("mentions", "type")
('PERSON', 'ORG', 'GPE', 'LOC', 'NORP')
>>> grain_columns("sentences"), id_prefix("quotes"), id_prefix("entities")
(('article_id', 'sentence_id'), 'q', None)
"""
from __future__ import annotations

import json

import pyarrow as pa

from transforms.claims import DATE_WINDOW_DAYS, VALUE_TOLERANCE

LABEL = pa.dictionary(pa.int32(), pa.string())  # low-cardinality strings, dictionary-encoded
UTC_TIME = pa.timestamp("us", tz="UTC")

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP")
ENTITY_KINDS = ("person", "country", "city", "subdivision", "region", "nationality", "un", "intergovernmental",
                "government", "ngo", "media", "party", "armed_group", "company")
QUANTITY_KINDS = ("count", "money", "percent", "fraction", "duration", "measure")
PLACE_SOURCES = ("clause", "sentence", "antecedent", "dateline", "article")
FIGURE_ROLES = ("place", "subject", "source")
FIGURE_CATEGORIES = ("displacement", "deployment", "funding", "casualties", "humanitarian", "territory", "other")


def _f(name: str, type_: pa.DataType, description: str, nullable: bool = False, hxl: str = "") -> pa.Field:
    """A column; ``hxl``: its HXL hashtag (hxlstandard.org), where one fits every row."""
    metadata = {"description": description} | ({"hxl": hxl} if hxl else {})
    return pa.field(name, type_, nullable=nullable, metadata=metadata)


def _label(name: str, meaning: str, values: tuple[str, ...], also: str = "", nullable: bool = False) -> pa.Field:
    """A label column with a closed vocabulary; its description lists the values (``also``: what else)."""
    description = f"{meaning}: {', '.join(values)}{also}."
    return pa.field(name, LABEL, nullable=nullable,
                    metadata={"description": description, "values": json.dumps(values)})


def _schema(grain: str, key: tuple[str, ...], *fields: pa.Field, id_prefix: str | None = None,
            extends: str | None = None) -> pa.Schema:
    """``extends``: for a view, the columns it holds besides ``fields`` (said in the data dictionary)."""
    metadata = {"grain": grain, "grain_columns": json.dumps(key)}
    if id_prefix:
        metadata["id_prefix"] = id_prefix
    if extends:
        metadata["extends"] = extends
    return pa.schema(fields, metadata=metadata)


_ARTICLE_ID = _f("article_id", pa.string(), "Article id: the first 16 hex digits of the SHA-256 of the decoded text.",
                 hxl="#meta+article+id")
_SOURCE_FILE = _f("source_file", pa.string(),
                  "Path of the input file, relative to the input folder, with / separators; an article of a "
                  "JSON Lines file adds its line number: news.jsonl.gz#L12 (lines count from 1, blank ones too).")
_SENTENCE_ID = _f("sentence_id", pa.int64(), "Index of the sentence in its article (0-based); joins to sentences.")
_START = _f("start_char", pa.int64(),
            "Character offset (code points) of the first character in the decoded article text.")
_END = _f("end_char", pa.int64(),
          "Character offset one past the last character; text = article[start_char:end_char].")


_UNIT = _label("unit", "Unit of the value",
               ("count", "percent", "fraction", "duration_days", "duration_weeks", "duration_months", "duration_years",
                "other"),
               also="; or, for money, an ISO 4217 currency code (withdrawn codes still in the news included)")
_COUNTRY_CODE = "ISO 3166-1 alpha-3 code (XKX for Kosovo)"


def _text(what: str) -> pa.Field:
    return _f("text", pa.string(), f"The exact {what} as written in the article: article[start_char:end_char].")


def _record_id(kind: str, prefix: str) -> pa.Field:
    return _f(f"{kind}_id", pa.string(),
              f"{kind.capitalize()} id: <article_id>-{prefix}<index>, stable for unchanged text.")


ARTICLES = _schema(
    "one row per article that was read and extracted (a text file, or a line of a JSON Lines file)", ("article_id",),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _f("sha256", pa.string(), "SHA-256 (hex) of the raw bytes: the file's, or the JSON line's (line break "
                              "excluded); with a sidecar, of the file's bytes, a NUL byte, then the sidecar's."),
    _label("encoding", "Encoding the bytes were decoded with (utf-8-sig: a BOM was dropped; utf-8-replaced: "
                       "UTF-8 with a few invalid bytes, each replaced by U+FFFD; utf-16: read by its BOM)",
           ("utf-8", "utf-8-sig", "utf-8-replaced", "utf-16", "cp1252")),
    _f("title", pa.string(), "The headline: the metadata's title when given, else the first line when it reads "
                             "as one, else null.", nullable=True, hxl="#meta+title"),
    _f("n_chars", pa.int64(), "Length of the decoded text in characters."),
    _f("n_sentences", pa.int64(), "Number of sentences the splitter found."),
    _f("published_date", pa.date32(), "The date the article was published: the metadata's (published or date) "
                                      "when given, else its dateline's when that has a year; else null, never "
                                      "guessed. Never after processed_at.", nullable=True, hxl="#date+reported"),
    _label("date_source", "Where published_date came from (null when there is none)", ("metadata", "dateline"),
           nullable=True),
    _f("url", pa.string(), "The article's URL, from its metadata; null when not given.", nullable=True),
    _f("outlet", pa.string(), "The publisher, from its metadata (outlet or source); null when not given.",
       nullable=True),
    _f("dateline_place", pa.string(), "The place the article's dateline names, as written (SALVADOR in "
                                      "\"SALVADOR, Feb 26 -\", PORTLAND, Ore. in \"PORTLAND, Ore., March 2 -\"); "
                                      "null when it has none.", nullable=True),
    _f("run_id", pa.string(), "Lineage: id of the run that extracted the article (the Prefect flow run id)."),
    _f("pipeline_version", pa.string(), "Lineage: newsfacts version that extracted the article."),
    _f("processed_at", UTC_TIME, "Lineage: when the article was extracted (UTC)."),
)

SENTENCES = _schema(
    "one row per sentence of an article", ("article_id", "sentence_id"),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _f("paragraph", pa.int64(), "Index of the paragraph (a non-blank line) in the article (0-based)."),
    _START,
    _END,
    _text("sentence"),
)

REJECTS = _schema(
    "one row per input (a file, or a line of a JSON Lines file) that could not be processed", ("source_file",),
    _SOURCE_FILE,
    _label("reason", "Why the file could not be processed",
           ("empty", "binary", "undecodable", "too_large", "unreadable", "vanished", "outside_input", "duplicate",
            "timed_out", "failed", "failed_validation")),
    _f("detail", pa.string(), "A sentence a person can act on: sizes, byte positions, the first error."),
    _f("size_bytes", pa.int64(), "Size of the file in bytes when it was seen, null when unknown.", nullable=True),
    _f("sha256", pa.string(), "SHA-256 (hex) of the raw file bytes, null when they could not be read.", nullable=True),
)

FIGURES = _schema(
    "one row per figure mention (a reported quantity) in an article", ("figure_id",),
    _record_id("figure", "f"),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _START,
    _END,
    _text("numeric expression (currency symbol, scale and unit words included; qualifier and counted noun excluded)"),
    _f("value", pa.float64(),
       "Normalised value ($360 million -> 360000000, half -> 0.5, 80% -> 80); a range's midpoint (10-20 -> 15); "
       "null for vague magnitudes (thousands), whose bounds are value_low and value_high.", nullable=True,
       hxl="#indicator+value+num"),
    _f("value_low", pa.float64(),
       "Lower bound of a range or vague magnitude (thousands -> 2000), else null.", nullable=True),
    _f("value_high", pa.float64(),
       "Upper bound of a range or vague magnitude (thousands -> 9000), else null.", nullable=True),
    _UNIT,
    _label("qualifier", "How the text qualifies the value",
           ("exact", "approximately", "nearly", "more_than", "less_than"), also="; null for vague magnitudes",
           nullable=True),
    _f("counted", pa.string(),
       "Head noun of what is counted, lower-case singular (officer, person); null for money and durations.",
       nullable=True),
    _label("category", "What the figure is about (money: funding = provided, pledged or needed for a purpose; "
           "market and business money, such as prices, earnings and debts, is other)", FIGURE_CATEGORIES),
    _f("attribution", pa.string(),
       "Canonical name of the source the sentence names for the figure, else null.", nullable=True,
       hxl="#meta+source"),
    _label("quantity_kind", "Kind of quantity, from the unit (money: a currency; measure: unit other)",
           QUANTITY_KINDS),
    _f("value_usd", pa.float64(),
       "Money's value in US dollars (a range's midpoint), as reported (never adjusted for inflation): US dollars "
       "are their own value, with or without a publication date; other currencies at the ECB reference rate of "
       "the article's publication day (the last before it on a day without rates). Null when not money, without "
       "a value, for another currency without a date, or for a currency the ECB does not quote.", nullable=True),
    _f("country_code", LABEL, f"{_COUNTRY_CODE} of the place the figure is about (place_source says how it was "
       "found), else null.", nullable=True, hxl="#country+code"),
    _label("place_source", "Where the place was found (clause or sentence: the place mention nearest the figure; "
           "antecedent: an earlier figure of the article with the same value, unit and counted class; dateline; "
           "article: its most named country)", PLACE_SOURCES, also="; null when there is no place", nullable=True),
    _f("attribution_entity_id", pa.string(), "The attribution's entity; joins to entities. Null when there is "
       "no attribution or it names no entity of the article.", nullable=True),
    _f("claim_id", pa.string(), "The claim the figure reports; joins to claims. Figures of one topic share a claim "
       f"when their values agree within {VALUE_TOLERANCE:.0%} or their ranges overlap and their articles' dates lie "
       f"within {DATE_WINDOW_DAYS} days "
       "(undated figures join by value alone; transforms/claims.py, parameters in claim_grouping.tsv). A hash "
       "of the topic, the claim's value_min (and value_max for a vague magnitude) and first_published: the "
       "same on every run over unchanged inputs."),
    _f("topic_id", pa.string(), "The topic of the claim: a hash of category, unit, counted class and "
       "country_code, so it depends on the figure's row alone; claims of one topic report one quantity with "
       "disagreeing values or at other times (the disputes view pairs them)."),
    id_prefix="f",
)

FIGURE_ENTITIES = _schema(
    "one row per entity a figure is linked to, in each role", ("figure_id", "entity_id", "role"),
    _f("figure_id", pa.string(), "The figure; joins to figures."),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _f("entity_id", pa.string(), "The entity; joins to entities."),
    _label("role", "What the entity is to the figure (place: the mention its country_code came from, or for a "
           "dateline or article place the article's first mention of that country; subject: another entity named "
           "in the figure's clause, within 150 characters of it; source: the entity of its attribution)", FIGURE_ROLES),
    _label("type", "Entity type", ENTITY_TYPES),
    _f("canonical", pa.string(), "Canonical name of the entity."),
)

MENTIONS = _schema(
    "one row per entity mention in an article", ("mention_id",),
    _record_id("mention", "m"),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _START,
    _END,
    _text("name (titles and a possessive 's excluded)"),
    _label("type", "Entity type", ENTITY_TYPES),
    _f("entity_id", pa.string(), "The resolved entity; joins to entities."),
    _f("canonical", pa.string(), "Canonical name of the entity (Kenyan -> Kenya, U.N. -> United Nations)."),
    _f("title", pa.string(),
       "Role stated next to a person (President, Ambassador to the United Nations), else null.", nullable=True),
    id_prefix="m",
)

ENTITIES = _schema(
    "one row per resolved real-world entity across all articles", ("entity_id",),
    _f("entity_id", pa.string(), "Entity id: stable across runs, derived from type and canonical name."),
    _f("canonical", pa.string(), "Canonical name."),
    _label("type", "Entity type", ENTITY_TYPES),
    _label("kind", "What the gazetteers know the entity as (the organisation kinds are organisations.tsv's)",
           ENTITY_KINDS, also="; null when no gazetteer names it", nullable=True),
    _f("country_code", LABEL,
       f"{_COUNTRY_CODE} of the country a country, nationality, city, subdivision or territory is in, else null.",
       nullable=True, hxl="#country+code"),
    _f("aliases", pa.list_(pa.string()), "Every surface form seen for the entity, sorted."),
    _f("n_mentions", pa.int64(), "Number of rows in mentions for the entity."),
    _f("n_articles", pa.int64(), "Number of articles that mention the entity."),
)

QUOTES = _schema(
    "one row per quotation (direct or partial speech) in an article", ("quote_id",),
    _record_id("quote", "q"),
    _ARTICLE_ID,
    _SOURCE_FILE,
    _SENTENCE_ID,
    _START,
    _END,
    _text("quoted words (without quote marks and a trailing comma or full stop)"),
    _f("speaker", pa.string(), "Canonical name of the speaker, else null.", nullable=True),
    _f("speaker_entity_id", pa.string(),
       "The speaker's entity; joins to entities. Null when there is no speaker.", nullable=True),
    _f("verb", pa.string(),
       "The speech verb that introduces the quote (said, told, warned), else null.", nullable=True),
    id_prefix="q",
)

CLAIMS = _schema(
    "one row per claim: the figures of any articles that report the same quantity with agreeing values",
    ("claim_id",),
    _f("claim_id", pa.string(), "Claim id: stable across runs for unchanged inputs (see figures.claim_id)."),
    _f("topic_id", pa.string(), "The claim's topic (see figures.topic_id): claims about the same quantity."),
    _label("category", "What the claim is about", FIGURE_CATEGORIES),
    _UNIT,
    _f("counted", pa.string(), "Class of what is counted (officer for officers, police and personnel), else null.",
       nullable=True),
    _f("country_code", LABEL, f"{_COUNTRY_CODE} of the place the claim is about, else null.", nullable=True),
    _f("value", pa.float64(), "The value most figures report (the smallest, on a tie); null when every figure is "
       "a vague magnitude.", nullable=True),
    _f("value_min", pa.float64(), "Smallest value or lower bound among the figures.", nullable=True),
    _f("value_max", pa.float64(), "Largest value or upper bound among the figures.", nullable=True),
    _f("n_figures", pa.int64(), "Number of figures that report the claim."),
    _f("n_articles", pa.int64(), "Number of articles that report it."),
    _f("n_sources", pa.int64(), "Number of distinct attributed sources (entities) among its figures."),
    _f("sources", pa.list_(pa.string()), "The sources' entity ids, sorted; join to entities."),
    _f("first_published", pa.date32(), "Earliest publication date of its articles, null when none is known.",
       nullable=True),
    _f("last_published", pa.date32(), "Latest publication date of its articles, null when none is known.",
       nullable=True),
)

VALIDATION = _schema(
    "one row per expectation result of the last validation (expectations/validate.py)", ("suite", "expectation",
                                                                                           "column", "protects"),
    _f("suite", pa.string(), "The table the expectation suite checks (articles, figures, ...)."),
    _f("expectation", LABEL, "Great Expectations expectation type (expect_column_values_to_be_between, ...)."),
    _f("column", pa.string(),
       "The column(s) checked, comma-separated; null for table-level expectations.", nullable=True),
    _label("severity", "What a failure does (critical: the failing rows' articles are quarantined as rejects, "
           "or, when the failure is not row by row, the run is not published; warning: reported only)",
           ("critical", "warning")),
    _f("success", pa.bool_(), "Whether the expectation held."),
    _f("observed_value", pa.string(),
       "The observed value as text (a type, a column list, a proportion), else null.", nullable=True),
    _f("unexpected_count", pa.int64(),
       "Number of rows that broke the expectation; null for table-level expectations.", nullable=True),
    _f("protects", pa.string(), "What the expectation protects, in one line."),
    _f("why", pa.string(),
       "Why it failed, in one line (with a sample of unexpected values); null when it held.", nullable=True),
    _f("validated_at", UTC_TIME, "Lineage: when the validation ran (UTC)."),
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "figures": FIGURES,
    "figure_entities": FIGURE_ENTITIES,
    "mentions": MENTIONS,
    "entities": ENTITIES,
    "claims": CLAIMS,
    "quotes": QUOTES,
    "rejects": REJECTS,
    "validation": VALIDATION,
}


def _dispute_side(side: str, label: str) -> list[pa.Field]:
    """The columns of one claim of a dispute: claims' own, prefixed ``<side>_``."""
    fields = [CLAIMS.field("claim_id"), _f("value", pa.float64(), "The value most of its figures report (the smallest, "
                                           "on a tie)."),
              *(CLAIMS.field(c) for c in ("n_figures", "n_articles", "sources")),
              _f("source_names", pa.list_(pa.string()), "The sources' canonical names, sorted."),
              *(CLAIMS.field(c) for c in ("first_published", "last_published"))]
    return [f.with_name(f"{side}_{f.name}").with_metadata(
        {"description": f"{label} {f.metadata[b'description'].decode()}"}) for f in fields]


SENTENCE_KEY = _f("sentence_key", pa.string(),
                  "Sentence key in one column, <article_id>-s<sentence_id>: relates sentences to figures, mentions "
                  "and quotes in tools whose relationships take one column (Power BI). Added by the query layer's "
                  "views, not stored: the tables join on (article_id, sentence_id).")
"""Computed in every view of a table with a ``sentence_id`` (``flows/query.py``); storing it would
repeat two stored columns in four tables, and a stored copy could disagree with them."""

ANALYST_VIEWS: dict[str, pa.Schema] = {
    "figure_facts": _schema(
        "one row per figure mention (as figures), with its sentence, its article's columns, its source entity "
        "and HXL-ready value columns", ("figure_id",),
        SENTENCE_KEY,
        _f("sentence_text", pa.string(), "The text of the figure's sentence."),
        _f("source_entity_id", pa.string(),
           "The entity named by attribution (when entities of several types share the name: ORG, then PERSON, "
           "GPE, LOC, NORP); joins to entities.",
           nullable=True),
        _f("source_type", LABEL, f"Entity type of the source: {', '.join(ENTITY_TYPES)}, else null.", nullable=True),
        _f("source_org", pa.string(), "The source's name when it is an organisation, else null.", nullable=True,
           hxl="#org+name"),
        _f("displaced", pa.float64(), "The value of a count of displaced people (category displacement, unit "
           "count), else null.", nullable=True, hxl="#affected+displaced"),
        _f("amount", pa.float64(), "The value of a money figure (its unit is a currency code), else null.",
           nullable=True, hxl="#value"),
        _f("currency", LABEL, "ISO 4217 code of a money figure, else null.", nullable=True, hxl="#currency"),
        extends="Every column of `figures` and the columns of `articles` that `figures` lacks, with:",
    ),
    "disputes": _schema(
        "one row per pair of claims of one topic (category other excepted) whose values disagree (beyond the "
        "claims' tolerance): the lower "
        "value's claim (low_) and the higher one's (high_), published within the claims' date window of each other "
        "when both dates are known",
        ("low_claim_id", "high_claim_id"),
        *(CLAIMS.field(c) for c in ("topic_id", "category", "unit", "counted", "country_code")),
        *_dispute_side("low", "Lower value's claim:"),
        *_dispute_side("high", "Higher value's claim:"),
        _f("spread", pa.float64(), "high_value - low_value, in the unit."),
        _f("ratio", pa.float64(), "high_value / low_value; null when low_value is not above zero.", nullable=True),
    ),
}
"""The query layer's analyst views (``flows/query.py``): the columns each adds to the tables it joins.
``figure_facts`` also holds every column of figures and of articles (those figures lacks), so a
column added to either table reaches the view; ``disputes`` holds exactly its declared columns."""

VALIDATION_TABLE = "validation"
EXTRACTED_TABLES: tuple[str, ...] = tuple(name for name in SCHEMAS if name != VALIDATION_TABLE)
"""Tables the extraction builds; the validation report is written by ``expectations``."""


def grain_columns(table: str) -> tuple[str, ...]:
    """The columns that identify a row of ``table``."""
    return tuple(json.loads(SCHEMAS[table].metadata[b"grain_columns"]))


def id_prefix(table: str) -> str | None:
    """The letter of the table's record ids (``<article_id>-<prefix><index>``), or None."""
    prefix = SCHEMAS[table].metadata.get(b"id_prefix")
    return prefix.decode() if prefix else None


def vocabulary(table: str, column: str) -> tuple[str, ...]:
    """The closed vocabulary of a label column; a ``KeyError`` when the column has none."""
    metadata = SCHEMAS[table].field(column).metadata or {}
    if b"values" not in metadata:
        raise KeyError(f"{table}.{column} has no closed vocabulary")
    return tuple(json.loads(metadata[b"values"]))


def label_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` that have a closed vocabulary."""
    return tuple(f.name for f in SCHEMAS[table] if f.metadata and b"values" in f.metadata)


RECORD_TABLES: tuple[str, ...] = tuple(name for name in SCHEMAS if id_prefix(name))
"""Tables of records an article's extraction holds (figures, mentions, quotes), by id prefix."""
ARTICLE_TABLES: tuple[str, ...] = tuple(name for name in EXTRACTED_TABLES if "article_id" in SCHEMAS[name].names)
"""Tables with rows of one article each (``entities`` and ``rejects`` are built per run)."""
