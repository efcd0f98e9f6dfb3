"""An article's entity mentions, sorted by start, with the look-ups that speaker and source
rules make ("the last person named before here", "the mention right after the verb").

Built once per article by ``transforms.extract`` and read by the who-said-it engine
(``transforms.speakers``) for quote speakers and figure sources. Mentions never overlap, so
order by start is order by end too.

>>> from transforms.records import Mention
>>> index = MentionIndex([Mention(0, 5, "Kenya", "GPE", "Kenya"), Mention(10, 14, "Ruto", "PERSON", "William Ruto"),
...                       Mention(20, 22, "UN", "ORG", "United Nations")])
>>> index.last_before(20, ("PERSON",)).canonical, index.first_at(20).text, [m.text for m in index.within(0, 14)]
('William Ruto', 'UN', ['Kenya', 'Ruto'])
>>> index.named_by("William", 30).canonical, index.covering(12).text, index.covering(7)
('William Ruto', 'Ruto', None)
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from operator import attrgetter

from anyascii import anyascii

from transforms.records import Mention

_START = attrgetter("start")


def _folded(word: str) -> str:
    return word if word.isascii() else anyascii(word)


class MentionIndex:
    """Mentions in text order, searchable by position."""

    __slots__ = ("mentions", "starts")

    def __init__(self, mentions: Iterable[Mention]):
        self.mentions: list[Mention] = sorted(mentions, key=_START)
        self.starts = [m.start for m in self.mentions]

    def __len__(self) -> int:
        return len(self.mentions)

    def __iter__(self) -> Iterator[Mention]:
        return iter(self.mentions)

    def backwards(self, position: int, floor: int = 0) -> Iterator[Mention]:
        """Mentions that end by ``position`` and start at or after ``floor``, nearest first."""
        mentions = self.mentions
        i = bisect_left(self.starts, position) - 1
        while i >= 0 and mentions[i].start >= floor:
            m = mentions[i]
            if m.end <= position:
                yield m
            i -= 1

    def last_before(self, position: int, types: Collection[str],
                    accept: Callable[[Mention], bool] | None = None) -> Mention | None:
        """The nearest mention of one of ``types`` ending by ``position`` (that ``accept``s)."""
        for m in self.backwards(position):
            if m.type in types and (accept is None or accept(m)):
                return m
        return None

    def named_by(self, word: str, position: int, types: Collection[str] = ("PERSON",)) -> Mention | None:
        """The nearest mention of ``types`` before ``position`` whose name holds ``word`` ("Li" ->
        Li Sangsu, "Nomura" -> Nomura Research Institute), for a speaker or source the entity
        rules did not mark; accents fold ("Erdogan" -> Recep Tayyip Erdoğan)."""
        folded = _folded(word)
        return self.last_before(position, types, lambda m: folded in map(_folded, m.canonical.split()))

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions lying wholly inside ``[start, end)``, in order."""
        mentions, out = self.mentions, []
        k = bisect_left(self.starts, start)
        while k < len(mentions) and mentions[k].end <= end:
            out.append(mentions[k])
            k += 1
        return out

    def covering(self, position: int) -> Mention | None:
        """The mention whose span holds ``position``."""
        k = bisect_right(self.starts, position) - 1
        return self.mentions[k] if k >= 0 and position < self.mentions[k].end else None

    def first_at(self, position: int) -> Mention | None:
        """The mention that starts exactly at ``position``."""
        k = bisect_left(self.starts, position)
        return self.mentions[k] if k < len(self.mentions) and self.starts[k] == position else None

    def first_from(self, position: int, stop: int, types: Collection[str]) -> Mention | None:
        """The first mention of one of ``types`` starting in ``[position, stop)``."""
        mentions = self.mentions
        k = bisect_left(self.starts, position)
        while k < len(mentions) and mentions[k].start < stop:
            if mentions[k].type in types:
                return mentions[k]
            k += 1
        return None
