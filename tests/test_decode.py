"""Decoding raw bytes: UTF-8 (BOM dropped), cp1252 fallback, clear reasons for the rest."""
import pytest

from transforms.decode import decode_article

CASES = [
    # (why, bytes, text, encoding, reason)
    ("plain utf-8", "Kenya’s police".encode("utf-8"), "Kenya’s police", "utf-8", None),
    ("a BOM is not part of the text", b"\xef\xbb\xbfHaiti", "Haiti", "utf-8-sig", None),
    ("Windows export with curly quotes", "“Ruto” said €5".encode("cp1252"), "“Ruto” said €5", "cp1252", None),
    ("empty file", b"", None, None, "empty"),
    ("only whitespace", b" \n\t\r\n", None, None, "empty"),
    ("NUL bytes mean binary", b"PK\x03\x04\x00\x00zip", None, None, "binary"),
    ("many control bytes mean binary", bytes(range(1, 32)) * 4, None, None, "binary"),
    ("bytes undefined in cp1252 and invalid utf-8", b"abc \x81\x8d\x8f\x90", None, None, "undecodable"),
    ("BOM then invalid utf-8", b"\xef\xbb\xbfabc \xff", None, None, "undecodable"),
]


@pytest.mark.parametrize("why, data, text, encoding, reason", CASES, ids=[c[0] for c in CASES])
def test_decode(why, data, text, encoding, reason):
    decoded = decode_article(data)
    assert (decoded.text, decoded.encoding, decoded.reason) == (text, encoding, reason)
    assert bool(decoded.detail) == bool(reason)


def test_undecodable_detail_names_the_byte():
    assert decode_article(b"abc \x81").detail == (
        "not valid utf-8: byte 0x81 at position 4; not valid cp1252: byte 0x81 at position 4")
