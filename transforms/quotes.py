"""Find direct quotations and their speakers.

Quotes, in order of precedence:

1. Text between quote marks of any style (“…”, "…", ‘…’, '…') inside one paragraph and at
   most ``MAX_QUOTE`` characters long; partial quotes count. A quote running over paragraphs
   opens each with a mark and closes only the last: each paragraph is a quote, and the later
   ones carry the speaker of the first. Unmarked paragraphs after a line ending "<verb of
   saying>:" are quotes too (up to a paragraph with a mark, a verb of saying or no full stop).
   The span excludes the marks and a trailing comma or full stop inside them. An apostrophe between letters (O'Neill,
   Kenya’s) never opens or closes a quote. Where quotes overlap the earlier one wins.
2. Labels are not quotes: one or two words after "the"/"so-called", or used as a modifier
   (a “reciprocal” agreement).
3. In an article that has no double quote marks at all (they were stripped on export), a
   sentence shaped "<words>, <speaker> said." or "<words>, said <speaker>, ..." is a quote,
   when the speaker is a person (a name, he/she, or a titled description).

Speakers: the noun phrase next to a speech verb (a row of ``reporting_verbs.tsv`` that frames
quotes, found by ``transforms.speakers``) after the quote (“…,” said Amb.) or before
it (Blinken has warned that …), resolved through the article's mentions: a name is its
canonical; he/she is the most recent person and "the rights group" the most recent
organisation (the phrase ends with a row of ``anaphors.tsv`` marked ``speaker``); "the head of
state"/"the Kenyan president" is the most recent person with such a title; "a State Department
official" is the organisation. Without a frame, "according to X" in the quote's sentence names
the speaker (the figure-source resolver, ``transforms.attribution.according_to``). A quote no
one is named for has speaker None.

>>> from transforms.entities import find_mentions
>>> from transforms.segment import split_sentences
>>> text = 'Kenyan President William Ruto met aides. “We will go soon,” he said.'
>>> [(q.text, q.speaker, q.verb) for q in find_quotes(text, MentionIndex(find_mentions(text)), split_sentences(text))]
[('We will go soon', 'William Ruto', 'said')]
"""
from __future__ import annotations

import bisect
import itertools

import regex

from transforms import gazetteer as gz
from transforms.attribution import according_to
from transforms.mention_index import MentionIndex
from transforms.records import Quote, Sentence
from transforms.speakers import QUOTE_FORMS, QUOTE_VERBS, REPORTING_VERBS, anaphors, frame_adjuncts, gap_words

MAX_QUOTE = 1500


