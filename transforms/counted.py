"""The counted noun of a figure: the head noun of what is counted, lower-case singular.

General rule: read the words after the figure up to a function word or punctuation; for a
plural count the head is the first plural-looking word (adjectives, nationality words and
compound modifiers before it are skipped: "1,000 Kenyan police officers" -> officer), and a
plural nationality noun as the head counts people ("2,300 Chileans" -> person); for
"N of <noun phrase>" (fractions, percentages, vague magnitudes) it is the noun that closes
the phrase after the determiners and names ("80% of the capital" -> capital, "of the power
plant pollution that" -> pollution), or the plural noun a modifier comes before ("of the
police officers" -> officer); a pronoun ("half of them") takes the phrase after it or the
previous figure's noun; a bare participle standing for people ("thousands dead") gives
"person", and "N-strong" gives "personnel"; a bare count in a vote tally counts votes ("41 in favour to 9
against", ``figure_tally_words.tsv``). A measure counts its unit word as written
(``measure_noun``). Money and durations count nothing. A count whose noun is left out is
settled with its sentence in ``transforms.figures`` (``leaves_noun_out``, ``implied_person``).

>>> singular("countries"), singular("people"), singular("churches"), singular("officers")
('country', 'person', 'church', 'officer')
"""
from __future__ import annotations

import re
from functools import lru_cache
from re import IGNORECASE

from transforms import gazetteer
from transforms.lexicon import load_tsv
from transforms.numbers import NUMBER_WORDS, SCALES
from transforms.patterns import fast

_IRREGULAR = {r["plural"]: r["singular"]
              for r in load_tsv("figure_plural_irregulars.tsv", required=("plural", "singular"))}
_NOT_COUNTED = load_tsv("figure_not_counted.tsv", required=("word", "kind"))
_INVARIANT = {w: True for w, s in _IRREGULAR.items() if w == s}
_STOP = frozenset(r["word"] for r in _NOT_COUNTED if r["kind"] == "stop")
_ONE_IDIOM = frozenset(r["word"] for r in _NOT_COUNTED if r["kind"] == "one_idiom")
_MONEY_WORDS = frozenset(r["word"] for r in _NOT_COUNTED if r["kind"] == "money")
_PLURAL_MODIFIERS = frozenset(r["word"] for r in _NOT_COUNTED if r["kind"] == "modifier")
# nationality nouns that are their own plural ("Sudanese", "Swiss"): demonyms.tsv rows with no plural
_SAME_PLURAL_NATIONALITIES = frozenset(row["demonym"] for row in load_tsv("demonyms.tsv", required=("demonym",))
                                       if not row["plural"] and " " not in row["demonym"])
_PEOPLE_STATES = frozenset(r["word"] for r in load_tsv("figure_people_states.tsv", required=("word",)))
_NOUN_CLASSES: dict[str, frozenset[str]] = {}
for _row in load_tsv("figure_counted_classes.tsv", required=("counted", "class")):
    _NOUN_CLASSES[_row["counted"]] = _NOUN_CLASSES.get(_row["counted"], frozenset()) | {_row["class"]}
_DETERMINERS = frozenset("the its their his her our your a an this that these those all some its".split())
_PRONOUNS = frozenset("them those these us which whom you".split())
_LEFT_OUT_FOLLOWERS = (_STOP - {"of"}) | {"more"}
_RELATIVE_PERSON = frozenset({"who", "whom"})
_RELATIVE_OF = frozenset({"whom", "which"})
_COPULAS = frozenset({"are", "were", "is", "was"})
PEOPLE_CATEGORIES = frozenset({"casualties", "displacement", "humanitarian"})
_NOT_AFTER_ONE = frozenset("no any each every which the this that only another".split())

_LINKED_NUMBER_WORDS = "|".join(sorted(NUMBER_WORDS - {"a", "of", "few", "several", "couple", "scores"},
                                       key=len, reverse=True))
