"""What an input file holds, by its name: a text file is one article (with an optional sidecar
``<name>.json`` of metadata beside it), a JSON Lines file (``*.jsonl``, ``*.jsonl.gz``) one
article per non-blank line.

A line's article is named ``<file>#L<n>`` (``n`` counts every line from 1, blank ones too), so
appending lines keeps the names, and the hashes, of the lines before them: a re-run reuses their
rows. ``flows.storage`` opens the files; this module reads what is in them.
"""
from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

TEXT_SUFFIX = ".txt"
JSON_LINES_SUFFIXES = (".jsonl", ".jsonl.gz")
INPUT_SUFFIXES = (TEXT_SUFFIX, *JSON_LINES_SUFFIXES)
SIDECAR_SUFFIX = ".json"
_SKIP_CHUNK = 1 << 20         # an over-long line is skipped this many bytes at a time
_UTF8_BOM = b"\xef\xbb\xbf"


class Line(NamedTuple):
    number: int            # 1-based, blank lines counted
    data: bytes | None     # without its line break; None when over the size limit
    size: int              # bytes, line break excluded


def is_json_lines(name: str) -> bool:
    """Whether ``name`` is a JSON Lines file, one article a line.

    >>> is_json_lines("feed.jsonl.gz"), is_json_lines("a.txt")
    (True, False)
    """
    return name.endswith(JSON_LINES_SUFFIXES)


def line_name(source_file: str, number: int) -> str:
    """The ``source_file`` of a JSON Lines article: its file and line number.

    >>> line_name("news/feed.jsonl.gz", 12)
    'news/feed.jsonl.gz#L12'
    """
    return f"{source_file}#L{number}"


def sidecar_name(text_file: str) -> str:
    """Where a text file's metadata is: ``<name>.json`` beside it.

    >>> sidecar_name("news/a.txt")
    'news/a.json'
    """
    return text_file.removesuffix(TEXT_SUFFIX) + SIDECAR_SUFFIX


def article_sha256(data: bytes, sidecar: bytes | None = None) -> str:
    """The SHA-256 that decides reuse: of the article's bytes, then (after a NUL, which no text
    holds) its sidecar's, so that editing either extracts the article again."""
    digest = hashlib.sha256(data)
    return sidecar_digest(digest, sidecar).hexdigest()


def sidecar_digest(digest: hashlib._Hash, sidecar: bytes | None) -> hashlib._Hash:
    """``digest`` of the article's bytes, extended by the sidecar's (``article_sha256``)."""
    if sidecar is not None:
        digest.update(b"\0" + sidecar)
    return digest


def json_lines(handle: BinaryIO, name: str, max_bytes: int) -> Iterator[Line]:
    """The non-blank lines of a JSON Lines file (gzip-compressed when ``name`` ends in ``.gz``);
    a line over ``max_bytes`` is skipped without being held and comes with ``data=None``.
    A UTF-8 byte-order mark before the first line is dropped."""
    stream: BinaryIO = gzip.GzipFile(fileobj=handle, mode="rb") if name.endswith(".gz") else handle
    number = 0
    while True:
        raw = stream.readline(max_bytes + 2)            # + room for "\r\n"
        if not raw:
            return
        number += 1
        if not raw.endswith(b"\n") and len(raw) == max_bytes + 2:
            yield Line(number, None, len(raw) + _skip_line(stream))
            continue
        data = raw.removesuffix(b"\n").removesuffix(b"\r")
        if number == 1:
            data = data.removeprefix(_UTF8_BOM)
        if len(data) > max_bytes:
            yield Line(number, None, len(data))
        elif data.strip():
            yield Line(number, data, len(data))


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of a line; returns the bytes skipped, its line break excluded."""
    skipped = 0
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        skipped += len(chunk.removesuffix(b"\n"))
        if not chunk or chunk.endswith(b"\n"):
            return skipped
