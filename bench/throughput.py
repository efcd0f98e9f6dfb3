"""Single-core throughput of each transform on the shared news corpus, in characters/second.

Each stage runs over the same texts in one process; time is the process's CPU time, so a busy
machine slows the figures less than wall-clock time would. Figures and quotes get their
article's mentions and sentences precomputed, as ``extract_document`` passes them.

    python -m bench.throughput [-n N]
"""
from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

from bench.corpus import iter_texts
from transforms.entities import find_mentions
from transforms.extract import extract_document
from transforms.figures import find_figures
from transforms.mention_index import MentionIndex
from transforms.quotes import find_quotes
from transforms.segment import split_sentences

QUANTULUM3_CHARS = 300_000     # quantulum3 runs at tens of thousands of characters/second: a sample


def _rate(texts: list[str], run: Callable[[int, str], object]) -> float:
    started = time.process_time()
    for i, text in enumerate(texts):
        run(i, text)
    return sum(map(len, texts)) / max(time.process_time() - started, 1e-9)


def transform_throughput(texts: list[str]) -> dict[str, float]:
    """Characters/second of "segment", "entities", "figures", "quotes" and "all" (extract_document)."""
    mentions = [MentionIndex(find_mentions(text)) for text in texts]
    sentences = [split_sentences(text) for text in texts]
    return {
        "segment": _rate(texts, lambda i, text: split_sentences(text)),
        "entities": _rate(texts, lambda i, text: find_mentions(text)),
        "figures": _rate(texts, lambda i, text: find_figures(text, mentions[i], sentences[i])),
        "quotes": _rate(texts, lambda i, text: find_quotes(text, mentions[i], sentences[i])),
        "all": _rate(texts, lambda i, text: extract_document(text)),
    }


def quantulum3_throughput(texts: list[str], max_chars: int = QUANTULUM3_CHARS) -> float | None:
    """Characters/second of quantulum3's parser on the first ``max_chars`` or so; ``None`` without it."""
    try:
        with warnings.catch_warnings():                             # "classifier dependencies not installed"
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return None
    sample, size = [], 0
    for text in texts:
        if size >= max_chars:
            break
        sample.append(text)
        size += len(text)
    parser.parse(sample[0][:200])                                   # load its models before timing
    return _rate(sample, lambda i, text: parser.parse(text))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Single-core characters/second of each transform.")
    parser.add_argument("-n", type=int, default=3000, help="articles to read (default 3000)")
    args = parser.parse_args(argv)
    texts = list(iter_texts(args.n))
    rates = transform_throughput(texts)
    print(f"{len(texts)} articles, {sum(map(len, texts)):,} characters")
    print(f"{'stage':<10}{'chars/s':>14}")
    for stage, rate in rates.items():
        print(f"{stage:<10}{rate:>14,.0f}")
    peer = quantulum3_throughput(texts)
    if peer is None:
        print("quantulum3 not installed (uv sync --group bench): no ratio")
    else:
        print(f"{'quantulum3':<10}{peer:>14,.0f}")
        print(f"figures / quantulum3: {rates['figures'] / peer:.0f}x")


if __name__ == "__main__":
    main()
