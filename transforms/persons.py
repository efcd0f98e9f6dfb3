"""Evidence that a capitalised name group is a person, and the title written next to it.

A name group is a run of capitalised tokens that no gazetteer, organisation pattern or title
explains ("William Ruto", "Prohete"). Cues, read from the text around the group:

1. a title or honorific right before it ("Kenyan President", "Amb", "prime minister",
   "Ambassador to the United Nations"), also across a comma ("Prime Minister, Ariel Henry");
2. an appositive right after it (", Kenya's principal foreign secretary,", ", an analyst",
   ", of the ...", ", head of ...");
3. a speech verb right after ("Prohete said") or right before it ("said Daniel Foote");
4. a byline ("Written by: Ross Key", "By Jane Doe", a name on the line after "author").

>>> title_before("Kenya’s Ambassador to the United Nations ", 41)
'Ambassador to the United Nations'
>>> title_before("the Haitian prime minister ", 27)
'prime minister'
>>> title_after(", Kenya's principal foreign secretary, told", 0)
'principal foreign secretary'
"""
from __future__ import annotations

import regex

from transforms.gazetteer import SPEECH_VERBS, TITLES

_TITLE_WORDS = sorted((" ".join(k) for k in TITLES), key=len, reverse=True)
_TITLE_ALT = "|".join(regex.escape(t).replace(r"\ ", r"[ \t]++") for t in _TITLE_WORDS)
_VERB_ALT = "|".join(sorted((regex.escape(v) for v in SPEECH_VERBS), key=len, reverse=True))
_WINDOW = 90

_TITLE_BEFORE = regex.compile(
    rf"""
    (?<![\p{{L}}])
    (?P<title>
      (?:{_TITLE_ALT}) \.?+                            # President, Amb., prime minister
      (?: [ ]++ (?:to|of|for) [ ]++ (?:the[ ]++)?      # ... to the United Nations
          \p{{Lu}}[\p{{L}}.]*+ (?:[ ]++\p{{Lu}}[\p{{L}}.]*+){{0,3}} )?
    )
    [ ]*+ ,?+ [ ]*+ \Z
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
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
_VERB_AFTER = regex.compile(
    rf"""\A (?:['’]s?)?+ [ ]*+ ,?+ [ ]*+
    (?: (?:has|have|had|also|then|later|earlier|reportedly|previously|who|further|again)[ ]++ ){{0,2}}
    (?:{_VERB_ALT}) (?![\p{{L}}])""",
    regex.VERBOSE,
)
_VERB_BEFORE = regex.compile(rf"(?<![\p{{L}}])(?:{_VERB_ALT})[ ]++(?:a[ ]++)?\Z")
_BYLINE_BEFORE = regex.compile(r"(?:\A|\n|[ ]|\|)(?:by|written[ ]by|reporting[ ]by|author)[ ]*+:?+[ ]*+\Z",
                               regex.IGNORECASE)
_AUTHOR_LINE = regex.compile(r"author", regex.IGNORECASE)


def title_before(text: str, start: int) -> str | None:
    """The title or honorific that ends right before ``start`` (same line), if any."""
    window = text[max(0, start - _WINDOW):start]
    window = window[window.rfind("\n") + 1:]
    match = _TITLE_BEFORE.search(window)
    return match.group("title") if match else None


def title_after(text: str, end: int) -> str | None:
    """The role in an appositive right after a name (", the Kenyan ambassador,")."""
    match = _TITLE_AFTER.match(text[end:end + _WINDOW])
    return match.group("title") if match else None


def speech_verb_near(text: str, start: int, end: int) -> bool:
    """A speech verb right after the name ("Prohete said") or right before it ("said Foote")."""
    if _VERB_AFTER.match(text[end:end + 40]):
        return True
    return bool(_VERB_BEFORE.search(text[max(0, start - 30):start]))


def has_appositive(text: str, end: int) -> bool:
    """", an analyst at ...", ", of the ...", ", Kenya's foreign secretary" after the name."""
    return bool(_APPOSITIVE.match(text[end:end + _WINDOW]))


def is_byline(text: str, start: int) -> bool:
    """The name follows "By"/"Written by:" or stands on the line after an author marker."""
    line_start = text.rfind("\n", 0, start) + 1
    if _BYLINE_BEFORE.search(text[max(line_start, start - 30):start]):
        return True
    if text[line_start:start].strip():
        return False
    previous_end = line_start - 1
    previous_start = text.rfind("\n", 0, max(previous_end, 0)) + 1
    previous = text[previous_start:previous_end]
    return len(previous) < 40 and bool(_AUTHOR_LINE.search(previous))
