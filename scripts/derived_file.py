"""Render and write a derived TSV data file: comment header, column row, one row per line.

>>> print(render(["What it is."], ["word"], [("the",), ("of",)]), end="")
# What it is.
word
the
of
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "transforms" / "data"


def package_version(name: str) -> str:
    """The installed version of a source package, named in the header so a new release shows."""
    return metadata.version(name)


def render(header: Iterable[str], columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [f"# {line}" for line in header]
    lines.append("\t".join(columns))
    lines.extend("\t".join(row) for row in rows)
    return "\n".join(lines) + "\n"


def write(name: str, derive: Callable[[], str]) -> None:
    """Write ``derive()`` to ``transforms/data/<name>`` (the scripts' command-line entry)."""
    path = DATA_DIR / name
    path.write_text(derive(), encoding="utf-8")
    print(f"wrote {path.relative_to(DATA_DIR.parent.parent)}", file=sys.stderr)
