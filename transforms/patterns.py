"""Patterns written once in ``regex`` syntax, compiled for the stdlib engine where that is faster.

The stdlib ``re`` engine (possessive quantifiers and atomic groups since Python 3.11) costs a
third of ``regex`` per call on the short anchored matches the scanners make, but has no
``\\p{..}`` classes. ``stdlib_pattern`` spells them out as code-point ranges of the Basic
Multilingual Plane (one bitmap test in ``re``; ranges beyond it would be tested one by one on
every miss), so a letter or digit outside it (a rare CJK, historic or mathematical one; emoji
are neither) counts as no letter or digit there.

Every pattern compiled here is listed in ``COMPILED``: ``tests/test_patterns.py`` checks on
generated text that each finds what ``regex`` finds with the same pattern.

>>> words = pattern_pair(r"\\p{Lu}\\p{Ll}++")
>>> words.full.findall("Été Zoë"), words.fast.findall("Été Zoë")
(['Été', 'Zoë'], ['Été', 'Zoë'])
>>> words.on(BEYOND_BMP.search("Zoë 𝐀") is not None).pattern == words.full.pattern
True
"""
from __future__ import annotations

import re
from array import array
from functools import cache
from typing import NamedTuple

import regex

COMPILED: list[tuple[str, int]] = []   # (pattern, flags) of every stdlib compilation, for the test

_PROPERTY = regex.compile(r"\\p\{(L|Ll|Lu|N|M)\}")
BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")   # text holding one needs the ``regex`` engine


@cache
def _bmp() -> str:
    return array("I", range(0x10000)).tobytes().decode("utf-32-le", "surrogatepass")


@cache
def property_ranges(name: str) -> str:
    """Code-point ranges of ``\\p{name}`` in the BMP, as ``regex`` defines it, for inside a ``[...]``."""
    return _ranges(rf"\p{{{name}}}++")


@cache
def word_ranges() -> str:
    """``regex``'s ``\\w`` over the BMP, for inside a ``[...]`` (``re``'s own ``\\w`` differs on marks)."""
    return _ranges(r"\w++")


def _ranges(run: str) -> str:
    return "".join(f"\\u{a:04x}" if b - a == 1 else f"\\u{a:04x}-\\u{b - 1:04x}"
                   for a, b in (m.span() for m in regex.finditer(run, _bmp())))


def stdlib_pattern(pattern: str) -> str:
    """``pattern`` with its ``\\p{L}``, ``\\p{Ll}``, ``\\p{Lu}``, ``\\p{N}``, ``\\p{M}`` written out
    for ``re``.

    >>> bool(re.fullmatch(stdlib_pattern(r"\\p{Lu}[\\p{Ll}\\p{N}]++"), "Été2"))
    True
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        prop = _PROPERTY.match(pattern, i) if ch == "\\" else None
        if prop is not None:
            ranges = property_ranges(prop.group(1))
            out.append(ranges if in_class else f"[{ranges}]")
            i = prop.end()
            continue
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                out.append(pattern[i:pattern.index("]", i) + 1])
                i = pattern.index("]", i) + 1
                continue
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def fast(pattern: str, flags: int = 0) -> re.Pattern:
    """``pattern`` (``regex`` syntax) on the stdlib engine: exact for text within the BMP."""
    COMPILED.append((pattern, flags))
    return re.compile(stdlib_pattern(pattern), flags)


class PatternPair(NamedTuple):
    """One pattern on both engines: ``fast`` for text within the BMP, ``full`` for any text."""

    full: regex.Pattern
    fast: re.Pattern

    def on(self, beyond_bmp: bool) -> re.Pattern | regex.Pattern:
        """The pattern for a text that does (or does not) hold a character beyond the BMP."""
        return self.full if beyond_bmp else self.fast


def pattern_pair(pattern: str, flags: int = 0) -> PatternPair:
    return PatternPair(regex.compile(pattern, flags), fast(pattern, flags))
