"""Name lookups for entity recognition, built once from ``transforms/data`` and pycountry.

Every known surface form is keyed by its token tuple (the same tokens ``entities`` cuts a
capitalised run into), so a run is matched by dict look-ups, longest first, never by a scan of
the gazetteer. When two sources know the same surface form, the first in this list wins:

1. countries (pycountry names, ``countries_extra.tsv`` canonical names and aliases)
2. regions and territories (``regions.tsv``)
3. organisations (``organisations.tsv``)
4. capitals and major cities (``cities.tsv``)
5. nationality adjectives and nouns (``demonyms.tsv``)
6. first-level subdivisions (``subdivisions.tsv``)
7. natural features: islands, rivers, mountain ranges, deserts (``natural_features.tsv``)
8. other cities of the world (``world_cities.tsv``, from GeoNames): a one-word name, like a
   subdivision's, only where it stands alone ("Magnitogorsk", but not "Allen" in "Greg Allen")

>>> lookup(("Kenyan",)).canonical, lookup(("U.S.",)).canonical, lookup(("UN",)).type
('Kenya', 'United States', 'ORG')
>>> country_code("Kenya"), country_code("Africa")
('KEN', None)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
import regex

from transforms.lexicon import LexiconError, load_tsv, load_words
from transforms.wordtrie import trie_pattern

# "al-Bulushi": the one name token that starts in lower case.
ARABIC_ARTICLES = ("al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ul")
ARABIC_ARTICLE = "(?:" + "|".join(ARABIC_ARTICLES) + ")-"
# One capitalised name token. Shared with transforms.entities so keys and runs agree.
# Branches that start alike share their first character, so a failed branch costs no re-read.
# In two parts, what follows the capital and what follows the Arabic article, so that
# ``entities`` can read a run's first character on its own (see its ``_run_bmp``).
CAPITAL_TOKEN_TAIL = r"""
        (?: \. (?: (?:\p{Lu}\.){1,7}+ (?![\p{L}\p{N}])                 # dotted acronym: U.N., U.S.
               | (?=[ ]\p{Lu}) )                                       # an initial: George W. Bush
          | [\p{L}\p{M}\p{N}]*+ (?:['’]\p{Lu}[\p{L}\p{M}]*+)*+           # Kenya, O'Neill, G20
            (?: -(?:\p{Ll}{1,3}-)?+ \p{Lu}[\p{L}\p{M}\p{N}]*+             # Port-au-Prince, Guinea-Bissau
                (?:['’]\p{Lu}[\p{L}\p{M}]*+)*+ )*+
            (?: (?<=s)['’](?=[ ]\p{Lu}) )?+ )                           # Workers' Party: a plural's
                                                                     # possessive inside a name
"""
ARABIC_TOKEN_TAIL = r"\p{Lu}[\p{L}\p{M}]*+"                             # Arabic article: al-Bulushi
NAME_TOKEN = rf"""
    (?: \p{{Lu}} {CAPITAL_TOKEN_TAIL}
      | {ARABIC_ARTICLE}{ARABIC_TOKEN_TAIL}
    )"""
# Lower-case words that may join capitalised tokens inside one name.
_CONNECTOR_ROWS = load_tsv("name_connectors.tsv", required=("word", "particle"))
CONNECTORS = frozenset(row["word"] for row in _CONNECTOR_ROWS)
NAME_PARTICLES = frozenset(row["word"] for row in _CONNECTOR_ROWS if row["particle"] == "yes")
CONNECTOR = f"(?:{trie_pattern(CONNECTORS)})"
_TITLE_WORD = regex.compile(r"[\p{L}\p{N}'’-]+")
_HYPHEN_BETWEEN_CAPITALS = regex.compile(r"(?<=(?<![\p{L}\p{N}])\p{Lu}\p{Ll}++)-(?=\p{Lu}\p{Ll})")
_KEY_TOKEN = regex.compile(rf"{NAME_TOKEN}|{CONNECTOR}(?![\p{{L}}])", regex.VERBOSE)


@dataclass(frozen=True, slots=True)
class Entry:
    """What a known surface form names."""

    type: str          # GPE, LOC, ORG or NORP
    canonical: str
    kind: str          # country, region, city, subdivision, demonym, or the organisation kind
    standalone: bool   # only trusted when the name is a capitalised run of its own


def tokens_of(name: str) -> tuple[str, ...] | None:
    """The run tokens of ``name``, or None when the name cannot occur as one run.

    >>> tokens_of("Port-au-Prince"), tokens_of("Bosnia and Herzegovina")
    (('Port-au-Prince',), ('Bosnia', 'and', 'Herzegovina'))
    """
    tokens = tuple(m.group() for m in _KEY_TOKEN.finditer(name))
    if "".join(tokens) != regex.sub(r"\s+", "", name) or not tokens:
        return None
    return tokens


def _aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


def _country_names() -> tuple[dict[str, str], dict[str, list[str]]]:
    """alpha-3 -> canonical name, and alpha-3 -> every surface form."""
    extra = {row["alpha3"]: row for row in load_tsv("countries_extra.tsv", required=("alpha3",))}
    canonical, surfaces = {}, {}
    for country in pycountry.countries:
        row = extra.get(country.alpha_3, {})
        name = row.get("canonical") or getattr(country, "common_name", None) or country.name
        canonical[country.alpha_3] = name
        forms = [name, country.name, getattr(country, "common_name", "")]
        surfaces[country.alpha_3] = [f for f in forms if f] + _aliases(row.get("aliases", ""))
    for alpha3, row in extra.items():  # codes pycountry lacks (Kosovo)
        if alpha3 not in canonical:
            canonical[alpha3] = row["canonical"]
            surfaces[alpha3] = [row["canonical"]] + _aliases(row.get("aliases", ""))
    return canonical, surfaces


def _definite_countries() -> frozenset[str]:
    """Canonical names of the countries English names with "the" ("the Philippines")."""
    canonical, _ = _country_names()
    return frozenset(canonical[row["alpha3"]] for row in load_tsv("countries_extra.tsv", required=("alpha3",))
                     if row.get("article") == "the")


def _city_countries() -> dict[str, str]:
    """A city's canonical name -> its country's canonical name (the first city of a name wins)."""
    canonical, _ = _country_names()
    countries: dict[str, str] = {}
    for name in ("cities.tsv", "world_cities.tsv"):
        for row in load_tsv(name, required=("name", "country")):
            countries.setdefault(row["name"], canonical[row["country"]])
    return countries


def _build() -> tuple[dict[tuple[str, ...], Entry], dict[str, str]]:
    names: dict[tuple[str, ...], Entry] = {}
    common = COMMON_WORDS
    unmatchable: list[str] = []

    def add(surface: str, entry: Entry, strict: bool = True, spaced_variant: bool = True) -> None:
        key = tokens_of(surface)
        if key is None:
            if strict:
                unmatchable.append(surface)
            return
        if len(key) == 1 and key[0].casefold() in common and entry.kind != "country" and not key[0].isupper():
            # an ordinary word ("Chad", "Bloomberg") is trusted only alone; an acronym ("WHO") everywhere
            entry = Entry(entry.type, entry.canonical, entry.kind, True)
        names.setdefault(key, entry)
        spaced = _HYPHEN_BETWEEN_CAPITALS.sub(" ", surface) if spaced_variant else surface
        if spaced != surface and (spaced_key := tokens_of(spaced)) is not None:
            names.setdefault(spaced_key, entry)  # "Guinea Bissau", "Timor Leste": a spelling variant

    country_canonical, country_surfaces = _country_names()
    codes = {name: code for code, name in country_canonical.items()}
    for code, forms in country_surfaces.items():
        entry = Entry("GPE", country_canonical[code], "country", False)
        for i, form in enumerate(forms):
            add(form, entry, strict=i >= 3)  # pycountry's formal names may not be runs
    regions = set()
    for row in load_tsv("regions.tsv", required=("name", "type")):
        regions.add(row["name"])
        entry = Entry(row["type"], row["name"], "region", False)
        for form in [row["name"], *_aliases(row["aliases"])]:
            add(form, entry, strict=form != row["name"])
    for row in load_tsv("organisations.tsv", required=("canonical", "kind")):
        entry = Entry("ORG", row["canonical"], row["kind"], False)
        add(row["canonical"], entry, strict=False)
        for form in _aliases(row["aliases"]):
            add(form, entry)
    for row in load_tsv("cities.tsv", required=("name", "country")):
        if row["country"] not in country_canonical:
            raise LexiconError(f"cities.tsv: unknown country code {row['country']}")
        entry = Entry("GPE", row["name"], "city", False)
        add(row["name"], entry, strict=False)
        for form in _aliases(row["aliases"]):
            add(form, entry)
    for row in load_tsv("demonyms.tsv", required=("demonym", "canonical")):
        if row["canonical"] not in codes and row["canonical"] not in regions:
            raise LexiconError(f"demonyms.tsv: {row['canonical']!r} is no country or region")
        entry = Entry("NORP", row["canonical"], "demonym", False)
        for form in [row["demonym"], *_aliases(row["plural"])]:
            add(form, entry)
    for row in load_tsv("subdivisions.tsv", required=("name", "country")):
        add(row["name"], Entry("GPE", row["name"], "subdivision", True), strict=False)
    for row in load_tsv("natural_features.tsv", required=("name", "kind")):
        entry = Entry("LOC", row["name"], "region", False)  # a region to the tables, as seas are
        for form in [row["name"], *_aliases(row["aliases"])]:
            add(form, entry)
    for row in load_tsv("world_cities.tsv", required=("name", "country")):
        entry = Entry("GPE", row["name"], "city", " " not in row["name"])
        for form in [row["name"], *_aliases(row["aliases"])]:
            add(form, entry, strict=False, spaced_variant=False)  # "Saint Louis" is rather St. Louis
    if unmatchable:
        raise LexiconError(f"names that cannot occur as one capitalised run: {unmatchable}")
    return names, codes


def _titles() -> dict[tuple[str, ...], str]:
    titles = {}
    for row in load_tsv("titles.tsv", required=("title", "family")):
        key = tuple(_TITLE_WORD.findall(row["title"].casefold()))
        titles[key] = row["family"]
    return titles


_STOP_ROWS = load_tsv("stop_capitalised.tsv", required=("word", "kind"))
STOP_WORDS = frozenset(row["word"] for row in _STOP_ROWS
                       if row["kind"] not in ("storm", "direction", "vessel", "religion"))
RELIGION_WORDS = frozenset(row["word"] for row in _STOP_ROWS if row["kind"] == "religion")
VESSEL_PREFIXES = frozenset(row["word"] for row in _STOP_ROWS if row["kind"] == "vessel")
STORM_WORDS = frozenset(row["word"] for row in _STOP_ROWS if row["kind"] == "storm")
DIRECTION_WORDS = frozenset(row["word"] for row in _STOP_ROWS if row["kind"] == "direction")
MONTH_WORDS = frozenset(row["word"] for row in _STOP_ROWS if row["kind"] == "month")
COMMON_WORDS = load_words("common_words.tsv")
NAMES, _COUNTRY_CODES = _build()
NAME_LENGTHS: dict[str, int] = {}  # first token -> most tokens of a name starting with it
for _key in NAMES:
    NAME_LENGTHS[_key[0]] = max(NAME_LENGTHS.get(_key[0], 0), len(_key))
TITLES = _titles()
MAX_TITLE_TOKENS = max(len(k) for k in TITLES)
TITLE_FIRST_TOKENS = frozenset(k[0] for k in TITLES)
ORG_HEADS = {row["word"]: row["position"]
             for row in load_tsv("org_suffixes.tsv", required=("word", "position", "lowercase"))}
_PLACE_HEAD_TYPES = {word: "GPE" if position == "town" else "LOC"  # the type of a name ending in one
                     for word, position in ORG_HEADS.items() if position in ("facility", "feature", "town")}
# "Abaco Islands", "Euphrates River": natural features whose name without the word names them too
FEATURE_HEADS = frozenset(word for word, position in ORG_HEADS.items() if position == "feature")
PLACE_HEADS = {word: type_ for word, type_ in _PLACE_HEAD_TYPES.items() if " " not in word}
# Two words that end a place's name where the last alone ends an organisation's: "the Ebor
# Reception Centre" is a place, "the National Emergency Operation Centre" an organisation
PLACE_HEAD_PAIRS = {tuple(word.split()): type_ for word, type_ in _PLACE_HEAD_TYPES.items() if " " in word}
FACILITY_HEADS = frozenset(PLACE_HEADS)
ORG_HEADS = {word: position for word, position in ORG_HEADS.items() if word not in _PLACE_HEAD_TYPES}
ORG_DESCRIPTORS = frozenset(word for word, position in ORG_HEADS.items() if position == "descriptor")
ORG_HEADS = {word: position for word, position in ORG_HEADS.items() if position != "descriptor"}
DEFINITE_COUNTRIES = _definite_countries()
# "PORTLAND, Ore., March 2 -": a region's abbreviation in a wire dateline, without its full stop
DATELINE_REGIONS = {row["abbrev"].rstrip("."): row["region"]
                    for row in load_tsv("dateline_regions.tsv", required=("abbrev", "region"))}
_CITY_COUNTRIES = _city_countries()
_NATIONAL_BODY_ROWS = load_tsv("national_bodies.tsv", required=("word", "alone", "form"))
NATIONAL_BODY_HEADS = frozenset(row["word"] for row in _NATIONAL_BODY_ROWS)   # "Ministry of Health"
NATIONAL_BODIES_ALONE = frozenset(row["word"] for row in _NATIONAL_BODY_ROWS if row["alone"] == "yes")
NATIONAL_BODIES_BY_ADJECTIVE = frozenset(row["word"] for row in _NATIONAL_BODY_ROWS if row["form"] == "adjective")
NATIONAL_BODY_COUNTRIES = {row["word"]: frozenset(row["countries"].split(";"))  # "Congress": whose bodies
                           for row in _NATIONAL_BODY_ROWS if row.get("countries")}
NATIONAL_BODY_NAMES = {(row["body"], row["country"]): row["official"]  # ("Parliament", "Iraq"): its name
                       for row in load_tsv("national_body_names.tsv", required=("body", "country", "official"))}
# "the Kelvo power plant": a lower-case phrase after a name that makes it a place, by its first word
PLACE_PHRASES: dict[str, dict[str, str]] = {}
for _row in load_tsv("place_phrases.tsv", required=("phrase", "type")):
    PLACE_PHRASES.setdefault(_row["phrase"].split()[0], {})[_row["phrase"]] = _row["type"]
# "Mount Kenya", "Gulf of Aden": the word that opens a natural feature's name -> whether "of" follows
PLACE_OPENERS = {row["word"]: row["of"] == "yes" for row in load_tsv("place_openers.tsv", required=("word", "of"))}
# "Foreign Ministry" -> "Ministry of Foreign Affairs": the portfolio's name where it is not the word itself
MINISTRY_PORTFOLIOS = {row["word"]: row["portfolio"]
                       for row in load_tsv("ministry_portfolios.tsv", required=("word", "portfolio"))}
BRANCHING_KINDS = frozenset({"media", "ngo", "company"})  # organisation kinds with named national branches
ORG_MODIFIERS = load_words("org_modifiers.tsv")  # "National Police": a name, not a description
LEGAL_FORMS = frozenset(word for word, position in ORG_HEADS.items() if position == "legal")
_LOWERCASE_HEADS = frozenset(row["word"] for row in load_tsv("org_suffixes.tsv") if row["lowercase"] == "yes")
LOWERCASE_ORG_HEADS = frozenset(word.casefold() for word in _LOWERCASE_HEADS if word in ORG_HEADS)
# "Maidan Wardak province", "the town of Kelvo": a place word in lower case, and its type
LOWERCASE_PLACE_HEADS = {word.casefold(): PLACE_HEADS[word] for word in _LOWERCASE_HEADS if word in PLACE_HEADS}


def lookup(key: tuple[str, ...]) -> Entry | None:
    """The entry for a token tuple; all-caps words also match their title-case form (NAIROBI)."""
    entry = NAMES.get(key)
    if entry is None and len(key) == 1 and len(key[0]) > 4 and key[0].isupper():
        entry = NAMES.get((key[0].title(),))
    return entry


def is_stop_word(token: str) -> bool:
    """Capitalised words that are never part of a name ("However", "Monday", "READ")."""
    return token in STOP_WORDS or (len(token) > 2 and token.isupper() and token.title() in STOP_WORDS)


def is_common_word(token: str) -> bool:
    """An ordinary English word, so its capital letter may only open a sentence or heading."""
    return token.casefold() in COMMON_WORDS


@cache
def title_family(title: str) -> str | None:
    """The role family of a title ("Kenya's President" -> head_of_state)."""
    words = tuple(_TITLE_WORD.findall(title.casefold()))
    for n in range(len(words), 0, -1):
        for start in range(len(words) - n + 1):
            family = TITLES.get(words[start:start + n])
            if family:
                return family
    return None


def country_of(canonical: str) -> str | None:
    """The country a place's canonical name lies in: a country itself, a city's country.

    >>> country_of("Kenya"), country_of("Nairobi"), country_of("Africa")
    ('Kenya', 'Kenya', None)
    """
    if canonical in _COUNTRY_CODES:
        return canonical
    return _CITY_COUNTRIES.get(canonical)


@cache
def _country_adjectives() -> dict[str, str]:
    """A country's canonical name -> the demonym that is a form of that name ("Philippine",
    not "Filipino"; none for "American"): the one sharing most of its first letters, two at least."""
    best: dict[str, tuple[int, str]] = {}
    for row in load_tsv("demonyms.tsv", required=("demonym", "canonical")):
        country, demonym = row["canonical"], row["demonym"]
        shared = next((k for k, (a, b) in enumerate(zip(country, demonym)) if a != b), min(len(country), len(demonym)))
        if shared >= 2 and shared > best.get(country, (1, ""))[0]:
            best[country] = (shared, demonym)
    return {country: demonym for country, (_, demonym) in best.items()}


def country_adjective(country: str) -> str:
    """The word a body named after its country opens with.

    >>> country_adjective("Philippines"), country_adjective("France"), country_adjective("United States")
    ('Philippine', 'French', 'United States')
    """
    return _country_adjectives().get(country, country)


def country_code(canonical: str) -> str | None:
    """ISO 3166-1 alpha-3 code of a country's canonical name, else None."""
    return _COUNTRY_CODES.get(canonical)
