"""The shared news corpus (``../shared/corpus``), which only benchmarks may read.

It is not part of the repository: on a user's machine it is absent and the benchmarks say
so and stop, instead of measuring something else.
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(os.environ.get("NEWSFACTS_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"))
FILES = ("news_wikinews.jsonl.gz", "news_reuters21578.jsonl.gz")   # explode.py's order


class CorpusMissing(SystemExit):
    """Raised (as a clean exit with a message) when the shared corpus is not on this machine."""


def require_corpus() -> Path:
    if not all((CORPUS / name).is_file() for name in FILES):
        raise CorpusMissing(f"benchmark skipped: the shared news corpus is not at {CORPUS} "
                            "(set NEWSFACTS_CORPUS to the folder holding news_*.jsonl.gz)")
    return CORPUS


def iter_texts(limit: int | None = None) -> Iterator[str]:
    """Article texts in the order explode.py writes them, as it writes them (text + newline)."""
    corpus = require_corpus()
    n = 0
    for name in FILES:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                if limit is not None and n >= limit:
                    return
                yield json.loads(line)["text"] + "\n"
                n += 1


def explode(out_dir: Path, limit: int | None = None) -> None:
    """One .txt per article in ``out_dir``, written by the corpus's own explode.py."""
    args = [sys.executable, str(require_corpus() / "explode.py"), str(out_dir)]
    if limit is not None:
        args += ["-n", str(limit)]
    subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
