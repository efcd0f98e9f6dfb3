"""Claims: the figures of any articles that report the same fact.

A *topic* is one (category, unit, counted class, country); ``topic_id`` hashes it, so it
depends on a figure's row alone. A *claim* is a group of one topic's figures that report
agreeing values at about the same time. Grouping reads every figure of the run at once
(``group_claims``, after extraction, like entity resolution), in three steps:

1. values: a figure's bounds are a range's low and high, else its value. Sorted by bounds,
   one topic's figures join a group while the group's largest lower bound is at most
   ``VALUE_TOLERANCE`` above its smallest upper bound (relative to the larger of the two), so
   any two of them agree within the tolerance or overlap ("300-400" and 360), and a chain of
   values each a little above the last never drifts into one group. A vague magnitude
   ("hundreds of thousands": no value) joins only the same vague magnitude: its bounds would
   overlap every value of the topic.
2. dates: a value group's figures with a published date split into windows: sorted by date,
   a window holds the dates at most ``DATE_WINDOW_DAYS`` after its first, so figures further
   apart than that are never one claim.
3. undated figures join by the other keys: the window of their value group with the most
   figures (the earliest on a tie); a value group without dates is one claim.

The parameters are data (``claim_grouping.tsv``). ``claim_id`` hashes the topic, the claim's
smallest bound (a vague magnitude: both bounds) and its first published date, which no other
claim of the topic shares: it depends on the claim's figures only, not on the order they are
read in, so it is the same on every run over unchanged inputs; a new figure changes it only
when it lowers the claim's smallest bound or its first date, or joins two claims.

A topic's valued figures sorted by bounds fall into *segments*: a figure starts a new one when
its lower bound disagrees even with the smaller of its and the figure before's upper bounds
(``transforms.tables.value_segments``). Step 1 always starts a group there (the group's smallest upper bound is
at most that one, and a smaller one only disagrees more), so a segment is grouped the same
alone as with its topic: an incremental run groups again only the segments whose figures
changed (``transforms.tables.figure_claims``), but for new figures that each repeat one of its
figures' value, bounds and date (``transforms.tables.regrouped``). Each vague magnitude is a segment of its own.

- counted class: ``claim_counted_classes.tsv`` (officer, police and personnel are one class),
  a nationality noun (``demonyms.tsv``: "haitian") is a person, any other noun its own class.

>>> counted_class("police"), counted_class("haitian"), counted_class("tonne"), counted_class(None)
('officer', 'person', 'tonne', None)
>>> topic_id("displacement", "count", "individual", "HTI") == topic_id("displacement", "count", "person", "HTI")
True
>>> haiti = topic_key("displacement", "count", "person", "HTI")
>>> figures = [ClaimFigure(haiti, 362000.0, None, None, None), ClaimFigure(haiti, 360000.0, None, None, None),
...            ClaimFigure(haiti, 580000.0, None, None, None)]
>>> a, b, c = group_claims(figures)
>>> a == b, a == c
(True, False)
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from transforms.lexicon import load_tsv


def _parameters() -> dict[str, str]:
    return {row["parameter"]: row["value"] for row in load_tsv("claim_grouping.tsv", required=("parameter", "value"))}


DATE_WINDOW_DAYS = int(_parameters()["date_window_days"])
VALUE_TOLERANCE = float(_parameters()["value_tolerance"])


def _classes() -> dict[str, str]:
    classes = {row["demonym"].lower(): "person" for row in load_tsv("demonyms.tsv", required=("demonym",))}
    classes.update((row["counted"], row["class"])
                   for row in load_tsv("claim_counted_classes.tsv", required=("counted", "class")))
    return classes


_CLASS_OF = _classes()


def counted_class(counted: str | None) -> str | None:
    """The class of a counted noun (itself when the lexicon names none)."""
    return _CLASS_OF.get(counted, counted) if counted is not None else None


def topic_key(category: str, unit: str, counted: str | None, country_code: str | None) -> str:
    """What a topic is: category, unit, counted class and country, as one string."""
    return f"{category}|{unit}|{counted_class(counted) or ''}|{country_code or ''}"


def topic_id(category: str, unit: str, counted: str | None, country_code: str | None) -> str:
    """A figure's topic: 12 hex digits of the SHA-1 of its ``topic_key``."""
    return _hash(topic_key(category, unit, counted, country_code))


