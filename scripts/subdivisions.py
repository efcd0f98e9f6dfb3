"""Regenerate ``transforms/data/subdivisions.tsv`` from pycountry's ISO 3166-2 data.

Only names that are safe to read as a place when they stand alone are kept: a common English
word (``common_words.tsv``), a country name, a name with a compass or landform word ("Eastern
Cape", "Red Sea"), a name that needs punctuation or lower-case words to be written
("Asturias, Principado de", "Bay of Plenty"), a short one, and a second subdivision of the same
name (the first in ISO code order stays) would each mislead more than they find.

    .venv/bin/python -m scripts.subdivisions
"""
from __future__ import annotations

import pycountry
import regex

from scripts.derived_file import package_version, render, write
from transforms.lexicon import load_words

KINDS = frozenset({
    "administrative region", "autonomous community", "autonomous province", "autonomous region",
    "autonomous republic", "country", "county", "department", "division", "emirate",
    "federal territory", "governorate", "prefecture", "province", "region", "republic", "state",
    "territory",
})
# Words of compass, position and landform: a name holding one reads as a description.
GENERIC = frozenset({
    "Bay", "Capital", "Central", "Centre", "City", "Coast", "Delta", "East", "Eastern", "Est",
    "Far", "Grande", "Greater", "Gulf", "Highlands", "Island", "Islands", "Lakes", "Littoral",
    "Maritime", "National", "New", "Nord", "North", "Northern", "Ouest", "Plateau", "River",
    "Saint", "San", "Santa", "Savanes", "Sea", "South", "Southern", "Sud", "Upper", "West",
    "Western",
})
MIN_LETTERS = 4
# Words that each open with a capital (a hyphen may join a lower-case part: Gyeonggi-do);
# "'" and "’" may stand inside a word, "‘" (an ayin, often typed otherwise) may not.
_WRITTEN_PLAINLY = regex.compile(r"\p{Lu}[\p{L}\p{M}'’-]*+(?: \p{Lu}[\p{L}\p{M}'’-]*+)*+")


def country_names() -> frozenset[str]:
    return frozenset(getattr(country, attribute) for country in pycountry.countries
                     for attribute in ("name", "common_name", "official_name")
                     if hasattr(country, attribute))


def is_kept(name: str, common: frozenset[str], countries: frozenset[str]) -> bool:
    """A first-level subdivision name that may stand for its place on its own.

    >>> is_kept("Abruzzo", frozenset(), frozenset()), is_kept("Eastern Cape", frozenset(), frozenset())
    (True, False)
    """
    return (_WRITTEN_PLAINLY.fullmatch(name) is not None
            and len(regex.sub(r"\P{L}", "", name)) >= MIN_LETTERS
            and name.casefold() not in common
            and name not in countries
            and GENERIC.isdisjoint(regex.split(r"[ '’-]", name)))


def subdivisions(common: frozenset[str] | None = None) -> list[tuple[str, str, str]]:
    """(name, alpha-3 country code, kind) rows, sorted by name; ``common`` defaults to
    ``common_words.tsv``."""
    common = load_words("common_words.tsv") if common is None else common
    countries = country_names()
    seen: set[str] = set()
    rows = []
    for subdivision in pycountry.subdivisions:
        kind = subdivision.type.lower()
        if subdivision.parent_code is not None or kind not in KINDS:
            continue
        name = subdivision.name
        if name not in seen and is_kept(name, common, countries):
            country = pycountry.countries.get(alpha_2=subdivision.country_code)
            rows.append((name, country.alpha_3, kind))
        seen.add(name)
    return sorted(rows)


def derive() -> str:
    header = [
        "First-level subdivisions (states, provinces, regions, counties, departments...) as GPE.",
        f"Source: pycountry {package_version('pycountry')} ISO 3166-2 data (from Debian's iso-codes);"
        " licence LGPL-2.1.",
        f"Rule: top-level entries of those kinds whose names are {MIN_LETTERS}+ letters written"
        " without punctuation or",
        "lower-case words, not common English words (common_words.tsv), not a country name, with"
        " no generic",
        "geographic word (Centre, Nord, Western, Coast...), first of each name in ISO code order."
        " Used only when",
        "the name stands alone (not inside a longer capitalised name) and nothing marks it as a"
        " person.",
        "Regenerate: .venv/bin/python -m scripts.subdivisions",
        "Read by: transforms/gazetteer.py, transforms/places.py",
    ]
    return render(header, ["name", "country", "kind"], subdivisions())


if __name__ == "__main__":
    write("subdivisions.tsv", derive)
