"""Load the lexicons and gazetteers under ``transforms/data/`` (read once, validated).

Data files are UTF-8 TSV with a header row; lines starting with ``#`` are comments
(each file opens with comment lines saying what it holds and where it came from).
Reading package data is the one file access transforms make; it happens once per
process, at import time of the module that needs the table.

>>> load_tsv("abbreviations.tsv", required=("abbrev", "kind"))[0]
{'abbrev': 'Mr', 'kind': 'title'}
"""
from __future__ import annotations

from functools import cache
from importlib import resources


class LexiconError(ValueError):
    """A data file is malformed: raised at load time so a typo fails a test, not a run."""


@cache
def load_tsv(name: str, required: tuple[str, ...] = ()) -> tuple[dict[str, str], ...]:
    """Rows of ``transforms/data/<name>`` as dicts keyed by the header row.

    Empty cells become ``""``. ``required`` columns must exist and be non-empty.
    """
    text = resources.files("transforms.data").joinpath(name).read_text(encoding="utf-8")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    if not lines:
        raise LexiconError(f"{name}: no header row")
    header = lines[0][1].split("\t")
    missing = [c for c in required if c not in header]
    if missing:
        raise LexiconError(f"{name}: missing columns {missing}")
    rows = []
    for n, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > len(header):
            raise LexiconError(f"{name}:{n}: {len(cells)} cells for {len(header)} columns")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        empty = [c for c in required if not row[c].strip()]
        if empty:
            raise LexiconError(f"{name}:{n}: empty {empty}")
        rows.append({k: v.strip() for k, v in row.items()})
    return tuple(rows)


@cache
def load_words(name: str) -> frozenset[str]:
    """The first column of ``load_tsv(name)``: a word list (its header row is no word)."""
    return frozenset(next(iter(row.values())) for row in load_tsv(name))
