"""Decoding raw bytes: UTF-8 (BOM dropped), UTF-16 with its BOM, UTF-8 with a few bytes replaced,
cp1252 fallback, clear reasons for the rest."""
import pytest

from transforms.decode import decode_article

CASES = [
    # (why, bytes, text, encoding, reason)
    ("plain utf-8", "Kenya’s police".encode(), "Kenya’s police", "utf-8", None),
    ("a BOM is not part of the text", b"\xef\xbb\xbfHaiti", "Haiti", "utf-8-sig", None),
    ("Windows export with curly quotes", "“Ruto” said €5".encode("cp1252"), "“Ruto” said €5", "cp1252", None),
    ("empty file", b"", None, None, "empty"),
    ("only whitespace", b" \n\t\r\n", None, None, "empty"),
    ("NUL bytes mean binary", b"PK\x03\x04\x00\x00zip", None, None, "binary"),
    ("many control bytes mean binary", bytes(range(1, 32)) * 4, None, None, "binary"),
    ("bytes undefined in cp1252 and invalid utf-8", b"abc \x81\x8d\x8f\x90", None, None, "undecodable"),
    # issue 15, items 16 and 18: a few bad bytes in UTF-8 are replaced and flagged, never cp1252
    ("BOM then invalid utf-8", b"\xef\xbb\xbfabc \xff", "abc \ufffd", "utf-8-replaced", None),
    ("utf-8 with one invalid byte", "Président ".encode() + b"\x96" + " café".encode(),
     "Président \ufffd café", "utf-8-replaced", None),
    ("utf-8 with too many invalid bytes", "é".encode() + b"\x96" * 17, None, None, "undecodable"),
    ("ascii with one cp1252 byte loses nothing as cp1252", b"caf\xe9 au lait", "café au lait", "cp1252", None),
    ("utf-16 little-endian with its BOM", "Kenya’s police\r\n".encode("utf-16"), "Kenya’s police\r\n", "utf-16", None),
    ("utf-16 big-endian with its BOM", b"\xfe\xff" + "Haïti".encode("utf-16-be"), "Haïti", "utf-16", None),
    ("utf-16 holding only blanks", " \n".encode("utf-16"), None, None, "empty"),
    ("utf-16 cut in the middle of a character", "Haiti".encode("utf-16")[:-1], None, None, "undecodable"),
    ("utf-16 holding NULs", "a\x00b".encode("utf-16"), None, None, "binary"),
    ("a NUL after the first 8 KB", b"x" * 9000 + b"\x00tail", None, None, "binary"),
]


@pytest.mark.parametrize("why, data, text, encoding, reason", CASES, ids=[c[0] for c in CASES])
def test_decode(why, data, text, encoding, reason):
    decoded = decode_article(data)
    assert (decoded.text, decoded.encoding, decoded.reason) == (text, encoding, reason)
    assert bool(decoded.detail) == bool(reason)


def test_undecodable_detail_names_the_byte():
    assert decode_article(b"abc \x81").detail == (
        "not valid utf-8: byte 0x81 at position 4; not valid cp1252: byte 0x81 at position 4")


def test_a_nul_after_the_sample_is_named_by_position():
    assert decode_article(b"x" * 9000 + b"\x00").detail == "NUL byte at position 9000: not a text file"