def _alternation(words) -> str:
    """The words as one regex alternation, longest first (a word never loses to its prefix)."""
    return "|".join(regex.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_VERB_ALT = _alternation(QUOTE_FORMS)
_SPEAKER_ANAPHORS = anaphors("speaker")

_MARKED = [  # (the opening marks, the pattern): a text without the marks is not scanned
    ("“", regex.compile(rf"“(?P<q>[^“”\n]{{1,{MAX_QUOTE}}}+)”")),
    ('"', regex.compile(rf"\"(?P<q>[^\"\n]{{1,{MAX_QUOTE}}}+)\"")),
    ("'‘", regex.compile(  # single marks: an apostrophe between letters is part of the text
        rf"""
        (?<![\p{{L}}\p{{N}}]) ['‘] (?=[\p{{L}}\p{{N}}“"])
        (?P<q> (?: [^'‘’\n]
                 | (?<=\p{{L}})['’](?=\p{{L}})          # O'Neill, Kenya’s
                 | (?<=s)['’](?=[ ]\p{{Ll}})             # the gangs' money
               ){{1,{MAX_QUOTE}}}+ )
        (?<=[\p{{L}}\p{{N}}.,!?…]) ['’] (?![\p{{L}}\p{{N}}])
        """,
        regex.VERBOSE,
    )),
]
_NEXT_PARAGRAPH_OPENS = regex.compile(r"\n[ \t\n]*+(?P<mark>[“\"])")
_DOUBLE_MARKS = regex.compile(r"[“”\"]")
_ANY_MARK = regex.compile(r"[“”\"‘]")
_INTRO_BEFORE = regex.compile(r":[ \t]*+\n[ \t\n]*+\Z")  # the paragraph before ends with a colon
_SPEECH_INTRO = regex.compile(  # "Ana Ribeiro said:" / "..., she told reporters:" ending its line
    rf"(?<![\p{{L}}])(?P<verb>{_alternation(QUOTE_FORMS)})(?:[ ][^\n:.“”\"]{{1,40}}+)?+:[ \t]*+\n")
_PARAGRAPH = regex.compile(r"\G[ \t\n]*+(?P<line>[^\s][^\n]*+)")
_OPENING_MARKS = " \t“\"‘'"
_APPOSED_NAME = regex.compile(r",[ ]++")
_SPEAKER_TYPES = ("PERSON", "ORG")
_TITLE_TOKENS = frozenset(token for title in gz.TITLES for token in title)
_UNTIL_CLAUSE_END = regex.compile(r"[^,;:]*+")
_NEW_CLAUSE = regex.compile(r"[ ]*+(?:as|while|but|and|because|although|though|when|whereas|since)"
                            r"(?![\p{L}])")
_RELATIVE = regex.compile(r"[ ]*+(?:who|which|whose|whom)(?![\p{L}])")
_OBJECT_RELATIVE = regex.compile(r"[ ]*+(?:which|whom)[ ]++(?=\p{L})")
_PASSIVE_AGENT = regex.compile(r"[ ]++by[ ]++")
_CLOSING = regex.compile(r"(?:\[[.!?…]\])?+[,.!?…]*+[”’\"']*+[ ]*+")
_GOES_ON = regex.compile(r"[ ]*+[,\p{Ll}–—]")  # “…” – said X
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*+")
_PREVIOUS_WORD = regex.compile(r"([\p{L}-]++)[ ]*+\Z")
_NEXT_WORD = regex.compile(r"\A[ ]*+(\p{L}++)")
_LABEL_BEFORE = frozenset("the so-called this that these those its their his her our called dubbed "
                          "termed labelled labeled named word".split())
_AUXILIARIES = regex.compile(  # between a speaker and the verb: "Blinken has also warned"
    rf"(?:(?:[ ,]++|\A)(?:{_alternation(gap_words('quote'))}))*+[ ,]*+\Z")
_NO_SUBJECT = regex.compile(  # no words, or a conjunction only: "...,” further saying", "“…” and urged"
    r"[^\p{L}\p{N}]*+(?:(?:and|but|then)(?![\p{L}])[^\p{L}\p{N}]*+)?+\Z")
_SPEAKER_ANAPHOR = regex.compile(rf"(?<![\p{{L}}])(?:{_alternation(_SPEAKER_ANAPHORS)})(?=[ ]*+\Z)")
# The speech frame that ends a sentence whose quote marks were stripped:
# ", SingOei said." / ", Foote said during Tuesday's panel." / ", a declared Daniel Foote, former ..."
_FRAME_TAIL = rf"""
    ,[ ]++
    (?: (?P<who>(?:[\p{{L}}.'’-]++[ ]++){{0,5}}?[\p{{L}}.'’-]++) [ ]++ (?P<verb>{_VERB_ALT})
        (?: [ ]++ (?:(?:{_alternation(frame_adjuncts('quote'))})(?![\p{{L}}])|\p{{Lu}}) [^,.;:!?\n]{{0,60}}+ )?+
      | (?:\p{{Ll}}{{1,12}}+[ ]++)?+ (?P<verb2>{_VERB_ALT}) [ ]++
        (?P<who2>(?:[\p{{L}}.'’-]++[ ]++){{0,4}}?[\p{{L}}.'’-]++) (?: ,[ ]++ [^.;!?\n]{{1,160}}+ )?+
    )
    [.!?]?+ [ ]*+"""
# Lines worth splitting into sentences: a frame tail that ends a sentence, tried only at
# chosen commas (matching at a fixed position is far cheaper than scanning for the verbs).
_FRAME_AT_COMMA = regex.compile(_FRAME_TAIL + r"(?= \n | \Z | [\p{Lu}“\"‘'] )", regex.VERBOSE)
_PERSON_ANAPHOR_FRAME = regex.compile(
    rf",[ ](?:{_alternation(w for w, kind in _SPEAKER_ANAPHORS.items() if kind == 'PERSON')})[ ]")
_STRIPPED = regex.compile(rf"(?P<quote> [^\n]{{12,{MAX_QUOTE}}}? ) {_FRAME_TAIL} \Z", regex.VERBOSE)


def find_quotes(text: str, mentions: MentionIndex, sentences: list[Sentence]) -> list[Quote]:
    """Direct quotations in ``text``, sorted by start, with speaker and speech verb.

    ``mentions`` index the article's entity mentions (``transforms.entities.find_mentions``)
    and ``sentences`` are its sentences (``transforms.segment.split_sentences``).
    """
    context = _Context(text, mentions, sentences)
    quotes: list[Quote] = []
    for start, end in _merged(_marked_spans(text), _speech_block_spans(text)):
        if _is_label(text, start, end):
            continue
        quotes.append(context.quote(start, end, quotes[-1] if quotes else None))
    if not quotes and not _DOUBLE_MARKS.search(text):
        quotes = _stripped_quotes(context)
    return quotes


# --- quote spans ----------------------------------------------------------------------------

def _marked_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of quoted text without marks, trailing comma/stop and outer spaces."""
    spans = []
    for marks, pattern in _MARKED:
        if any(mark in text for mark in marks):
            spans += [(m.start("q"), m.end("q")) for m in pattern.finditer(text)]
    if "\n" in text:
        spans += _paragraph_open_spans(text)
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int]] = []
    last_end = -1
    for start, end in spans:
        if start < last_end:
            continue
        last_end = end
        trimmed = _trim(text, start, end)
        if trimmed:
            out.append(trimmed)
    return out


def _paragraph_open_spans(text: str) -> list[tuple[int, int]]:
    """A quote running over paragraphs opens each with a mark and closes only the last: a
    paragraph's unclosed quote, when the next paragraph opens with the same mark (curly, or a
    straight mark after an even number of them on the line, not inside a word).

    >>> text = "She said: “The harvest failed.\\n\\n“We need help.”"
    >>> [text[s:e] for s, e in _paragraph_open_spans(text)]
    ['The harvest failed.']
    """
    spans = []
    for opens in _NEXT_PARAGRAPH_OPENS.finditer(text):
        line_end = opens.start()
        line_start = text.rfind("\n", 0, line_end) + 1
        if opens.group("mark") == "“":
            mark = text.rfind("“", line_start, line_end)
            unclosed = mark >= 0 and text.find("”", mark, line_end) < 0
        else:
            mark = text.rfind('"', line_start, line_end)
            unclosed = mark >= 0 and text.count('"', line_start, line_end) % 2 == 1 \
                and not (mark > line_start and (text[mark - 1].isalnum()))
        if unclosed and mark + 1 < line_end and line_end - mark <= MAX_QUOTE:
            spans.append((mark + 1, line_end))
    return spans


def _speech_block_spans(text: str) -> list[tuple[int, int]]:
    """Unmarked speech after a line that ends "<verb of saying>:": each following paragraph
    up to one with a quote mark, a verb of saying or no closing full stop (a heading, a list).

    >>> text = "Health Secretary Ana Ribeiro said:\\n\\nThe storm hit us.\\n\\nWe are on the ground.\\n\\nMore later"
    >>> [text[s:e] for s, e in _speech_block_spans(text)]
    ['The storm hit us', 'We are on the ground']
    """
    spans: list[tuple[int, int]] = []
    if ":\n" not in text:
        return spans
    for intro in _SPEECH_INTRO.finditer(text):
        if REPORTING_VERBS[intro.group("verb")].quote != "say":
            continue
        for line in _PARAGRAPH.finditer(text, intro.end()):
            start, body = line.start("line"), line.group("line").rstrip()
            if not body.endswith((".", "!", "?")) or _ANY_MARK.search(body) or next(
                    QUOTE_VERBS.finditer(text, start, start + len(body)), None):
                break
            trimmed = _trim(text, start, start + len(body))
            if trimmed:
                spans.append(trimmed)
    return spans


def _merged(*span_lists: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of all lists in order; where two overlap the earlier wins."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(span for spans in span_lists for span in spans):
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop surrounding spaces and a trailing comma or full stop (or an editor's "[.]") inside the marks.

    >>> text = "“in the days ahead.”"
    >>> text[slice(*_trim(text, 1, 19))]
    'in the days ahead'
    >>> text = "“Ebola is incurable[.]”"
    >>> text[slice(*_trim(text, 1, 22))]
    'Ebola is incurable'
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",." or text[end - 3:end] == "[.]"):
        if text[end - 3:end] == "[.]":  # an editor's full stop: “... incurable[.]”
            end -= 3
            continue
        if text[end - 1] == "." and text[end - 3:end] == "...":
            break
        end -= 1
    return (start, end) if _WORD.search(text, start, end) else None


def _is_label(text: str, start: int, end: int) -> bool:
    """One or two words used as a name or modifier: the “trust”, a “reciprocal” agreement."""
    if _at_least_words(text, start, end, 3):
        return False
    before = _PREVIOUS_WORD.search(text[max(0, start - 30):start - 1])
    if before and before.group(1).casefold() in _LABEL_BEFORE:
        return True
    after = _NEXT_WORD.match(text[end + 1:end + 30])
    if after:
        word = after.group(1)
        return word.islower() and not gz.is_stop_word(word.capitalize()) and word not in QUOTE_FORMS
    return False


def _at_least_words(text: str, start: int, end: int, n: int) -> bool:
    """Whether text[start:end] holds ``n`` words or more (reading no further than the n-th)."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(text, start, end), n)) == n