# a second number sharing the noun: "and 27", "and millions", "or three", "to 2.2"
_LINKED_NUMBER = fast(rf"[ \t]++(?:and|or|to)[ \t]++(?:\d(?:[.,]?\d)*+|(?:{_LINKED_NUMBER_WORDS})\b)", IGNORECASE)
# modifiers, then a second number that names the shared noun: "2,000 Thai and 74 Malaysian stores"
_MODIFIERS_THEN_NUMBER = fast(rf"""(?:[ \t]++[\p{{L}}][\p{{L}}'’-]*+){{1,2}}?[ \t]++(?:and|or)[ \t]++
                               (?:\d(?:[.,]?\d)*+|(?:{_LINKED_NUMBER_WORDS})\b)""", IGNORECASE | re.VERBOSE)

_TALLY_ROWS = load_tsv("figure_tally_words.tsv", required=("words", "counted", "position"))
_TALLY_COUNTED = {" ".join(r["words"].lower().split()): r["counted"] for r in _TALLY_ROWS}
_CLOSES_CLAUSE = r"(?=[ \t]*+(?:[,.;:)]|\Z|(?:and|or|to|with)\b))"
# a vote tally after a bare count ("41 in favour", "9 against."), per figure_tally_words.tsv
_TALLY = fast(r"[ \t]++(?:" + "|".join(
    r"[ \t]++".join(map(re.escape, r["words"].split())) + (_CLOSES_CLAUSE if r["position"] == "closing" else r"\b")
    for r in sorted(_TALLY_ROWS, key=lambda r: -len(r["words"]))) + ")", IGNORECASE)

_NAME_BEFORE = fast(r"[\p{L}\d,][ \t]++\p{Lu}[\p{L}.-]*+[ \t]++\Z")

_WORDS_READ = 8
_WORDS_AFTER = fast(rf"(?:[ \t\u00a0]++[\p{{L}}][\p{{L}}\p{{M}}'’.-]*+){{1,{_WORDS_READ}}}")
_RATE_AFTER = fast(r"[ \t]++per[ \t]++\p{L}++|/\p{L}++")
_WORD = fast(r"[\p{L}][\p{L}\p{M}'’.-]*+")
_WORD_BEFORE = fast(r"(\p{L}++)[ \t]++\Z")
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ous", "'s", "’s")


@lru_cache(maxsize=1 << 14)     # pure; nouns recur
def singular(word: str) -> str:
    """Lower-case singular of a plural noun (irregulars from the data file, then suffix rules)."""
    word = word.lower().strip(".")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_NOT_PLURAL_ENDINGS):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 14)
def looks_plural(word: str) -> bool:
    lower = word.lower().strip(".")
    if lower in _IRREGULAR:
        return True
    return len(lower) > 3 and lower.endswith("s") and not lower.endswith(_NOT_PLURAL_ENDINGS)


def is_function_word(word: str) -> bool:
    return word.lower() in _STOP


def starts_with_plural(text: str, pos: int) -> bool:
    """Whether a plural noun follows ``pos`` ("2000 troops": a count, not the year 2000)."""
    words = words_after(text, pos)
    for word in words[:3]:
        if word.lower() in _STOP:
            return False
        if looks_plural(word) and word[0].islower():
            return True
    return False


def plural_noun_follows(text: str, pos: int) -> str | None:
    """The singular of the lower-case plural noun right after ``pos`` ("4.2m households"), or ``None``.

    >>> plural_noun_follows("4.2m households lack water", 4), plural_noun_follows("a 4.2m wall", 6)
    ('household', None)
    """
    words = words_after(text, pos)
    if not words or not words[0][0].islower() or not looks_plural(words[0]):
        return None
    word = words[0].lower()
    return None if word in _STOP or word in _MONEY_WORDS else singular(word)


def one_is_idiom(text: str, start: int, end: int, hyphen_noun: str | None) -> bool:
    """"one another", "no one", "one day", "one-time": a bare "one" that counts nothing."""
    if hyphen_noun is not None:
        return hyphen_noun in _ONE_IDIOM or hyphen_noun in _STOP
    before = _WORD_BEFORE.search(text, max(0, start - 12), start)
    if before and before.group(1).lower() in _NOT_AFTER_ONE:
        return True
    words = words_after(text, end)
    if not words:
        return True
    first = words[0].lower()
    return first in _STOP or first in _ONE_IDIOM


