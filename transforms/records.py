"""Typed records the transforms return.

Offsets are character (code point) offsets into the decoded article text, so that
``text[start:end] == record.text`` always holds.

The per-span records are named tuples: immutable like frozen dataclasses, and four times
cheaper to create (an article makes dozens; creating them was 3% of extraction time).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    text: str


class Figure(NamedTuple):
    start: int
    end: int
    text: str
    value: float | None
    value_low: float | None
    value_high: float | None
    unit: str
    qualifier: str | None
    counted: str | None
    category: str
    attribution: str | None


class Mention(NamedTuple):
    start: int
    end: int
    text: str
    type: str  # one of the contract's entity types (transforms.schemas.ENTITY_TYPES)
    canonical: str
    title: str | None = None


class Quote(NamedTuple):
    start: int
    end: int
    text: str
    speaker: str | None
    verb: str | None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    title: str | None
    sentences: list[Sentence] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reject:
    """An input file that could not be processed, and why (a row of ``rejects``)."""

    source_file: str
    reason: str
    detail: str
    size_bytes: int | None = None
    sha256: str | None = None  # of the bytes, when they were read