def _stripped_quotes(context: _Context) -> list[Quote]:
    """Sentences shaped "<words>, <person> said." in an article whose quote marks are gone."""
    quotes = []
    for sentence in context.sentences_with_hint():
        match = _STRIPPED.fullmatch(sentence.text)
        if match is None:
            continue
        verb_group = "verb" if match.group("verb") else "verb2"
        who_group = "who" if match.group("who") else "who2"
        if REPORTING_VERBS[match.group(verb_group)].quote == "frame":
            continue
        start, end = sentence.start + match.start("quote"), sentence.start + match.end("quote")
        if not _at_least_words(context.text, start, end, 4):
            continue
        who = (sentence.start + match.start(who_group), sentence.start + match.end(who_group))
        speaker = context.resolve_phrase(*who, persons_only=True)
        if speaker is not None:
            quotes.append(Quote(start, end, context.text[start:end], speaker, match.group(verb_group)))
    return quotes


# --- speakers -------------------------------------------------------------------------------

class _Context:
    """The article's mentions and sentences, indexed for speaker resolution."""

    def __init__(self, text: str, mentions: MentionIndex, sentences: list[Sentence]):
        self.text = text
        self.mentions = mentions
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.line_sentences: dict[int, list[Sentence]] = {}
        self.families: dict[str, set[str]] = {}
        for m in mentions:
            if m.type == "PERSON" and m.title:
                family = gz.title_family(m.title)
                if family:
                    self.families.setdefault(m.canonical, set()).add(family)

    def sentences_of_line(self, position: int) -> list[Sentence]:
        """Sentences of the line holding ``position`` (offsets into text)."""
        line_start = self.text.rfind("\n", 0, position) + 1
        if line_start not in self.line_sentences:
            line_end = self.text.find("\n", position)
            line_end = line_end if line_end >= 0 else len(self.text)
            self.line_sentences[line_start] = self.sentences[  # no sentence crosses a line break
                bisect.bisect_left(self.sentence_starts, line_start):bisect.bisect_left(self.sentence_starts, line_end)]
        return self.line_sentences[line_start]

    def sentences_with_hint(self) -> list[Sentence]:
        """Sentences of the lines where a stripped quote's speech frame may end a sentence.

        A stripped quote needs a person as speaker, so only commas shortly before a person's
        name or before he/she are tried (far fewer than all commas).
        """
        commas = {m.start() for m in _PERSON_ANAPHOR_FRAME.finditer(self.text)}
        for m in self.mentions:
            if m.type == "PERSON":
                comma = self.text.rfind(", ", max(0, m.start - 40), m.start)
                if comma >= 0:
                    commas.add(comma)
        out: list[Sentence] = []
        seen = set()
        for comma in sorted(commas):
            if _FRAME_AT_COMMA.match(self.text, comma) is None:
                continue
            line_start = self.text.rfind("\n", 0, comma) + 1
            if line_start not in seen:
                seen.add(line_start)
                out += self.sentences_of_line(comma)
        return out

    def quote(self, start: int, end: int, previous: Quote | None) -> Quote:
        speaker, verb = self.speaker(start, end, previous)
        return Quote(start, end, self.text[start:end], speaker, verb)

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

    def sentence_at(self, position: int) -> tuple[int, int]:
        sentences = self.sentences_of_line(position)
        k = bisect.bisect_right([s.start for s in sentences], position) - 1
        if k < 0:
            return self.text.rfind("\n", 0, position) + 1, position
        return sentences[k].start, max(sentences[k].end, position)

    def speaker(self, start: int, end: int, previous: Quote | None) -> tuple[str | None, str | None]:
        """Speaker and verb: a frame after the quote first, then one before it (not reaching back
        into a quote before it in the sentence); without a frame, the sentence's first actor, then
        the speaker carried from the quote before, then the subject of the last speech verb
        earlier in the paragraph ("Li said ... . “...”")."""
        carried = self._carried(start, previous)
        s_start = self.sentence_at(start)[0]
        found = self._frame_after(*self._after_span(end), carried)
        if found is None:
            floor = s_start if previous is None or previous.end < s_start \
                else _CLOSING.match(self.text, previous.end).end()
            found = self._frame_before(floor, start, carried)
        if found is not None:
            return found
        actor = according_to(self.text, self.mentions, s_start, start) or self._first_actor(s_start, start)
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

    def _after_span(self, end: int) -> tuple[int, int]:
        """Text after the closing mark up to the end of its sentence (empty if the quote ended it)."""
        closing = _CLOSING.match(self.text, end)
        after = closing.end()
        if any(c in ".!?…" for c in closing.group()) and not _GOES_ON.match(self.text, after):
            return after, after
        limit = min(len(self.text), after + 160)
        if after >= limit:
            return after, after
        return after, min(self.sentence_at(after)[1], limit)  # the splitter knows "Dr." ends no sentence

    def _frame_after(self, start: int, stop: int, carried: Quote | None) -> tuple[str | None, str] | None:
        """“…,” Prohete said / said Amb. / in Haiti, the head of state said."""
        if start >= stop:
            return None
        verb = next(QUOTE_VERBS.finditer(self.text, start, stop), None)
        if verb is None or verb.group().endswith("ing"):  # "…,' emphasizing the urgency" is no frame
            return None
        subject_end = verb.start()
        while subject_end > start and self.text[subject_end - 1] in " ,":  # ", the camp manager, said"
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
            return speaker, verb.group()
        # no subject of its own ("..., further saying, “…”", "“…” and urged “…”"): the speaker
        # of the quote before, else of the sentence's earlier frame
        if carried is not None:
            return carried.speaker, verb.group()
        earlier = self._frame_before(s_start, verb.start(), None, look_back=False) \
            if look_back and verb.start() > s_start else None  # one verb back, never a chain
        if earlier is not None and earlier[0] is not None:
            return earlier[0], verb.group()
        return self._last_actor(s_start, verb.start()), verb.group()

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

    def resolve_phrase(self, start: int, end: int, persons_only: bool = False,
                       carried: Quote | None = None) -> str | None:
        """The entity a speaker phrase names: a mention, a pronoun (the ``carried`` speaker of the
        quote before, else the most recent person) or a titled description."""
        inside = [m for m in self.mentions.within(start, end) if m.type in ("PERSON", "ORG")]
        people = [m for m in inside if m.type == "PERSON"]
        if people:
            return people[-1].canonical
        phrase = self.text[start:end]
        family = gz.title_family(phrase)
        if family is not None:  # "the K Mart chairman said": the chairman named earlier, else the company
            titled = self._recent(start, ("PERSON",), lambda m: family in self.families.get(m.canonical, ()))
            if titled is not None:
                return titled
        if inside and not persons_only:
            return inside[-1].canonical
        named = self._person_named_by(start, end)
        if named is not None:
            return named
        anaphor = _SPEAKER_ANAPHOR.search(phrase)
        kind = _SPEAKER_ANAPHORS[anaphor.group()] if anaphor else None
        if kind == "PERSON":
            return carried.speaker if carried is not None else self._recent(start, ("PERSON",))
        if family is not None:  # "the minister of the department" is a person, if one was named
            return None
        if kind is not None and not persons_only:
            return self._recent(start, (kind,))
        return None

    def _person_named_by(self, start: int, end: int) -> str | None:
        """"Li said", "Deng said" where no mention was found: the most recent person named earlier
        whose name holds the phrase's last capitalised word."""
        words = [w for w in _WORD.findall(self.text, start, end) if w[0].isupper()]
        if not words:
            return None
        person = self.mentions.named_by(words[-1], start)
        return person.canonical if person is not None else None

    def _first_actor(self, s_start: int, start: int) -> str | None:
        """Without a speech verb: the first person (or organisation) the sentence names."""
        inside = [m for m in self.mentions.within(s_start, start) if m.type in ("PERSON", "ORG")]
        people = [m for m in inside if m.type == "PERSON"]
        first = people or inside
        return first[0].canonical if first else None

    def _last_actor(self, s_start: int, end: int) -> str | None:
        inside = [m for m in self.mentions.within(s_start, end) if m.type in ("PERSON", "ORG")]
        people = [m for m in inside if m.type == "PERSON"]
        return (people or inside)[-1].canonical if inside else None

    def _recent(self, position: int, types: tuple[str, ...], accept=None) -> str | None:
        """The canonical of the nearest mention of ``types`` before ``position`` (that ``accept``s)."""
        found = self.mentions.last_before(position, types, accept)
        return found.canonical if found is not None else None

