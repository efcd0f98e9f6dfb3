"""Turn raw file bytes into article text, or say plainly why they cannot be.

Rules, in order:

1. Empty (or all-blank) and binary inputs are refused: a NUL byte anywhere, or too many
   control bytes in the first ``BINARY_SAMPLE`` bytes, means binary.
2. A UTF-16 byte-order mark means UTF-16 (the mark is dropped, so offsets count from the
   character after it); the decoded text then goes through rule 1.
3. UTF-8 (a UTF-8 byte-order mark is dropped too).
4. UTF-8 with invalid bytes, when the file also holds valid multi-byte UTF-8 sequences (or a
   UTF-8 byte-order mark): each invalid byte becomes U+FFFD and ``encoding`` says
   ``utf-8-replaced``. More than a few invalid bytes (``FEW_REPLACED`` or ``MAX_REPLACED_SHARE``
   of the bytes, whichever is more) and the text is refused as undecodable. Read as cp1252, such
   a file would turn every accented letter into mojibake ("PrÃ©sident").
5. cp1252, the usual encoding of Windows exports: a file with no multi-byte UTF-8 sequence at
   all, so that nothing is lost by reading it whole as cp1252.

>>> decode_article("café".encode("utf-8")).encoding
'utf-8'
>>> decode_article("café".encode("cp1252")).text
'café'
>>> decoded = decode_article("Président ".encode("utf-8") + b"\\x96" + " café".encode("utf-8"))
>>> decoded.text, decoded.encoding
('Président � café', 'utf-8-replaced')
>>> decode_article("café".encode("utf-16")).text
'café'
>>> decode_article(b"\\x00\\x01PNG").reason
'binary'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BINARY_SAMPLE = 8192  # bytes (or UTF-16 characters) inspected for control characters
MAX_CONTROL_SHARE = 0.05  # share of C0 control characters (other than \t \n \r \f) that means binary
FEW_REPLACED = 16  # invalid bytes a UTF-8 text may have replaced, however short ...
MAX_REPLACED_SHARE = 0.01  # ... or this share of its bytes; more is undecodable
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")                  # an invalid byte, as surrogateescape keeps it
_MULTI_BYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")         # a character of a valid multi-byte sequence


@dataclass(frozen=True, slots=True)
class Decoded:
    """Either ``text`` and ``encoding``, or a ``reason`` and ``detail`` for the rejects table."""

    text: str | None = None
    encoding: str | None = None
    reason: str | None = None
    detail: str | None = None


def decode_article(data: bytes) -> Decoded:
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data)
    if not data.strip():
        return _empty(len(data))
    refused = _binary(data[:BINARY_SAMPLE], data.find(b"\x00"), "byte")
    if refused:
        return refused
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM):] if bom else data
    try:
        return Decoded(text=body.decode("utf-8"), encoding="utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as error:
        utf8_error = f"utf-8: byte 0x{body[error.start]:02x} at position {error.start + len(data) - len(body)}"
    escaped = body.decode("utf-8", "surrogateescape")
    if bom or _MULTI_BYTE.search(escaped):
        return _utf8_replaced(escaped, len(body))
    try:
        return Decoded(text=data.decode("cp1252"), encoding="cp1252")
    except UnicodeDecodeError as error:
        cp1252_error = f"cp1252: byte 0x{data[error.start]:02x} at position {error.start}"
    return Decoded(reason="undecodable", detail=f"not valid {utf8_error}; not valid {cp1252_error}")


def _decode_utf16(data: bytes) -> Decoded:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        return Decoded(reason="undecodable", detail=f"a UTF-16 byte-order mark, but not valid utf-16: {error.reason} "
                                                    f"at byte {error.start}")
    if not text.strip():
        return _empty(len(data))
    return _binary(text[:BINARY_SAMPLE].encode("latin-1", "replace"), text.find("\x00"), "character") \
        or Decoded(text=text, encoding="utf-16")


def _utf8_replaced(escaped: str, n_bytes: int) -> Decoded:
    replaced = _ESCAPED_BYTE.subn("\ufffd", escaped)
    if replaced[1] > max(FEW_REPLACED, MAX_REPLACED_SHARE * n_bytes):
        return Decoded(reason="undecodable", detail=f"not valid utf-8: {replaced[1]} invalid bytes of {n_bytes}, "
                                                    "too many to replace")
    return Decoded(text=replaced[0], encoding="utf-8-replaced")


def _empty(n_bytes: int) -> Decoded:
    return Decoded(reason="empty", detail=f"the file holds no text ({n_bytes} bytes, all blank)")


def _binary(sample: bytes, nul: int, unit: str) -> Decoded | None:
    """The binary reject, when there is a NUL (at ``nul``) or the ``sample`` has too many controls."""
    if nul >= 0:
        return Decoded(reason="binary", detail=f"NUL {unit} at position {nul}: not a text file")
    controls = sum(1 for b in sample if b < 32 and b not in _ALLOWED_CONTROLS)
    if controls > MAX_CONTROL_SHARE * len(sample):
        return Decoded(reason="binary",
                       detail=f"{controls} control {unit}s in the first {len(sample)}: not a text file")
    return None
