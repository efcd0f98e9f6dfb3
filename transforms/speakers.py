"""Who said it: the one lexicon of verbs of saying and reporting, the words that may stand
between a speaker and such a verb, the words that point back to a speaker named earlier, the
adjuncts that may follow a verb closing its clause, and the one scanner that finds the verbs,
shared by quote speakers (``transforms.quotes``), figure sources (``transforms.attribution``) and
the speech-verb cue for person names (``transforms.persons``).

Each verb's row (``reporting_verbs.tsv``) says what it may do: frame a quote, as a plain verb
of saying ("said") or only around a partial quote ("accusing"), and report a figure
("reported", "showed"; "pledged" does not: the actor of a quantity is not its reporter). Each
rule reads only the verbs of its own use, so one lexicon serves rules that must differ.

>>> text = "Some 300 fled, the UN Reported; we pledged aid."
>>> [text[m.start():m.end()] for m in FIGURE_VERBS.finditer(text)], [m.group() for m in QUOTE_VERBS.finditer(text)]
(['Reported'], ['pledged'])
>>> REPORTING_VERBS["accusing"]
ReportingVerb(lemma='accuse', quote='frame', figure=False)
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from transforms.lexicon import LexiconError, load_tsv
from transforms.patterns import fast
from transforms.wordtrie import trie_pattern

QUOTE_ROLES = ("say", "frame", "no")


class ReportingVerb(NamedTuple):
    lemma: str
    quote: str    # "say": frames a quote, a plain verb of saying; "frame": frames a partial quote only; "no"
    figure: bool  # its subject is the source of the figures in what it governs


def _reporting_verbs() -> dict[str, ReportingVerb]:
    verbs = {}
    for row in load_tsv("reporting_verbs.tsv", required=("form", "lemma", "quote", "figure")):
        if row["quote"] not in QUOTE_ROLES or row["figure"] not in ("yes", "no"):
            raise LexiconError(f"reporting_verbs.tsv: {row['form']}: quote must be one of {QUOTE_ROLES}, "
                               "figure yes or no")
        verbs[row["form"]] = ReportingVerb(row["lemma"], row["quote"], row["figure"] == "yes")
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
