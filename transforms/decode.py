"""Turn raw file bytes into article text, or say plainly why they cannot be.

UTF-8 first (a byte-order mark is dropped, so offsets count from the character after it);
then cp1252, the usual encoding of Windows exports. Empty and binary inputs are refused.

>>> decode_article("café".encode("utf-8")).encoding
'utf-8'
>>> decode_article("café".encode("cp1252")).text
'café'
>>> decode_article(b"\\x00\\x01PNG").reason
'binary'
"""
from __future__ import annotations

from dataclasses import dataclass

BINARY_SAMPLE = 8192  # bytes inspected for NULs and control characters
MAX_CONTROL_SHARE = 0.05  # share of C0 control characters (other than \t \n \r \f) that means binary


@dataclass(frozen=True, slots=True)
class Decoded:
    """Either ``text`` and ``encoding``, or a ``reason`` and ``detail`` for the rejects table."""

    text: str | None = None
    encoding: str | None = None
    reason: str | None = None
    detail: str | None = None


def decode_article(data: bytes) -> Decoded:
    if not data.strip():
        return Decoded(reason="empty", detail=f"the file holds no text ({len(data)} bytes, all blank)")
    sample = data[:BINARY_SAMPLE]
    if b"\x00" in sample:
        position = sample.index(b"\x00")
        return Decoded(reason="binary", detail=f"NUL byte at position {position}: not a text file")
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f")
    if controls > MAX_CONTROL_SHARE * len(sample):
        return Decoded(reason="binary", detail=f"{controls} control bytes in the first {len(sample)}: not a text file")
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    errors = []
    for encoding in encodings:
        try:
            return Decoded(text=data.decode(encoding), encoding=encoding)
        except UnicodeDecodeError as error:
            errors.append(f"{encoding}: byte 0x{data[error.start]:02x} at position {error.start}")
    return Decoded(reason="undecodable", detail="not valid " + "; not valid ".join(errors))
