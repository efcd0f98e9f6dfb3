"""Regenerate ``transforms/data/given_names.tsv``: common given names, a cue that a capitalised
pair such as "Tom Watson" names a person even where no title or speech verb says so.

The 1990 US Census first-name lists give each name's share of people; a name is kept when its
share in the male or female list reaches ``MIN_PERCENT``. A name that is also a common English
word ("Will", "Joy") or a one-word place or demonym of the gazetteers ("Georgia", "Israel") is
dropped: written with a capital it opens a sentence or names a place as often as a person. So is
a name whose share in the surname list is larger ("Morgan", "Wilson", "Merrill"): first in a pair,
it opens a firm named for its founders ("Morgan Stanley") as often as a person's name.

    .venv/bin/python -m scripts.given_names
"""
from __future__ import annotations

from importlib import resources

from scripts.common_words import gazetteer_names
from scripts.derived_file import package_version, render, write
from transforms.lexicon import load_words

MIN_PERCENT = 0.005  # share of people (per cent) a name needs in either census list
CENSUS_FILES = ("dist.male.first", "dist.female.first")
SURNAME_FILE = "dist.all.last"


def census_shares(file_name: str) -> dict[str, float]:
    """Folded name -> its share of people (per cent) in one census list."""
    lines = resources.files("names").joinpath(file_name).read_text(encoding="ascii").splitlines()
    return {written.lower(): float(percent) for written, percent, *_ in (line.split() for line in lines)}


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


def given_names() -> list[str]:
    """The given names, title case, sorted."""
    dropped = load_words("common_words.tsv") | gazetteer_names()
    return sorted(name.title() for name in census_first_names() if name not in dropped)


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
        "Licence: public domain (US Census Bureau data; a list of names, no text).",
        "Regenerate: .venv/bin/python -m scripts.given_names",
        "Read by: transforms/persons.py",
    ]
    return render(header, ["name"], [(name,) for name in given_names()])


if __name__ == "__main__":
    write("given_names.tsv", derive)
