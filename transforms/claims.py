"""Claims: figures of any articles that report the same fact, keyed from each figure's own row.

A claim is one (category, unit, counted class, country, value bucket); a topic is the same
without the value bucket, so the claims of one topic report one quantity with values that
disagree ("362,000" vs "nearly 580,000" people displaced in Haiti). Both ids are hashes of
their key, so a figure's ``claim_id`` and ``topic_id`` depend on nothing but its row: they
are set per article, stay the same across runs for unchanged inputs, and the ``claims`` table
is a GROUP BY over ``figures``.

- counted class: ``claim_counted_classes.tsv`` (officer, police and personnel are one class),
  a nationality noun (``demonyms.tsv``: "haitian") is a person, any other noun its own class;
- value bucket (the tolerance): the value rounded to ``SIGNIFICANT_DIGITS`` significant
  digits, so 362,000 and "more than 360,000" agree (both 360,000) and "nearly 580,000" does
  not; a range's value is its midpoint. A vague magnitude (no value: "hundreds of thousands")
  is bucketed by its bounds: it joins only the same vague magnitude, and its topic.

>>> counted_class("police"), counted_class("haitian"), counted_class("tonne"), counted_class(None)
('officer', 'person', 'tonne', None)
>>> value_bucket(362000.0, None, None), value_bucket(360000.0, None, None), value_bucket(None, 2e5, 9e5)
('3.6e+05', '3.6e+05', '2e+05..9e+05')
>>> a = claim_ids("displacement", "count", "person", "HTI", 362000.0, None, None)
>>> b = claim_ids("displacement", "count", "individual", "HTI", 360000.0, None, None)
>>> c = claim_ids("displacement", "count", "person", "HTI", 580000.0, None, None)
>>> a == b, a[0] == c[0], a[1] == c[1]
(True, False, True)
"""
from __future__ import annotations

import hashlib

from transforms.lexicon import load_tsv

SIGNIFICANT_DIGITS = 2


def _classes() -> dict[str, str]:
    classes = {row["demonym"].lower(): "person" for row in load_tsv("demonyms.tsv", required=("demonym",))}
    classes.update((row["counted"], row["class"])
                   for row in load_tsv("claim_counted_classes.tsv", required=("counted", "class")))
    return classes


_CLASS_OF = _classes()


def counted_class(counted: str | None) -> str | None:
    """The class of a counted noun (itself when the lexicon names none)."""
    return _CLASS_OF.get(counted, counted) if counted is not None else None


def value_bucket(value: float | None, low: float | None, high: float | None) -> str:
    """The values a claim accepts: ``value`` to ``SIGNIFICANT_DIGITS`` digits, else the bounds."""
    if value is not None:
        return f"{value:.{SIGNIFICANT_DIGITS}g}"
    if low is None or high is None:
        return ""
    return f"{low:.{SIGNIFICANT_DIGITS}g}..{high:.{SIGNIFICANT_DIGITS}g}"


def claim_ids(category: str, unit: str, counted: str | None, country_code: str | None,
              value: float | None, low: float | None, high: float | None) -> tuple[str, str]:
    """(claim_id, topic_id) of a figure: 12 hex digits of the SHA-1 of its key."""
    topic = f"{category}|{unit}|{counted_class(counted) or ''}|{country_code or ''}"
    return _hash(f"{topic}|{value_bucket(value, low, high)}"), _hash(topic)


def _hash(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:12]
