"""Documents generated from the data contract (``transforms.schemas``) and the suites.

``python -m flows docs`` rewrites them; a test fails when a committed one is stale.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from transforms.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "python -m flows docs"


@dataclass(frozen=True, slots=True)
class Document:
    """A generated file: its path below the repository and how to render it from its old text."""

    path: str
    render: Callable[[str], str]


def data_dictionary(_old: str = "") -> str:
    """The data dictionary as Markdown, generated from ``SCHEMAS``."""
    lines = ["# Data dictionary", "",
             f"Generated from `transforms/schemas.py` by `{COMMAND}`;"
             " do not edit by hand. Every table is `output/<table>.parquet`. Offsets are character"
             " offsets into the decoded article text, so `article[start:end] == text`.", ""]
    for name, schema in SCHEMAS.items():
        lines += [f"## {name}", "", f"Grain: {schema.metadata[b'grain'].decode()}.", "",
                  "| column | type | null | meaning |", "| --- | --- | --- | --- |"]
        for field in schema:
            lines.append(f"| `{field.name}` | {_type_name(field.type)} | {'yes' if field.nullable else 'no'} "
                         f"| {field.metadata[b'description'].decode()} |")
        lines.append("")
    return "\n".join(lines)


def _type_name(type_: pa.DataType) -> str:
    return "string (dictionary)" if pa.types.is_dictionary(type_) else str(type_)


DOCUMENTS = (Document("docs/data-dictionary.md", data_dictionary),)


def stale_documents(root: Path = ROOT) -> list[str]:
    """Paths of the generated documents whose committed text differs from a fresh rendering."""
    return [d.path for d in DOCUMENTS if _read(root / d.path) != d.render(_read(root / d.path))]


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
