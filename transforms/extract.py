"""One entry point over all transforms: an article's text in, every record out."""
from __future__ import annotations

from transforms.records import Extraction
from transforms.segment import find_title, split_sentences


def extract_document(text: str) -> Extraction:
    """Everything the pipeline extracts from one decoded article.

    >>> extract_document("Kenya Sends Police to Haiti\\nThe first group left.").title
    'Kenya Sends Police to Haiti'
    """
    return Extraction(title=find_title(text), sentences=split_sentences(text))
