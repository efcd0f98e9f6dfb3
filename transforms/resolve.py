"""Resolve mentions across articles into entities with stable ids.

Mentions of one real-world entity in different articles are merged when their canonical
names agree after folding (case, accents, apostrophes: "Jovenel Moise" / "Jovenel Moïse";
letters that decompose into no base letter too, "Lodz" / "Łódź", by anyascii's transliteration),
when an organisation name differs only in how it names its country ("Haiti National Police" /
"Haitian National Police"), when an unknown place name is one letter from a known one
("Lousiana" / "Louisiana"), or, for people, when the surname agrees and the given names are
within a small edit distance ("Anthony" / "Antony Blinken"). Two people who only share a
surname are never merged; a bare surname joins a person only when exactly one person with
that surname is known.

The merged entity's canonical is a place's known name, then a person's full name over a bare
surname, then the spelling (names that fold alike count as one) used in clearly the most
articles, then mentions (more than twice as often as each other), else the longest spelling; of
that spelling's forms, the one with diacritics, then the most used, then the longest, then the
first alphabetically. Counts choose a spelling by a clear majority only, so that a few more
articles do not rename an entity. Its id is a hash of type and canonical, so the same inputs
always give the same ids. Its kind and country are what the gazetteers say of its canonical name
(``entity_kind``, ``places.place_country``).

>>> from transforms.records import Mention
>>> a = [Mention(0, 15, "Anthony Blinken", "PERSON", "Anthony Blinken")]
>>> b = [Mention(0, 14, "Antony Blinken", "PERSON", "Antony Blinken")]
>>> c = [Mention(0, 14, "Antony Blinken", "PERSON", "Antony Blinken")]
>>> entities, ids = resolve_entities({"a": a, "b": b, "c": c})
>>> [(e.canonical, e.aliases, e.n_mentions, e.n_articles) for e in entities]
[('Antony Blinken', ('Anthony Blinken', 'Antony Blinken'), 3, 3)]
>>> ids["a"] == ids["b"] == [entities[0].entity_id]
True
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from anyascii import anyascii

from transforms import gazetteer as gz
from transforms.lexicon import LexiconError
from transforms.places import place_country
from transforms.schemas import ENTITY_KINDS

_PUNCTUATION = re.compile(r"['’`.]")
_SPACES = re.compile(r"[\s\-]++")


class NamedMention(Protocol):
    """What resolution reads of a mention: a ``Mention`` or a table row's few strings."""

    @property
    def type(self) -> str: ...
    @property
    def canonical(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity across the articles of a run."""

    entity_id: str             # sha1(type + ":" + canonical), first 12 hex digits
    canonical: str
    type: str                  # PERSON, ORG, GPE, LOC, NORP
    kind: str | None           # one of schemas.ENTITY_KINDS, None when no gazetteer names it
    country_code: str | None   # ISO 3166-1 alpha-3 of the country a place or nationality is in
    aliases: tuple[str, ...]   # sorted distinct surface forms
    n_mentions: int
    n_articles: int


def entity_id(type_: str, canonical: str) -> str:
    """Stable id of an entity.

    >>> entity_id("GPE", "Kenya")
    '21f399103684'
    """
    return hashlib.sha1(f"{type_}:{canonical}".encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class NameUse:
    """How the mentions of a run use one name (a type and a canonical): all resolution reads of them."""

    articles: int              # articles with a mention of it
    mentions: int
    texts: frozenset[str]      # its mentions' surface forms


def resolve_entities(
    mentions_by_article: Mapping[str, Sequence[NamedMention]],
) -> tuple[list[Entity], dict[str, list[str]]]:
    """Entities sorted by (type, canonical), and each article's entity ids in mention order."""
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    mentions: Counter[tuple[str, str]] = Counter()
    texts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article, named in mentions_by_article.items():
        for mention in named:
            name = (mention.type, mention.canonical)
            articles[name].add(article)
            mentions[name] += 1
            texts[name].add(mention.text)
    uses = {name: NameUse(len(articles[name]), mentions[name], frozenset(texts[name])) for name in articles}
    entity_of = resolve_names(uses, lambda clusters: [len(set().union(*(articles[n] for n in names)))
                                                      for names in clusters])
    entities = sorted(set(entity_of.values()), key=lambda e: (e.type, e.canonical, e.entity_id))
    ids = {article: [entity_of[(m.type, m.canonical)].entity_id for m in named]
           for article, named in mentions_by_article.items()}
    return entities, ids


def resolve_names(uses: Mapping[tuple[str, str], NameUse],
                  articles_of: Callable[[list[list[tuple[str, str]]]], list[int]]) -> dict[tuple[str, str], Entity]:
    """The entity of each (type, canonical) name. ``articles_of(clusters)``: for each list of names,
    how many articles mention any of them (asked once, of the clusters of more than one name)."""
    members: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for name, root in _clusters(list(uses)).items():
        members[root].append(name)
    merged = [names for names in members.values() if len(names) > 1]
    n_articles = {names[0]: count for names, count in zip(merged, articles_of(merged))}
    entity_of = {}
    for root, names in members.items():
        entity = _entity(root[0], {name[1]: uses[name] for name in names},
                         n_articles.get(names[0], uses[names[0]].articles))
        for name in names:
            entity_of[name] = entity
    return entity_of


def _entity(type_: str, uses: Mapping[str, NameUse], n_articles: int) -> Entity:
    """The entity of one cluster: ``uses`` of each of its canonical names."""
    canonical = next(iter(uses)) if len(uses) == 1 else _canonical(type_, uses)
    return Entity(
        entity_id=entity_id(type_, canonical),
        canonical=canonical,
        type=type_,
        kind=entity_kind(type_, canonical),
        country_code=place_country(type_, canonical),
        aliases=tuple(sorted(set().union(*(use.texts for use in uses.values())))),
        n_mentions=sum(use.mentions for use in uses.values()),
        n_articles=n_articles,
    )


def _canonical(type_: str, uses: Mapping[str, NameUse]) -> str:
    """The name a cluster goes by (see the module's docstring). Counts decide only by a clear
    majority and only between spellings that differ in more than case and marks, so that a few
    more articles do not rename an entity (its id changes, and every article naming it is linked
    again) where a structural preference exists.

    >>> use = lambda n: NameUse(n, n, frozenset())
    >>> _canonical("PERSON", {"Abbott": use(5), "Tony Abbott": use(2)})
    'Tony Abbott'
    >>> _canonical("PERSON", {"Jovenel Moise": use(5), "Jovenel Moïse": use(1), "Jovenel Moyse": use(3)})
    'Jovenel Moïse'
    >>> [_canonical("PERSON", {"Rober Mercer": use(n), "Robert Mercer": use(10)}) for n in (10, 11, 21)]
    ['Robert Mercer', 'Robert Mercer', 'Rober Mercer']
    """
    known = {c for c in uses if type_ in ("GPE", "LOC") and _is_known_place((type_, c))}  # over a misspelling
    spellings: dict[str, list[str]] = defaultdict(list)     # the names that fold alike
    for name in uses:
        spellings[_fold(name)].append(name)
    groups = _preferred(list(spellings.values()), lambda names: bool(known.intersection(names)))
    if type_ == "PERSON":
        groups = _preferred(groups, lambda names: " " in names[0])          # a full name over a bare surname
    groups = _clear_majority(groups, lambda names: sum(uses[c].articles for c in names))
    groups = _clear_majority(groups, lambda names: sum(uses[c].mentions for c in names))
    forms = min(groups, key=lambda names: (-len(_fold(names[0])), _fold(names[0])))
    return min(forms, key=lambda c: (c not in known, -_non_ascii(c), -uses[c].articles, -uses[c].mentions, -len(c), c))


def _preferred(candidates: list, good: Callable[[Any], bool]) -> list:
    """The good candidates when there are any, else all of them."""
    return [c for c in candidates if good(c)] or candidates


def _clear_majority(candidates: list, count: Callable[[Any], int]) -> list:
    """The candidates not clearly outnumbered: counted more than half as often as the most counted."""
    top = max(count(c) for c in candidates)
    return [c for c in candidates if 2 * count(c) > top]


def _kinds() -> dict[tuple[str, str], str]:
    """(type, canonical) -> kind, from the gazetteer's entries (its first source wins, as in look-ups)."""
    kinds: dict[tuple[str, str], str] = {}
    for entry in gz.NAMES.values():
        kinds.setdefault((entry.type, entry.canonical), _KIND_NAMES.get(entry.kind, entry.kind))
    unknown = sorted(set(kinds.values()) - set(ENTITY_KINDS))
    if unknown:
        raise LexiconError(f"entity kinds outside the contract (schemas.ENTITY_KINDS): {unknown}")
    return kinds


_KIND_NAMES = {"demonym": "nationality"}    # the gazetteer's name of a kind -> the contract's
_KINDS = _kinds()


def entity_kind(type_: str, canonical: str) -> str | None:
    """What the gazetteers know an entity as: a person, a country, a city, an NGO, ...

    >>> entity_kind("ORG", "Human Rights Watch"), entity_kind("NORP", "Kenya"), entity_kind("GPE", "Nairobi")
    ('ngo', 'nationality', 'city')
    >>> entity_kind("PERSON", "William Ruto"), entity_kind("ORG", "Acme Widgets")
    ('person', None)
    """
    return "person" if type_ == "PERSON" else _KINDS.get((type_, canonical))


class _UnionFind:
    """Clusters of names; the smallest name is each cluster's root, so results are stable."""

    def __init__(self, names):
        self.parent = {name: name for name in names}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _clusters(names: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each (type, canonical) mapped to its cluster's root (type, canonical)."""
    clusters = _UnionFind(names)
    by_key: dict[tuple[str, str], tuple[str, str]] = {}
    for name in sorted(names):
        key = (name[0], _key(*name))
        if key in by_key:
            clusters.union(by_key[key], name)
        else:
            by_key[key] = name
    _merge_people(sorted(n for n in names if n[0] == "PERSON"), clusters)
    _merge_misspelt_places(sorted(n for n in names if n[0] in ("GPE", "LOC")), clusters)
    return {name: clusters.find(name) for name in names}


_MIN_MISSPELT = 7  # letters: shorter names one letter apart are often two places (Iran, Iraq)


def _merge_misspelt_places(places: list[tuple[str, str]], clusters: _UnionFind) -> None:
    """A place name that no gazetteer knows, one letter from exactly one known place's name of
    the same type, is a misspelling of it ("Lousiana", "Magnitigorsk").

    Candidates come from one-letter deletions of the folded names (a deletion of each side
    meets for a substitution, a name meets the other's deletion for an insertion), so no name
    is compared with every other.
    """
    known: dict[str, list[tuple[str, str]]] = defaultdict(list)
    unknown = []
    for name in places:
        folded = _fold(name[1])
        if _is_known_place(name):
            for variant in _deletions(folded) | {folded}:
                known[variant].append(name)
        elif len(folded) >= _MIN_MISSPELT:
            unknown.append((name, folded))
    for name, folded in unknown:
        matches = {k for variant in _deletions(folded) | {folded} for k in known.get(variant, ())
                   if k[0] == name[0] and _edit_distance(folded, _fold(k[1])) <= 1}
        if len({clusters.find(k) for k in matches}) == 1:
            clusters.union(name, matches.pop())


def _is_known_place(name: tuple[str, str]) -> bool:
    tokens = gz.tokens_of(name[1])
    entry = gz.lookup(tokens) if tokens else None
    return entry is not None and entry.type == name[0]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _merge_people(people: list[tuple[str, str]], clusters: _UnionFind) -> None:
    """Same surname and close given names: one person. A bare surname joins a unique person."""
    by_surname: dict[str, list[tuple[str, str]]] = defaultdict(list)
    words = {name: _fold(name[1]).split() for name in people}
    for name in people:
        if words[name]:
            by_surname[words[name][-1]].append(name)
    for names in by_surname.values():
        full = [n for n in names if len(words[n]) > 1]
        for i, a in enumerate(full):
            for b in full[i + 1:]:
                if _close_given_names(words[a][:-1], words[b][:-1]):
                    clusters.union(a, b)
        bare = [n for n in names if len(words[n]) == 1]
        if bare and full and len({clusters.find(n) for n in full}) == 1:
            for n in bare:
                clusters.union(n, full[0])


def _close_given_names(a: list[str], b: list[str]) -> bool:
    """Given names that are spelling variants: same count, each within a small edit distance."""
    if len(a) != len(b) or not a:
        return False
    for x, y in zip(a, b):
        limit = 2 if min(len(x), len(y)) >= 7 else 1
        if x != y and (abs(len(x) - len(y)) > limit or _edit_distance(x, y) > limit):   # lengths: a lower bound
            return False
    return True


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short, so the quadratic table is fine).

    >>> _edit_distance("anthony", "antony")
    1
    """
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _key(type_: str, canonical: str) -> str:
    """Folded canonical; an organisation's country word becomes its code (Haiti/Haitian)."""
    folded = _fold(canonical)
    if type_ != "ORG" or " " not in canonical:
        return folded
    words = []
    for word in canonical.split():
        entry = gz.lookup((word,))
        code = gz.country_code(entry.canonical) if entry and entry.type in ("GPE", "NORP") else None
        words.append(code or _fold(word))
    return " ".join(words)


@lru_cache(maxsize=1 << 16)   # a corpus names the same entities over and over
def _fold(name: str) -> str:
    """Case, accents, apostrophes and hyphens folded away: "Sing'Oei" == "SingOei".

    Letters are transliterated, not only stripped of their marks, so that ł, ø, đ and ß,
    which Unicode does not decompose, fold too.

    >>> _fold("Łódź"), _fold("Øresund"), _fold("Đorđe"), _fold("Straße"), _fold("Sing’Oei")
    ('lodz', 'oresund', 'dorde', 'strasse', 'singoei')
    """
    if not name.isascii():
        name = anyascii(name)
    return _SPACES.sub(" ", _PUNCTUATION.sub("", name.casefold())).strip()


def _non_ascii(name: str) -> int:
    return sum(1 for c in name if ord(c) > 127)