@dataclass(frozen=True, slots=True)
class ClaimFigure:
    """What claim grouping reads of a figure."""

    topic: str                  # its topic_key
    value: float | None         # null: a vague magnitude
    low: float | None
    high: float | None
    published: date | None      # its article's publication date
    segment: int = 0            # figures of two segments of a topic are never one claim


def group_claims(figures: Sequence[ClaimFigure]) -> list[str]:
    """The ``claim_id`` of each of ``figures`` (every figure of a run, or whole segments of its
    topics), in their order."""
    by_topic: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, figure in enumerate(figures):
        by_topic[(figure.topic, figure.segment)].append(index)
    claims = [""] * len(figures)
    for (topic, _), members in by_topic.items():
        for group in _value_groups(figures, members):
            for window in _date_windows(figures, group):
                claim = _claim_id(topic, [figures[i] for i in window])
                for index in window:
                    claims[index] = claim
    return claims


def agree(top: float, bottom: float) -> bool:
    """Whether a largest lower bound ``top`` is within the tolerance of a smallest upper bound ``bottom``.

    >>> agree(362000.0, 360000.0), agree(580000.0, 362000.0), agree(360.0, 400.0), agree(0.0, 0.0)
    (True, False, True, True)
    """
    return top - bottom <= VALUE_TOLERANCE * max(abs(top), abs(bottom))


def _bounds(figure: ClaimFigure) -> tuple[float, float]:
    """A valued figure's lowest and highest value (its own value, unless it is a range)."""
    value = figure.value
    assert value is not None, "a vague magnitude is grouped by its bounds as they are"
    return (figure.low if figure.low is not None else value, figure.high if figure.high is not None else value)


def _value_groups(figures: Sequence[ClaimFigure], members: list[int]) -> list[list[int]]:
    """One topic's figures in groups of agreeing values (step 1)."""
    vague: dict[tuple, list[int]] = defaultdict(list)
    valued = []
    for index in members:
        figure = figures[index]
        if figure.value is None:
            vague[(figure.low, figure.high)].append(index)
        else:
            valued.append(index)
    groups = list(vague.values())
    current: list[int] = []
    top = bottom = 0.0
    for index in sorted(valued, key=lambda i: _bounds(figures[i])):
        low, high = _bounds(figures[index])
        if current and not agree(max(top, low), min(bottom, high)):
            groups.append(current)
            current = []
        top, bottom = (max(top, low), min(bottom, high)) if current else (low, high)
        current.append(index)
    return groups + [current] if current else groups


def _date_windows(figures: Sequence[ClaimFigure], group: list[int]) -> list[list[int]]:
    """A value group split by publication date (steps 2 and 3)."""
    windows: list[list[int]] = []
    undated = []
    for index in sorted(group, key=lambda i: figures[i].published or date.min):
        day = figures[index].published
        if day is None:
            undated.append(index)
            continue
        start = figures[windows[-1][0]].published if windows else None
        if start is None or (day - start).days > DATE_WINDOW_DAYS:
            windows.append([])
        windows[-1].append(index)
    if not windows:
        return [undated]
    max(windows, key=len).extend(undated)        # max keeps the first (earliest) of equals
    return windows


def _claim_id(topic: str, members: list[ClaimFigure]) -> str:
    first = min((f.published for f in members if f.published is not None), default=None)
    vague = members[0]
    bounds = (f"{vague.low!r}..{vague.high!r}" if vague.value is None
              else repr(min(_bounds(f)[0] for f in members)))
    return _hash(f"{topic}|{bounds}|{first.isoformat() if first else ''}")


def _hash(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:12]
