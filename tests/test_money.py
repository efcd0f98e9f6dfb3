"""Money: the kind of a figure's quantity and its value in dollars at the ECB rates of its day."""
from __future__ import annotations

from datetime import date

import pytest

from transforms.money import quantity_kind, value_usd
from transforms.schemas import QUANTITY_KINDS, vocabulary


@pytest.mark.parametrize("unit, expected", [
    ("USD", "money"), ("KES", "money"), ("DEM", "money"), ("count", "count"), ("percent", "percent"),
    ("fraction", "fraction"), ("duration_days", "duration"), ("duration_years", "duration"), ("other", "measure"),
])
def test_quantity_kind(unit, expected):
    assert quantity_kind(unit) == expected


def test_every_contract_unit_has_a_kind():
    assert {quantity_kind(u) for u in vocabulary("figures", "unit")} == set(QUANTITY_KINDS) - {"money"}


@pytest.mark.parametrize("value, unit, day, expected", [
    (100.0, "EUR", date(2024, 5, 24), 108.4),          # ECB: 1 EUR = 1.0840 USD on 2024-05-24
    (100.0, "EUR", date(2024, 5, 25), 108.4),          # a Saturday: Friday's rate
    (1000.0, "GBP", date(2024, 5, 24), 1271.69),       # through the euro: 1000 / 0.85241 * 1.0840
    (5e6, "USD", None, 5e6),                           # dollars need no rate, nor a date
    (5e6, "USD", date(1990, 1, 2), 5e6),               # nor rates on their day (before the ECB's history)
    (100.0, "EUR", None, None),                        # no date, no rate
    (100.0, "KES", date(2024, 5, 24), None),           # a currency the ECB does not quote
    (100.0, "EUR", date(1990, 1, 2), None),            # before the ECB's history
    (None, "EUR", date(2024, 5, 24), None),            # a vague magnitude has no value
    (100.0, "count", date(2024, 5, 24), None),         # not money
])
def test_value_usd(value, unit, day, expected):
    assert value_usd(value, unit, day) == expected
