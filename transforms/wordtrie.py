"""Regex alternations of many words, written as a character trie.

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
