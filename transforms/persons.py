"""Evidence that a capitalised name group is a person, and the title written next to it.

A name group is a run of capitalised tokens that no gazetteer, organisation pattern or title
explains ("William Ruto", "Prohete"). Cues, read from the text around the group:

1. a title or honorific right before it ("Kenyan President", "Amb", "prime minister",
   "Ambassador to the United Nations"), also across a comma ("Prime Minister, Ariel Henry");
2. an appositive right after it (", Kenya's principal foreign secretary,", ", an analyst",
   ", of the ...", ", head of ...");
3. a speech verb right after ("Prohete said") or right before it ("said Daniel Foote");
4. a byline ("Written by: Ross Key", "By Jane Doe", a name on the line after "author"), or
   a photo credit that is the name alone, also of one word ("Image: Mirrys.");
5. "identified as" right before it ("a seaman identified as Jaypee Galicha");
6. none around it, but the name itself: two or three words opened by a common given name
   ("Tom Watson"), used only where nothing else types the group and no word next to the name
   anywhere in the article makes it a firm's, a ship's or a thing's ("Tom Watson shares",
   "the tanker Tom Watson", "a broker with Tom Watson": ``name_thing_cues.tsv``).

>>> title_before("Kenya’s Ambassador to the United Nations ", 41)
'Ambassador to the United Nations'
>>> title_before("the Haitian prime minister ", 27)
'prime minister'
>>> title_after(", Kenya's principal foreign secretary, told", 0)
'principal foreign secretary'
"""
from __future__ import annotations

from collections.abc import Iterator

import regex

from transforms.gazetteer import LEGAL_FORMS, MAX_TITLE_TOKENS, ORG_HEADS, TITLES, is_common_word
from transforms.lexicon import load_tsv, load_words
from transforms.patterns import BEYOND_BMP, fast
from transforms.speakers import SAYING_VERBS, gap_words
from transforms.wordtrie import trie_pattern

# Every title, longest first, as a character trie: a failed branch costs one test per level.
_TITLE_ALT = trie_pattern(" ".join(k) for k in TITLES)
_WINDOW = 90
_TITLE_LAST_WORDS = frozenset(k[-1] for k in TITLES)
_WINDOW_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*+\.?+")
# The same words on the stdlib engine (a fifth of the cost per call), for windows within the
# Basic Multilingual Plane, where its spelled-out classes agree (see ``transforms.wordtrie``).
_WINDOW_WORD_BMP = fast(_WINDOW_WORD.pattern)

