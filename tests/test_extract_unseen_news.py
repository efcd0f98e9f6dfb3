"""Rules written for error classes seen on unseen news (the held-out error report's classes),
each pinned with invented sentences and exact expected values; ``extract_document`` end to end."""
from __future__ import annotations

import pytest

from transforms.extract import extract_document

FIGURE_CASES = [
    # "near" before a number is a limit, like "nearly"; a speed restated in brackets keeps it
    ("The storm's winds were near 180 mph (285 kph) on Friday.",
     [("180 mph", 180.0, "other", "nearly"), ("285 kph", 285.0, "other", "nearly")]),
    # a speed spelled out ("miles per hour") is one unit, so its bracketed restatement follows it
    ("The front moved at roughly five miles per hour (eight kilometres per hour).",
     [("five miles per hour", 5.0, "other", "approximately"),
      ("eight kilometres per hour", 8.0, "other", "approximately")]),
]


@pytest.mark.parametrize(("text", "expected"), FIGURE_CASES)
def test_figure_values_units_and_qualifiers(text, expected):
    got = [(f.text, f.value, f.unit, f.qualifier) for f in extract_document(text).figures]
    assert got == expected

