"""One entry point over all transforms: an article's text in, every record out."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from transforms.entities import find_mentions
from transforms.figures import find_figures
from transforms.mention_index import MentionIndex
from transforms.quotes import find_quotes
from transforms.records import Extraction
from transforms.segment import find_title, split_sentences


def extract_document(text: str, seconds: dict[str, float] | None = None) -> Extraction:
    """Everything the pipeline extracts from one decoded article; ``seconds``, when given,
    adds up the time of each transform (the run summary reports it).

    >>> extraction = extract_document("Kenya Sends Police to Haiti\\nKenya will send 1,000 officers.")
    >>> extraction.title, [f.text for f in extraction.figures], [m.text for m in extraction.mentions]
    ('Kenya Sends Police to Haiti', ['1,000'], ['Kenya', 'Haiti', 'Kenya'])
    """
    timed = _timer(seconds)
    mentions = timed("entities", find_mentions, text)
    index = MentionIndex(mentions)
    sentences = timed("segment", split_sentences, text)
    quotes = timed("quotes", find_quotes, text, index, sentences)   # before figures: a quoted figure is the speaker's
    return Extraction(title=timed("segment", find_title, text), sentences=sentences,
                      figures=timed("figures", find_figures, text, index, sentences, quotes), mentions=mentions,
                      quotes=quotes)


def _timer(seconds: dict[str, float] | None) -> Callable[..., Any]:
    if seconds is None:
        return lambda stage, function, *args: function(*args)

    def timed(stage: str, function: Callable[..., Any], *args) -> Any:
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
    return timed
