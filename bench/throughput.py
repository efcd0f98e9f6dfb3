"""Single-core throughput of each transform on the shared news corpus, in characters/second.

Times the path production takes: ``extract_document`` over each text, its stages timed by its
own ``seconds`` argument (what the run summary reports), so figures and quotes get the
article's sentences and mentions as in a run. Wall-clock time, the best of ``--repeat``
passes per stage: run it on a quiet machine.

    python -m bench.throughput [-n N] [--repeat R]
"""
from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

from bench.corpus import iter_texts
from transforms.extract import extract_document

QUANTULUM3_CHARS = 300_000     # quantulum3 runs at tens of thousands of characters/second: a sample


def _rate(texts: list[str], run: Callable[[str], object]) -> float:
    started = time.perf_counter()
    for text in texts:
        run(text)
    return sum(map(len, texts)) / max(time.perf_counter() - started, 1e-9)


def transform_throughput(texts: list[str], repeat: int = 1) -> dict[str, float]:
    """Characters/second of each stage of ``extract_document`` ("entities", "segment",
    "figures", "quotes"), of its whole calls ("all") and of their CPU time ("all_cpu", which a
    busy machine slows less): each the best of ``repeat`` passes."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        seconds: dict[str, float] = {}
        started, started_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            extract_document(text, seconds)
        seconds["all"] = time.perf_counter() - started
        seconds["all_cpu"] = time.process_time() - started_cpu
        best = {stage: min(s, best.get(stage, s)) for stage, s in seconds.items()}
    chars = sum(map(len, texts))
    return {stage: chars / max(s, 1e-9) for stage, s in best.items()}


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
    return _rate(sample, parser.parse)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Single-core characters/second of each transform.")
    parser.add_argument("-n", type=int, default=3000, help="articles to read (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="passes; each stage's best counts (default 3)")
    args = parser.parse_args(argv)
    texts = list(iter_texts(args.n))
    rates = transform_throughput(texts, args.repeat)
    print(f"{len(texts)} articles, {sum(map(len, texts)):,} characters, extract_document's stages, "
          f"best of {args.repeat}")
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
