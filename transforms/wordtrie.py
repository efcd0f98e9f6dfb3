"""Regex alternations of many words, written as a character trie; Unicode classes for ``re``.

The ``regex`` engine tries the branches of ``a|b|c`` one after another; with a few hundred
words (currencies, units, number words) that dominates matching time. Sharing prefixes
("d(?:ollars?|lrs?)") makes a failed attempt cost one character test per branch level.

>>> trie_pattern(["dollar", "dollars", "dlrs"])
'd(?:lrs|ollars?)'
>>> import regex
>>> bool(regex.fullmatch(trie_pattern(["per cent", "percent"]), "per  cent"))
True
"""
from __future__ import annotations

from array import array
from functools import cache

import regex

_END = ""


def trie_pattern(words, space: str = r"[ \t]++") -> str:
    """A pattern matching exactly ``words`` (longest first); a space in a word matches ``space``."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _node_pattern(trie, space)


def _node_pattern(node: dict, space: str) -> str:
    branches = []
    for ch in sorted(k for k in node if k != _END):
        piece = space if ch == " " else regex.escape(ch)
        branches.append(piece + _node_pattern(node[ch], space))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return "(?:" + "|".join(branches) + ")?" if len(branches) > 1 or len(branches[0]) > 1 \
            else body + "?"
    return body


# -- the stdlib engine ---------------------------------------------------------------------
# The stdlib ``re`` engine (possessive quantifiers and atomic groups since Python 3.11) costs a
# third of ``regex`` per call on the short anchored matches the scanners make, but has no
# ``\p{..}`` classes. ``stdlib_pattern`` spells them out as code-point ranges of the Basic
# Multilingual Plane (one bitmap test in ``re``; ranges beyond it would be tested one by one
# on every miss), so a letter or digit outside it (a rare CJK, historic or mathematical one;
# emoji are neither) counts as no letter or digit there.

_PROPERTY = regex.compile(r"\\p\{(L|Ll|Lu|N|M)\}")


@cache
def _bmp() -> str:
    return array("I", range(0x10000)).tobytes().decode("utf-32-le", "surrogatepass")


@cache
def property_ranges(name: str) -> str:
    """Code-point ranges of ``\\p{name}`` in the BMP, as ``regex`` defines it, for inside a ``[...]``."""
    characters = _bmp()
    return "".join(f"\\u{a:04x}" if b - a == 1 else f"\\u{a:04x}-\\u{b - 1:04x}"
                   for a, b in (m.span() for m in regex.finditer(rf"\p{{{name}}}++", characters)))


def stdlib_pattern(pattern: str) -> str:
    """``pattern`` with its ``\\p{L}``, ``\\p{Ll}``, ``\\p{Lu}``, ``\\p{N}``, ``\\p{M}`` written out
    for ``re``.

    >>> import re
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
