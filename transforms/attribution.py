"""The source a sentence names for its figures (canonical entity name), or ``None``.

Frames, in order of precedence (the first that applies wins):

0. A figure inside a direct quotation is the speaker's ("“We registered 7,350 arrivals,” said
   X"): the quote's speaker as ``transforms.quotes`` found it, when it found one.
1. "according to X" anywhere in the sentence ("according to UN figures"; "According to the
   NGO" -> the organisation named before it).
2. A closing frame: "X <verb>" followed only by a time/channel adjunct and punctuation
   ("..., Reuters noted.", "..., a U.N. official said in December, ..."), or an inverted frame
   whose subject ends the clause (", said Li Sangsu, a spokesman for ..."): it reports the
   whole sentence.
3. An opening frame "X <verb> ..." before the figure ("Kimani told the Council that ...",
   "He also questioned whether ..."); the nearest such verb before the figure.

X is an entity mention right before the verb (role nouns and auxiliaries may stand between:
"a U.N. official said", "the UN has underscored"; an appositive too), after it in an
inverted frame (", said X"), or an anaphor resolved to the last mention of its type ("he" -> a
person; "it", "the company", "the review shows" -> an organisation). "<person> of <organisation>"
is the person; after "according to", a person or organisation named wins over a place (the words
between and around are rows of ``speaker_gap_words.tsv``, ``anaphors.tsv`` and
``frame_adjuncts.tsv``, read through ``transforms.speakers``). The actor of
a quantity is not its reporter: "pledged", "met" are not reporting verbs (the verbs are the
rows of ``reporting_verbs.tsv`` marked ``figure``, found by ``transforms.speakers``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import regex

from transforms import gazetteer as gz
from transforms.mention_index import MentionIndex
from transforms.patterns import fast
from transforms.records import Mention, Quote, Sentence
from transforms.speakers import FIGURE_VERBS, anaphors, frame_adjuncts, gap_words


def _alternation(words) -> str:
    return "|".join(regex.escape(w).replace(r"\ ", r"[ \t]++")
                    for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _antecedent_type(anaphors_of_use: dict[str, str], match: re.Match) -> str:
    return anaphors_of_use[" ".join(match.group().split()).lower()]


_ANAPHORS = {word.lower(): kind for word, kind in anaphors("according").items()}
_SUBJECT_ANAPHORS = {word.lower(): kind for word, kind in anaphors("subject").items()}
_ACCORDING = fast(r"(?<!\p{L})(?i:according[ \t]++to)[ \t]++")
_ANAPHOR = fast(rf"(?i:{_alternation(_ANAPHORS)})(?!\p{{L}})")
_SUBJECT_GAP = fast(
    rf"""(?: [ \t\u00a0]++ | ['’]s | \([^()\n]{{1,40}}\) | ,[^,\n]{{1,80}}, |
          (?<![\p{{L}}])(?i:{_alternation(gap_words('figure'))})(?![\p{{L}}]) )*+""",
    re.VERBOSE)
_CLOSING = fast(
    rf"""(?: [ \t]++ (?:(?i:{_alternation(frame_adjuncts('figure'))})(?![\p{{L}}]) | \d{{1,2}}(?!\d)) ){{0,5}}
         [ \t]*+ (?: [,;.!?:"”’)] | \Z )""",
    re.VERBOSE)
_SUBJECT_ANAPHOR = fast(rf"(?<![\p{{L}}])(?i:{_alternation(_SUBJECT_ANAPHORS)})(?![\p{{L}}])")
_INVERTED_GAP = fast(rf"[ \t]++(?:(?:{_alternation(gap_words('inverted'))})[ \t]++)?+")
_SUBJECT_TYPES = frozenset(("PERSON", "ORG", "GPE", "NORP"))
_NAMED_PREFERENCE = {"PERSON": 0, "ORG": 1}
_LAST_CAPITALISED = fast(r"(?<![\p{L}])\p{Lu}[\p{L}'’-]*+(?=[^\p{L}]*+(?:\p{Ll}[^\p{L}]*+)*+\Z)")
_LINK_BEFORE = fast(r"[ \t]++(?P<link>of|in)[ \t]++(?:the[ \t]++)?+\Z")
_MAX_SUBJECT_GAP = 120


class SourceFinder:
    """Attribution for one article, each sentence's frames found once."""

    def __init__(self, text: str, mentions: MentionIndex, quotes: Sequence[Quote] = ()):
        self.text = text
        self.mentions = mentions
        self._frames: dict[int, tuple] = {}
        self._spoken = [q for q in quotes if q.speaker is not None]   # sorted by start, none overlapping
        self._spoken_starts = [q.start for q in self._spoken]

    def source_of(self, sentence: Sentence, position: int) -> str | None:
        """Canonical name of the source reporting the figure at ``position`` in ``sentence``."""
        k = bisect_right(self._spoken_starts, position) - 1
        if k >= 0 and position < self._spoken[k].end:
            return self._spoken[k].speaker
        according, closing, opening = self._sentence_frames(sentence)
        if according:
            return according[0]
        if closing:
            return closing[-1][1]
        before = [name for verb_end, name in opening if verb_end <= position]
        return before[-1] if before else None

    def _sentence_frames(self, sentence: Sentence) -> tuple:
        frames = self._frames.get(sentence.start)
        if frames is None:
            frames = self._frames[sentence.start] = self._find_frames(sentence)
        return frames

    def _find_frames(self, sentence: Sentence) -> tuple:
        text, offset = sentence.text, sentence.start
        according: list[str] = []
        closing: list[tuple[int, str]] = []
        opening: list[tuple[int, str]] = []
        has_according = "ccording" in text
        verbs = list(FIGURE_VERBS.finditer(text))
        if not has_according and not verbs:
            return according, closing, opening
        if has_according:
            for match in _ACCORDING.finditer(text):
                name = named_after(self.text, self.mentions, match.end() + offset, sentence.end)
                if name:
                    according.append(name)
        for verb in verbs:
            start, end = verb.start() + offset, verb.end() + offset
            name, inverted_end = self._subject_before(start, sentence.start), None
            if name is None:
                subject = self._inverted_subject(start, end, sentence)
                name, inverted_end = (subject.canonical, subject.end) if subject is not None else (None, None)
            if name is None:
                continue
            # ", said Li, a spokesman for X." closes its sentence as ", Reuters noted." does
            closes_at = end if inverted_end is None else inverted_end
            if _CLOSING.match(self.text, closes_at, sentence.end) or (
                    inverted_end is not None and self.text.startswith(",", inverted_end)):
                closing.append((end, name))
            else:
                opening.append((end, name))
        return according, closing, opening

    # -- subjects ---------------------------------------------------------------------
    def _subject_before(self, verb_start: int, floor: int) -> str | None:
        """The mention (or he/she) whose gap to the verb holds only role nouns, auxiliaries, an appositive."""
        limit = max(floor, verb_start - _MAX_SUBJECT_GAP)
        anaphor = self._anaphor_subject(limit, verb_start)
        if anaphor is not None:
            return anaphor
        for m in self.mentions.backwards(verb_start, limit):
            if m.type not in _SUBJECT_TYPES:
                continue
            gap = _SUBJECT_GAP.fullmatch(self.text, m.end, verb_start)
            if gap is not None:
                if m.type == "NORP" and not gap.group().strip():
                    return None                               # "Kenyan said" is no source
                return self._person_of(m, limit).canonical
        return self._unmarked_person(limit, verb_start)

    def _unmarked_person(self, limit: int, verb_start: int) -> str | None:
        """"..., Li added.", "The Nomura analyst said" where the entity rules marked no mention: a
        capitalised word right before the verb that is part of the name of a person (or, unless
        it is a common word like "Police", an organisation) named earlier."""
        word = _LAST_CAPITALISED.search(self.text, limit, verb_start)
        if word is None or _SUBJECT_GAP.fullmatch(self.text, word.end(), verb_start) is None:
            return None
        named = self.mentions.named_by(word.group(), word.start())
        if named is None and not gz.is_common_word(word.group()):
            named = self.mentions.named_by(word.group(), word.start(), ("ORG",))
        return named.canonical if named is not None else None

    def _person_of(self, m: Mention, floor: int) -> Mention:
        """The head a place or organisation subject belongs to: "Anthony Fauci of the NIAID
        announced" -> the person; "The Ministry of Water in Mongolia reported" -> the ministry."""
        if m.type == "PERSON":
            return m
        link = _LINK_BEFORE.search(self.text, floor, m.start)
        if link is None or (link.group("link") == "in" and m.type == "ORG"):
            return m
        head = next(self.mentions.backwards(link.start(), floor), None)
        heads = ("PERSON",) if m.type == "ORG" else ("PERSON", "ORG")
        return head if head is not None and head.end == link.start() and head.type in heads else m

    def _anaphor_subject(self, from_pos: int, verb_start: int) -> str | None:
        """"He also questioned ..." -> the last mention of the anaphor's type (a person) before it."""
        for match in _SUBJECT_ANAPHOR.finditer(self.text, from_pos, verb_start):
            if _SUBJECT_GAP.fullmatch(self.text, match.end(), verb_start):
                antecedent = self.mentions.last_before(match.start(), (_antecedent_type(_SUBJECT_ANAPHORS, match),))
                return antecedent.canonical if antecedent else None
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
        return subject if subject is not None and subject.type in _SUBJECT_TYPES else None



def according_to(text: str, mentions: MentionIndex, start: int, end: int) -> str | None:
    """The source an "according to X" in ``text[start:end]`` names (the first that names one);
    quote speakers read it too ("According to him, it was done with the help of “...”")."""
    if "ccording" not in text[start:end]:
        return None
    for match in _ACCORDING.finditer(text, start, end):
        name = named_after(text, mentions, match.end(), end)
        if name:
            return name
    return None


def named_after(text: str, mentions: MentionIndex, position: int, limit: int) -> str | None:
    """The source after "according to": a mention before the next comma, or an anaphor."""
    anaphor = _ANAPHOR.match(text, position, limit)
    if anaphor is not None:
        antecedent = mentions.last_before(position, (_antecedent_type(_ANAPHORS, anaphor),))
        return antecedent.canonical if antecedent else None
    stop = min(limit, position + 50)
    comma = text.find(",", position, stop)
    stop = comma if comma >= 0 else stop
    named = [m for m in mentions.within(position, stop) if m.type in _SUBJECT_TYPES]
    if not named:
        return None
    # "according to Mexican President X" -> the person; "according to UN figures" -> the organisation
    return min(named, key=lambda m: _NAMED_PREFERENCE.get(m.type, len(_NAMED_PREFERENCE))).canonical
