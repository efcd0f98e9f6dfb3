"""Split article text into paragraphs and sentences, keeping offsets into the text.

Rules, in order:
1. A line break always ends a sentence, and every non-blank line is its own paragraph
   (news exports put one paragraph, headline or bullet per line).
2. Inside a line, a sentence ends after ``.``, ``!``, ``?`` or ``…`` (plus any closing
   quotes or brackets) when whitespace and a sentence opener (capital letter, digit,
   opening quote or bracket) follow.
3. Except after a title abbreviation ("Amb.", "Dr.") or a single initial ("J."), which
   never end a sentence; and after another abbreviation or a dotted acronym ("Inc.",
   "U.S."), which end one only when a common sentence-opening word follows.

>>> [s.text for s in split_sentences("The U.S. team met Amb. Kimani. He said “We go.” Then 2.5 km.")]
['The U.S. team met Amb. Kimani.', 'He said “We go.”', 'Then 2.5 km.']
>>> [(s.paragraph, s.text) for s in split_sentences("Headline\\n\\nFirst para. Second one.")]
[(0, 'Headline'), (1, 'First para.'), (1, 'Second one.')]
"""
from __future__ import annotations

import regex

from transforms.lexicon import load_tsv, load_words
from transforms.records import Sentence

_ABBREVIATIONS = {row["abbrev"].casefold(): row["kind"]
                  for row in load_tsv("abbreviations.tsv", required=("abbrev", "kind"))}
_SENTENCE_STARTERS = load_words("sentence_starters.tsv")

_LINE = regex.compile(r"[^\n]++")
# A candidate boundary: terminal punctuation, closers, whitespace, then an opener.
_BOUNDARY = regex.compile(
    r"""
    (?P<stop> [.!?…]++ [\"'”’)\]]*+ )   # terminal punctuation and closing quotes/brackets
    [ \t\u00a0]++                        # the gap between sentences
    (?= [\p{Lu}\p{N}\"'“‘(\[] )          # the next sentence's first character
    """,
    regex.VERBOSE,
)
_TOKEN_AT_END = regex.compile(r"(?:\p{L}\.)*+[\p{L}\p{N}]++$")
_NEXT_WORD = regex.compile(r"[\"'“‘(\[]*+(\p{L}++)")
_LEADING = regex.compile(r"[\s•·▪●◦‣*\-–—]*+")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, with paragraph numbers counted from 0."""
    sentences: list[Sentence] = []
    paragraph = -1
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        paragraph += 1
        start = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            if _ends_sentence(text, line.start(), boundary):
                _append(sentences, text, start, boundary.end("stop"), paragraph)
                start = boundary.end()
        _append(sentences, text, start, line.end(), paragraph)
    return sentences


def find_title(text: str) -> str | None:
    """The headline: a first line of at least three words with no sentence-final stop.

    >>> find_title("Kenya Sends Police to Haiti\\nNairobi, Monday - Kenya said ...")
    'Kenya Sends Police to Haiti'
    >>> find_title("Kenya sent police to Haiti on Monday.\\n") is None
    True
    """
    match = _LINE.search(text)
    if match is None or "\n" not in text[match.end():match.end() + 1]:
        return None
    line = match.group().strip()
    words = regex.findall(r"\p{L}[\p{L}'’\-]*+", line)
    if len(words) < 3 or len(line) > 250 or line[-1] in ".!?:;,":
        return None
    return line


def _ends_sentence(text: str, line_start: int, boundary: regex.Match) -> bool:
    stop = boundary.group("stop")
    if stop[0] != ".":
        return True
    before = _word_before(text, line_start, boundary.start("stop"))
    kind = _ABBREVIATIONS.get(before.casefold().rstrip("."))
    if kind == "title" or regex.fullmatch(r"\p{Lu}", before):
        return False
    if kind or regex.fullmatch(r"(?:\p{L}\.)+\p{L}", before):
        following = _NEXT_WORD.match(text, boundary.end())
        return bool(following) and following.group(1) in _SENTENCE_STARTERS
    return True


def _word_before(text: str, line_start: int, stop: int) -> str:
    """The token that ends at a full stop ("Amb", "U.S", "2021")."""
    window = text[max(line_start, stop - 40):stop]
    match = _TOKEN_AT_END.search(window)
    return match.group() if match else ""


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    start = _LEADING.match(text, start, end).end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, paragraph, text[start:end]))