_TITLE_AFTER = regex.compile(
    rf"""
    \A [ ]*+ , [ ]++
    (?: (?:the|a|an|former|then|acting|interim)[ ]++
      | \p{{Lu}}[\p{{L}}.]*+ (?:[ ]++\p{{Lu}}[\p{{L}}.]*+){{0,3}} ['’]s[ ]++ )?+
    (?P<title> (?:[\p{{Ll}}-]++[ ]++){{0,3}}? (?:{_TITLE_ALT}) )
    (?![\p{{L}}])
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
_APPOSITIVE = regex.compile(
    r"""
    \A [ ]*+ , [ ]++
    (?: (?:a|an|the|former|of|who|whose|head|chief|director)(?![\p{L}])   # , an analyst / , of the
      | \p{Lu}[\p{L}.]*+ (?:[ ]++\p{Lu}[\p{L}.]*+){0,3} ['’]s (?![\p{L}]) # , Kenya's principal ...
    )
    """,
    regex.VERBOSE,
)
_BETWEEN_NAME_AND_VERB = gap_words("person")
_BYLINE_BEFORE = regex.compile(r"(?:\A|\n|[ ]|\|)(?:by|written[ ]by|reporting[ ]by|author|image|photo)[ ]*+:?+[ ]*+\Z",
                               regex.IGNORECASE)  # a photo credit names its author too ("Image: Jane Doe")
_AUTHOR_LINE = regex.compile(r"author", regex.IGNORECASE)


_BRACKETED_GIVEN_NAME = regex.compile(r"\((?P<given>\p{Lu}\p{Ll}++)\)[ ]\Z")


def bracketed_given_name(text: str, start: int) -> regex.Match | None:
    """A given name in brackets right before a surname, as peers and officers are written
    ("Lord (Edwin) Marlowe"): its ``given`` group and where its bracket opens; a common given
    name only, not a place's or a firm's word ("Acme (Singapore) Ltd").

    >>> bracketed_given_name("Lord (Edwin) Marlowe", 13).group("given")
    'Edwin'
    >>> bracketed_given_name("Acme (Singapore) Ltd", 17) is None
    True
    """
    if text[start - 2:start] != ") ":
        return None
    given = _BRACKETED_GIVEN_NAME.search(text, max(0, start - 30), start)
    return given if given is not None and given.group("given") in GIVEN_NAMES else None  # not "(Singapore) Ltd"


def title_before(text: str, start: int) -> str | None:
    """The title or honorific that ends right before ``start`` (same line), if any, also before
    a bracketed given name ("Lord (Edwin) Marlowe").

    Matched by looking up the last words before the name in ``TITLES``, longest first, also
    before a complement ("Ambassador to the United Nations"); no scan of the title list.
    """
    if (given := bracketed_given_name(text, start)) is not None:
        start = given.start()
    tail = text[max(0, start - 30):start].rstrip(" ,\t").rsplit(None, 1)
    if not tail:
        return None
    last = tail[-1]
    # a word's title key: casefolded; a full stop only after a short abbreviation ("Amb.")
    if last[-1] == ".":
        complement_only = len(last) > 5 or last[:-1].casefold() not in _TITLE_LAST_WORDS
    else:
        complement_only = last.casefold() not in _TITLE_LAST_WORDS
    if complement_only and not last[0].isupper():
        return None  # fast exit: the word before the name is no title and no complement
    line_start = text.rfind("\n", max(0, start - _WINDOW), start) + 1
    window_start = max(line_start, start - _WINDOW)
    if complement_only and last.isalpha() and (len(tail) == 2 or start <= 30):
        # the last word is whole and no title's last word: only a complement can follow a
        # title here ("Ambassador to the United Nations"), so "to/of/for" must be near
        window = text[window_start:start].casefold()
        if "to" not in window and "of" not in window and "for" not in window:
            return None
    window_words = _WINDOW_WORD if BEYOND_BMP.search(text, window_start, start) else _WINDOW_WORD_BMP
    words = window_words.findall(text, window_start, start)
    trimmed_end = window_start + len(text[window_start:start].rstrip(" ,\t"))
    # the last word must end where the window does, but for spaces and commas; as words are
    # maximal, that is the case exactly when the trimmed window ends with the last word
    if not words or not text.endswith(words[-1], window_start, trimmed_end):
        return None
    # a title ends at most 7 words before the name and has at most 3 words (MAX_TITLE_TOKENS):
    # the last 10 words are all that is read, at the same places counted from the end
    words = words[-7 - MAX_TITLE_TOKENS:]
    keys = [(w.casefold() if w[-1] != "." else w[:-1].casefold() if len(w) <= 5 else None)
            for w in words]  # title keys, as above
    for stop in _title_stops(words, keys):
        if keys[stop - 1] not in _TITLE_LAST_WORDS:
            continue  # every title ends in one of these: no look-ups needed
        for k in range(min(MAX_TITLE_TOKENS, stop), 0, -1):
            if tuple(keys[stop - k:stop]) in TITLES:
                # where the title starts: each word, from the last, is the rightmost copy of
                # itself before the next (words are maximal, so no copy overlaps its own end)
                position = trimmed_end
                for word in reversed(words[stop - k:]):
                    position = text.rfind(word, window_start, position)
                return text[position:trimmed_end]
    return None


def _title_stops(words: list[str], keys: list[str | None]) -> list[int]:
    """Where a title may end: right before the name, or before a "to/of/for the X" complement."""
    stops = [len(words)]
    for j in range(len(words) - 2, max(len(words) - 7, 0) - 1, -1):
        if not (words[j + 1][0].isupper() or keys[j + 1] == "the"):
            break  # the words after a complement's "to/of/for" are capitalised (or "the")
        if keys[j] in ("to", "of", "for"):
            stops.append(j)
    return stops


def title_after(text: str, end: int) -> str | None:
    """The role in an appositive right after a name (", the Kenyan ambassador,")."""
    if text[end:end + 2].lstrip(" ")[:1] != ",":
        return None
    match = _TITLE_AFTER.match(text[end:end + _WINDOW])
    return match.group("title") if match else None


def speech_verb_near(text: str, start: int, end: int) -> bool:
    """A verb of saying right after the name ("Prohete said", "Koome has also said") or right
    before it ("said Daniel Foote", "declared a Foote"). Word look-ups, no regex scan."""
    after = text[end:end + 40]
    if after[:1] in ("'", "’"):
        after = after[2:] if after[1:2] == "s" else after[1:]
    words = after.lstrip(" ,").split(None, 3)
    for word in words[:3]:
        word = word.rstrip(",.;:")
        if word in SAYING_VERBS:  # plain verbs of saying only: "termed Brexit" is no evidence
            return True
        if word not in _BETWEEN_NAME_AND_VERB:
            break
    if text[start - 1:start] != " ":
        return False
    words = text[max(0, start - 30):start].rsplit(None, 2)[-2:]
    if words and words[-1] == "a":
        words = words[:-1]
    return bool(words) and words[-1] in SAYING_VERBS


def has_appositive(text: str, end: int) -> bool:
    """", an analyst at ...", ", of the ...", ", Kenya's foreign secretary" after the name."""
    after = text[end:end + _WINDOW]
    return after.lstrip(" ")[:1] == "," and bool(_APPOSITIVE.match(after))


_IDENTIFIED_AS = regex.compile(r"(?<![\p{L}])identified[ ](?:only[ ])?as[ ]\Z")


def identified_as(text: str, start: int) -> bool:
    """The name follows "identified as" / "identified only as": a victim or suspect named.

    >>> identified_as("a boy, identified only as Ivan", 26), identified_as("a boy named Ivan", 12)
    (True, False)
    """
    return text.endswith("as ", 0, start) and _IDENTIFIED_AS.search(text, max(0, start - 25), start) is not None


_CREDIT_BEFORE = regex.compile(r"(?<![\p{L}])(?:image|photo)[ ]*+:[ ]*+\Z", regex.IGNORECASE)
_CREDIT_AFTER = regex.compile(r"[.!]?+[ ]*+(?:\(|\n|\Z)")


def is_credit(text: str, start: int, end: int) -> bool:
    """The name is all of a photo credit ("Image: Mirrys.", "Photo: Kelvo (flickr)"): a
    photographer, also when named by one word.

    >>> is_credit("Placards. Image: Mirrys.", 17, 23), is_credit("Image: Chris j wood", 7, 12)
    (True, False)
    """
    return (_CREDIT_BEFORE.search(text, max(0, start - 10), start) is not None
            and _CREDIT_AFTER.match(text, end) is not None)


def is_byline(text: str, start: int) -> bool:
    """The name follows "By"/"Written by:" or stands on the line after an author marker."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 30):start]
    marker = before.rstrip(" ").removesuffix(":").rstrip(" ")[-6:].lower()
    if marker.endswith(("by", "author", "image", "photo")) and _BYLINE_BEFORE.search(before):
        return True
    if before.strip() or text[line_start:start].strip():  # the first is the same test, nearer
        return False
    previous_end = line_start - 1
    previous_start = text.rfind("\n", 0, max(previous_end, 0)) + 1
    previous = text[previous_start:previous_end]
    return len(previous) < 40 and bool(_AUTHOR_LINE.search(previous))


# A lower-case syllable after a hyphen, also after a capitalised syllable that the run left out
# as a stop word ("Kim Sun-hee": "Sun" is Sunday's abbreviation).
_HYPHENATED_TAIL = regex.compile(
    r"(?:[ ](?P<syllable>\p{Lu}\p{Ll}{1,4}))?+-(?P<tail>\p{Ll}{2,5})(?![\p{L}\p{N}\-])")
_GIVEN_NAME_SYLLABLE = regex.compile(r"\p{Lu}\p{Ll}{1,4}")


def with_hyphenated_given_name(text: str, tokens: tuple[tuple[str, int, int], ...],
                               offset: int) -> tuple[tuple[str, int, int], ...]:
    """A name group's tokens with a Korean or Chinese given name run on over its hyphen and
    lower-case syllable ("Moon Jae-in", "Kim Sun-hee"); not a compound's ordinary word ("Tom
    Lee-led", "Dale Kerr-era"), nor a lone word's or a long word's compound ("Biden-era").

    >>> with_hyphenated_given_name("Lee Jae-in met", (("Lee", 0, 3), ("Jae", 4, 7)), 0)
    (('Lee', 0, 3), ('Jae-in', 4, 10))
    >>> with_hyphenated_given_name("Kim Sun-hee met", (("Kim", 0, 3),), 0)
    (('Kim', 0, 3), ('Sun-hee', 4, 11))
    >>> with_hyphenated_given_name("Tom Lee-led", (("Tom", 0, 3), ("Lee", 4, 7)), 0)
    (('Tom', 0, 3), ('Lee', 4, 7))
    """
    word, start, end = tokens[-1]
    tail = _HYPHENATED_TAIL.match(text, offset + end)
    if tail is None or (len(tail.group("tail")) > 2 and is_common_word(tail.group("tail"))):
        return tokens
    if tail.group("syllable"):
        return (*tokens, (tail.group()[1:], tail.start("syllable") - offset, tail.end() - offset))
    if len(tokens) < 2 or not _GIVEN_NAME_SYLLABLE.fullmatch(word):
        return tokens
    return (*tokens[:-1], (word + tail.group(), start, tail.end() - offset))


GIVEN_NAMES = load_words("given_names.tsv")
_ARTICLE_BEFORE = regex.compile(r"(?<![\p{L}])(?:the|a|an)[ ]\Z", regex.IGNORECASE)


def named_by_given_name(text: str, start: int, words: tuple[str, ...]) -> bool:
    """Two or three words, a common given name first and no common word last, with no article
    before: a person even with no cue around ("Tom Watson"; not "Rose Garden", whose last word is
    an ordinary one, nor "the Sandy Point area", a name an article makes a thing's).

    >>> named_by_given_name("met Tom Watson", 4, ("Tom", "Watson"))
    True
    >>> named_by_given_name("met Rose Garden", 4, ("Rose", "Garden"))
    False
    >>> named_by_given_name("the Tom Lee area", 4, ("Tom", "Lee"))
    False
    """
    return (2 <= len(words) <= 3 and words[0] in GIVEN_NAMES and not is_common_word(words[-1])
            and not _glued_word(words[-1])
            and _ARTICLE_BEFORE.search(text, max(0, start - 4), start) is None
            and not part_of_longer_name(text, " ".join(words)) and not names_a_thing(text, " ".join(words)))


_GLUED_TAIL = regex.compile(r"(?<=\p{Ll}{3})\p{Lu}\p{Ll}++\Z")


def _glued_word(word: str) -> bool:
    """A name glued to the ordinary word after it, as in a caption run together with its
    credit ("JorgensenImage"); not an inner capital of a name ("McPherron", "LaHood").

    >>> _glued_word("KerrImage"), _glued_word("McPherron"), _glued_word("DeSantis")
    (True, False, False)
    """
    tail = _GLUED_TAIL.search(word)
    return tail is not None and is_common_word(tail.group())


# After a name elsewhere in the article: more capitalised words ("Dale Kerr Capital Markets"), a
# legal form after a comma, or "and" and up to two capitalised words before an organisation's
# head word or legal form ("Dale Kerr and Co", "Dale Kerr and Sons Ltd").
_LONGER_NAME_AFTER = regex.compile(
    r"[ ]\p{Lu}|,?+[ ](?:(?:and|&)[ ](?:\p{Lu}\p{L}*+[ ]){0,2})?(?P<word>\p{Lu}\p{L}*+)(?![\p{L}\-])")


def part_of_longer_name(text: str, name: str) -> bool:
    """Somewhere in the article the name goes on as a longer one's, a company's or a thing's
    ("Dale Kerr and Co", "the Dale Kerr Space Telescope"): a name that is more than a person's.

    >>> part_of_longer_name("Dale Kerr said. Dale Kerr and Sons Ltd rose.", "Dale Kerr")
    True
    >>> part_of_longer_name("Dale Kerr said. Dale Kerr and Co-chair Ann Lee met.", "Dale Kerr")
    False
    """
    for _, end in _occurrences(text, name):
        after = _LONGER_NAME_AFTER.match(text, end)
        if after is not None and (after.group("word") is None or after.group("word") in ORG_HEADS
                                  or after.group("word") in LEGAL_FORMS):
            return True
    return False


def _occurrences(text: str, name: str) -> Iterator[tuple[int, int]]:
    """Start and end of each occurrence of ``name`` in ``text``."""
    at = text.find(name)
    while at >= 0:
        yield at, at + len(name)
        at = text.find(name, at + len(name))


def _cue_words(position: str) -> str:
    """The alternation of ``name_thing_cues.tsv``'s words at ``position``, longest first."""
    words = sorted((row["word"] for row in _THING_CUES if row["position"] == position), key=len, reverse=True)
    return "|".join(regex.escape(word) for word in words)


_THING_CUES = load_tsv("name_thing_cues.tsv", required=("word", "position"))
_THING_AFTER = regex.compile(
    rf"(?:['’]s)?+[ ](?:{_cue_words('after')})(?![\p{{L}}])|[ ](?:{_cue_words('traded')})(?![\p{{L}}])")
_THING_BEFORE = regex.compile(
    rf"(?<![\p{{L}}])(?:(?:{_cue_words('vessel')})|(?:{_cue_words('employer')})[ ](?:with|at))[ ]\Z")


def names_a_thing(text: str, name: str) -> bool:
    """Somewhere in the article a word next to the name makes it a firm's, a vessel's or a
    thing's (``name_thing_cues.tsv``): "Dale Kerr shares", "the tanker Dale Kerr", "a broker
    with Dale Kerr".

    >>> names_a_thing("Dale Kerr said. The Dale Kerr unit rose.", "Dale Kerr")
    True
    >>> names_a_thing("Dale Kerr said. Dale Kerr's shares rose.", "Dale Kerr")
    False
    """
    return any(_THING_AFTER.match(text, end) or _THING_BEFORE.search(text, max(0, start - 30), start)
               for start, end in _occurrences(text, name))