def counted_noun(text: str, start: int, end: int, unit: str, value: float | None,
                 unit_noun: str | None, hyphen_noun: str | None,
                 previous: str | None) -> str | None:
    """Head noun of what the figure at ``text[start:end]`` counts, or ``None``."""
    if unit == "other":
        noun = measure_noun(text[start:end])
        rate = _RATE_AFTER.match(text, end)                  # "75 miles per hour", "295 km/h"
        return (noun + rate.group().lower() if noun and rate else noun) or unit_noun
    if unit_noun is not None:
        return unit_noun                                    # what the quantity names itself ("4 deaths per 100,000")
    if unit not in ("count", "percent", "fraction"):
        return None                                         # money and durations
    if hyphen_noun == "strong":
        return "personnel"                                  # "a 1,150-strong battalion": its size in people
    if hyphen_noun is not None:
        return singular(hyphen_noun)                        # "a 12-member panel"
    words = words_after(text, end)
    if not words:
        return None
    if words[0].lower() == "of":
        return _of_phrase(words[1:], previous, len(words) < _WORDS_READ)
    if unit == "fraction" and words[0].lower() in _DETERMINERS:
        return _of_phrase(words, previous, len(words) < _WORDS_READ)       # "half the wells": "of" left out
    if unit == "percent" and words[0].lower() == "share" and words[1:2] and words[1].lower() == "of":
        return _of_phrase(words[2:], previous, len(words) < _WORDS_READ)   # "a 4% share of the market"
    if unit != "count":
        return None                                         # "rose 5%": counts nothing
    if tally := _TALLY.match(text, end):
        return _TALLY_COUNTED[" ".join(tally.group().lower().split())]   # "41 in favour to 9 against"
    plural = value is None or value != 1
    head = _head(words, plural)
    if head is None and plural and (shared := _MODIFIERS_THEN_NUMBER.match(text, end)):
        head = _head(words_after(text, shared.end()), True)  # the noun the next number names
    return None if head in _MONEY_WORDS else head           # "450 crowns": money, whatever its unit


@lru_cache(maxsize=1 << 12)
def measure_noun(figure_text: str) -> str | None:
    """The unit word of a measure as the text writes it, singular ("eight kilometers per hour" ->
    "kilometer per hour", "145 km" -> "km", "60 tons" -> "ton"): what follows the last number."""
    words = figure_text.replace("-", " ").split()
    last_number = max((i for i, word in enumerate(words)
                       if any(ch.isdigit() for ch in word) or word.lower() in NUMBER_WORDS or word in SCALES),
                      default=None)
    if last_number is None:
        return None
    if last_number == len(words) - 1:                       # "10km": the unit touches the digits
        return singular(words[-1].lstrip("0123456789.,")) or None
    unit, _, per = " ".join(words[last_number + 1:]).lower().partition(" per ")
    head, _, last = unit.rpartition(" ")
    return " ".join(filter(None, (head, singular(last)))) + (f" per {per}" if per else "")


def leaves_noun_out(text: str, end: int) -> bool:
    """Whether the count ending at ``end`` names no noun of its own: punctuation, a function
    word, a participle or "more" follows ("8,500 in Corvo", "killed twelve and injured twelve
    more", "with 198 recorded"), but not a second number that shares the noun ("millions and
    millions of pesos", "four and six cylinder units", "19 to 27 pct").

    >>> leaves_noun_out("killed 12 and injured 20.", 9), leaves_noun_out("four and six cylinder units", 4)
    (True, False)
    >>> leaves_noun_out("the toll rose from fourteen to 31.", 23)
    True
    """
    words = words_after(text, end)
    if not words:
        return True
    if shared := _LINKED_NUMBER.match(text, end):
        return leaves_noun_out(text, shared.end())      # "from fourteen to 31." leaves it out too
    return words[0].lower().rstrip(".") in _LEFT_OUT_FOLLOWERS or _is_participle(words[0])


