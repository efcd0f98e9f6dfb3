"""Find entity mentions (PERSON, ORG, GPE, LOC, NORP) and resolve them within one article.

One compiled regex finds every capitalised run ("Kenyan President William Ruto",
"Quincy Institute for Responsible Statecraft", "U.N."); each run is cut into tokens and
segmented left to right. At each token the first rule that applies wins:

1. organisation by structure: capitalised words ending in an organisation head word
   ("... Council", "... Police", "Ministry of ...") with an optional "of/for ..." tail;
2. a known name, longest first (countries, regions, organisations, cities, demonyms,
   subdivisions; see ``transforms.gazetteer``), unless a natural feature's opening word
   makes a longer LOC ("Mount Kenya", "Gulf of Mexico");
3. a title or honorific ("President", "Secretary of State", "Amb"): skipped, never a span;
4. a stop word ("The", "Monday"): skipped;
5. anything else joins a name group, decided later: a person (by cues, see
   ``transforms.persons``), an acronym defined in the text or matching an organisation's
   initials, a later reference to a person named in full (surname only), or nothing.

Spans never overlap: a run is consumed left to right, so the longest name at the earliest
start wins. Headlines (title-case lines) only get known names, no structural guesses.

>>> [(m.text, m.type, m.canonical, m.title) for m in find_mentions(
...     "Kenyan President William Ruto met Biden. Ruto's UN-backed plan.")]  # doctest: +NORMALIZE_WHITESPACE
[('Kenyan', 'NORP', 'Kenya', None), ('William Ruto', 'PERSON', 'William Ruto', 'President'),
 ('Ruto', 'PERSON', 'William Ruto', None), ('UN', 'ORG', 'United Nations', None)]
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter

import regex

from transforms import gazetteer as gz
from transforms import persons
from transforms.dateline import find_dateline
from transforms.lexicon import load_words
from transforms.numbers import SPACED_SCALES
from transforms.patterns import BEYOND_BMP, fast, pattern_pair, word_ranges
from transforms.quantities import currency_forms, unit_forms
from transforms.records import Mention
from transforms.segment import title_case_headlines
from transforms.wordtrie import trie_pattern

_GAP = r"[ \t\u00a0]++"
_MORE_TOKENS = rf"(?: {_GAP} (?: {gz.CONNECTOR} {_GAP} ){{0,2}} {gz.NAME_TOKEN} )*+"  # "of the" between
_RUN = regex.compile(
    rf"""
    \b (?=\p{{Lu}}|{gz.ARABIC_ARTICLE})             # a word start; cheap first-characters filter
    {gz.NAME_TOKEN}
    {_MORE_TOKENS}
    """,
    regex.VERBOSE,
)
# The same scan on the stdlib engine (a third cheaper), for texts within the Basic Multilingual
# Plane, where its spelled-out classes (see ``transforms.patterns``) agree with ``regex``'s.
# It opens with the run's first character (a capital or an Arabic article's first letter), a
# class the engine looks for in C before it tries a match; ``\b`` before that character (a word
# character) is then "no word character before it", written out as ``regex``'s own ``\w`` over
# the plane, and the first token goes on by what that character was.


def _first_token_bmp() -> str:
    """``gz.NAME_TOKEN`` with its first character consumed: by that character, the rest."""
    by_letter: dict[str, list[str]] = {}
    for article in gz.ARABIC_ARTICLES:
        by_letter.setdefault(article[0], []).append(article[1:])
    first = "[\\p{Lu}" + "".join(by_letter) + "]"
    branches = [rf"(?<=\p{{Lu}}) {gz.CAPITAL_TOKEN_TAIL}"] + [
        f"(?<={letter}) (?:{'|'.join(rests)})- {gz.ARABIC_TOKEN_TAIL}" for letter, rests in by_letter.items()]
    return f"{first} (?<![{word_ranges()}]{first}) (?: " + "\n | ".join(branches) + "\n)"


@cache
def _run_bmp() -> re.Pattern:
    """The full scan on the stdlib engine, compiled at its first use (a fifth of a second)."""
    return fast(f"{_first_token_bmp()}\n{_MORE_TOKENS}", re.VERBOSE)


# Most texts have no run that opens on an Arabic article: for them the scan looks for capitals
# only (a fifth of the characters it stops at otherwise). An article at a word start before a
# hyphen and a capital (found from the hyphen, which the engine skips to in C) needs the full scan.
_RUN_CAPITAL_BMP = fast(rf"\p{{Lu}} (?<![{word_ranges()}]\p{{Lu}}) {gz.CAPITAL_TOKEN_TAIL} {_MORE_TOKENS}", re.VERBOSE)


def _arabic_start_bmp() -> str:
    by_length: dict[int, list[str]] = {}  # a look-behind has one width: one per article length
    for article in gz.ARABIC_ARTICLES:
        by_length.setdefault(len(article), []).append(article)
    behind = "|".join(f"(?<=(?<![{word_ranges()}])(?:{'|'.join(articles)})-)" for articles in by_length.values())
    return rf"-(?=\p{{Lu}})(?:{behind})"


_ARABIC_START_BMP = fast(_arabic_start_bmp())
_TOKEN = regex.compile(r"[^ \t\u00a0]++")  # a run's tokens are what its gaps separate
# An acronym in brackets; the definition starts at the space before the bracket if there is one.
# Opening with the bracket, the scan looks for it in C instead of trying every position.
_ACRONYM_DEFINITION = pattern_pair(r"\((?P<acronym>\p{Lu}[\p{L}\p{N}&]{1,9}+)\)")
# An acronym followed by its long form in brackets: "ISIS (Islamic State of Iraq and Syria)".
_ACRONYM_BEFORE_LONG_FORM = pattern_pair(r"(?<![\p{L}\p{N}])(?P<acronym>\p{Lu}[\p{Lu}&]{1,7}+)[ ]\(")
# The words before a bracketed acronym, read backwards to find the long form its letters spell.
_LONG_FORM_WORD = regex.compile(r"[\p{L}\p{M}\p{N}&'’.\-–]++")
_LONG_FORM_REACH = 120  # characters before the bracket: a long form of about twelve words
_LOWERCASE_HEAD = regex.compile(r"[ ](?P<head>\p{Ll}++)(?![\p{L}\-])")
# A place by context: "near Las Vegas", "in El Cajon" (only for groups with no person cue).
_LOCATIVE_BEFORE = regex.compile(r"(?<![\p{L}])(?:in|near|outside|across|throughout)[ ]++\Z")
# A person's affiliation right after a full name: " of the agency", " of USGS".
_OF_AFFILIATION = regex.compile(r"[ ]of[ ](?:the[ ]|\p{Lu})")
_LOWERCASE_HEADS = tuple(" " + head for head in gz.LOWERCASE_ORG_HEADS)  # a cheap pre-check
_LOCATIVE_WORDS = ("in", "near", "outside", "across", "throughout")               # _LOCATIVE_BEFORE's
_START, _END = attrgetter("start"), attrgetter("end")
# A storm's name after its storm word ("Hurricane Dorian"): no person, also when written alone.
_STORM_NAME = pattern_pair(
    rf"(?<![\p{{L}}])(?:{trie_pattern(gz.STORM_WORDS)})[ ]++(?P<name>\p{{Lu}}[\p{{L}}\p{{M}}]*+)")
# A currency symbol right after a country's short name ("US$", "NZ$") makes it part of the unit.
_CURRENCY_AFTER = ("$", " cent")


def _currency_names() -> dict[str, tuple[str, ...]]:
    """Currencies named by a country or people ("Tanzanian shillings", "Hong Kong dollars"): the
    name opening one after an amount is part of the figure, no mention ("2 billion Tanzanian
    shillings"; "a weaker U.S. dollar" names the country). By the name, the rest of each form."""
    rests: dict[str, set[str]] = {}
    for form in currency_forms(position="suffix"):
        name, _, rest = form.rpartition(" ")
        if name[:1].isupper() and rest.islower():
            rests.setdefault(name, set()).add(" " + rest)
    return {name: tuple(sorted(forms)) for name, forms in rests.items()}


_CURRENCY_NAMED = _currency_names()
_AMOUNT_BEFORE = regex.compile(  # a number or its scale word, then a space: "2 billion ", "300 "
    rf"(?:\d|\b(?:{trie_pattern(SPACED_SCALES)}))[ ]++\Z")
# A generational suffix after a full name, with its full stop: "Robert Hale, Jr.", "Noland Jr."
_GENERATION_SUFFIX = regex.compile(r",?+[ ](?P<suffix>[JS]r\.?+)(?![\p{L}\p{N}])")
_ACRONYM_SHAPE = regex.compile(r"\p{Lu}[\p{Lu}\p{N}&]{1,7}+")
# A web site named by its domain ("Znak.com", "Portfolio.hu"): a news site or company, an ORG.
# Opening with the dot, the scan skips to dots in C; the capitalised name is read back from there.
_DOMAIN_DOT = pattern_pair(r"(?<=[\p{L}\p{N}])\.(?:com|net|org|info|news|[a-z]{2})(?![\p{L}\p{N}]|\.[\p{L}\p{N}])")
_DOMAIN_NAME = regex.compile(r"(?<![\p{L}\p{N}\-.])\p{Lu}[\p{L}\p{N}\-]*+\Z")


# A name group: consecutive unexplained capitalised tokens inside a run, as the run plan's
# (token, start, end) tuples relative to the run, the run's start and whether it is in a headline;
# kept relative so that a run costs no per-token work until its group is looked at.
_Group = tuple[tuple[tuple[str, int, int], ...], int, bool]


def find_mentions(text: str) -> list[Mention]:
    """Entity mentions of ``text``, sorted by start, non-overlapping, canonical per article."""
    astral = BEYOND_BMP.search(text) is not None   # a character beyond the BMP: the ``regex`` scans
    found: list[Mention] = []
    groups: list[_Group] = []
    lone_places: list[int] = []  # indexes in ``found`` of ambiguous places standing alone
    generic: list[Mention] = []  # generic organisation names after "the" (``_generic_organisation``)
    none = len(text) + 1
    headlines = iter(title_case_headlines(text, astral))  # runs come in order: walk the headlines along
    headline_start, headline_end = next(headlines, (none, none))
    runs = _RUN if astral else _run_bmp() if _ARABIC_START_BMP.search(text) else _RUN_CAPITAL_BMP
    for run in runs.finditer(text):
        start = run.start()
        if start >= headline_end:
            headline_start, headline_end = next(headlines, (none, none))
            while headline_end <= start:
                headline_start, headline_end = next(headlines, (none, none))
        headline = headline_start <= start
        plan = _headline_plan(run.group()) if headline else _body_plan(run.group())
        if plan is _NOTHING:
            continue  # a stop word or title alone: the commonest run of all
        lone = plan.standalone
        if lone is not None:
            end = run.end()
            if not persons.speech_verb_near(text, start, end) and not _after_descriptor(text, start):
                found.append(Mention(start, end, text[start:end], lone.type, lone.canonical))
                if lone.type == "GPE":
                    lone_places.append(len(found) - 1)
                continue
        for s, e, surface, type_, canonical in plan.mentions:
            found.append(Mention(start + s, start + e, surface, type_, canonical))
            if type_ == "GPE" and (entry := gz.NAMES.get((surface,))) is not None and entry.standalone:
                lone_places.append(len(found) - 1)  # trusted in its run ("Bremen and Lodz")
        if not headline and len(plan.groups) == 1 and (named := _generic_organisation(text, start, run.group(), plan)):
            generic.append(named)  # "into the Recovery Fund": kept out of acronym learning
            continue
        for tokens in plan.groups:
            groups.append((persons.with_hyphenated_given_name(text, tokens, start), start, headline))
    acronyms = _defined_acronyms(text, found, astral)
    acronyms.update(_company_names(found))
    acronyms.update(_described_organisations(text, groups))
    resolved = _resolve_groups(text, groups, found, acronyms)
    if acronyms:
        _places_named_as_organisations(text, found, acronyms)
    if lone_places:
        _people_named_like_places(text, found, lone_places, _people_index(resolved))
    found += resolved + generic
    found = _surnames_named_like_towns(text, found)
    found += _web_sites(text, astral)
    found = _stationed_organisations(text, found)
    found += _numbered_units(text)
    found += _coded_armed_groups(text)
    found += _dateline_places(text, found)
    found = _resolve_organisations(found)
    found = _national_bodies_named(text, found)
    found = _without_non_entities(text, found, astral)
    found.sort(key=_END, reverse=True)  # by start, then longest first: two stable sorts
    found.sort(key=_START)
    found = _comma_joined_names(text, _without_overlaps(found))
    return _without_modifier_tails(text, _acronyms_inside_names(text, found))


# --- runs -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _RunPlan:
    """How a capitalised run is cut (rules 1-5), with offsets into the run's own text.

    A run's segmentation depends only on its text and on whether it stands in a headline,
    so plans are memoised; only a lone ambiguous name (``standalone``) still needs a look at
    the words around it, and without one being trusted the run falls back to the rest.
    """

    mentions: tuple[tuple[int, int, str, str, str], ...]  # (start, end, text, type, canonical)
    groups: tuple[tuple[tuple[str, int, int], ...], ...]  # name groups: (token, start, end)
    standalone: gz.Entry | None = None


_NOTHING = _RunPlan((), ())  # the plan of a run that yields nothing, compared by identity
_MEMO = 50_000  # entries of each bounded cache below: runs, names and organisations recur


def _run_plan(run: str, headline: bool) -> _RunPlan:
    if " " in run or "\t" in run or "\u00a0" in run:
        plan = _segment_run(run, headline)
        entry = gz.NAMES.get(tuple(_TOKEN.findall(run)))
        if entry is not None and entry.standalone:  # "New Jersey" alone, as "Georgia" alone
            return _RunPlan(plan.mentions, plan.groups, entry)
    else:
        plan = _single_token_plan(run)
    return _NOTHING if plan == _NOTHING else plan


# One cache per kind of line: a one-argument cache keys on the run's text itself.
@lru_cache(maxsize=_MEMO)
def _body_plan(run: str) -> _RunPlan:
    return _run_plan(run, False)


@lru_cache(maxsize=_MEMO)
def _headline_plan(run: str) -> _RunPlan:
    return _run_plan(run, True)


def _single_token_plan(word: str) -> _RunPlan:
    """The common case of a one-word run, with the same rules as ``_segment_run``."""
    if word in gz.NATIONAL_BODIES_ALONE:
        return _RunPlan(((0, len(word), word, "ORG", word),), ())
    entry = gz.NAMES.get((word,))
    if entry is None and word.isupper():
        entry = gz.lookup((word,))
    if entry is not None and not entry.standalone:
        return _RunPlan(((0, len(word), word, entry.type, entry.canonical),), ())
    if entry is None and "-" in word and (parts := _known_names_joined(word)):
        return _RunPlan(tuple((at, at + len(part), part, e.type, e.canonical) for at, part, e in parts), ())
    standalone = entry  # an ambiguous name (subdivision, ordinary word): trusted only alone,
    # and only when no speech verb is near (then it is a speaker's name, see ``find_mentions``)
    if word.casefold() in gz.TITLE_FIRST_TOKENS and (word.casefold(),) in gz.TITLES:
        return _RunPlan((), (), standalone)
    if not gz.is_stop_word(word) and word not in gz.CONNECTORS:
        return _RunPlan((), (((word, 0, len(word)),),), standalone)
    return _RunPlan((), (), standalone)


def _segment_run(run: str, headline: bool) -> _RunPlan:
    """Cut a capitalised run of several tokens into mentions and name groups (rules 1-5)."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(run)]
    words = [t for t, _, _ in tokens]
    n = len(tokens)
    has_head = not headline and any(w in gz.ORG_HEADS for w in words)
    has_place = not headline and (any(w in gz.PLACE_HEADS for w in words)
                                  or any(pair in gz.PLACE_HEAD_PAIRS for pair in zip(words, words[1:])))
    found: list[Mention] = []
    groups: list[tuple[tuple[str, int, int], ...]] = []
    group: list[tuple[str, int, int]] = []

    def close_group() -> None:
        if group:
            while group and group[-1][0] in gz.CONNECTORS:
                group.pop()
            if group:
                groups.append(tuple(group))
            group.clear()

    i = 0
    title_end = -1  # where the last title ended: a surname particle may open the name after it
    while i < n:
        word = words[i]
        if word in gz.CONNECTORS:
            name = i
            while name < n and words[name] in gz.NAME_PARTICLES:
                name += 1  # "de la Fuente", "van der Berg"
            if (group or i == title_end) and name > i and name < n and words[name] not in gz.CONNECTORS:
                group += tokens[i:name]  # "General da Silva Ramos"
                i = name
                continue
            close_group()
            i += 1
            continue
        if word in gz.VESSEL_PREFIXES and i + 1 < n and words[i + 1] not in gz.CONNECTORS:
            close_group()  # a ship's name ("MV Professor Albrecht Penck") names no entity
            while i < n and words[i] not in gz.CONNECTORS:
                i += 1
            continue
        if has_place and (end := _place_end(words, i)) and not _known_town(words, i, end):
            close_group()  # "Baghdad International Airport"; a town of that name wins ("Palm Bay")
            found.append(_mention(run, tokens[i][1], tokens[end - 1][2], _place_type(words, end),
                                  _place_canonical(words[i:end], run[tokens[i][1]:tokens[end - 1][2]])))
            i = end
            continue
        if has_head:
            end = _organisation_end(words, i)
            if end and _known_name(words, i, n)[0] < end:   # "Russian Federation" is a known place
                close_group()
                found.append(_organisation(run, tokens, i, end))
                i = end
                continue
        if "-" in word and gz.lookup((word,)) is None and (parts := _known_names_joined(word)):
            close_group()  # "the Peru-Bolivia border", "EU-Turkey talks": each name on its own
            found += [_mention(run, tokens[i][1] + at, tokens[i][1] + at + len(part), entry.type, entry.canonical)
                      for at, part, entry in parts]
            i += 1
            continue
        end, entry = _known_name(words, i, n)
        if not group and word in gz.PLACE_OPENERS and (feature_end := _feature_end(words, i, n)) > end:
            close_group()
            text = run[tokens[i][1]:tokens[feature_end - 1][2]]
            found.append(_mention(run, tokens[i][1], tokens[feature_end - 1][2], "LOC", text))
            i = feature_end
            continue
        if entry is None and word in gz.DIRECTION_WORDS and i + 1 < n:
            end, entry = _known_name(words, i + 1, n)  # "Northern Syria": a part of the place
            if entry is not None and entry.type in ("GPE", "LOC") and not entry.standalone:
                close_group()
                text = run[tokens[i][1]:tokens[end - 1][2]]
                found.append(_mention(run, tokens[i][1], tokens[end - 1][2], "LOC", text))
                i = end
                continue
            end, entry = i, None
        if entry is not None and entry.standalone and _trusted_in_run(words, i, end, n):
            entry = gz.Entry(entry.type, entry.canonical, entry.kind, False)
        if (not headline and entry is not None and entry.kind == "country" and len(group) >= 2
                and (end == n or words[end] in gz.CONNECTORS) and not _person_shaped(group)):
            start = group[0][1]  # "Relief Partners Portugal": a national branch of an unlisted organisation
            group.clear()
            found.append(_mention(run, start, tokens[end - 1][2], "ORG", run[start:tokens[end - 1][2]]))
            i = end
            continue
        if entry is not None and not entry.standalone:  # ambiguous names count only alone
            close_group()
            canonical = entry.canonical
            if (branch := _branch_end(words, entry, end, n)) > end:  # "BBC Africa", "Oxfam Portugal"
                end, entry = branch, gz.Entry("ORG", entry.canonical, entry.kind, False)
                canonical = run[tokens[i][1]:tokens[end - 1][2]]
            elif canonical in _PARENT_BODIES and (unit := _unit_end(words, end, n)) > end:  # "UN Radio"
                canonical = " ".join([canonical, *words[end:unit]])
                end = unit
            found.append(_mention(run, tokens[i][1], tokens[end - 1][2], entry.type, canonical))
            i = end
            continue
        end = _title_end(words, i, n)
        if end:
            close_group()
            i = title_end = end
            continue
        if (not headline and word in gz.MONTH_WORDS and i + 1 == n and group and i - len(group) == title_end
                and _person_shaped(group)):
            group.append(tokens[i])  # "Prime Minister Theresa May": a month ending a titled person's name
            i += 1
            continue
        if gz.is_stop_word(word):
            if group and not headline and _country_ends_run(words, i + 1, n):
                group.append(tokens[i])  # "Food First Portugal": a branch's name may hold one
            else:
                close_group()
            i += 1
            continue
        if (word in gz.NATIONAL_BODIES_ALONE and not group
                and (i + 1 == n or words[i + 1] in gz.CONNECTORS or gz.is_stop_word(words[i + 1]))):
            found.append(_mention(run, tokens[i][1], tokens[i][2], "ORG", word))  # "Parliament on Friday"
            i += 1
            continue
        group.append(tokens[i])
        i += 1
    close_group()
    return _RunPlan(tuple((m.start, m.end, m.text, m.type, m.canonical) for m in found), tuple(groups))


def _generic_organisation(text: str, start: int, run: str, plan: _RunPlan) -> Mention | None:
    """A run that is only an ordinary word and an organisation head word, right after a definite
    article, names an organisation ("into the Recovery Fund", "The Executive Council said"); a
    modifier that is a head word itself makes a generic compound ("the Trust Fund").

    The run must be the whole capitalised run: a tail after "and" ("Savings and Loan Association")
    or "of" is part of a longer name. The article must not follow "and", "&", "of" or "or", where
    the name would be the second half of a list or of a longer name.

    >>> _generic_organisation("paid into the Recovery Fund", 14, "Recovery Fund",
    ...                       _RunPlan((), ((("Recovery", 0, 8), ("Fund", 9, 13)),)))
    Mention(start=14, end=27, text='Recovery Fund', type='ORG', canonical='Recovery Fund', title=None)
    """
    group = plan.groups[0]
    if plan.mentions or len(group) != 2 or group[-1][2] != len(run):
        return None
    (modifier, at, _), (head, _, _) = group
    if (gz.ORG_HEADS.get(head) not in ("head", "lead") or not gz.is_common_word(modifier)
            or modifier in gz.ORG_HEADS or gz.TITLES.get((modifier.casefold(),)) or gz.lookup((modifier,)) is not None):
        return None
    if at == 0:
        if not _DEFINITE_BEFORE.search(text, max(0, start - 20), start):
            return None
    elif not (run.startswith("The ") and at == 4 and _SENTENCE_OPENS.search(text, max(0, start - 4), start)):
        return None
    return _mention(text, start + at, start + len(run), "ORG", organisation_canonical([modifier, head]))


# "the " after anything but a list's or a name's joint: "into the ", "from the ", a line's "the "
_DEFINITE_BEFORE = regex.compile(r"(?<![\p{L}\p{N}])(?<!(?:\band|&|\bof|\bor)[ ])the[ ]\Z")
_SENTENCE_OPENS = regex.compile(r"(?:\A|[.!?][\"”’)]?+[ ]++|\n[ \t]*+)\Z")


def _unit_end(words: list[str], end: int, n: int) -> int:
    """End index of the ordinary capitalised words after a parent body's short name that close
    the run and name one of its units ("UN Radio", "UN Peacekeeping"), or ``end``: no title, place
    or document follows ("UN Secretary-General", "UN Charter"; ``org_parent_bodies.tsv``)."""
    k = end
    while (k < min(n, end + 3) and words[k] not in gz.CONNECTORS and not gz.is_stop_word(words[k])
           and gz.is_common_word(words[k]) and gz.lookup((words[k],)) is None
           and words[k] not in _DOCUMENT_WORDS and not _title_end(words, k, n)):
        k += 1
    return k if k == n or words[k] == "and" else end  # not "UN Conference [on Trade ...]"


_PARENT_BODIES = load_words("org_parent_bodies.tsv")


def _country_ends_run(words: list[str], i: int, n: int) -> bool:
    """Whether a country's name starts at ``i`` and closes the run or its stretch before a connector."""
    if i >= n:
        return False
    end, entry = _known_name(words, i, n)
    return entry is not None and entry.kind == "country" and (end == n or words[end] in gz.CONNECTORS)


def _known_names_joined(word: str) -> list[tuple[int, str, gz.Entry]]:
    """Each part of a hyphenated word that joins known countries, peoples, towns or organisations
    ("Peru-Bolivia", "US-China", "EU-Turkey", "PKK-YPG"), with its offset in the word; none when
    a part is not one."""
    parts, at = [], 0
    for part in word.split("-"):
        entry = gz.lookup((part,))
        if entry is None or entry.type not in ("GPE", "NORP", "ORG") or entry.standalone:
            return []
        parts.append((at, part, entry))
        at += len(part) + 1
    return parts


def _person_shaped(group: list[tuple[str, int, int]]) -> bool:
    """No ordinary word and no particle among the words: a person's names ("Ana Maria [Portugal]")."""
    return not any(w.islower() or gz.is_common_word(w) for w, _, _ in group)


def _known_town(words: list[str], i: int, end: int) -> bool:
    """A known GPE is named by words[i:end] exactly."""
    known_end, entry = _known_name(words, i, end)
    return known_end == end and entry is not None and entry.type == "GPE"


def _feature_end(words: list[str], i: int, n: int) -> int:
    """End index of a natural feature's name opened by words[i] ("Mount Kenya", "Gulf of
    Aden"): its proper name runs to the next connector or stop word; 0 when there is none."""
    j = i + 2 if gz.PLACE_OPENERS[words[i]] else i + 1
    if j > n or (j == i + 2 and words[i + 1] != "of"):
        return 0
    end = j
    while end < n and words[end] not in gz.CONNECTORS and not gz.is_stop_word(words[end]):
        end += 1
    return end if end > j else 0


def _trusted_in_run(words: list[str], i: int, end: int, n: int) -> bool:
    """An ambiguous place name inside a longer run is trusted before a title ("Florida
    Governor Ron DeSantis"), after "of" ("the Western District of Texas"), or joined by
    "and"/"or" to a place ("Bremen and Lodz")."""
    return ((end < n and _title_end(words, end, n) > 0) or (i > 0 and words[i - 1] == "of")
            or (end + 1 < n and words[end] in _PLACE_LIST_JOINS and _place_from(words, end + 1, n) > 0)
            or (i > 1 and words[i - 1] in _PLACE_LIST_JOINS
                and any(_place_to(words, j, i - 1) for j in range(max(0, i - 5), i - 1))))


_PLACE_LIST_JOINS = frozenset({"and", "or"})


def _place_from(words: list[str], i: int, n: int) -> int:
    """End index of a known place starting at token ``i``, or 0."""
    end, entry = _known_name(words, i, n)
    return end if entry is not None and entry.type in ("GPE", "LOC") else 0


def _place_to(words: list[str], i: int, stop: int) -> bool:
    """A known place fills words[i:stop] exactly."""
    return _place_from(words, i, stop) == stop


def _known_name(words: list[str], i: int, n: int) -> tuple[int, gz.Entry | None]:
    """Longest gazetteer name starting at token ``i``: (end index, entry)."""
    longest = gz.NAME_LENGTHS.get(words[i])
    if longest is None:
        entry = gz.lookup((words[i],)) if words[i].isupper() else None
        if entry is None and words[i].isupper() and words[i].title() in gz.NAME_LENGTHS:
            return _capitals_name(words, i, n)
        return (i + 1, entry) if entry is not None else (i, None)
    for end in range(min(n, i + longest), i, -1):
        entry = gz.NAMES.get(tuple(words[i:end]))
        if entry is not None:
            return end, entry
    if words[i].isupper() and words[i].title() in gz.NAME_LENGTHS:  # "LA PAZ", though "LA Times" is known
        return _capitals_name(words, i, n)
    return i, None


def _capitals_name(words: list[str], i: int, n: int) -> tuple[int, gz.Entry | None]:
    """A name of several words written in capitals, as in a dateline ("NEW YORK", "LA PAZ"):
    the longest known name whose words, title-cased, match."""
    longest = gz.NAME_LENGTHS[words[i].title()]
    for end in range(min(n, i + longest), i + 1, -1):
        if all(w.isupper() for w in words[i:end]):
            entry = gz.NAMES.get(tuple(w.title() for w in words[i:end]))
            if entry is not None:
                return end, entry
    return i, None


def _title_end(words: list[str], i: int, n: int) -> int:
    """End index of the longest title starting at token ``i``, or 0."""
    first = words[i].casefold()
    if first not in gz.TITLE_FIRST_TOKENS:
        return 0
    for end in range(min(n, i + gz.MAX_TITLE_TOKENS), i, -1):
        if tuple(w.casefold() for w in words[i:end]) in gz.TITLES:
            return end
    return 0


def _branch_end(words: list[str], entry: gz.Entry, end: int, n: int) -> int:
    """End index of a national or regional branch named with a known organisation: an
    outlet's edition ("Firstpost America", "BBC Africa"), a charity's or company's national
    branch ("Oxfam Portugal", "Netto Poland"), a national society ("Philippine Red Cross").
    A UN body's country office stays two names ("IOM Haiti")."""
    if end >= n or words[end] in gz.CONNECTORS:
        return end
    if entry.type == "NORP":
        after_end, after = _known_name(words, end, n)
        return after_end if after is not None and after.type == "ORG" and after.kind == "ngo" else end
    if entry.type != "ORG" or entry.kind not in gz.BRANCHING_KINDS:
        return end
    place_end, place = _known_name(words, end, n)
    if place is None or place.type not in ("GPE", "LOC") or (entry.kind != "media" and place.kind != "country"):
        return end
    return place_end


def _place_end(words: list[str], i: int) -> int:
    """End index of a place name from ``i`` to the place head word that closes its stretch, or 0.

    "Baghdad International Airport", "Hong Kong Police Headquarters", "Davao City": the
    head word ends the capitalised stretch and at least one word comes before it (for a
    settlement word, one that is not an ordinary word); a pair of head words ("Reception
    Centre") needs one word before it too.
    """
    j = i
    while j < len(words) and words[j] not in gz.CONNECTORS and not gz.is_stop_word(words[j]):
        j += 1
    if j >= i + 3 and tuple(words[j - 2:j]) in gz.PLACE_HEAD_PAIRS:
        return j  # "the Ebor Reception Centre"; "the Reception Centre" is a description
    if j < i + 2 or words[j - 1] not in gz.PLACE_HEADS:
        return 0
    if gz.PLACE_HEADS[words[j - 1]] == "GPE" and all(gz.is_common_word(w) for w in words[i:j - 1]):
        return 0  # "the Autonomous Region", "the Western District": descriptions
    return j


def _place_canonical(words: list[str], name: str) -> str:
    """The canonical name of a place named by its head word: the gazetteer's, where it knows the
    whole name as a natural feature or region ("Euphrates River" is the Euphrates), else the name."""
    entry = gz.NAMES.get(tuple(words))
    return entry.canonical if entry is not None and entry.type == "LOC" else name


def _place_type(words: list[str], end: int) -> str:
    """The type of the place whose name ``_place_end`` ended at ``end``."""
    return gz.PLACE_HEAD_PAIRS.get(tuple(words[end - 2:end])) or gz.PLACE_HEADS[words[end - 1]]


def _organisation_end(words: list[str], i: int) -> int:
    """End index of an organisation name built on a head word, starting at ``i``, or 0.

    "Kenya Human Rights Commission", "U.S. Southern Command", "Ministry of Defence",
    "Quincy Institute for Responsible Statecraft". A single modifier must not be an ordinary
    word ("the Trust Fund" is a description, "Quincy Institute" a name), except before a military
    unit's plural word ("the Highland Rangers").
    """
    n = len(words)
    head = -1
    j = i
    while j < n and words[j] not in gz.CONNECTORS and not gz.is_stop_word(words[j]):
        if words[j] in gz.ORG_HEADS:
            head = j
        j += 1
    if head < 0:
        return 0
    modifiers = words[i:head]
    position = gz.ORG_HEADS[words[head]]
    end = _organisation_tail_end(words, head + 1)
    if not modifiers:
        return end if position not in ("head", "unit") and end > head + 1 else 0
    if position == "opening":
        return 0
    if (len(modifiers) == 1 and end == head + 1 and position not in ("legal", "unit")
            and gz.is_common_word(modifiers[0])
            and gz.lookup((modifiers[0],)) is None and modifiers[0] not in gz.ORG_MODIFIERS):
        return 0  # "the Trust Fund" is a description; "the Finance Ministry", "the Foreign Ministry of Iraq" names
    if any(gz.TITLES.get((w.casefold(),)) == "honorific" for w in modifiers):
        return 0
    return end


def _organisation_tail_end(words: list[str], j: int) -> int:
    """Extend over "of Foreign Affairs" / "for Responsible Statecraft" after a head word.

    A title ends the tail where it closes the name ("Office of the Chief Justice") and is left
    out where a name follows it (a person's title); "and" is crossed unless an organisation
    of its own follows ("University of Kelvo and Tarma University").
    """
    n = len(words)
    if j >= n or words[j] not in ("of", "for", "on"):
        return j
    k = j + 1
    if k < n and words[k] == "the":
        k += 1
    end = j
    while k < n and words[k] not in gz.CONNECTORS and not gz.is_stop_word(words[k]):
        if gz.TITLES.get((words[k].casefold(),)):
            title_end = _title_end(words, k, n)
            if title_end and (title_end == n or words[title_end] in gz.CONNECTORS):
                end = title_end
            break
        k += 1
        end = k
        if (k + 1 < n and words[k] in ("and", "&") and gz.lookup((words[k + 1],)) is None
                and not _organisation_end(words, k + 1)):
            k += 1
    return end


def _organisation(text: str, tokens: list, i: int, end: int) -> Mention:
    """An ORG mention for tokens[i:end] with its canonical name."""
    start, stop = tokens[i][1], tokens[end - 1][2]
    return _mention(text, start, stop, "ORG", organisation_canonical([t for t, _, _ in tokens[i:end]]))


def organisation_canonical(words: list[str]) -> str:
    """Canonical name of a structural organisation name: known aliases expanded.

    >>> organisation_canonical(["U.S.", "Southern", "Command"])
    'United States Southern Command'
    >>> organisation_canonical(["UN", "Security", "Council"])
    'United Nations Security Council'
    >>> organisation_canonical(["Tarma", "Seed", "Inc"])
    'Tarma Seed'
    >>> organisation_canonical(["United", "States", "National", "Hurricane", "Center"])
    'National Hurricane Center'
    >>> organisation_canonical(["Foreign", "Ministry", "of", "Iraq"])
    'Ministry of Foreign Affairs of Iraq'
    >>> organisation_canonical(["Chilean", "Armed", "Forces"]), organisation_canonical(["Haiti", "National", "Police"])
    ('Armed Forces of Chile', 'Haitian National Police')
    >>> organisation_canonical(["American", "Pork", "Congress"])
    'American Pork Congress'
    """
    entry = gz.lookup(tuple(words))
    if entry is not None and entry.type == "ORG":
        return entry.canonical
    if len(words) > 1 and words[-1] in gz.LEGAL_FORMS:
        return organisation_canonical(words[:-1])
    for k in range(1, min(len(words) - 1, 3) + 1):  # "U.S. National Hurricane Center": the known body
        country, entry = gz.lookup(tuple(words[:k])), gz.lookup(tuple(words[k:]))
        if country is not None and country.kind == "country" and entry is not None and entry.type == "ORG":
            return entry.canonical
    if "Ministry" in words[1:]:
        words = _ministry_of(words)
    country = gz.lookup((words[0],))  # "Chilean Armed Forces" -> "Armed Forces of Chile"; a
    # legislature's word after other words names something else ("American Pork Congress")
    if (country is not None and country.kind in ("country", "demonym") and len(words) > 1
            and gz.country_code(country.canonical) and _is_national_body(" ".join(words[1:]))
            and (len(words) == 2 or words[-1] not in gz.NATIONAL_BODIES_ALONE)):
        return _national_body_canonical(organisation_canonical(words[1:]), country.canonical)
    if (official := _official_body_name(words)) is not None:
        return official
    out = []
    for w in words:
        entry = gz.lookup((w,)) if w.replace(".", "").isupper() and len(w) > 1 else None
        out.append(entry.canonical if entry is not None and entry.type in ("GPE", "ORG") else w)
    return " ".join(out)


def _official_body_name(words: list[str]) -> str | None:
    """The own name of a state body written "<body> of <country>" ("Parliament of Iraq": "Council
    of Representatives of Iraq"), else None."""
    if "of" not in words:
        return None
    k = words.index("of")
    country = gz.lookup(tuple(words[k + 2:] if words[k + 1:k + 2] == ["the"] else words[k + 1:]))
    if country is None or country.kind != "country":
        return None
    return gz.NATIONAL_BODY_NAMES.get((" ".join(words[:k]), country.canonical))


def _ministry_of(words: list[str]) -> list[str]:
    """"Foreign Ministry" -> "Ministry of Foreign Affairs": a ministry written after its
    portfolio takes the "Ministry of" form (``ministry_portfolios.tsv`` names portfolios that
    differ from the word before "Ministry")."""
    k = words.index("Ministry")
    portfolio = words[:k]
    if not all(gz.is_common_word(w) or w in gz.ORG_MODIFIERS for w in portfolio):
        return words
    named = gz.MINISTRY_PORTFOLIOS.get(" ".join(portfolio), " ".join(portfolio))
    return ["Ministry", "of", *named.split(), *words[k + 1:]]


# --- name groups ----------------------------------------------------------------------------

def _defined_acronyms(text: str, found: list[Mention], astral: bool = True) -> dict[str, str]:
    """Acronyms the article defines after an organisation: "Human Rights Watch (HRW)"."""
    if "(" not in text:
        return {}
    acronyms: dict[str, str] = {}
    by_end = None  # built at the first definition: most articles have none
    for match in _ACRONYM_DEFINITION.on(astral).finditer(text):
        if by_end is None:
            by_end = {m.end: m for m in found if m.type == "ORG"}
        bracket = match.start()
        acronym = match.group("acronym")
        end = bracket - 1 if bracket and text[bracket - 1] == " " else bracket
        named = by_end.get(end)
        if named is None:
            named = _spelled_long_form(text, end, acronym)
            if named is None:
                continue
            found.append(named)
        if named.type == "ORG":
            acronyms[acronym] = named.canonical
    for match in _ACRONYM_BEFORE_LONG_FORM.on(astral).finditer(text):
        named = _spelled_long_form_after(text, match.end(), match.group("acronym"))
        if named is not None:
            found.append(named)
            if named.type == "ORG":
                acronyms[match.group("acronym")] = named.canonical
    return acronyms


_LEGAL_ENDINGS = tuple(" " + form for form in gz.LEGAL_FORMS)


def _company_names(found: list[Mention]) -> dict[str, str]:
    """A company named with its legal form goes by the name without it: "Medtronic Inc"."""
    names = {}
    for m in found:
        if m.type == "ORG" and m.text.endswith(_LEGAL_ENDINGS):
            name, _, legal = m.text.rpartition(" ")
            if legal in gz.LEGAL_FORMS and name:
                names[name] = m.canonical
    return names


def _described_organisations(text: str, groups: list[_Group]) -> dict[str, str]:
    """Names right after an organisation descriptor ("retailer Tesco"): organisations, here
    and wherever else the article writes them."""
    names = {}
    for tokens, offset, headline in groups:
        start = offset + tokens[0][1]
        if not headline and _after_descriptor(text, start):
            name = " ".join(w for w, _, _ in tokens)
            names[name] = name
    return names


def _after_descriptor(text: str, start: int) -> bool:
    """An organisation descriptor right before ``start``: "retailer Tesco", "charity Sea-Eye"."""
    return text[start - 1:start] == " " and text[max(0, start - 16):start - 1].rpartition(" ")[2] in gz.ORG_DESCRIPTORS


def _spelled_long_form(text: str, end: int, acronym: str) -> Mention | None:
    """The capitalised words ending at ``end`` whose initials spell ``acronym``, as a mention.

    The long form may keep inner connectors ("of", "and", "in", "for"), whose initials may or
    may not be in the acronym ("Notes from Poland (NFP)").

    >>> _spelled_long_form("the United States Geological Survey (USGS)", 35, "USGS").text
    'United States Geological Survey'
    >>> _spelled_long_form("Notes from Poland (NFP)", 17, "NFP").canonical
    'Notes from Poland'
    """
    letters = "".join(c for c in acronym if c.isupper())
    if len(letters) < 2:
        return None
    if text.endswith(("'s", "’s"), 0, end):  # "the United Kingdom's (UK) ..."
        end -= 2
    line_start = text.rfind("\n", max(0, end - _LONG_FORM_REACH), end) + 1
    words = list(_LONG_FORM_WORD.finditer(text, max(line_start, end - _LONG_FORM_REACH), end))
    if not words or words[-1].end() != end:
        return None
    initials: list[tuple[str, bool]] = []  # (letter, may be left out), in reading order
    for word in reversed(words):
        own = _word_initials(word.group())
        if own is None:
            return None
        initials[:0] = own
        if not word.group()[0].isupper():
            continue
        if sum(not optional for _, optional in initials) > len(letters):
            return None
        if _spells(letters, tuple(initials)):
            return _long_form(text, word.start(), end)
    return None


def _spelled_long_form_after(text: str, start: int, acronym: str) -> Mention | None:
    """The capitalised words opening a bracket at ``start`` whose initials spell the acronym
    before it ("ISIS (Islamic State of Iraq and Syria)"); a legal form may go unspelled.

    >>> _spelled_long_form_after("NTT (Nippon Telegraph and Telephone Corp)", 5, "NTT").text
    'Nippon Telegraph and Telephone Corp'
    """
    letters = "".join(c for c in acronym if c.isupper())
    close = text.find(")", start, start + _LONG_FORM_REACH)
    initials: list[tuple[str, bool]] = []
    found = None
    for word in _LONG_FORM_WORD.finditer(text, start, close if close > 0 else start):
        own = _word_initials(word.group())
        if own is None or (not initials and not word.group()[0].isupper()):
            break
        initials += own
        if word.group()[0].isupper() and _spells(letters, tuple(initials)):
            found = word.end()
        elif sum(not optional for _, optional in initials) > len(letters):
            break
    return _long_form(text, start, found) if found else None


def _word_initials(word: str) -> list[tuple[str, bool]] | None:
    """A long-form word's initials, each with whether an acronym may leave it out: a
    capitalised word's (one per hyphenated part) are needed, a connector's or legal form's
    are not; None for any other word, which ends a long form."""
    if word in gz.LEGAL_FORMS:
        return [(word[0], True)]
    if word[0].isupper():
        return [(part[0], False) for part in regex.split(r"[-–]", word) if part and part[0].isupper()]
    if word in gz.CONNECTORS or word in _LONG_FORM_CONNECTORS:
        return [(word[0].upper(), True)]
    return None


@lru_cache(maxsize=_MEMO)
def _spells(letters: str, initials: tuple[tuple[str, bool], ...]) -> bool:
    """Whether the initials spell ``letters``, each capital's used, a connector's at will."""
    if not initials:
        return not letters
    (letter, optional), rest = initials[0], initials[1:]
    if letters and letters[0] == letter and _spells(letters[1:], rest):
        return True
    return optional and _spells(letters, rest)


_LONG_FORM_CONNECTORS = frozenset({"in", "from"})


def _long_form(text: str, start: int, end: int) -> Mention | None:
    """A spelled-out name: a known place or organisation keeps its entry, a title ("MP
    (Member of Parliament)") is none, anything else is an ORG."""
    words = [t.group() for t in _TOKEN.finditer(text, start, end)]
    if tuple(w.casefold() for w in words) in gz.TITLES:
        return None
    entry = gz.lookup(tuple(words))
    if entry is not None:
        return _mention(text, start, end, entry.type, entry.canonical)
    return _mention(text, start, end, "ORG", organisation_canonical(words))


@lru_cache(maxsize=_MEMO)
def _initials(canonical: str) -> frozenset[str]:
    """Initials of an organisation name, with and without its head word ("MSS", "MSSM")."""
    words = [w for w in canonical.split() if w[0].isupper()]
    out = {"".join(w[0] for w in words)}
    if len(words) > 2 and words[-1] in gz.ORG_HEADS:
        out.add("".join(w[0] for w in words[:-1]))
    return frozenset(out)


def _resolve_groups(text: str, groups: list[_Group], found: list[Mention],
                    acronyms: dict[str, str]) -> list[Mention]:
    """Mentions from name groups: full names first, then surnames, acronyms and headlines."""
    out: list[Mention] = []
    deferred: list[_Group] = []
    counts: dict[str, int] = {}  # occurrences in the text, of a surname or a full name
    last_place = -1  # where the last place found by its context ends: a list goes on ("A, B and C")
    places: dict[str, str] = {}  # names found as places by their context: the same place later on
    features = _feature_names(found)
    bracketed_given_names: set[int] = set()  # where a surname's bracketed given name starts
    for group in groups:
        tokens, offset, headline = group
        if len(tokens) >= 2 and (name := " ".join(w for w, _, _ in tokens)) in acronyms:
            out.append(_mention(text, offset + tokens[0][1], offset + tokens[-1][2], "ORG", acronyms[name]))
            continue
        start, end = offset + tokens[0][1], offset + tokens[-1][2]
        if len(tokens) == 1 and not headline and (given := persons.bracketed_given_name(text, start)) and (
                title := persons.title_before(text, start)):  # "Lord (Edwin) Marlowe": his full name
            out.append(_mention(text, start, end, "PERSON", f"{given.group('given')} {tokens[0][0]}", title))
            bracketed_given_names.add(given.start("given"))
            continue
        if features and (feature := _feature_named(features, tokens, start)) and not (
                persons.title_before(text, start) or persons.speech_verb_near(text, start, end)):
            out.append(_mention(text, start, end, "LOC", feature))
            continue
        if places and (place := places.get(" ".join(w for w, _, _ in tokens))):
            out.append(_mention(text, start, end, place, text[start:end]))
            continue
        if not headline and (place := _place_by_context(text, start, end, last_place)):
            name = " ".join(w for w, _, _ in tokens)
            out.append(_mention(text, start, end, place, name))
            places[name] = place
            last_place = end
            continue
        if len(tokens) >= 2 and (not headline or persons.is_byline(text, offset + tokens[0][1])):
            mention = _multi_token_group(text, tuple(w for w, _, _ in tokens), offset + tokens[0][1],
                                         offset + tokens[-1][2], counts)
            if mention is not None:
                out.append(mention)
                continue
        deferred.append(group)
    if bracketed_given_names:  # part of the surname's mention, not a mention of its own
        deferred = [g for g in deferred if g[1] + g[0][0][1] not in bracketed_given_names]
    people = _people_index(out)
    initials: dict[str, str] = {}
    for canonical in dict.fromkeys(m.canonical for m in found + out if m.type == "ORG"):
        for key in _initials(canonical):
            initials.setdefault(key, canonical)
    for tokens, offset, headline in deferred:
        if len(tokens) == 1 and not headline:
            # the commonest group, one word outside a headline: ``_short_group``, inlined
            word, start, end = tokens[0]
            if word in acronyms or word in initials or word in people:
                out += _short_group(text, tokens, offset, headline, people, acronyms, initials)
                continue
            if word.isupper() and _reported_acronym(text, offset + start, offset + end):
                out.append(_mention(text, offset + start, offset + end, "ORG", word))  # "figures from NORVAC"
                continue
            if _may_be_single_name(word):
                start += offset
                end += offset
                title = persons.title_before(text, start)
                if not title and _after_locative(text, start):  # "an assault in Ghazni"
                    out.append(_mention(text, start, end, "GPE", word))
                elif (title or persons.speech_verb_near(text, start, end) or persons.is_credit(text, start, end)
                      or persons.identified_as(text, start)):
                    out.append(_mention(text, start, end, "PERSON", word, title))
            elif not word.isupper() and (title := persons.title_before(text, offset + start)) and _honorific(title):
                out.append(_mention(text, offset + start, offset + end, "PERSON", word, title))  # "Mr. Hope"
            continue
        out += _short_group(text, tokens, offset, headline, people, acronyms, initials)
    if "(" in text and (late := _acronyms_after_names(text, _stationed_organisations(text, found + out), acronyms)):
        out = [m for m in out if m.text not in late]  # the article defines it: no other reading
        for tokens, offset, headline in deferred:
            if len(tokens) == 1 and tokens[0][0] in late:
                out += _short_group(text, tokens, offset, headline, people, late, {})
    _link_compound_surnames(out)
    return out


def _reported_acronym(text: str, start: int, end: int) -> bool:
    """An unlisted acronym of 3-8 capital letters that a frame makes a source or an actor of
    ("figures from NORVAC show", "according to NORVAC", "NORVAC said"): an organisation.

    Not a common word, unit or currency ("USD said"), not before a number (a ticker's or a
    model's: "ABC 123"), not in a line written all in capitals (a headline).

    >>> _reported_acronym("Figures from NORVAC show a rise.", 13, 19)
    True
    >>> _reported_acronym("FIGURES FROM NORVAC SHOW A RISE", 13, 19)
    False
    """
    word = text[start:end]
    if (not _BARE_ACRONYM.fullmatch(word) or gz.is_common_word(word) or word.casefold() in _UNIT_WORDS
            or _NUMBER_AFTER.match(text, end)):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if not any(c.islower() for c in text[line_start:line_end if line_end >= 0 else len(text)]):
        return False
    return bool(_SOURCE_BEFORE.search(text, max(0, start - 30), start) or _ACTOR_AFTER.match(text, end))


_BARE_ACRONYM = regex.compile(r"\p{Lu}{3,8}+")
_UNIT_WORDS = frozenset(form.casefold() for form in (*currency_forms(), *unit_forms()))
_NUMBER_AFTER = regex.compile(r"[ ]?+[\p{N}$]")
_SOURCE_BEFORE = regex.compile(
    r"(?<![\p{L}])(?i:according[ ]to|(?:figures|data|statistics|estimates|numbers)[ ]from)[ ](?:the[ ])?+\Z")
_ACTOR_AFTER = regex.compile(r"[ ](?:said|says|reported|reports)(?![\p{L}])")


def _acronyms_after_names(text: str, named: list[Mention], acronyms: dict[str, str]) -> dict[str, str]:
    """Acronyms bracketed right after an organisation found by its name group or joined with its
    place, spelled or not ("the Stabilization Mission in Mali (MINUSMA)"): added to ``acronyms``
    and returned.

    >>> _acronyms_after_names("the Mission in Mali (MINUSMA)", [_mention("the Mission in Mali (MINUSMA)", 4, 19,
    ...     "ORG", "Mission in Mali")], {})
    {'MINUSMA': 'Mission in Mali'}
    """
    late = {}
    for m in named:
        if m.type == "ORG" and text.startswith(("(", " ("), m.end):
            match = _ACRONYM_DEFINITION.on(True).match(text, m.end + (text[m.end] == " "))
            acronym = match.group("acronym") if match else ""
            if _ACRONYM_SHAPE.fullmatch(acronym) and acronym not in acronyms and gz.lookup((acronym,)) is None:
                late[acronym] = acronyms[acronym] = m.canonical
    return late


def _feature_names(found: list[Mention]) -> dict[str, Mention]:
    """A natural feature's name without its feature word -> the first LOC so named ("Abaco" ->
    "Abaco Islands"), for the same feature named again without the word, as a surname alone
    names a person named in full (unless a title or speech verb makes it a person)."""
    features: dict[str, Mention] = {}
    for m in found:
        name, _, head = m.canonical.rpartition(" ")
        if m.type == "LOC" and head in gz.FEATURE_HEADS and name and (name not in features or
                                                                     m.start < features[name].start):
            features[name] = m
    return features


def _feature_named(features: dict[str, Mention], tokens: tuple[tuple[str, int, int], ...], start: int) -> str | None:
    """The canonical name of the feature an unknown name repeats without its feature word, if it
    was named in full before ``start``; an ordinary word alone ("Long" of "Long Island") is none."""
    name = " ".join(w for w, _, _ in tokens)
    feature = features.get(name)
    if feature is None or feature.end > start or (len(tokens) == 1 and gz.is_common_word(name)):
        return None
    return feature.canonical


def _places_named_as_organisations(text: str, found: list[Mention], organisations: dict[str, str]) -> None:
    """A town's name that the article also gives an organisation ("San Miguel Corp", "the
    retailer Tarma") is that organisation wherever it stands alone; a country's name stays
    the country. Replaces the mentions in ``found``."""
    for i, m in enumerate(found):
        if m.type == "GPE" and m.text in organisations and gz.country_code(m.canonical) is None:
            found[i] = _mention(text, m.start, m.end, "ORG", organisations[m.text])


def _people_named_like_places(text: str, found: list[Mention], lone_places: list[int],
                              people: dict[str, list[Mention]]) -> None:
    """An ambiguous place alone that is the surname or given name of a person named in full is
    that person ("Jackson" after "Michael Jackson"), unless a place context marks it (after
    "in", before ", <place>"). Replaces the mentions in ``found``."""
    for i in lone_places:
        m = found[i]
        if m.type != "GPE":
            continue  # named as an organisation
        named = [p for p in people.get(m.text, ()) if " " in p.canonical]
        if not named or _after_locative(text, m.start) or _before_place(text, m.end):
            continue
        person = _nearest(named, m.start)
        found[i] = _mention(text, m.start, m.end, "PERSON", person.canonical, persons.title_before(text, m.start))


def _surnames_named_like_towns(text: str, found: list[Mention]) -> list[Mention]:
    """A new person's one-word name typed by a cue before it ("identified as Sudesh", "Dr.
    Sudesh") and a town's name right after it: the town's name is the surname ("Sudesh
    Amman"), and the town's name alone elsewhere names that person too, unless a place context
    marks it (after "in", before ", <place>")."""
    towns = {m.start: m for m in found
             if m.type == "GPE" and " " not in m.text and gz.country_code(m.canonical) is None}
    full: dict[int, Mention] = {}  # the given name's start -> the person's whole name
    for m in found:
        town = towns.get(m.end + 1)
        if (town is not None and m.type == "PERSON" and m.canonical == m.text and " " not in m.text
                and text[m.end] == " "
                and (persons.identified_as(text, m.start) or persons.title_before(text, m.start))):
            full[m.start] = _mention(text, m.start, town.end, "PERSON", f"{m.text} {town.text}", m.title)
    if not full:
        return found
    surnames = {person.canonical.split()[-1]: person.canonical for person in full.values()}
    out = []
    for m in found:
        if m.start in full:
            out.append(full[m.start])
        elif any(person.start < m.start < person.end for person in full.values()):
            continue  # the surname inside the whole name
        elif (m.type == "GPE" and m.text in surnames and not _after_locative(text, m.start)
              and not _before_place(text, m.end)):
            out.append(_mention(text, m.start, m.end, "PERSON", surnames[m.text]))
        else:
            out.append(m)
    return out


def _before_place(text: str, end: int) -> bool:
    """", Texas", ", Brazil's main port": a known place after a comma (a place's parent)."""
    if not text.startswith(", ", end):
        return False
    word = _NEXT_NAME.match(text, end + 2)
    entry = gz.lookup((word.group(),)) if word else None
    return entry is not None and entry.type == "GPE"


_NEXT_NAME = regex.compile(r"\p{Lu}[\p{L}\p{M}.]*+")


def _place_by_context(text: str, start: int, end: int, last_place: int) -> str | None:
    """The type of a name that its context makes a place, or None: a lower-case place word
    after it ("Maidan Wardak province") or before it with "of" ("the town of Kelvo", "the
    towns of A, B and C"), a list that goes on from such a place, or a route's start ("from Kelvo
    to Lima")."""
    if text.startswith(" ", end) and (place := _place_words_at(text, end + 1)):
        return place
    if not gz.is_common_word(text[start:end]):  # "Tunsira camps", "Mabeko and Tunsira camps"; not "Northeastern cities"
        if text.startswith(" ", end) and (place := _place_words_at(text, end + 1, plural=True)):
            return place
        if (listed := _NAMES_LISTED.match(text, end)) and (place := _place_words_at(text, listed.end(), plural=True)):
            return place
    if text.endswith(" of ", 0, start):
        before = text[max(0, start - 20):start - 4].rpartition(" ")[2]
        return gz.LOWERCASE_PLACE_HEADS.get(before) or _PLACE_PLURALS.get(before)
    if 0 <= last_place and text[last_place:start] in _LIST_SEPARATORS:
        return "GPE"
    if text.endswith(" from ", 0, start) and not text[start:end].isupper() and _route_to_place(text, end):
        return "GPE"  # "spread from Kelvo to Lima", "from Kelvo to the market town of Ruzanga"
    return None


def _known_place_at(text: str, at: int) -> bool:
    """A known country or town's name (one or two words) starts at ``at``."""
    words = _CAPITALISED_WORDS.match(text, at)
    if words is None:
        return False
    tokens = words.group().split()
    return any((entry := gz.lookup(tuple(tokens[:k]))) is not None and entry.type == "GPE" and not entry.standalone
               for k in (2, 1))


def _route_to_place(text: str, end: int) -> bool:
    """After a name that follows "from": " to <a known town or country>" or " to the <...> town of"."""
    to = _ROUTE_TO.match(text, end)
    return to is not None and (to.group("head") is not None or _known_place_at(text, to.end()))


_ROUTE_TO = regex.compile(r"[ ]to[ ](?:the[ ](?:\p{Ll}++[ ]){0,2}"
                          rf"(?P<head>{trie_pattern(gz.LOWERCASE_PLACE_HEADS)})[ ]of[ ]|(?=\p{{Lu}}))")
_CAPITALISED_WORDS = regex.compile(r"\p{Lu}[\p{L}\-]*+(?:[ ]\p{Lu}[\p{L}\-]*+)?+")


def _place_words_at(text: str, at: int, plural: bool = False) -> str | None:
    """The place type of a lower-case place word or phrase at ``at`` ("province", "power plant";
    plural: "camps", "refugee camps"), or None."""
    after = _LOWERCASE_WORD.match(text, at)
    if after is None:
        return None
    heads, phrases = (_PLACE_PLURALS, _PLURAL_PHRASES) if plural else (gz.LOWERCASE_PLACE_HEADS, gz.PLACE_PHRASES)
    if place := heads.get(after.group()):
        return place
    for phrase, place in phrases.get(after.group(), {}).items():
        if text.startswith(phrase, at) and not text[at + len(phrase):at + len(phrase) + 1].isalpha():
            return place
    return None


def _plural(word: str) -> str:
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _plural_phrases() -> dict[str, dict[str, str]]:
    """The place phrases in the plural ("refugee camps"), as ``gz.PLACE_PHRASES`` keys them."""
    plurals: dict[str, dict[str, str]] = {}
    for phrases in gz.PLACE_PHRASES.values():
        for phrase, type_ in phrases.items():
            head, _, last = phrase.rpartition(" ")
            plural = f"{head} {_plural(last)}" if head else _plural(last)
            plurals.setdefault(plural.partition(" ")[0], {})[plural] = type_
    return plurals


_LOWERCASE_WORD = regex.compile(r"\p{Ll}++(?![\p{L}\-])")
# More names listed after a name, up to the words that say what they all are ("... and Tunsira camps").
_NAMES_LISTED = regex.compile(
    r"(?:(?:,[ ]|,?+[ ](?:and|or)[ ])\p{Lu}[\p{L}\-]*+(?:[ ]\p{Lu}[\p{L}\-]*+){0,2}+){1,4}+[ ]")
_PLACE_PLURALS = {_plural(word): type_ for word, type_ in gz.LOWERCASE_PLACE_HEADS.items()}
_PLURAL_PHRASES = _plural_phrases()
_LIST_SEPARATORS = frozenset({", ", ", and ", " and ", ", or ", " or "})


def _multi_token_group(text: str, words: tuple[str, ...], start: int, end: int,
                       counts: dict[str, int]) -> Mention | None:
    """A person named in full, or an organisation written before a lower-case head word."""
    head = (_LOWERCASE_HEAD.match(text, end)
            if text.startswith(_LOWERCASE_HEADS, end) else None)
    if head and head.group("head") in gz.LOWERCASE_ORG_HEADS and not _is_name_shaped(words):
        canonical = " ".join(words + (head.group("head").capitalize(),))
        return _mention(text, start, head.end(), "ORG", canonical)
    suffix = _GENERATION_SUFFIX.match(text, text.rfind(" ", start, end) if words[-1] in ("Jr", "Sr") else end)
    if suffix:
        # "Robert Hale, Jr.": the suffix belongs to the name and marks it as a person's; the
        # canonical has its full stop whether or not the text has ("Noland Jr" is "Noland Jr.")
        end = suffix.end()
        words = tuple(w for w in words if w not in ("Jr", "Sr")) + (suffix.group("suffix").rstrip(".") + ".",)
    title = persons.title_before(text, start) or persons.title_after(text, end)
    cue = (suffix or title or persons.has_appositive(text, end)
           or persons.speech_verb_near(text, start, end)
           or persons.is_byline(text, start) or persons.identified_as(text, start)
           or any("-" in w[:4] and w[:2].islower() for w in words))
    if cue:
        lead = 0
        while lead < len(words) and gz.is_common_word(words[lead]) and words[lead] not in gz.NAME_PARTICLES:
            lead += 1
        if lead == len(words):
            return None  # "Commissioner for Trade, Rural Affairs": a portfolio, no name
        if lead and len(words) - lead >= 2:  # "Director of Planning and Research Pilar Sanz"
            start = text.index(words[lead], start)
            words = words[lead:]
            title = persons.title_before(text, start) or title
        return _mention(text, start, end, "PERSON", " ".join(words), title)
    if not _is_name_shaped(words) or words[-1] in gz.FACILITY_HEADS:
        return None
    if _OF_AFFILIATION.match(text, end) and not gz.is_common_word(words[-1]):  # "Mike Ryan of the WHO"
        return _mention(text, start, end, "PERSON", " ".join(words))
    if _after_locative(text, start):
        return _mention(text, start, end, "GPE", " ".join(words))
    if _recurs_alone(text, words[-1], start, end, counts) or persons.named_by_given_name(text, start, words):
        return _mention(text, start, end, "PERSON", " ".join(words))
    return None


def _after_locative(text: str, start: int) -> bool:
    """A locative preposition right before ``start``: "near Las Vegas", "in Ghazni"."""
    before = text[max(0, start - 12):start]
    return before.rstrip(" ").endswith(_LOCATIVE_WORDS) and _LOCATIVE_BEFORE.search(
        text, max(0, start - 12), start) is not None


def _recurs_alone(text: str, surname: str, start: int, end: int, counts: dict[str, int]) -> bool:
    """The last word of a cue-less name is also used without the rest: a person's surname.

    ``counts`` memoises ``text.count`` per article: a repeated name is counted once."""
    alone = counts.get(surname)
    if alone is None:
        alone = counts[surname] = text.count(surname)
    if alone <= 1:  # the full name occurs at least once, so one use is never alone
        return False
    name = text[start:end]
    full = counts.get(name)
    if full is None:
        full = counts[name] = text.count(name)
    return alone > full


@lru_cache(maxsize=_MEMO)
def _is_name_shaped(words: tuple[str, ...]) -> bool:
    """Capitalised words that read as a personal name: no ordinary word first, no shouting."""
    return (not gz.is_common_word(words[0]) and not any(len(w) > 4 and w.isupper() for w in words)
            and not any(w in gz.ORG_HEADS for w in words))


def _link_compound_surnames(found: list[Mention]) -> None:
    """A person named by a surname of several words ("General da Silva Ramos") is the one
    person in the article whose full name ends in them ("Luis da Silva Ramos"). Replaces the
    mentions in ``found``."""
    full_names = {m.canonical for m in found if m.type == "PERSON" and m.canonical.count(" ") >= 2}
    for i, m in enumerate(found):
        if m.type == "PERSON" and " " in m.canonical:
            longer = [name for name in full_names if name.endswith(" " + m.canonical)]
            if len(longer) == 1:
                found[i] = m._replace(canonical=longer[0])


def _people_index(people: list[Mention]) -> dict[str, list[Mention]]:
    """Full-name mentions keyed by surname, and by a given name that is no ordinary word and no
    one's surname, for later mentions of one part of the name."""
    index: dict[str, list[Mention]] = {}
    for m in people:
        if m.type == "PERSON":
            index.setdefault(m.canonical.split()[-1], []).append(m)
    for m in people:  # a given name alone ("Prime Minister Tuilaepa"), where no surname is the same
        first = m.canonical.split()[0]
        if m.type == "PERSON" and " " in m.canonical and not gz.is_common_word(first):
            if first not in index or index[first][0].canonical.split()[0] == first:
                index.setdefault(first, []).append(m)
    return index


def _short_group(text: str, tokens: tuple[tuple[str, int, int], ...], offset: int, headline: bool,
                 people: dict[str, list[Mention]], acronyms: dict[str, str],
                 initials: dict[str, str]) -> list[Mention]:
    """Mentions in a group of one token, or in a headline group ("Biden Discuss ..."); a group
    that names a person named in full elsewhere is that person's one mention, and a body group
    of several names yields no one-word person (see ``_others_ordinary``)."""
    if len(tokens) >= 2:
        lead = 0  # ordinary words before the name: "Businessman Don Blankenship"
        while lead < len(tokens) - 1 and gz.is_common_word(tokens[lead][0]):
            lead += 1
        person = _known_person_group(tokens[lead:], offset, people)
        if person is not None:
            start, end = offset + tokens[lead][1], offset + tokens[-1][2]
            return [_mention(text, start, end, "PERSON", person.canonical, persons.title_before(text, start))]
    out = []
    for word, start, end in tokens:
        start += offset
        end += offset
        if word in acronyms or (word in initials and _ACRONYM_SHAPE.fullmatch(word)):
            out.append(_mention(text, start, end, "ORG", acronyms.get(word) or initials[word]))
        elif word in people and (headline or _others_ordinary(tokens, word)):
            person = _nearest(people[word], start)
            out.append(_mention(text, start, end, "PERSON", person.canonical,
                                persons.title_before(text, start)))
        elif len(tokens) == 1 and not headline and _may_be_single_name(word):
            # a lone capitalised word is a person only with a title or a speech verb beside it
            title = persons.title_before(text, start)
            if title or persons.speech_verb_near(text, start, end):
                out.append(_mention(text, start, end, "PERSON", word, title))
    return out


def _known_person_group(tokens: tuple[tuple[str, int, int], ...], offset: int,
                        people: dict[str, list[Mention]]) -> Mention | None:
    """The person named in full elsewhere whose name is all the group's words, opened by a
    common given name ("Christian Keysers" with no cue of its own), or whose name ends in them
    ("La Riva" after "Gloria La Riva"), if any. A full name not opened by a given name
    ("Merrill Lynch") is too often a firm's that a cue elsewhere took for a person's."""
    name = " ".join(w for w, _, _ in tokens)
    given = tokens[0][0] in persons.GIVEN_NAMES
    named = [m for m in people.get(tokens[-1][0], ())
             if (given and m.canonical == name) or m.canonical.endswith(" " + name)]
    return _nearest(named, offset + tokens[0][1]) if named else None


def _others_ordinary(tokens: tuple[tuple[str, int, int], ...], word: str) -> bool:
    """Every other word of a body group is an ordinary one ("Former Trump"): the name word
    stands for its person. In a group of names ("Doris Mary Ann Kappelhoff", "Hiram Walker
    acquisition" declined as a person) a word that is also a person's name is not that person."""
    return all(w == word or gz.is_common_word(w) for w, _, _ in tokens)


def _honorific(title: str) -> bool:
    """An honorific that cannot be an ordinary word ("Mr", "Dr.", not "sir." or "Hit or Miss Shops"):
    the word after it is a name, whatever it is."""
    return (title[0].isupper() and (title.endswith(".") or len(title) <= 3 or not gz.is_common_word(title))
            and gz.TITLES.get((title.rstrip(".").casefold(),)) == "honorific")


@lru_cache(maxsize=_MEMO)
def _may_be_single_name(word: str) -> bool:
    return not (gz.is_common_word(word) or word.isupper() or len(word) < 3)


def _nearest(candidates: list[Mention], position: int) -> Mention:
    """The most recent full mention before ``position``, else the first one after it."""
    before = [m for m in candidates if m.start < position]
    return before[-1] if before else candidates[0]


# --- organisations within the article -------------------------------------------------------

def _resolve_organisations(found: list[Mention]) -> list[Mention]:
    """Short forms of an organisation named in full elsewhere in the article take its name.

    "Quincy Institute" -> "Quincy Institute for Responsible Statecraft"; only for names that
    end in an organisation head word, so "United Nations" never becomes a council. A company
    the article names with its legal form ends there: a longer name that goes on after it is
    another company ("General Motors Corp" beside "General Motors Acceptance Corp").
    """
    names = {m.canonical for m in found if m.type == "ORG"}
    complete = {m.canonical for m in found if m.type == "ORG" and m.text.endswith(_LEGAL_ENDINGS)}
    mapping = {}
    for short in names:
        if not _may_be_short_form(short):
            continue
        longer = [n for n in names if len(n) > len(short) and (
            n.endswith(" " + short) or (short not in complete and n.startswith(short + " ")))]
        if len(longer) == 1:
            mapping[short] = longer[0]
    if not mapping:
        return found
    return [Mention(m.start, m.end, m.text, m.type, mapping.get(m.canonical, m.canonical), m.title)
            if m.type == "ORG" else m for m in found]


@lru_cache(maxsize=_MEMO)
def _may_be_short_form(name: str) -> bool:
    """An unknown name ending in an organisation head word ("Quincy Institute")."""
    words = name.split()
    return words[-1] in gz.ORG_HEADS and gz.lookup(tuple(words)) is None


def _national_bodies_named(text: str, found: list[Mention]) -> list[Mention]:
    """A state body named without its country ("Finance Ministry", "Parliament") is the body of
    the country just before it in the possessive ("Japan's Finance Ministry"), else of the
    dateline's place (a wire story's "TOKYO, March 3 -"), else of the country the article names
    most, by its name, people or cities (the first named of a tie): "Finance Ministry of Japan".
    The country named nearest before it is often another one, the other side of a talk or a
    place passed through ("a US-built vehicle ... the Interior Ministry"), so nearness alone
    does not decide. A body only some countries have ("Congress") is the one of the first of
    these countries that has it: a Tokyo story's "Congress" is the US Congress."""
    bodies = [i for i, m in enumerate(found) if m.type == "ORG" and _is_national_body(m.canonical)]
    if not bodies:
        return found
    countries = sorted((m.start, m.end, country) for m in found
                       if m.type in ("GPE", "NORP") and (country := gz.country_of(m.canonical)) is not None)
    if not countries:
        return found
    dateline = find_dateline(text)
    datelined = [country for start, _, country in countries
                 if dateline is not None and dateline.place is not None and dateline.start <= start < dateline.end]
    ranked = datelined + [country for country, _ in Counter(country for _, _, country in countries).most_common()]
    owners = {end: country for _, end, country in countries}
    out = list(found)
    for i in bodies:
        m = found[i]
        owner = owners.get(m.start - 3) if text[m.start - 3:m.start] in _POSSESSIVES else None
        country = owner or _having_body(m.canonical, ranked)
        out[i] = Mention(m.start, m.end, m.text, m.type, _national_body_canonical(m.canonical, country), m.title)
    return out


_POSSESSIVES = ("'s ", "’s ")  # "Japan's Finance Ministry": the owner's name ends three characters before


def _having_body(name: str, ranked: list[str]) -> str:
    """The first of the ``ranked`` countries that has a body so named, else the first."""
    having = gz.NATIONAL_BODY_COUNTRIES.get(_body_word(name))
    return next((country for country in ranked if having is None or country in having), ranked[0])


def _body_word(name: str) -> str:
    """The head word that decides a state body's naming: its last ("Senate Armed Services Committee": "Senate")."""
    return next(w for w in reversed(name.split()) if w in gz.NATIONAL_BODY_HEADS)


def _national_body_canonical(name: str, country: str) -> str:
    """"Ministry of Health of Samoa", "Parliament of the United Kingdom", "Philippine Coast Guard";
    a body with a name of its own takes it ("Congress" of the United States: "United States Congress")."""
    if (official := gz.NATIONAL_BODY_NAMES.get((name, country))) is not None:
        return official
    if _body_word(name) in gz.NATIONAL_BODIES_BY_ADJECTIVE:
        return f"{gz.country_adjective(country)} {name}"
    return f"{name} of the {country}" if country in gz.DEFINITE_COUNTRIES else f"{name} of {country}"


@lru_cache(maxsize=_MEMO)
def _is_national_body(name: str) -> bool:
    """A name built on a state body's head word with no proper name in it ("Armed Forces");
    a country's name of ordinary words says whose it is ("United States Army")."""
    words = name.split()
    if gz.NATIONAL_BODY_HEADS.isdisjoint(words) or gz.lookup(tuple(words)) is not None:
        return False
    if any((entry := gz.lookup(tuple(words[i:j]))) is not None and entry.kind == "country"
           for i in range(len(words)) for j in range(i + 2, min(len(words), i + 4) + 1)):
        return False
    return all(w in gz.CONNECTORS or w in gz.NATIONAL_BODY_HEADS or w in gz.ORG_MODIFIERS
               or gz.is_common_word(w) for w in words)


def _numbered_units(text: str) -> list[Mention]:
    """Military units named with their number ("21 Signal Regiment", "4th Mechanised Brigade");
    the number is part of the name, which wins over the name found without it. Not before a
    plural noun: "200 Marine Corps troops" counts troops."""
    if not any(head in text for head in _UNIT_HEADS):
        return []
    return [_mention(text, m.start(), m.end(), "ORG", m.group()) for m in _NUMBERED_UNIT.finditer(text)]


_UNIT_HEADS = load_words("military_units.tsv")
_NUMBERED_UNIT = regex.compile(r"(?<![\p{L}\p{N},.])\p{N}{1,4}+(?:st|nd|rd|th)?+(?:[ ]\p{Lu}\p{Ll}++){0,3}[ ]"
                               rf"(?:{trie_pattern(_UNIT_HEADS)})(?![\p{{L}}]|[ ]\p{{Ll}}{{1,20}}s\b)")


def _coded_armed_groups(text: str) -> list[Mention]:
    """Armed groups named by a code of letters and digits ("the K17 movement", "M23 rebels"):
    the code before an armed group's noun (``armed_group_nouns.tsv``), and its other uses."""
    codes = {m.group() for m in _CODED_GROUP.finditer(text) if gz.lookup((m.group(),)) is None}
    if not codes:
        return []
    uses = regex.compile(rf"(?<![\p{{L}}\p{{N}}\-./]){trie_pattern(codes)}(?![\p{{L}}\p{{N}}]|-\p{{N}})")
    return [_mention(text, m.start(), m.end(), "ORG", m.group()) for m in uses.finditer(text)]


_CODE = r"(?<![\p{L}\p{N}\-./])(?=\p{Lu}++\p{N})\p{Lu}{1,3}+\p{N}{1,3}+(?![\p{L}\p{N}\-])"
_CODED_GROUP = regex.compile(rf"{_CODE}(?=[ ](?:{trie_pattern(load_words('armed_group_nouns.tsv'))})(?![\p{{L}}\-]))")


def _stationed_organisations(text: str, found: list[Mention]) -> list[Mention]:
    """An organisation named with the place it serves in is one mention, the place included
    ("UN Assistance Mission in Ostravia"; ``org_stationed_heads.tsv``)."""
    if " in " not in text:
        return found
    found = sorted(found, key=_START)
    out: list[Mention] = []
    for m in found:
        held = out[-1] if out else None
        if (held is not None and m.type == "GPE" and held.type == "ORG"
                and (joint := text[held.end:m.start]) in _STATIONED_JOINTS
                and not _STATIONED_HEADS.isdisjoint(held.text.split())):
            out[-1] = _mention(text, held.start, m.end, "ORG", f"{held.canonical}{joint}{m.canonical}")
        else:
            out.append(m)
    return out


_STATIONED_HEADS = load_words("org_stationed_heads.tsv")
_STATIONED_JOINTS = (" in ", " in the ")  # "Mission in the Democratic Republic of the Congo"


def _web_sites(text: str, astral: bool) -> list[Mention]:
    """Organisations named by their web domain: "Znak.com reported", "told Portfolio.hu".

    >>> [(m.text, m.type) for m in _web_sites("Znak.com said so, as did e.g. Portfolio.hu.", False)]
    [('Znak.com', 'ORG'), ('Portfolio.hu', 'ORG')]
    """
    out = []
    for dot in _DOMAIN_DOT.on(astral).finditer(text):
        name = _DOMAIN_NAME.search(text, max(0, dot.start() - 40), dot.start())
        if name is not None:
            out.append(_mention(text, name.start(), dot.end(), "ORG", text[name.start():dot.end()]))
    return out


_DATELINE_PART = regex.compile(r"[^ ,][^,]*+(?<! )")  # a place part between the commas


def _dateline_places(text: str, found: list[Mention]) -> list[Mention]:
    """The place of a wire dateline: its city, written in capitals, is a GPE even where the
    gazetteer does not know it, and a US state's abbreviation after it is the state. A town the
    gazetteer does not know, or knows only by an ambiguous one-word name (the most populous of
    the towns so named), is named with its state, as towns of one name are told apart ("Kelvo,
    Michigan", "Troy, Michigan"). A part already found is left as it is.

    >>> [(m.text, m.type, m.canonical) for m in _dateline_places("KELVO, Mich., March 12 - Tarma said.", [])]
    [('KELVO', 'GPE', 'Kelvo, Michigan'), ('Mich.', 'GPE', 'Michigan')]
    >>> [(m.text, m.canonical) for m in _dateline_places("RIO DE JANEIRO, March 3 - Rain fell.", [])]
    [('RIO DE JANEIRO', 'Rio de Janeiro')]
    """
    dateline = find_dateline(text)
    if dateline is None or dateline.place is None:
        return []
    parts = [(dateline.start + part.start(), dateline.start + part.end(), part.group())
             for part in _DATELINE_PART.finditer(dateline.place)]
    regions = [gz.DATELINE_REGIONS.get(name.rstrip(".")) for _, _, name in parts]
    out = []
    for (start, end, name), region in zip(parts, regions, strict=True):
        if any(m.start < end and m.end > start for m in found):
            continue
        if start == parts[0][0]:
            canonical = _dateline_city(name, next(filter(None, regions), None))
            if canonical is not None:
                out.append(_mention(text, start, end, "GPE", canonical))
        elif region is not None:
            out.append(_mention(text, start, end, "GPE", region))
    return out


def _dateline_city(name: str, region: str | None) -> str | None:
    """The canonical name of a dateline's city written in capitals ("RIO DE JANEIRO"): a known
    place's, else (or for an ambiguous one-word name) the name in title case, with its region's
    name after a comma when the dateline gives one; None for a name in lower case or known as
    no place."""
    if not name.isupper():
        return None
    first, *rest = name.split()
    words = (first.title(), *(w.casefold() if w.casefold() in gz.CONNECTORS else w.title() for w in rest))
    entry = gz.lookup(words)
    if entry is not None and entry.type not in ("GPE", "LOC"):
        return None
    if entry is not None and not (entry.standalone and region):
        return entry.canonical
    return " ".join(words) + (f", {region.partition(' (')[0]}" if region else "")  # "Norcross, Georgia"


def _without_non_entities(text: str, found: list[Mention], astral: bool) -> list[Mention]:
    """Leave out storms read as people, a country's or people's name inside a currency ("US$",
    "US cents", "2 billion Tanzanian shillings"), and an acronym inside a document's name ("the UN
    Charter"); a person's name loses the religion words it holds (``_without_religion``)."""
    storms = {m.group("name") for m in _STORM_NAME.on(astral).finditer(text)}
    return [m for m in _without_religion(text, found)
            if not (m.type == "PERSON" and (m.text in storms or m.text.split()[0] in gz.STORM_WORDS))
            and not (m.type == "ORG" and m.text.isupper() and _names_document(text, m))
            and not (m.type == "GPE" and text.startswith(_CURRENCY_AFTER, m.end))
            and not (m.text in _CURRENCY_NAMED and text.startswith(_CURRENCY_NAMED[m.text], m.end)
                     and _AMOUNT_BEFORE.search(text, max(0, m.start - 12), m.start))]


def _without_religion(text: str, found: list[Mention]) -> list[Mention]:
    """A religion word is no part of a person's name: one that opens a name of two more words is
    cut off ("ex-Muslim Zara Kay" -> "Zara Kay", also the canonical of her other mentions); any
    other name holding one is no person ("Muslim Mindanao", "Roman Catholic"), and one alone is no
    place either ("in Muslim Mindanao", once "Mindanao" is a known place).

    >>> text = "An ex-Muslim Zara Kay said no. Kay left the Roman Catholic church."
    >>> [(m.text, m.canonical) for m in find_mentions(text)]
    [('Zara Kay', 'Zara Kay'), ('Kay', 'Zara Kay')]
    """
    renamed: dict[str, str] = {}
    kept: list[Mention] = []
    for m in found:
        words = m.text.split() if m.type == "PERSON" or m.text in gz.RELIGION_WORDS else ()
        if gz.RELIGION_WORDS.isdisjoint(words):
            kept.append(m)
            continue
        lead = next((i for i, word in enumerate(words) if word not in gz.RELIGION_WORDS), len(words))
        if len(words) - lead >= 2 and gz.RELIGION_WORDS.isdisjoint(words[lead:]):
            start = m.start + m.text.index(words[lead])
            renamed[m.canonical] = text[start:m.end]
            kept.append(_mention(text, start, m.end, m.type, text[start:m.end], m.title))
    return [m._replace(canonical=renamed[m.canonical]) if m.type == "PERSON" and m.canonical in renamed else m
            for m in kept]


def _names_document(text: str, acronym: Mention) -> bool:
    """An organisation's acronym opening a document's name ("the UN Charter"; still the
    organisation in "a non-NATO ally")."""
    after = _NEXT_WORD.match(text, acronym.end)
    return after is not None and after.group(1) in _DOCUMENT_WORDS


_NEXT_WORD = regex.compile(r"[ ]++(\p{Lu}\p{Ll}++)")
_DOCUMENT_WORDS = load_words("org_documents.tsv")


def _comma_joined_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Two mentions of one place whose name holds a comma, written with it, are one mention:
    "Washington, D.C." (the run of capitals stops at the comma). "Troy, Mich." stays two places.

    >>> [m.text for m in find_mentions("From Washington, D.C., to Lima.")]
    ['Washington, D.C.', 'Lima']
    """
    out: list[Mention] = []
    for m in mentions:
        last = out[-1] if out else None
        if (last is not None and m.canonical == last.canonical and ", " in m.canonical
                and text[last.end:m.start] == ", " and m.type == last.type):
            out[-1] = _mention(text, last.start, m.end, m.type, m.canonical, last.title)
            continue
        out.append(m)
    return out


def _acronyms_inside_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name whose bracketed acronym stands before its lower-case head word is one mention,
    the acronym inside it: "the Regional Stabilisation Support (RSS) force". A name with a head
    word of its own is whole before the bracket: "the World Food Programme (WFP) office", and so
    is an acronym before its long form: "a GATT (General Agreement on Tariffs and Trade) council".

    >>> [m.text for m in find_mentions("The Regional Stabilisation Support (RSS) force patrols.")]
    ['Regional Stabilisation Support (RSS) force']
    """
    out: list[Mention] = []
    for m in mentions:
        last = out[-1] if out else None
        if (last is not None and last.type == m.type == "ORG" and m.canonical == last.canonical
                and " " in last.text and last.text.rpartition(" ")[2] not in gz.ORG_HEADS
                and _ACRONYM_SHAPE.fullmatch(m.text) and text[last.end:m.start] == " ("
                and (head := _HEAD_AFTER_ACRONYM.match(text, m.end))
                and gz.ORG_HEADS.get(head.group("head").capitalize()) == "head"):
            out[-1] = _mention(text, last.start, head.end(), "ORG", last.canonical, last.title)
            continue
        out.append(m)
    return out


_HEAD_AFTER_ACRONYM = regex.compile(r"\)[ ](?P<head>\p{Ll}++)(?![\p{L}\-])")


def _without_modifier_tails(text: str, mentions: list[Mention]) -> list[Mention]:
    """An organisation's "for ..." tail whose last name modifies the lower-case head word after
    it is no part of the name: "the Relief Trust Fund [for the JMO] mission"."""
    out = []
    for m in mentions:
        cut = _FOR_TAIL.search(m.text) if m.type == "ORG" else None
        name = m.text[:cut.start()] if cut else ""
        if (cut and (head := _LOWERCASE_HEAD.match(text, m.end))
                and gz.ORG_HEADS.get(head.group("head").capitalize()) == "head"
                and " " in name and name.rpartition(" ")[2] in gz.ORG_HEADS):
            words = name.split(" ")
            m = _mention(text, m.start, m.start + cut.start(), "ORG", organisation_canonical(words), m.title)
        out.append(m)
    return out


_FOR_TAIL = regex.compile(r"[ ]for[ ](?:the[ ])?+\p{Lu}[^ ]*+(?:[ ]\p{Lu}[^ ]*+){0,3}+\Z")


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Sorted mentions with any overlap settled: the earlier (then longer) span wins."""
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _mention(text: str, start: int, end: int, type_: str, canonical: str,
             title: str | None = None) -> Mention:
    return Mention(start, end, text[start:end], type_, canonical, title)
