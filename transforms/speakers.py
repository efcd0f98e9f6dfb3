"""Who said it: the one engine that names the speaker of a quote and the source of a figure
(``Speakers``, one per article), with its lexicons: the one lexicon of verbs of saying and
reporting, the words that may stand between a speaker and such a verb, the words that point back
to an entity named earlier, and the adjuncts that may follow a verb closing its clause. Quotes
(``transforms.quotes``) and figures (``transforms.figures``) call the engine; the speech-verb cue
for person names (``transforms.persons``) reads its verbs.

Each verb's row (``reporting_verbs.tsv``) says what it may do: frame a quote, as a plain verb
of saying ("said") or only around a partial quote ("accusing"), and report a figure
("reported", "showed"; "pledged" does not: the actor of a quantity is not its reporter). Each
rule reads only the verbs of its own use, so one lexicon serves rules that must differ.

>>> text = "Some 300 fled, the UN Reported; we pledged aid."
>>> [text[m.start():m.end()] for m in FIGURE_VERBS.finditer(text)], [m.group() for m in QUOTE_VERBS.finditer(text)]
(['Reported'], ['pledged'])
>>> REPORTING_VERBS["accusing"]
ReportingVerb(lemma='accuse', quote='frame', figure=False, gives_money=False)

**The source of a figure** (``Speakers.figure_source``): frames, in order of precedence (the
first that applies wins):

0. A figure inside a direct quotation is the speaker's ("“We registered 7,350 arrivals,” said
   X"): the quote's speaker, when one was found.
1. "according to X" (or another row of ``source_openers.tsv``: "In a situation report of X,")
   opening or closing the sentence ("according to UN figures"; "According to the NGO" -> the
   organisation named before it); inside it ("killed 62, including, according to X, 54
   children"), for the figures after it.
2. A closing frame: "X <verb>" followed only by a time/channel adjunct and punctuation
   ("..., Reuters noted.", "..., a U.N. official said in December, ..."), or an inverted frame
   whose subject ends the clause (", said Li Sangsu, a spokesman for ..."): it reports the
   whole sentence.
3. An opening frame "X <verb> ..." before the figure ("Kimani told the Council that ...",
   "He also questioned whether ..."); the nearest such verb before the figure, but not a verb
   whose object is the money figure it gives ("Portugal announced €3m in new funding": the actor
   of a quantity is not its reporter).

X is an entity mention right before the verb (role nouns and auxiliaries may stand between:
"a U.N. official said", "the UN has underscored"; an appositive too), after it in an
inverted frame (", said X"), or an anaphor resolved to the last mention of its type ("he" -> a
person; "it", "the company", "the review shows" -> an organisation). "<person> of <organisation>"
is the person; after "according to", a person or organisation named wins over a place. A place
or nationality before a role noun is an unnamed group and no source ("U.S. officials said",
"according to Philippine officials"; the rows of ``speaker_gap_words.tsv`` marked ``unnamed``);
its government is the country ("The government has reported ..." -> the country named before).

**The speaker of a quote** (``Speakers.quote_speaker``): the noun phrase next to a verb of
saying after the quote (“…,” said Amb.) or before it (Blinken has warned that …), resolved
through the article's mentions: a name is its canonical; he/she is the most recent person and
"the rights group" (or "the agency's spokesperson") the most recent organisation; "the head of
state"/"the Kenyan president" is the most recent person with such a title (written before the name
or as the head of an apposition after it); "a State Department official" is the organisation.
Without a frame, "according to X" in the quote's sentence names the speaker (the figure rule
1), then the sentence's first actor, then the speaker carried from the quote before.

Both read one mention index (``transforms.mention_index``) and the same resolvers for a name
the entity rules did not mark ("Li added" -> the person named earlier whose name holds "Li").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import regex

from transforms import gazetteer as gz
from transforms.lexicon import LexiconError, load_tsv
from transforms.mention_index import MentionIndex
from transforms.patterns import fast
from transforms.records import Mention, Quote, Sentence
from transforms.wordtrie import trie_pattern

QUOTE_ROLES = ("say", "frame", "no")


class ReportingVerb(NamedTuple):
    lemma: str
    quote: str    # "say": frames a quote, a plain verb of saying; "frame": frames a partial quote only; "no"
    figure: bool  # its subject is the source of the figures in what it governs
    gives_money: bool = False   # but money right after it is its subject's act ("Portugal announced €3m")


FIGURE_ROLES = ("yes", "no", "not_money")


def _reporting_verbs() -> dict[str, ReportingVerb]:
    verbs = {}
    for row in load_tsv("reporting_verbs.tsv", required=("form", "lemma", "quote", "figure")):
        if row["quote"] not in QUOTE_ROLES or row["figure"] not in FIGURE_ROLES:
            raise LexiconError(f"reporting_verbs.tsv: {row['form']}: quote must be one of {QUOTE_ROLES}, "
                               f"figure one of {FIGURE_ROLES}")
        verbs[row["form"]] = ReportingVerb(row["lemma"], row["quote"], row["figure"] != "no",
                                           row["figure"] == "not_money")
    return verbs


def _rows(name: str, use: str, *columns: str) -> list[dict[str, str]]:
    """The rows of ``name`` marked ``yes`` in the column of ``use``."""
    return [row for row in load_tsv(name, required=("word", use, *columns)) if row[use] == "yes"]


def gap_words(use: str) -> frozenset[str]:
    """The words that may stand between a speaker and its verb in one use ("figure", "quote",
    "person", "inverted"; a column of ``speaker_gap_words.tsv``)."""
    return frozenset(row["word"] for row in _rows("speaker_gap_words.tsv", use))


def anaphors(use: str) -> dict[str, str]:
    """Word -> entity type of its antecedent, for one use ("according", "subject", "speaker"; a
    column of ``anaphors.tsv``)."""
    return {row["word"]: row["type"] for row in _rows("anaphors.tsv", use, "type")}


def frame_adjuncts(use: str) -> frozenset[str]:
    """The words that may follow a verb closing its clause in one use ("figure", "quote"; a column
    of ``frame_adjuncts.tsv``)."""
    return frozenset(row["word"] for row in _rows("frame_adjuncts.tsv", use))


class VerbScanner:
    """Finds the verbs of one use, as whole words (not inside a hyphenated word with ``hyphen_bound``),
    in one scan of a character trie on the stdlib engine (``transforms.wordtrie``)."""

    def __init__(self, forms, ignore_case: bool, hyphen_bound: bool = True):
        trie = trie_pattern(forms)
        edge = r"\p{L}-" if hyphen_bound else r"\p{L}"
        self.ignore_case = ignore_case
        # the forms are lower case: on lower-cased ASCII text, case is ignored without the
        # case-insensitive flag (twice as fast)
        self._lower = fast(rf"(?<![{edge}])(?:{trie})(?![{edge}])")
        self._any_case = fast(rf"(?<![{edge}])(?i:{trie})(?![{edge}])")

    def finditer(self, text: str, start: int = 0, stop: int | None = None) -> Iterator[re.Match]:
        """The verbs in ``text[start:stop]``, in order; offsets index ``text`` (where case is
        ignored, ``group()`` may be the lower-cased word)."""
        stop = len(text) if stop is None else stop
        if not self.ignore_case:
            return self._lower.finditer(text, start, stop)
        if start == 0 and stop == len(text) and text.isascii():
            return self._lower.finditer(text.lower())
        return self._any_case.finditer(text, start, stop)


REPORTING_VERBS = _reporting_verbs()
QUOTE_FORMS = frozenset(f for f, v in REPORTING_VERBS.items() if v.quote != "no")
# Quote frames are lower-case verbs ("Said" opening a sentence frames nothing after it).
QUOTE_VERBS = VerbScanner(QUOTE_FORMS, ignore_case=False, hyphen_bound=False)
FIGURE_VERBS = VerbScanner([f for f, v in REPORTING_VERBS.items() if v.figure], ignore_case=True)
SAYING_VERBS = frozenset(f for f, v in REPORTING_VERBS.items() if v.quote == "say")


# --- the engine -----------------------------------------------------------------------------

def alternation(words, space: str = r"\ ") -> str:
    """The words as one regex alternation, longest first (a word never loses to its prefix); a
    space in a word matches ``space``."""
    return "|".join(regex.escape(w).replace(r"\ ", space) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _anaphor_kinds(use: str) -> dict[str, str]:
    return {word.lower(): kind for word, kind in anaphors(use).items()}


_SOURCE_TYPES = frozenset(("PERSON", "ORG", "GPE", "NORP"))
_SPEAKER_TYPES = ("PERSON", "ORG")
_BLANKS = r"[ \t]++"

# figure sources (case-insensitive, any run of blanks between the words of a row)
_ACCORDING_ANAPHORS = _anaphor_kinds("according")
_SUBJECT_ANAPHORS = _anaphor_kinds("subject")
_OPENERS = [row["phrase"] for row in load_tsv("source_openers.tsv", required=("phrase",))]
_ACCORDING = fast(rf"(?<!\p{{L}})(?i:{trie_pattern(_OPENERS)})[ \t]++")
_NAME_GOES_ON = fast(r"[ \t]++(?:of|for|on|and)[ \t]++(?:the[ \t]++)?+\p{Lu}")
_ACCORDING_ANAPHOR = fast(rf"(?i:{alternation(_ACCORDING_ANAPHORS, _BLANKS)})(?!\p{{L}})")
_SUBJECT_GAP = fast(  # a comma after a bracket, for "<person> of <organisation> (ACRONYM), announced"
    rf"""(?: [ \t\u00a0]++ | ['’]s | \([^()\n]{{1,40}}\) | ,[^,\n]{{1,80}}, |
          (?<![\p{{L}}])(?i:{alternation(gap_words('figure'), _BLANKS)})(?![\p{{L}}]) )*+
        (?P<bracket>(?<=\)),[ \t]++)?+""",
    re.VERBOSE)
_PASSIVE = fast(  # "He was found", "the toll was on Monday reported": a form of "be", then gap words only
    rf"""(?<![\p{{L}}])(?i:{alternation(gap_words('passive'), _BLANKS)})
         (?: [ \t]++ (?i:{alternation(gap_words('figure'), _BLANKS)}) )*+ [ \t]++ \Z""",
    re.VERBOSE)
_CLOSES_SENTENCE = fast(
    rf"""(?: [ \t]++ (?:(?i:{alternation(frame_adjuncts('figure'), _BLANKS)})(?![\p{{L}}]) | \d{{1,2}}(?!\d)) ){{0,5}}
         [ \t]*+ (?: [,;.!?:"”’)] | \Z )""",
    re.VERBOSE)
_SUBJECT_ANAPHOR = fast(rf"(?<![\p{{L}}])(?i:{alternation(_SUBJECT_ANAPHORS, _BLANKS)})(?![\p{{L}}])")
_INVERTED_GAP = fast(rf"[ \t]++(?:(?:{alternation(gap_words('inverted'), _BLANKS)})[ \t]++)?+")
# ", reported officials," / ", said a spokesman.": an inverted frame whose subject is an unnamed group
_UNNAMED_AFTER = fast(rf"""[ \t]++(?:(?:{alternation(gap_words('inverted'), _BLANKS)}|an?)[ \t]++)?+
    (?i:{alternation(gap_words('unnamed'), _BLANKS)}) [ \t]*+ (?:[,.;:]|\Z)""", re.VERBOSE)
_NAMED_PREFERENCE = {"PERSON": 0, "ORG": 1}
_PLACE_TYPES = frozenset(("GPE", "NORP"))
_UNNAMED = fast(rf"(?<![\p{{L}}])(?i:{alternation(gap_words('unnamed'), _BLANKS)})(?![\p{{L}}])")
_GOVERNMENT_WORDS = [w for w, kind in _ACCORDING_ANAPHORS.items() if kind == "GPE" and " " not in w]
# the place itself (nothing else before the comma) or its government ("the Mexican government during ...")
_PLACE_ITSELF = fast(rf"(?:['’]s)?+(?:[ \t]++(?i:{alternation(_GOVERNMENT_WORDS)})(?![\p{{L}}])|[ \t]*+\Z)")
_LAST_CAPITALISED = fast(r"(?<![\p{L}])\p{Lu}[\p{L}'’-]*+(?=[^\p{L}]*+(?:\p{Ll}[^\p{L}]*+)*+\Z)")
_POSSESSIVE = fast(r"['’]s\Z")
_LINK_BEFORE = fast(r"[ \t]++(?P<link>of|in)[ \t]++(?:the[ \t]++)?+\Z")
_KIND_NOUN = fast(r"[ \t]++\p{Ll}++")  # the lower-case noun saying what an organisation is, before "of"/"in"
_MAX_SUBJECT_GAP = 120
# a figure that is its verb's object: up to four words between, none "that" ("announced a further €3m")
_OBJECT_GAP = fast(r"(?:[ \t]++(?!that(?![\p{L}]))[\p{L}'’-]++){0,4}+[ \t]++")

# quote speakers (as written)
_SPEAKER_ANAPHORS = anaphors("speaker")
_GOVERNMENT_WORD = regex.compile(
    rf"(?<![\p{{L}}])(?:{alternation(w for w, kind in _SPEAKER_ANAPHORS.items() if kind == 'GPE')})(?![\p{{L}}])")
_ORG_ANAPHORS = alternation(w for w, kind in _SPEAKER_ANAPHORS.items() if kind == "ORG")
_UNNAMED_ROLES = alternation(gap_words("unnamed"))
_ROLE_OF_ANAPHOR = regex.compile(  # "the agency's spokesperson", "an official of the ministry": the organisation's
    rf"(?<![\p{{L}}])(?:(?:{_ORG_ANAPHORS})['’]s[ ]++(?:{_UNNAMED_ROLES})"
    rf"|(?:{_UNNAMED_ROLES})[ ]++(?:for|of|from|at)[ ]++the[ ]++(?:{_ORG_ANAPHORS}))[ .!?]*+\Z")
_SPEAKER_ANAPHOR = regex.compile(rf"(?<![\p{{L}}])(?:{alternation(_SPEAKER_ANAPHORS)})(?=[ ]*+\Z)")
_AUXILIARIES = regex.compile(  # between a speaker and the verb: "Blinken has also warned"
    rf"(?:(?:[ ,]++|\A)(?:{alternation(gap_words('quote'))}))*+[ ,]*+\Z")
_COORDINATED = regex.compile(r"[ ]*+\p{Ll}[^,]*?[ ]and[ ]*+\Z")  # a predicate, then "and": "opposed the plan and"
_QUOTE_GAP_WORDS = gap_words("quote")
_NO_SUBJECT = regex.compile(  # no words, or a conjunction only: "...,” further saying", "“…” and urged"
    r"[^\p{L}\p{N}]*+(?:(?:and|but|then)(?![\p{L}])[^\p{L}\p{N}]*+)?+\Z")
_COLON_BEFORE = regex.compile(r":[ ]*+[“\"‘']?+\Z")
_INTRO_BEFORE = regex.compile(r":[ \t]*+\n[ \t\n]*+\Z")  # the paragraph before ends with a colon
_OPENING_MARKS = " \t“\"‘'"
_APPOSED_NAME = regex.compile(r",[ ]++")
_TITLE_TOKENS = frozenset(token for title in gz.TITLES for token in title)
_UNTIL_CLAUSE_END = regex.compile(r"[^,;:]*+")
_NEW_CLAUSE = regex.compile(r"[ ]*+(?:as|while|but|and|because|although|though|when|whereas|since)"
                            r"(?![\p{L}])")
_SUBORDINATE = regex.compile(r"(?<![\p{L}])(?:while|whereas|although|though|because)(?![\p{L}])")
_RELATIVE = regex.compile(r"[ ]*+(?:who|which|whose|whom)(?![\p{L}])")
_OBJECT_RELATIVE = regex.compile(r"[ ]*+(?:which|whom)[ ]++(?=\p{L})")
_DOCUMENTS = [row["word"] for row in load_tsv("speech_documents.tsv", required=("word",))]
_DOCUMENT_PHRASE = regex.compile(  # "the statement", "the joint statement": the speaker phrase is a document
    rf"[ ]*+(?i:the)[ ]++(?:\p{{Ll}}++[ ]++)?+(?P<document>{alternation(_DOCUMENTS)})[ .!?]*+")
_DOCUMENT_WORD = regex.compile(rf"(?<![\p{{L}}])(?:{alternation(_DOCUMENTS)})(?![\p{{L}}])")
_AUTHOR_AGENT = regex.compile(r"[ ]++(?:\p{Ll}++[ ]++)?by[ ]++")  # "a statement (released) by X"
_DOCUMENT_LOOK_BACK = 1500
_OWNER_GAP = regex.compile(r"(?:['’]s)?+[ ]++(?:\p{Ll}++[ ]++)?+")  # "X's (official) statement", "the X report"
_PASSIVE_AGENT = regex.compile(  # "was told by X", "announced an order by X directing ...": X
    rf"[ ]++(?:(?:an?|the)[ ]++(?:\p{{Ll}}++[ ]++)?(?:{alternation(_DOCUMENTS)})[ ]++)?by[ ]++")
_AFTER_CLOSING_MARK = regex.compile(r"(?:\[[.!?…]\])?+[,.!?…]*+[”’\"']*+[ ]*+")
_WRAPPED = regex.compile(r"(?<=[\p{L},])\n(?=\p{L})")  # a hard line break inside a sentence (between words)
_GOES_ON = regex.compile(r"[ ]*+[,\p{Ll}–—]")  # “…” – said X
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*+")
# "the protesters Wikinews interviewed said": a name between a noun and a past form is the
# subject of a clause inside the speaker's phrase, not the speaker
_NOUN_BEFORE = regex.compile(r"(?<![\p{L}])(?!(?:the|an?|of|for|by|in|at|to|and|from|with|on)[ ])\p{Ll}++[ ]++\Z")
_PAST_FORM_AFTER = regex.compile(r"[ ]++(\p{Ll}+ed)[ ]*+")  # ending the phrase: "... interviewed (said)"
_TITLE_RUN = regex.compile(r"(?:(?<![\p{L}'’-])\p{Lu}[\p{L}'’.-]*+[ ]++)*+\Z")
_TITLE_WINDOW = 60
_LINK_WORDS = r"(?:of|for|to|at|in|on|with|and|who)[ ,]"
# an apposition after a name (to its comma) and its head, the words before its first link word:
# ", the EU's aid commissioner," -> head "the EU's aid commissioner"; ", the son of the president," -> "the son"
_APPOSED_TITLE = regex.compile(
    rf",[ ]++(?P<head>(?:the|an?)(?:[ ]++(?!{_LINK_WORDS})[^ ,;:.()\n]++){{1,5}}?)"
    rf"(?=[ ]*+[,;.()]|[ ]++{_LINK_WORDS})[^,;:.()\n]*+")
_DETERMINERS = frozenset(("the", "a", "an"))


def _portfolio(words: tuple[str, ...]) -> frozenset[str]:
    """The words that narrow the longest title in ``words`` to a portfolio: those before a last word
    that is itself a title of its family ("the local health minister" -> health; "the head of state"
    -> none).

    >>> sorted(_portfolio(("the", "local", "health", "minister"))), _portfolio(("head", "of", "state"))
    (['health'], frozenset())
    """
    for n in range(min(len(words), gz.MAX_TITLE_TOKENS), 1, -1):
        for start in range(len(words) - n + 1):
            key = words[start:start + n]
            if key in gz.TITLES:
                return frozenset(key[:-1]) if gz.TITLES.get(key[-1:]) == gz.TITLES[key] else frozenset()
    return frozenset()


class Speakers:
    """Who said it, for one article: its mentions (``MentionIndex``) and sentences, indexed once;
    ``quotes`` (sorted, none overlapping) are those whose speakers own the figures inside them."""

    def __init__(self, text: str, mentions: MentionIndex, sentences: list[Sentence], quotes: Sequence[Quote] = ()):
        self.text = text
        self.mentions = mentions
        self.sentences = sentences
        self._sentence_starts = [s.start for s in sentences]
        self._line_sentences: dict[int, list[Sentence]] = {}
        self._frames: dict[int, tuple] = {}
        self._spoken = [q for q in quotes if q.speaker is not None]
        self._spoken_starts = [q.start for q in self._spoken]
        self._persons = {m.canonical for m in mentions if m.type == "PERSON"} if quotes else set()
        self._titles: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for m in mentions:
            if m.type != "PERSON":
                continue
            apposed = _APPOSED_TITLE.match(self.text, m.end)
            head = apposed.group("head") if apposed is not None else ""
            # a title the entity rules read in the apposition counts by its head only ("the son of the president")
            before = m.title if m.title and not (apposed and m.title.casefold() in apposed.group().casefold()) else None
            for family, written in ((gz.title_family(before) if before else None, self._title_before(m)),
                                    (gz.title_family(head) if head else None, head)):
                if family:
                    words = frozenset(w.casefold() for w in _WORD.findall(written)) - _DETERMINERS
                    self._titles.setdefault(m.canonical, []).append((family, words))

    def _title_before(self, m: Mention) -> str:
        """The title words written right before a person's name ("Civil Aviation Minister")."""
        window = self.text[max(0, m.start - _TITLE_WINDOW):m.start]
        return _TITLE_RUN.search(window).group()

    # -- shared look-ups ------------------------------------------------------------------
    def sentences_of_line(self, position: int) -> list[Sentence]:
        """Sentences of the line holding ``position`` (offsets into text)."""
        line_start = self.text.rfind("\n", 0, position) + 1
        if line_start not in self._line_sentences:
            line_end = self.text.find("\n", position)
            line_end = line_end if line_end >= 0 else len(self.text)
            self._line_sentences[line_start] = self.sentences[  # no sentence crosses a line break
                bisect_left(self._sentence_starts, line_start):bisect_left(self._sentence_starts, line_end)]
        return self._line_sentences[line_start]

    def according_to(self, start: int, end: int) -> str | None:
        """The source an "according to X" in ``text[start:end]`` names (the first that names one)."""
        for match in _ACCORDING.finditer(self.text, start, end):
            name = self._named_after(match.end(), end)
            if name:
                return name
        return None

    def _named_after(self, position: int, limit: int) -> str | None:
        """The source after "according to": a mention before the next comma, or an anaphor."""
        anaphor = _ACCORDING_ANAPHOR.match(self.text, position, limit)
        # "according to the Ministry of Health": the head of a name, not "the ministry" named before
        if anaphor is not None and self.mentions.covering(anaphor.end() - 1) is None \
                and not _NAME_GOES_ON.match(self.text, anaphor.end(), limit):
            return self._antecedent(position, _ACCORDING_ANAPHORS[" ".join(anaphor.group().split()).lower()])
        stop = min(limit, position + 50)
        comma = self.text.find(",", position, stop)
        stop = comma if comma >= 0 else stop
        # "according to Philippine officials" is no source; "according to the Mexican government" is the country
        named = [m for m in self.mentions.within(position, stop) if m.type in _SOURCE_TYPES
                 and (m.type not in _PLACE_TYPES or _PLACE_ITSELF.match(self.text, m.end, stop))]
        if not named:  # "according to a statement by Erdogan's office": a person the entity rules left unmarked
            word = _LAST_CAPITALISED.search(self.text, position, stop)
            return self._named_by(_POSSESSIVE.sub("", word.group()), word.start()) if word is not None else None
        # "according to Mexican President X" -> the person; "according to UN figures" -> the organisation
        return min(named, key=lambda m: _NAMED_PREFERENCE.get(m.type, len(_NAMED_PREFERENCE))).canonical

    def _named_by(self, word: str, position: int, organisations: bool = False) -> str | None:
        """A speaker or source word the entity rules did not mark ("Li added"): the person named
        before ``position`` whose name holds it, or (``organisations``, unless it is a common word
        like "Police") the organisation ("The Nomura analyst said")."""
        named = self.mentions.named_by(word, position)
        if named is None and organisations and not gz.is_common_word(word):
            named = self.mentions.named_by(word, position, ("ORG",))
        return named.canonical if named is not None else None

    def _recent(self, position: int, types: tuple[str, ...], accept=None) -> str | None:
        """The canonical of the nearest mention of ``types`` before ``position`` (that ``accept``s)."""
        found = self.mentions.last_before(position, types, accept)
        return found.canonical if found is not None else None

    def _antecedent(self, position: int, kind: str) -> str | None:
        """What an anaphor of ``kind`` at ``position`` points back to: the nearest mention of that type
        (for a person, the speaker of a quote after it); for "the government" (GPE), the country of
        the nearest place (none for a place in no country the gazetteer knows: a state, a region)."""
        if kind == "GPE":
            place = self._recent(position, ("GPE",))
            return gz.country_of(place) if place is not None else None
        named = self.mentions.last_before(position, (kind,))
        if kind == "PERSON":  # "“...,” said X. He went on to say ...": the speaker of a quote since
            k = bisect_right(self._spoken_starts, position) - 1
            quote = self._spoken[k] if k >= 0 and self._spoken[k].end <= position else None
            if quote is not None and (named is None or quote.end > named.end) and quote.speaker in self._persons:
                return quote.speaker
        return named.canonical if named is not None else None

    def _government(self, start: int, end: int) -> str | None:
        """A government named in ``[start, end)`` ("an official government account posted"): its country."""
        word = _GOVERNMENT_WORD.search(self.text, start, end)
        return self._antecedent(word.start(), "GPE") if word is not None else None

    def _actors(self, start: int, end: int) -> list[Mention]:
        """The persons named in ``[start, end)``, else its organisations."""
        inside = [m for m in self.mentions.within(start, end) if m.type in _SPEAKER_TYPES]
        return [m for m in inside if m.type == "PERSON"] or inside

    # -- figure sources -------------------------------------------------------------------
    def figure_source(self, sentence: Sentence, position: int, money: bool = False) -> str | None:
        """Canonical name of the source reporting the figure at ``position`` in ``sentence``
        (``money``: the figure is an amount of money)."""
        k = bisect_right(self._spoken_starts, position) - 1
        if k >= 0 and position < self._spoken[k].end:
            return self._spoken[k].speaker
        according, closing, opening = self._sentence_frames(sentence)
        for opener_start, name in according:
            if opener_start <= position:
                return name
        if closing:
            return closing[-1][1]
        before = [name for verb_end, name, gives_money in opening if verb_end <= position
                  and not (money and gives_money and _OBJECT_GAP.fullmatch(self.text, verb_end, position))]
        return before[-1] if before else None

    def _sentence_frames(self, sentence: Sentence) -> tuple:
        frames = self._frames.get(sentence.start)
        if frames is None:
            frames = self._frames[sentence.start] = self._find_frames(sentence)
        return frames

    def _find_frames(self, sentence: Sentence) -> tuple:
        text, offset = sentence.text, sentence.start
        according: list[tuple[int, str]] = []
        closing: list[tuple[int, str]] = []
        opening: list[tuple[int, str, bool]] = []    # verb end, source, whether it gives money
        for match in _ACCORDING.finditer(text):
            name = self._named_after(match.end() + offset, sentence.end)
            if name:
                # opening or closing its sentence it reports all of it; inside, with a figure in a clause
                # after it ("killed 62, including, according to X, 54 children"), only what follows
                rest = text.find(",", match.end())
                inside = "," in text[:match.start()] and rest >= 0 and any(c.isdigit() for c in text[rest:])
                according.append((match.start() + offset if inside else sentence.start, name))
        verbs = list(FIGURE_VERBS.finditer(text))
        for verb in verbs:
            start, end = verb.start() + offset, verb.end() + offset
            if self.mentions.covering(start) is not None:
                continue                                      # "in the United States": part of a name
            if not verb.group().lower().endswith("ing") and \
                    _PASSIVE.search(self.text, max(sentence.start, start - 40), start):
                continue                                      # "He was found": reported on, not reporting
            if self.text[max(sentence.start, start - 2):start].strip() == "," and _UNNAMED_AFTER.match(self.text, end):
                continue                                      # "..., reported officials, ...": no source named
            name, inverted_end = self._subject_before(start, sentence.start), None
            if name is None:
                subject = self._inverted_subject(start, end, sentence)
                name, inverted_end = (subject.canonical, subject.end) if subject is not None else (None, None)
            if name is None:
                continue
            # ", said Li, a spokesman for X." closes its sentence as ", Reuters noted." does
            closes_at = end if inverted_end is None else inverted_end
            if _CLOSES_SENTENCE.match(self.text, closes_at, sentence.end) or (
                    inverted_end is not None and self.text.startswith(",", inverted_end)):
                closing.append((end, name))
            else:
                opening.append((end, name, REPORTING_VERBS[" ".join(verb.group().lower().split())].gives_money))
        return according, closing, opening

    def _subject_before(self, verb_start: int, floor: int) -> str | None:
        """The mention (or he/she) whose gap to the verb holds only role nouns, auxiliaries, an appositive."""
        limit = max(floor, verb_start - _MAX_SUBJECT_GAP)
        anaphor = self._anaphor_subject(limit, verb_start)
        if anaphor is not None:
            return anaphor
        for m in self.mentions.backwards(verb_start, limit):
            if m.type not in _SOURCE_TYPES:
                continue
            gap = _SUBJECT_GAP.fullmatch(self.text, m.end, verb_start)
            if gap is not None:
                if m.type == "NORP" and not gap.group().strip():
                    return None                               # "Kenyan said" is no source
                if m.type in _PLACE_TYPES and _UNNAMED.search(gap.group()):
                    return None                               # "U.S. officials said": an unnamed group
                head = self._person_of(m, limit)
                if gap.group("bracket") and head is m:
                    continue    # "X, headed by Y (Kan.), said": the comma closes an apposition of X
                return head.canonical
        word = _LAST_CAPITALISED.search(self.text, limit, verb_start)  # "..., Li added." unmarked
        if word is None or _SUBJECT_GAP.fullmatch(self.text, word.end(), verb_start) is None:
            return None
        return self._named_by(word.group(), word.start(), organisations=True)

    def _person_of(self, m: Mention, floor: int) -> Mention:
        """The head a place or organisation subject belongs to: "Anthony Fauci of the NIAID
        announced" -> the person; "The Ministry of Water in Mongolia reported" -> the ministry."""
        if m.type == "PERSON":
            return m
        link = _LINK_BEFORE.search(self.text, floor, m.start)
        if link is None or (link.group("link") == "in" and m.type == "ORG"):
            return m
        head = next(self.mentions.backwards(link.start(), floor), None)
        if head is None or head.type not in (("PERSON",) if m.type == "ORG" else ("PERSON", "ORG")):
            return m
        if head.end == link.start() or (head.type == "ORG" and _KIND_NOUN.fullmatch(self.text, head.end, link.start())):
            return head     # "Ming Pao newspaper of Hong Kong said" -> the newspaper
        return m

    def _anaphor_subject(self, from_pos: int, verb_start: int) -> str | None:
        """"He also questioned ..." -> the last mention of the anaphor's type (a person) before it."""
        for match in _SUBJECT_ANAPHOR.finditer(self.text, from_pos, verb_start):
            if _SUBJECT_GAP.fullmatch(self.text, match.end(), verb_start):
                return self._antecedent(match.start(), _SUBJECT_ANAPHORS[" ".join(match.group().split()).lower()])
        return None

    def _inverted_subject(self, verb_start: int, verb_end: int, sentence: Sentence) -> Mention | None:
        """", said Foote." / "“...,” said the U.N." -> the mention right after the verb."""
        before = self.text[max(sentence.start, verb_start - 3):verb_start].rstrip()
        if not before or before[-1] not in ",\"”’'":
            return None
        gap = _INVERTED_GAP.match(self.text, verb_end, sentence.end)
        if gap is None:
            return None
        subject = self.mentions.first_at(gap.end())
        return subject if subject is not None and subject.type in _SOURCE_TYPES else None

    # -- quote speakers -------------------------------------------------------------------
    def quote_speaker(self, start: int, end: int, previous: Quote | None) -> tuple[str | None, str | None]:
        """Speaker and verb of the quote ``text[start:end]`` (``previous``: the quote before it): a
        frame after the quote first, then one before it (not reaching back into a quote before it in
        the sentence); without a frame, "according to X" or the sentence's first actor, then the
        speaker carried from the quote before, then the subject of the last speech verb earlier in
        the paragraph ("Li said ... . “...”")."""
        carried = self._carried(start, previous)
        s_start = self._sentence_at(start)[0]
        found = self._frame_after(*self._after_span(end), carried)
        if found is None:
            floor = s_start if previous is None or previous.end < s_start \
                else _AFTER_CLOSING_MARK.match(self.text, previous.end).end()
            found = self._frame_before(floor, start, carried)
        if found is not None:
            return found
        if carried is not None and carried.start >= s_start:  # "X said “…” and “…”": the sentence's
            return carried.speaker, None                        # actors were the quote before's to take
        first = self._actors(s_start, start)
        actor = self.according_to(s_start, start)
        if actor is None and _COLON_BEFORE.search(self.text, max(s_start, start - 4), start):
            # "an official government (Twitter) account posted: “…”": the country, not the platform after it
            actor = self._government(s_start, first[0].start if first else start)
        if actor is None and first:
            actor = first[0].canonical
        if actor is None and carried is not None:
            return carried.speaker, None
        line_start = self.text.rfind("\n", 0, start) + 1
        if actor is None and s_start > line_start:
            found = self._frame_before(line_start, s_start, None)
            actor = found[0] if found is not None else None
        elif actor is None:  # "Ana Ribeiro said:\n\nThe storm ...": the frame of the paragraph before
            intro = _INTRO_BEFORE.search(self.text, max(0, line_start - 80), line_start)
            if intro is not None:
                found = self._frame_before(self.text.rfind("\n", 0, intro.start()) + 1, intro.start(), None)
                return found if found is not None else (None, None)
        return actor, None

    def _carried(self, start: int, previous: Quote | None) -> Quote | None:
        """The quote whose speaker this one carries on: the previous quote, when it is in the same
        paragraph and has a speaker or a frame (an unnamed speaker, "the head of the investigators
        told the court", carries on as no one), or has a speaker and ends the paragraph before
        one this quote opens."""
        if previous is None or (previous.speaker is None and previous.verb is None):
            return None
        line_start = self.text.rfind("\n", 0, start) + 1
        if previous.end >= line_start:
            return previous
        opens_line = not self.text[line_start:start].strip(_OPENING_MARKS)
        between = self.text[previous.end:line_start]
        return previous if previous.speaker is not None and opens_line and between.strip().count("\n") == 0 \
            else None

    def _sentence_at(self, position: int) -> tuple[int, int]:
        sentences = self.sentences_of_line(position)
        k = bisect_right([s.start for s in sentences], position) - 1
        if k < 0:
            return self.text.rfind("\n", 0, position) + 1, position
        return sentences[k].start, max(sentences[k].end, position)

    def _after_span(self, end: int) -> tuple[int, int]:
        """Text after the closing mark up to the end of its sentence (empty if the quote ended it)."""
        closing = _AFTER_CLOSING_MARK.match(self.text, end)
        after = closing.end()
        if any(c in ".!?…" for c in closing.group()) and not _GOES_ON.match(self.text, after):
            return after, after
        limit = min(len(self.text), after + 160)
        if after >= limit:
            return after, after
        stop = self._sentence_at(after)[1]  # the splitter knows "Dr." ends no sentence
        if _WRAPPED.match(self.text, stop):  # a hard line break inside the frame: “…,” she\nsaid.
            stop = self._sentence_at(stop + 1)[1]
        return after, min(stop, limit)

    def _frame_after(self, start: int, stop: int, carried: Quote | None) -> tuple[str | None, str] | None:
        """“…,” Prohete said / said Amb. / in Haiti, the head of state said."""
        if start >= stop:
            return None
        verb = next(QUOTE_VERBS.finditer(self.text, start, stop), None)
        if verb is None or verb.group().endswith("ing"):  # "…,' emphasizing the urgency" is no frame
            return None
        if _SUBORDINATE.search(self.text, start, verb.start()):  # "“…” while the minister wrote ..."
            return None
        subject_end = verb.start()
        while subject_end > start and self.text[subject_end - 1] in " ,\n":  # ", the camp manager, said"
            subject_end -= 1
        clause_start = max(self.text.rfind(",", start, subject_end) + 1, start)
        if _NEW_CLAUSE.match(self.text, clause_start):  # ", as a court ruled" frames nothing before
            return None
        if _WORD.search(self.text, clause_start, subject_end):  # "…,” Ana Ribeiro, the camp manager, said"
            speaker = self._apposition_head(start, clause_start, subject_end) \
                or self.resolve_phrase(clause_start, subject_end, carried=carried)
            return speaker, verb.group()
        after = self.text[verb.end():stop]
        phrase_end = verb.end() + len(_UNTIL_CLAUSE_END.match(after).group())
        speaker = self.resolve_phrase(verb.end(), phrase_end, carried=carried)
        if speaker is None:  # "said his father, Abdullah Kurdi, after ...": the name in apposition
            named = _APPOSED_NAME.match(self.text, phrase_end, stop)
            person = self.mentions.first_from(named.end(), stop, ("PERSON",)) if named else None
            if person is not None and self._opens_segment(named.end(), person.start):
                speaker = person.canonical
        return speaker, verb.group()

    def _frame_before(self, s_start: int, start: int, carried: Quote | None,
                      look_back: bool = True) -> tuple[str | None, str] | None:
        """Blinken has warned that Haiti is '…' / Koome ..., stating, “…”."""
        verbs = list(QUOTE_VERBS.finditer(self.text, s_start, start))
        if not verbs:
            return None
        verb = verbs[-1]
        agent = _PASSIVE_AGENT.match(self.text, verb.end(), start)  # "was told by Minister X of “…”"
        if agent is not None and (speaker := self.resolve_phrase(agent.end(), start)) is not None:
            return speaker, verb.group()
        before = self.text[s_start:verb.start()]
        subject_end = s_start + len(before) - len(_AUXILIARIES.search(before).group())
        clause_start = max(self.text.rfind(",", s_start, subject_end) + 1, s_start)
        relative = _OBJECT_RELATIVE.match(self.text, clause_start, subject_end)
        if relative is not None and "," not in self.text[subject_end:verb.start()]:  # "which the BBC describes as"
            return self.resolve_phrase(relative.end(), subject_end, carried=carried), verb.group()
        while _RELATIVE.match(self.text, clause_start) and clause_start > s_start:
            subject_end = clause_start - 1  # skip ", who is seeking ...," back to the subject
            clause_start = max(self.text.rfind(",", s_start, subject_end) + 1, s_start)
        if not _NO_SUBJECT.fullmatch(self.text, clause_start, subject_end):
            speaker = self._apposition_head(s_start, clause_start, subject_end) \
                or self.resolve_phrase(clause_start, subject_end, carried=carried)
            if speaker is None and _COORDINATED.match(self.text, clause_start, subject_end):
                actors = self._actors(s_start, clause_start)  # "The SDF, a militia, opposed the plan and said"
                speaker = actors[0].canonical if actors else None
            return speaker, verb.group()
        # no subject of its own ("..., further saying, “…”", "“…” and urged “…”"): the speaker
        # of the quote before, else of the sentence's earlier frame
        if carried is not None:
            return carried.speaker, verb.group()
        earlier = self._frame_before(s_start, verb.start(), None, look_back=False) \
            if look_back and verb.start() > s_start else None  # one verb back, never a chain
        if earlier is not None and earlier[0] is not None:
            return earlier[0], verb.group()
        last = self._actors(s_start, verb.start())
        return (last[-1].canonical if last else None), verb.group()

    def _apposition_head(self, s_start: int, clause_start: int, subject_end: int) -> str | None:
        """"Sophie Obadia, another lawyer for the victim, told ...", "Trump, also on Twitter,
        defended ...": the name before an apposition that does not itself open with a name; the
        name opens its clause (only capitalised words or title words before it)."""
        if clause_start <= s_start:
            return None
        first = self.mentions.first_from(clause_start, subject_end, _SPEAKER_TYPES)
        if first is not None and not self.text[clause_start:first.start].strip():
            return None
        head = next(self.mentions.backwards(clause_start - 1, s_start), None)
        if head is None or head.end != clause_start - 1 or head.type not in _SPEAKER_TYPES:
            return None
        segment_start = max(self.text.rfind(",", s_start, head.start) + 1, s_start)
        return head.canonical if self._opens_segment(segment_start, head.start) else None

    def _opens_segment(self, segment_start: int, name_start: int) -> bool:
        """Whether only capitalised words or title words stand before a name in its segment
        ("Philippine Red Cross chair Richard Gordon")."""
        return "," not in self.text[segment_start:name_start] and all(
            word[0].isupper() or word.casefold() in _TITLE_TOKENS
            for word in _WORD.findall(self.text, segment_start, name_start))

    def _titled(self, canonical: str, family: str, described: tuple[str, ...]) -> bool:
        """Whether a person holds a title of ``family`` that the description's words fit: "the
        health minister" is not the "Civil Aviation Minister" (each names a portfolio the other
        does not); "the minister", "the head of state" fit any title of their family."""
        portfolio = _portfolio(described)
        return any(f == family and not (portfolio - words and words - set(described))
                   for f, words in self._titles.get(canonical, ()))

    def _inside_clause(self, m: Mention, start: int, end: int) -> bool:
        """Whether a mention in a speaker phrase is the subject of a clause after a noun that ends
        the phrase ("the protesters Wikinews interviewed"; not "artist X emphasized the need"), not
        the speaker."""
        past = _PAST_FORM_AFTER.fullmatch(self.text, m.end, end)
        return past is not None and past.group(1) not in _QUOTE_GAP_WORDS \
            and _NOUN_BEFORE.search(self.text, start, m.start) is not None

    def _author(self, position: int, document: str) -> str | None:
        """Who issued the last ``document`` named before ``position``: its owner named right before it
        ("the Tower Commission report", "Trump's statement"), the agent after it ("a
        statement released by X"), else the speaker of a verb of saying before it ("X said in a
        statement"), else the first person or organisation of its sentence ("X released a statement")."""
        found = None
        for match in _DOCUMENT_WORD.finditer(self.text, max(0, position - _DOCUMENT_LOOK_BACK), position):
            if match.group() == document:
                found = match
        if found is None:
            return None
        s_start, s_end = self._sentence_at(found.start())
        owner = next(self.mentions.backwards(found.start(), s_start), None)  # "the Tower Commission report"
        if owner is not None and owner.type in _SPEAKER_TYPES \
                and _OWNER_GAP.fullmatch(self.text, owner.end, found.start()):
            return owner.canonical
        agent = _AUTHOR_AGENT.match(self.text, found.end(), s_end)
        if agent is not None:
            clause_end = agent.end() + len(_UNTIL_CLAUSE_END.match(self.text, agent.end(), s_end).group())
            return self.resolve_phrase(agent.end(), clause_end, persons_only=True)
        frame = self._frame_before(s_start, found.start(), None, look_back=False)  # "X said in a statement"
        if frame is not None:
            return frame[0]
        actors = self._actors(s_start, found.start())
        return actors[0].canonical if actors else None

    def resolve_phrase(self, start: int, end: int, persons_only: bool = False,
                       carried: Quote | None = None) -> str | None:
        """The entity a speaker phrase names: a mention, a pronoun (the ``carried`` speaker of the
        quote before, else the most recent person) or a titled description."""
        inside = [m for m in self.mentions.within(start, end)
                  if m.type in _SPEAKER_TYPES and not self._inside_clause(m, start, end)]
        people = [m for m in inside if m.type == "PERSON"]
        if people:
            return people[-1].canonical
        phrase = self.text[start:end]
        if not inside and not persons_only and _ROLE_OF_ANAPHOR.search(phrase):
            return self._antecedent(start, "ORG")
        family = gz.title_family(phrase)
        if family is not None:  # "the K Mart chairman said": the chairman named earlier, else the company
            described = tuple(w.casefold() for w in _WORD.findall(phrase))
            titled = self._recent(start, ("PERSON",), lambda m: self._titled(m.canonical, family, described))
            if titled is not None:
                return titled
        if inside and not persons_only:
            return inside[-1].canonical
        words = [w for w in _WORD.findall(self.text, start, end) if w[0].isupper()]
        named = self._named_by(words[-1], start) if words else None  # "Li said": no mention found
        if named is not None:
            return named
        document = _DOCUMENT_PHRASE.fullmatch(phrase)
        if document is not None:  # "“…,” the statement said": the author of the statement named before
            return self._author(start, document.group("document"))
        anaphor = _SPEAKER_ANAPHOR.search(phrase)
        kind = _SPEAKER_ANAPHORS[anaphor.group()] if anaphor else None
        if kind == "PERSON":
            return carried.speaker if carried is not None else self._recent(start, ("PERSON",))
        if family is not None:  # "the minister of the department" is a person, if one was named
            return None
        if kind is not None and not persons_only:
            return self._antecedent(start, kind)
        return None
