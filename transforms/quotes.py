"""Find direct quotations and their speakers.

Quotes, in order of precedence:

1. Text between quote marks of any style (“…”, "…", ‘…’, '…'; also “…") inside one paragraph and at
   most ``MAX_QUOTE`` characters long; partial quotes count. A quote running over paragraphs
   opens each with a mark and closes only the last: each paragraph is a quote, and the later
   ones carry the speaker of the first. Unmarked paragraphs after a line ending "<verb of
   saying>:" are quotes too (up to a paragraph with a mark, a verb of saying or no full stop).
   The span excludes the marks and a trailing comma or full stop inside them. An apostrophe between letters (O'Neill,
   Kenya’s) never opens or closes a quote. Where quotes overlap the earlier one wins.
2. Labels are not quotes: one or two words after "the"/"so-called", or used as a modifier
   (a “reciprocal” agreement); nor are titles (the “State of the Harvest” report) or glosses
   of a few words (slang for ‘full plate’, meaning “peace”, anti-Brexit (“British exit”)).
3. In an article that has no double quote marks at all (they were stripped on export), a
   sentence shaped "<words>, <speaker> said." or "<words>, said <speaker>, ..." is a quote,
   when the speaker is a person (a name, he/she, or a titled description).

Speakers: named by the one who-said-it engine, ``transforms.speakers.Speakers.quote_speaker``
(the noun phrase next to a verb of saying, before or after the quote, resolved through the
article's mentions; "according to X"; the speaker carried from the quote before). A quote no one
is named for has speaker None.

>>> from transforms.entities import find_mentions
>>> from transforms.segment import split_sentences
>>> text = 'Kenyan President William Ruto met aides. “We will go soon,” he said.'
>>> [(q.text, q.speaker, q.verb) for q in find_quotes(text, MentionIndex(find_mentions(text)), split_sentences(text))]
[('We will go soon', 'William Ruto', 'said')]
"""
from __future__ import annotations

import itertools

import regex

from transforms import gazetteer as gz
from transforms.lexicon import load_tsv
from transforms.mention_index import MentionIndex
from transforms.records import Quote, Sentence
from transforms.speakers import (
    QUOTE_FORMS,
    QUOTE_VERBS,
    REPORTING_VERBS,
    Speakers,
    alternation,
    anaphors,
    frame_adjuncts,
)

MAX_QUOTE = 1500


_VERB_ALT = alternation(QUOTE_FORMS)
_SPEAKER_ANAPHORS = anaphors("speaker")