def follows_name(text: str, start: int) -> bool:
    """Whether the number at ``start`` comes straight after a capitalised word inside its sentence:
    part of a name or code ("RIC 52", "April six", "Boeing 747"), so no count of left-out people.

    >>> follows_name("clones RIC 52, RIC 104", 11), follows_name("About 900 fled", 6)
    (True, False)
    """
    return _NAME_BEFORE.search(text, max(0, start - 40), start) is not None


@lru_cache(maxsize=1 << 12)
def noun_classes(noun: str) -> frozenset[str]:
    """The classes of a counted noun (``figure_counted_classes.tsv``; for a compound, of its last
    word); a word standing for people ("displaced") and a nationality noun ("haitian") are a person.

    >>> sorted(noun_classes("refugee")), sorted(noun_classes("police officer")), sorted(noun_classes("share"))
    (['person'], ['person'], [])
    """
    classes = _NOUN_CLASSES.get(noun)
    if classes is None:
        last = noun.rpartition(" ")[2]
        classes = _NOUN_CLASSES.get(last, frozenset())
        if not classes and (last in _PEOPLE_STATES or _is_nationality(last.title())):
            classes = frozenset({"person"})
    return classes


def level_subject(text: str, clause_start: int, start: int) -> str | None:
    """What the count at ``start``, with no noun of its own, counts when its clause gives it as the
    level of a subject (``figure_level_verbs.tsv``: "cholera cases rose to 1,200"): the subject's
    plural head, or the noun after "the number of"; a singular head of people ("population")
    counts persons. Only a noun with a class in ``figure_counted_classes.tsv`` (or a
    word standing for people) is taken; the subject is read back to a comma or bracket, and a
    capitalised head is a name ("Elders rose 14 to 5.64").

    >>> text = "The number of cholera cases rose to more than 1,200."
    >>> level_subject(text, 0, text.index("1,200"))
    'case'
    >>> text = "Reported casualties increased to 167. The total population of the island is about 75,000."
    >>> level_subject(text, 0, 35), level_subject(text, 38, text.index("75,000"))
    ('casualty', 'person')
    >>> level_subject("Net profit rose to 12.5", 0, 19), level_subject("Elders rose 14 to 5.64", 0, 12)
    (None, None)
    """
    clause = text[clause_start:start]
    cut = max(map(clause.rfind, ",;:()[]"))
    words = _split_words(clause[cut + 1:])
    verb = next((len(words) - k for k in range(1, min(len(words), _WORDS_TO_VERB) + 1)
                 if words[-k].lower() in _LEVEL_VERBS), None)
    if verb is None:
        return None
    subject = [w for w in words[:verb] if not w.endswith(("'s", "’s"))]
    while subject and subject[-1].lower() in _AUXILIARIES:
        subject.pop()
    if not subject:
        return None
    measured = max((k for k in range(1, len(subject) - 1)
                    if subject[k] == "of" and subject[k - 1].lower() in _MEASURE_NOUNS), default=None)
    if measured is not None:                            # "the number of cholera cases"
        head = next((w for w in subject[measured + 1:] if w.lower() not in _DETERMINERS
                     and (looks_plural(w) or w.lower() in _PEOPLE_STATES)), None)
    else:                                               # "cases rose", "the population of the camp is"
        head = subject[subject.index("of") - 1] if "of" in subject[1:] else subject[-1]
    return _subject_head(head) if head is not None and head[0].islower() else None


def _subject_head(word: str) -> str | None:
    """The counted noun a subject's head ``word`` gives, if it names a class of
    ``figure_counted_classes.tsv``: plural nouns in the singular, people words and a singular of
    people ("population") as "person"."""
    if word in _STOP:
        return None
    if word in _PEOPLE_STATES:
        return "person"
    if not looks_plural(word):
        return "person" if "person" in _NOUN_CLASSES.get(word, ()) else None
    noun = singular(word)
    return noun if noun in _NOUN_CLASSES else None


_LEVEL_ROWS = load_tsv("figure_level_verbs.tsv", required=("word", "kind"))
_LEVEL_VERBS = frozenset(r["word"] for r in _LEVEL_ROWS if r["kind"] == "verb")
_MEASURE_NOUNS = frozenset(r["word"] for r in _LEVEL_ROWS if r["kind"] == "measure")
_AUXILIARIES = frozenset({"has", "have", "had", "now", "also", "already", "further", "again"})
_WORDS_TO_VERB = 5          # "rose to more than 1,200": the verb, "to" and a qualifier of two words


