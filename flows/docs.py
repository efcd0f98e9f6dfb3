"""Documents generated from the data contract (``transforms.schemas``) and the suites.

``python -m flows docs`` rewrites them; a test fails when a committed one is stale.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from expectations.suites import SUITES, Rule
from flows.storage import VALIDATION_FOLDER
from transforms.schemas import ANALYST_VIEWS, SCHEMAS, grain_columns

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "python -m flows docs"


@dataclass(frozen=True, slots=True)
class Document:
    """A generated file: its path below the repository and how to render it from its old text."""

    path: str
    render: Callable[[str], str]


def data_dictionary(_old: str = "") -> str:
    """The data dictionary as Markdown, generated from ``SCHEMAS`` and ``ANALYST_VIEWS``."""
    lines = ["# Data dictionary", "",
             f"Generated from `transforms/schemas.py` by `{COMMAND}`;"
             " do not edit by hand. Every table is a folder of Parquet parts, `output/<table>/`"
             " (`read_parquet('output/<table>/*.parquet')`; the validation report:"
             f" `output/{VALIDATION_FOLDER}/validation.parquet`). Offsets are character"
             " offsets into the decoded article text, so `article[start_char:end_char] == text`."
             " HXL: the column's [HXL](https://hxlstandard.org/) hashtag, where one fits every row"
             " (field metadata `hxl`).", ""]
    for name, schema in SCHEMAS.items():
        lines += [f"## {name}", "", f"Grain: {schema.metadata[b'grain'].decode()}.", "", *_columns_table(schema)]
    lines += ["## Query layer: `output/newsfacts.duckdb`", "",
              "A DuckDB file of views, rewritten by every run that publishes: one view per table above (its"
              " columns and descriptions as `COMMENT`s), each view of a table with `sentence_id` also holding"
              " `sentence_key`, and the analyst views below (`flows/query.py`).", ""]
    for name, schema in ANALYST_VIEWS.items():
        extends = schema.metadata.get(b"extends", b"Columns:").decode()
        lines += [f"### {name}", "", f"Grain: {schema.metadata[b'grain'].decode()}. {extends}", "",
                  *_columns_table(schema)]
    return "\n".join(lines)


def _columns_table(schema: pa.Schema) -> list[str]:
    lines = ["| column | type | null | HXL | meaning |", "| --- | --- | --- | --- | --- |"]
    for field in schema:
        hxl = (field.metadata or {}).get(b"hxl", b"").decode()
        lines.append(f"| `{field.name}` | {_type_name(field.type)} | {'yes' if field.nullable else 'no'} "
                     f"| {f'`{hxl}`' if hxl else ''} | {field.metadata[b'description'].decode()} |")
    return [*lines, ""]


def _type_name(type_: pa.DataType) -> str:
    return "string (dictionary)" if pa.types.is_dictionary(type_) else str(type_)


def table_list() -> str:
    """The README's list of output tables: name, grain and key columns."""
    lines = ["| table | grain | one row per value of |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | {schema.metadata[b'grain'].decode()} | "
              f"{', '.join(f'`{c}`' for c in grain_columns(name))} |"
              for name, schema in SCHEMAS.items()]
    return "\n".join(lines)


def rule_tables() -> str:
    """One Markdown table per suite: every expectation, what it reads, and what it protects."""
    lines = []
    for table, rules in SUITES.items():
        lines += [f"### {table}", "", "| # | expectation | column(s) | arguments | rows | severity | protects |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {index} | `{_snake(r.expectation)}` | {_columns(r)} | {_arguments(r)} | {_rows(r)} "
                  f"| {r.severity} | {_cell(r.protects)} |" for index, r in enumerate(rules)]
        lines.append("")
    return "\n".join(lines).rstrip("\n")


_COLUMN_KEYS = ("column", "column_A", "column_B", "column_list")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _columns(r: Rule) -> str:
    read = [r.kwargs["column"]] if "column" in r.kwargs else [r.kwargs[k] for k in ("column_A", "column_B")
                                                               if k in r.kwargs] + list(r.kwargs.get("column_list", []))
    return ", ".join(f"`{c}`" for c in read)


def _arguments(r: Rule) -> str:
    return _cell(", ".join(f"{k}={_value(v)}" for k, v in r.kwargs.items()
                           if k not in _COLUMN_KEYS and k != "ignore_row_if"))


def _rows(r: Rule) -> str:
    if not r.when:
        return "all"
    column, operator, value = r.when
    return _cell(f"`{column}` is null" if operator == "is_null" else f"`{column}` {operator} {_value(value)}")


def _value(value: object, shown: int = 12) -> str:
    if isinstance(value, list | tuple) and len(value) > shown:
        return f"[{', '.join(map(str, value[:shown]))}, ... ({len(value)} values)]"
    if isinstance(value, list | tuple):
        return f"[{', '.join(map(str, value))}]"
    return f"`{value}`" if isinstance(value, str) else str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _between_markers(name: str, render: Callable[[], str]) -> Callable[[str], str]:
    """Render only the part of a hand-written file between ``<!-- generated: name -->`` and
    ``<!-- end generated: name -->``; the rest is kept as written."""
    begin, end = f"<!-- generated: {name} ({COMMAND}) -->", f"<!-- end generated: {name} -->"

    def render_part(old: str) -> str:
        before, found, rest = old.partition(begin)
        _, found_end, after = rest.partition(end)
        if not (found and found_end):
            raise ValueError(f"the markers {begin} ... {end} are missing")
        return f"{before}{begin}\n{render()}\n{end}{after}"
    return render_part


DOCUMENTS = (
    Document("docs/data-dictionary.md", data_dictionary),
    Document("README.md", _between_markers("tables", table_list)),
    Document("expectations/README.md", _between_markers("rules", rule_tables)),
)


def regenerate_documents(root: Path = ROOT) -> list[Path]:
    """Rewrite every generated document; returns their paths."""
    paths = []
    for document in DOCUMENTS:
        path = root / document.path
        path.write_text(document.render(_read(path)), encoding="utf-8")
        paths.append(path)
    return paths


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""
