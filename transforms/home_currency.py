"""A bare "$" in an article filed from a country whose own currency is a dollar: that dollar.

Releases of governments and agencies write their own dollar as "$" ("CANBERRA, 4 May –
Australia's Foreign Minister announced $7.2 million"). The article's country is its dateline's
place (``transforms.dateline``); the rule holds only when the article never writes that
currency out (any form of it in ``figure_currencies.tsv``) and no agency credit sits in the
dateline ("OTTAWA, May 4 (Reuters) -"): wire copy marks the local dollar ("C$") and keeps "$"
for the US dollar. ``home_dollars.tsv`` lists the countries.

>>> home_dollar("CANBERRA, 4 May – Australia's Foreign Minister announced $7.2 million.")
'AUD'
>>> home_dollar("CANBERRA, 4 May – The A$10 million grant, worth $7 million, was announced."), \\
...     home_dollar("OTTAWA, May 4 (Reuters) - Canada pledged $5 million.")
(None, None)
"""
from __future__ import annotations

from collections.abc import Sequence

import regex

from transforms.dateline import find_dateline
from transforms.lexicon import load_tsv
from transforms.places import named_place_country
from transforms.quantities import MONEY_UNITS, currency_forms
from transforms.records import Figure

_HOME = {row["country"]: row["currency"] for row in load_tsv("home_dollars.tsv", required=("country", "currency"))}
assert set(_HOME.values()) <= MONEY_UNITS, "home_dollars.tsv names a currency figure_currencies.tsv does not"
_WRITTEN_OUT = {currency: regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(f) for f in currency_forms(currency))
                                        + r")(?![\p{L}])") for currency in set(_HOME.values())}
BARE = "$"


def home_dollar(text: str) -> str | None:
    """The currency a bare "$" of ``text`` means when it is not the US dollar, else None."""
    dateline = find_dateline(text)
    if dateline is None or dateline.place is None or "(" in dateline.text:
        return None
    currency = _HOME.get(named_place_country(dateline.place) or "")
    if currency is None or _WRITTEN_OUT[currency].search(text):
        return None
    return currency


def in_home_dollars(text: str, figures: Sequence[Figure]) -> list[Figure]:
    """``figures`` with the unit of each bare-"$" amount set to the article's home dollar."""
    currency = home_dollar(text) if BARE in text else None
    if currency is None:
        return list(figures)
    return [f._replace(unit=currency) if f.unit == "USD" and f.text.startswith(BARE) else f for f in figures]
