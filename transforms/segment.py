"""Split article text into paragraphs and sentences, keeping offsets into the text.

Rules, in order:
1. A line break (LF, CR, NEL, U+2028 or U+2029) always ends a sentence, and every non-blank
   line is its own paragraph (news exports put one paragraph, headline or bullet per line).
   Offsets stay offsets into the text as given: line breaks are read, never rewritten.
2. Inside a line, a sentence ends after ``.``, ``!``, ``?`` or ``…`` (plus any closing
   quotes or brackets) when whitespace and a sentence opener (capital letter, digit,
   opening quote or bracket) follow.
3. Except after a title abbreviation ("Amb.", "Dr.") or a single initial ("J."), which
   never end a sentence; and after another abbreviation or a dotted acronym ("Inc.",
   "U.S."), which end one only when a common sentence-opening word follows.

Headlines, one rule for the article's title (``find_title``) and for the title-case lines
whose capitals are no evidence of a name (``title_case_headlines``): a line of at most
``HEADLINE_MAX`` characters that does not end like a sentence or a clause (``.!?:;,``, also
inside closing quotes or brackets).

>>> [s.text for s in split_sentences("The U.S. team met Amb. Kimani. He said “We go.” Then 2.5 km.")]
['The U.S. team met Amb. Kimani.', 'He said “We go.”', 'Then 2.5 km.']
>>> [(s.paragraph, s.text) for s in split_sentences("Headline\\n\\nFirst para. Second one.")]
[(0, 'Headline'), (1, 'First para.'), (1, 'Second one.')]
"""
from __future__ import annotations

import regex

from transforms.lexicon import load_tsv, load_words
from transforms.patterns import fast
from transforms.records import Sentence

HEADLINE_MAX = 250  # characters; a longer line is a paragraph

_ABBREVIATIONS = {row["abbrev"].casefold(): row["kind"]
                  for row in load_tsv("abbreviations.tsv", required=("abbrev", "kind"))}
_SENTENCE_STARTERS = load_words("sentence_starters.tsv")

_LINE_BREAKS = "\n\r\x85\u2028\u2029"
_LINE = regex.compile(rf"[^{_LINE_BREAKS}]++")
# A candidate boundary: terminal punctuation, closers, whitespace, then an opener. The
# look-behind makes a run of punctuation a candidate only from its first character, so a
# run that is no boundary is read once, not once from each of its characters (linear).
_BOUNDARY = regex.compile(
    r"""
    (?<! [.!?…] )
    (?P<stop> [.!?…]++ [\"'”’)\]]*+ )   # terminal punctuation and closing quotes/brackets
    [ \t\u00a0]++                        # the gap between sentences
    (?= [\p{Lu}\p{N}\"'“‘(\[] )          # the next sentence's first character
    """,
    regex.VERBOSE,
)
# Matched backwards from the full stop, so only the token itself is read.
_TOKEN_AT_END = regex.compile(r"(?r)(?:\p{L}\.)*+[\p{L}\p{N}]++\Z")
_NEXT_WORD = regex.compile(r"[\"'“‘(\[]*+(\p{L}++)")
_LEADING = regex.compile(r"[\s•·▪●◦‣*\-–—]*+")
_INITIAL = regex.compile(r"\p{Lu}")
_DOTTED_ACRONYM = regex.compile(r"(?:\p{L}\.)+\p{L}")
_WORD = regex.compile(r"\p{L}[\p{L}'’\-]*+")
_CLOSERS = " \t\"'”’)]"
_HEADLINE_WORD = regex.compile(r"(\p{L})[\p{L}'’-]{3,}+")  # the first letter of a word of 4 letters or more
_HEADLINE_WORD_BMP = fast(_HEADLINE_WORD.pattern)
_FIRST_LETTER_LOWER = regex.compile(r"[^\p{L}]*+\p{Ll}")  # a line whose first letter is lower case


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, with paragraph numbers counted from 0."""
    sentences: list[Sentence] = []
    paragraph = -1
    boundaries = _BOUNDARY.finditer(text)  # never crosses a line break; consumed line by line
    boundary = next(boundaries, None)
    for line in _LINE.finditer(text):
        line_start, line_end = line.span()
        if line.group().isspace():
            continue
        paragraph += 1
        start = line_start
        while boundary is not None and boundary.start() < line_end:
            if boundary.start() >= line_start and _ends_sentence(text, line_start, boundary):
                _append(sentences, text, start, boundary.end("stop"), paragraph)
                start = boundary.end()
            boundary = next(boundaries, None)
        _append(sentences, text, start, line_end, paragraph)
    return sentences


def is_headline(line: str) -> bool:
    """Whether a line (without its line break) is set as a headline.

    >>> is_headline("Kenya Sends Police to Haiti"), is_headline('He called it "a mistake."')
    (True, False)
    """
    line = line.rstrip(_CLOSERS)
    return 0 < len(line) <= HEADLINE_MAX and line[-1] not in ".!?:;,"


def find_title(text: str) -> str | None:
    """The headline: a first line of at least three words that is a headline (``is_headline``).

    >>> find_title("Kenya Sends Police to Haiti\\nNairobi, Monday - Kenya said ...")
    'Kenya Sends Police to Haiti'
    >>> find_title("Kenya sent police to Haiti on Monday.\\n") is None
    True
    """
    match = _LINE.search(text)
    if match is None or match.end() == len(text):
        return None
    line = match.group().strip()
    return line if is_headline(line) and len(_WORD.findall(line)) >= 3 else None


def title_case_headlines(text: str, astral: bool = True) -> list[tuple[int, int]]:
    """(start, end) of the headlines (``is_headline``) in title case: the first letter a
    capital, and at least two words of four letters or more, three in four of them capitalised
    (a list item "- training for the Chilean National Police" is no headline).
    ``astral=False`` promises that ``text`` has no character beyond the Basic Multilingual
    Plane (a faster scan).

    >>> title_case_headlines("Kenya Sends Police to Haiti\\nKenya sends police.\\nMore Police For Haiti")
    [(0, 27), (48, 69)]
    >>> title_case_headlines("- radios for the Peruvian Coast Guard")
    []
    """
    spans = []
    words_of = (_HEADLINE_WORD if astral else _HEADLINE_WORD_BMP).findall
    for match in _LINE.finditer(text):
        line = match.group()
        if is_headline(line) and not _FIRST_LETTER_LOWER.match(line):
            firsts = words_of(line)
            if len(firsts) >= 2 and sum(map(str.isupper, firsts)) >= 0.75 * len(firsts):
                spans.append(match.span())
    return spans


def _ends_sentence(text: str, line_start: int, boundary: regex.Match) -> bool:
    stop = boundary.group("stop")
    if stop[0] != ".":
        return True
    before = _word_before(text, line_start, boundary.start("stop"))
    kind = _ABBREVIATIONS.get(before.casefold().rstrip("."))
    if kind == "title" or _INITIAL.fullmatch(before):
        return False
    if kind or _DOTTED_ACRONYM.fullmatch(before):
        following = _NEXT_WORD.match(text, boundary.end())
        return bool(following) and following.group(1) in _SENTENCE_STARTERS
    return True


def _word_before(text: str, line_start: int, stop: int) -> str:
    """The token that ends at a full stop ("Amb", "U.S", "2021")."""
    match = _TOKEN_AT_END.search(text, max(line_start, stop - 40), stop)
    return match.group() if match else ""


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    if start < end and not text[start].isalnum():
        start = _LEADING.match(text, start, end).end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, paragraph, text[start:end]))