# A hard line break inside a quote: the next line goes on in lower case ("with enough\nsupport")
_WRAP = r"\n(?=[ \t]*+\p{Ll})"
_MARKED = [  # (the opening marks, the pattern): a text without the marks is not scanned
    ("“", regex.compile(rf"“(?P<q>(?:[^“”\n]|{_WRAP}){{1,{MAX_QUOTE}}}+)”")),
    ('"', regex.compile(rf"\"(?P<q>(?:[^\"\n]|{_WRAP}){{1,{MAX_QUOTE}}}+)\"")),
    ("“", regex.compile(rf"“(?P<q>(?:[^“”\"\n]|{_WRAP}){{1,{MAX_QUOTE}}}+)\"")),  # closed by a straight mark
    ("'‘", regex.compile(  # single marks: an apostrophe between letters is part of the text
        rf"""
        (?<![\p{{L}}\p{{N}}]) ['‘] (?=[\p{{L}}\p{{N}}“"])
        (?P<q> (?: [^'‘’\n]
                 | {_WRAP}
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
_SPEECH_INTRO = regex.compile(  # "Ana Ribeiro said:" / "..., she told reporters:" ending its line
    rf"(?<![\p{{L}}])(?P<verb>{alternation(QUOTE_FORMS)})(?:[ ][^\n:.“”\"]{{1,40}}+)?+:[ \t]*+\n")
_PARAGRAPH = regex.compile(r"\G[ \t\n]*+(?P<line>[^\s][^\n]*+)")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*+")
_PREVIOUS_WORD = regex.compile(r"([\p{L}-]++)[ ]*+\Z")
_NEXT_WORD = regex.compile(r"\A[ ]*+(\p{L}++)")
_GLOSS_WORDS = {row["word"].casefold(): row["position"]
                for row in load_tsv("quote_glosses.tsv", required=("word", "position"))}
_GLOSS_FOR = regex.compile(r"([\p{L}-]++)[ ]++for[ ]*+\Z", regex.IGNORECASE)
_SHOWING = regex.compile(r"(?<![\p{L}])(?:saying|reading|reads|read|that[ ]++reads?)[ ]*+\Z", regex.IGNORECASE)
_SIGN_WORDS_BEFORE = 5
_BRACKET_OPENS = regex.compile(r"\([ ]*+[“\"‘']\Z")
_BRACKET_CLOSES = regex.compile(r"\A[,.]?+[”\"’'][ ]*+\)")
_MAX_GLOSS_WORDS = 8
_MAX_BRACKETED_GLOSS_WORDS = 3  # a longer quote in brackets may be speech: (“a disaster for everyone”)
_LABEL_BEFORE = frozenset("the so-called this that these those its their his her our called dubbed "
                          "termed labelled labeled named word titled entitled".split())
# The speech frame that ends a sentence whose quote marks were stripped:
# ", SingOei said." / ", Foote said during Tuesday's panel." / ", a declared Daniel Foote, former ..."
_FRAME_TAIL = rf"""
    ,[ ]++
    (?: (?P<who>(?:[\p{{L}}.'’-]++[ ]++){{0,5}}?[\p{{L}}.'’-]++) [ ]++ (?P<verb>{_VERB_ALT})
        (?: [ ]++ (?:(?:{alternation(frame_adjuncts('quote'))})(?![\p{{L}}])|\p{{Lu}}) [^,.;:!?\n]{{0,60}}+ )?+
      | (?:\p{{Ll}}{{1,12}}+[ ]++)?+ (?P<verb2>{_VERB_ALT}) [ ]++
        (?P<who2>(?:[\p{{L}}.'’-]++[ ]++){{0,4}}?[\p{{L}}.'’-]++) (?: ,[ ]++ [^.;!?\n]{{1,160}}+ )?+
    )
    [.!?]?+ [ ]*+"""
# Lines worth splitting into sentences: a frame tail that ends a sentence, tried only at
# chosen commas (matching at a fixed position is far cheaper than scanning for the verbs).
_FRAME_AT_COMMA = regex.compile(_FRAME_TAIL + r"(?= \n | \Z | [\p{Lu}“\"‘'] )", regex.VERBOSE)
_PERSON_ANAPHOR_FRAME = regex.compile(
    rf",[ ](?:{alternation(w for w, kind in _SPEAKER_ANAPHORS.items() if kind == 'PERSON')})[ ]")
_STRIPPED = regex.compile(rf"(?P<quote> [^\n]{{12,{MAX_QUOTE}}}? ) {_FRAME_TAIL} \Z", regex.VERBOSE)


def find_quotes(text: str, mentions: MentionIndex, sentences: list[Sentence]) -> list[Quote]:
    """Direct quotations in ``text``, sorted by start, with speaker and speech verb.

    ``mentions`` index the article's entity mentions (``transforms.entities.find_mentions``)
    and ``sentences`` are its sentences (``transforms.segment.split_sentences``).
    """
    speakers = Speakers(text, mentions, sentences)
    quotes: list[Quote] = []
    for start, end in _merged(_marked_spans(text), _speech_block_spans(text)):
        if _is_label(text, start, end):
            continue
        speaker, verb = speakers.quote_speaker(start, end, quotes[-1] if quotes else None)
        quotes.append(Quote(start, end, text[start:end], speaker, verb))
    if not quotes and not _DOUBLE_MARKS.search(text):
        quotes = _stripped_quotes(speakers)
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
        if start <= last_end + 1:  # within the quote before, or opened by the mark that closed it
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
    """One or two words used as a name or modifier: the “trust”, a “reciprocal” agreement; or a
    title, whose words are capitalised: the “State of the Harvest” report."""
    if _is_title(text[start:end]) or _is_gloss(text, start, end):
        return True
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


def _is_gloss(text: str, start: int, end: int) -> bool:
    """A translation or gloss of a few words: slang for ‘full plate’, meaning “peace”, or a
    quote that fills a pair of brackets: anti-Brexit (“British exit”) (quote_glosses.tsv).

    >>> text = "The grant is called Chakra, slang for ‘full plate’."
    >>> _is_gloss(text, 38, 48)
    True
    """
    if _at_least_words(text, start, end, _MAX_GLOSS_WORDS + 1):
        return False
    if (_BRACKET_OPENS.search(text, max(0, start - 4), start) and _BRACKET_CLOSES.match(text[end:end + 4])
            and not _at_least_words(text, start, end, _MAX_BRACKETED_GLOSS_WORDS + 1)):
        return True
    window = text[max(0, start - 40):start - 1]
    before = _PREVIOUS_WORD.search(window)
    if before and _GLOSS_WORDS.get(before.group(1).casefold()) == "before":
        return True
    if _on_a_sign(text, start, end):
        return True
    kind = _GLOSS_FOR.search(window)
    return bool(kind) and _GLOSS_WORDS.get(kind.group(1).casefold()) == "for"


def _on_a_sign(text: str, start: int, end: int) -> bool:
    """The words of a banner, placard or poster: “...” after "a banner (from X) saying", or right
    before the sign's noun (“Revoke Article 50” poster).

    >>> text = 'Marchers held a banner from the union saying "no cuts here" and a "Stop the War" poster.'
    >>> _on_a_sign(text, 46, 58), _on_a_sign(text, 67, 79)
    (True, True)
    """
    after = _NEXT_WORD.match(text[end + 1:end + 30])
    if after and _GLOSS_WORDS.get(after.group(1).casefold()) == "sign":
        return True
    window = text[max(0, start - 80):start - 1]
    showing = _SHOWING.search(window)
    return bool(showing) and any(_GLOSS_WORDS.get(word.casefold()) == "sign"
                                 for word in _WORD.findall(window, 0, showing.start())[-_SIGN_WORDS_BEFORE:])


def _is_title(quoted: str) -> bool:
    """Two to eight words, every one of four letters or more capitalised, no sentence punctuation."""
    words = _WORD.findall(quoted)
    return (2 <= len(words) <= 8 and not any(mark in quoted for mark in ".!?,;:")
            and all(w[0].isupper() for w in words if len(w) >= 4) and sum(w[0].isupper() for w in words) >= 2)


def _at_least_words(text: str, start: int, end: int, n: int) -> bool:
    """Whether text[start:end] holds ``n`` words or more (reading no further than the n-th)."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(text, start, end), n)) == n


def _stripped_quotes(speakers: Speakers) -> list[Quote]:
    """Sentences shaped "<words>, <person> said." in an article whose quote marks are gone."""
    quotes = []
    text = speakers.text
    for sentence in _sentences_with_hint(speakers):
        match = _STRIPPED.fullmatch(sentence.text)
        if match is None:
            continue
        verb_group = "verb" if match.group("verb") else "verb2"
        who_group = "who" if match.group("who") else "who2"
        if REPORTING_VERBS[match.group(verb_group)].quote == "frame":
            continue
        start, end = sentence.start + match.start("quote"), sentence.start + match.end("quote")
        if not _at_least_words(text, start, end, 4):
            continue
        who = (sentence.start + match.start(who_group), sentence.start + match.end(who_group))
        speaker = speakers.resolve_phrase(*who, persons_only=True)
        if speaker is not None:
            quotes.append(Quote(start, end, text[start:end], speaker, match.group(verb_group)))
    return quotes


def _sentences_with_hint(speakers: Speakers) -> list[Sentence]:
    """Sentences of the lines where a stripped quote's speech frame may end a sentence.

    A stripped quote needs a person as speaker, so only commas shortly before a person's
    name or before he/she are tried (far fewer than all commas).
    """
    text = speakers.text
    commas = {m.start() for m in _PERSON_ANAPHOR_FRAME.finditer(text)}
    for m in speakers.mentions:
        if m.type == "PERSON":
            comma = text.rfind(", ", max(0, m.start - 40), m.start)
            if comma >= 0:
                commas.add(comma)
    out: list[Sentence] = []
    seen = set()
    for comma in sorted(commas):
        if _FRAME_AT_COMMA.match(text, comma) is None:
            continue
        line_start = text.rfind("\n", 0, comma) + 1
        if line_start not in seen:
            seen.add(line_start)
            out += speakers.sentences_of_line(comma)
    return out