def implied_person(text: str, end: int, category: str) -> str | None:
    """"person" for a count with no noun that counts people: one followed by "who" ("2.8 million
    who voted") or one about casualties, displacement or need ("killed twelve", "reached 48,000")."""
    words = words_after(text, end)
    if (words and words[0].lower() in _RELATIVE_PERSON) or category in PEOPLE_CATEGORIES:
        return "person"
    return None


def words_after(text: str, pos: int) -> tuple[str, ...]:
    """The words after ``pos``, up to eight, across blanks only."""
    match = _WORDS_AFTER.match(text, pos)
    return _split_words(match.group()) if match else ()


@lru_cache(maxsize=1 << 14)     # pure: the same few words follow many figures ("mln dlrs")
def _split_words(span: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(span))


@lru_cache(maxsize=1 << 14)
def _head(words: tuple[str, ...], plural: bool) -> str | None:
    last = None
    for i, word in enumerate(words[:5]):
        lower = word.lower().rstrip(".")
        if lower in ("and", "or") and plural and last is not None and _adjective_then_plural(words[i + 1:i + 3]):
            continue                                        # "85 local and international partners"
        if lower in _STOP:
            break
        if lower in _PEOPLE_STATES:
            following = words[i + 1] if i + 1 < len(words) else ""
            if not (following[:1].islower() and looks_plural(following) and following.lower() not in _STOP):
                return "person"                             # "thousands dead"; not "21 injured individuals"
            continue
        if plural and word.rstrip(".") in _SAME_PLURAL_NATIONALITIES and _ends_noun_phrase(words[i + 1:]):
            return "person"                                 # "1,500 Sudanese arrived"; not "20 Chinese banks"
        if plural and looks_plural(word):
            following = words[i + 1] if i + 1 < len(words) else ""
            if following.lower() == "related":
                continue                                    # "measles related deaths" as "measles-related deaths"
            if (_INVARIANT.get(lower) or word[0].isupper() or lower in _PLURAL_MODIFIERS) and following[:1].islower() \
                    and looks_plural(following) and following.lower() not in _STOP:
                continue                                    # "police officers", "people smugglers": a modifier
            if _is_nationality(word) or _other_people_follow(singular(lower), words[i + 1:i + 4]):
                return "person"                             # "2,300 Chileans"; "8,600 migrants and returnees"
            return singular(lower)
        if not plural and last is not None and (looks_plural(word) or _is_participle(word)):
            break                                           # "one vaccine appears", "one case involved": its verb
        if word[0].islower() or (word.isupper() and len(word) > 1):
            last = lower                                    # "one experimental vaccine", "one MP"
        if word.endswith(".") and "." not in word[:-1]:     # a full stop, not "U.S."
            break
    return None if plural else last


def _named_plural(words: tuple[str, ...]) -> str | None:
    """The head of a plural noun phrase opening ``words`` ("police officers", "Chileans"), or ``None``."""
    for word in words[:3]:
        if word.lower() in _STOP or word.lower() in _PEOPLE_STATES or _is_participle(word):
            return None
        if looks_plural(word):
            return _head(words, True)
    return None


def _other_people_follow(noun: str, words: tuple[str, ...]) -> bool:
    """Whether people of another kind are coordinated with the people ``noun`` counts: "and"/"or",
    maybe one adjective, and a plural noun of people ("migrants and returnees", "soldiers and
    civilians"): the figure counts persons. Not "refugees and their families", "women and nine men"."""
    if len(words) < 2 or words[0].lower() not in ("and", "or") or words[1].lower() in _DETERMINERS \
            or words[1].lower() in NUMBER_WORDS or "person" not in noun_classes(noun):
        return False
    other = next((w for w in words[1:3] if looks_plural(w)), None)
    return other is not None and other[0].islower() and singular(other) != noun \
        and "person" in noun_classes(singular(other))


