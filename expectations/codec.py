"""Validation results as plain JSON and back, with the Python types of their values kept, so that
results read back from a file merge into the same report as results just computed.

Containers and values that JSON has no type for are tagged: ``{"t": [...]}`` a tuple, ``{"d":
[[key, value], ...]}`` a dict (any keys, order kept), ``{"date": ...}``, ``{"datetime": ...}``,
``{"timedelta": microseconds}``, ``{"decimal": ...}``, ``{"bytes": hex}``, ``{"na": "NA"|"NaT"}``;
numpy scalars become Python ones. Anything else is kept as its ``repr`` (``{"repr": ...}``) and read
back as that text: a value shown in a report, never computed with.

>>> from datetime import date
>>> decoded(encoded({"a": (1, date(2024, 5, 1)), None: [2.5, "x"]}))
{'a': (1, datetime.date(2024, 5, 1)), None: [2.5, 'x']}
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd


def encoded(value: Any) -> Any:
    """``value`` as JSON-ready data (see the module's tags)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return encoded(value.item())
    if isinstance(value, list):
        return [encoded(v) for v in value]
    if isinstance(value, tuple):
        return {"t": [encoded(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[encoded(k), encoded(v)] for k, v in value.items()]}
    if value is pd.NA or value is pd.NaT:
        return {"na": "NA" if value is pd.NA else "NaT"}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, timedelta):
        return {"timedelta": value // timedelta(microseconds=1)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    return {"repr": repr(value)}


_TAGS = {
    "t": lambda items: tuple(decoded(v) for v in items),
    "d": lambda pairs: {decoded(k): decoded(v) for k, v in pairs},
    "na": lambda name: pd.NA if name == "NA" else pd.NaT,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "timedelta": lambda micros: timedelta(microseconds=micros),
    "decimal": Decimal,
    "bytes": bytes.fromhex,
    "repr": str,
}


def decoded(value: Any) -> Any:
    """What ``encoded`` made of a value, as that value again."""
    if isinstance(value, list):
        return [decoded(v) for v in value]
    if isinstance(value, dict):
        ((tag, inner),) = value.items()
        return _TAGS[tag](inner)
    return value
