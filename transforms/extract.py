"""One entry point over all transforms: an article's text in, every record out."""
from __future__ import annotations

from transforms.entities import find_mentions
from transforms.figures import find_figures
from transforms.quotes import find_quotes
from transforms.records import Extraction
from transforms.segment import find_title, split_sentences


def extract_document(text: str) -> Extraction:
    """Everything the pipeline extracts from one decoded article.

    >>> extraction = extract_document("Kenya Sends Police to Haiti\\nKenya will send 1,000 officers.")
    >>> extraction.title, [f.text for f in extraction.figures], [m.text for m in extraction.mentions]
    ('Kenya Sends Police to Haiti', ['1,000'], ['Kenya', 'Haiti', 'Kenya'])
    """
    mentions = find_mentions(text)
    sentences = split_sentences(text)
    return Extraction(title=find_title(text), sentences=sentences,
                      figures=find_figures(text, mentions, sentences), mentions=mentions,
                      quotes=find_quotes(text, mentions, sentences))