def _ends_noun_phrase(words: tuple[str, ...]) -> bool:
    """Whether the noun phrase is over before ``words``: they are none, or open with a function
    word other than "and"/"or" or with a participle that no plural noun follows ("were evacuated",
    "arrived in"; not "franc bond", "trading companies", "and U.S. firms")."""
    if not words:
        return True
    first = words[0].lower().rstrip(".")
    if first in _STOP:
        return first not in ("and", "or")
    following = words[1] if len(words) > 1 else ""
    return _is_participle(words[0]) and not (following[:1].islower() and looks_plural(following))


def _adjective_then_plural(words: tuple[str, ...]) -> bool:
    """A lower-case word, not plural, then a plural noun: "international partners"."""
    return (len(words) == 2 and words[0].islower() and not looks_plural(words[0])
            and words[1].islower() and looks_plural(words[1]) and words[1] not in _STOP)


@lru_cache(maxsize=1 << 14)
def _of_phrase(words: tuple[str, ...], previous: str | None, ended: bool) -> str | None:
    """"of the capital Port-au-Prince" -> capital; "of them children" -> child; "of them" -> previous;
    "of whom are midwives" -> midwife, but "of whom were injured" -> previous.
    ``ended``: the text's phrase ends within ``words`` (they are not cut at ``_WORDS_READ``)."""
    i = 0
    while i < len(words) and (words[i].lower() in _DETERMINERS or words[i].endswith(("'s", "’s"))):
        i += 1
    if i < len(words) and words[i].lower() in _PRONOUNS:
        rest = words[i + 1:]
        if words[i].lower() in _RELATIVE_OF and rest[:1] and rest[0].lower() in _COPULAS:
            # "four of whom are midwives" -> midwife; "two of whom were (badly) hurt" -> previous
            return _named_plural(rest[1:]) or previous
        if rest and rest[0][0].islower() and rest[0].lower() not in _STOP:
            return _of_phrase(rest, previous, ended)        # "of them children", "of them crew members"
        return previous
    phrase = [w for w in words[i:] if not w.endswith(("'s", "’s"))]
    names = next((k for k, word in enumerate(phrase) if not word[0].isupper()), len(phrase))
    if 0 < names < len(phrase) and phrase[names].lower() not in _STOP and not _is_participle(phrase[names]):
        phrase = phrase[names:]         # names as modifiers: "of all Haitian children", "of Polish grocery turnover"
    nouns: list[str] = []
    closed = ended
    for k, word in enumerate(phrase):
        lower = word.lower().rstrip(".")
        if lower in _STOP or (nouns and (_is_participle(word) or (word[0].isupper() and nouns[-1][0].islower()))):
            closed = True                                   # "of the capital Port-au-Prince", "of the houses destroyed"
            break
        nouns.append(word)
        if word.endswith("."):
            closed = True
            break
        if len(nouns) == 3:
            closed = phrase[k + 1].lower() in _STOP if k + 1 < len(phrase) else ended
            break
    if not nouns:
        return None
    # a closed noun phrase ends in its head ("of the power plant pollution that" -> pollution), but
    # a plural after a modifier is the head ("of the police officers" -> officer); an open one
    # may run into its verb ("of the population lack clean water"): its first word
    head = next((w for k, w in enumerate(nouns) if k and w[0].islower() and looks_plural(w)
                 and (not looks_plural(nouns[k - 1]) or nouns[k - 1].lower() in _INVARIANT)),
                nouns[-1] if closed else nouns[0])
    if looks_plural(nouns[0]) and nouns[0].lower() not in _INVARIANT:
        head = nouns[0]                                     # "of sales from", "of Haitians"
    return singular(head) if looks_plural(head) else head.lower().strip(".")


def _is_nationality(word: str) -> bool:
    """"Chileans" (a plural nationality noun, ``demonyms.tsv``): the head counts people."""
    if not word[:1].isupper():
        return False
    entry = gazetteer.lookup((word.rstrip("."),))
    return entry is not None and entry.kind == "demonym"


def _is_participle(word: str) -> bool:
    word = word.rstrip(".")
    return len(word) > 4 and word.endswith(("ed", "ing"))
