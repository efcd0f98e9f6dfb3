"""``make torture``: hostile inputs next to good articles, through the real flow.

Prints the extraction time per MB of each pathological text (at full and half size, so a
run-away shows as a growing ratio), then runs the flow over the seeds plus every hostile
file and checks that it exits 0, that each hostile file is an article or a reject with the
expected reason, and that the seeds' rows equal a clean run. Exits 1 when a check fails.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.hostile import PATHOLOGICAL, remove_nesting, torture_problems, write_hostile

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 2_000_000


def seconds_per_mb() -> list[str]:
    """Print the s/MB table; the inputs whose time grows faster than their size."""
    from transforms.extract import extract_document

    runaways = []
    print("| input | MB | seconds | s/MB | s/MB at half size |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, make in PATHOLOGICAL.items():
        text = make()
        rates = []
        for sample in (text, text[: len(text) // 2]):
            started = time.perf_counter()
            extract_document(sample)
            rates.append((time.perf_counter() - started, len(sample.encode()) / 1e6))
        (full_s, full_mb), (half_s, half_mb) = rates
        print(f"| {name} | {full_mb:.2f} | {full_s:.2f} | {full_s / full_mb:.2f} | {half_s / half_mb:.2f} |")
        if full_s > 0.5 and full_s / full_mb > 1.6 * half_s / half_mb:   # linear keeps s/MB flat
            runaways.append(f"{name}: {full_s / full_mb:.2f} s/MB at full size, {half_s / half_mb:.2f} at half")
    return runaways


def run_flow(inp: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", "run", "--input", str(inp), "--output", str(out),
                           "--max-bytes", str(MAX_BYTES)], capture_output=True, text=True, cwd=ROOT,
                          env=os.environ.copy())


def main() -> int:
    runaways = seconds_per_mb()
    with tempfile.TemporaryDirectory(prefix="newsfacts-torture-") as tmp:
        inp, clean_in = Path(tmp) / "in", Path(tmp) / "clean-in"
        shutil.copytree(ROOT / "seeds", clean_in)
        shutil.copytree(ROOT / "seeds", inp)
        expected = write_hostile(inp / "hostile", MAX_BYTES, Path(tmp))
        expected = {f"hostile/{name}": reason for name, reason in expected.items()}
        try:
            started = time.perf_counter()
            result = run_flow(inp, Path(tmp) / "out")
            print(f"\nflow over {len(expected)} hostile files and the seeds: exit {result.returncode}, "
                  f"{time.perf_counter() - started:.1f} s")
            if result.returncode != 0:
                print(result.stderr[-3000:])
                return 1
            clean = run_flow(clean_in, Path(tmp) / "clean-out")
            good = sorted(p.name for p in clean_in.glob("*.txt"))
            problems = torture_problems(Path(tmp) / "out", Path(tmp) / "clean-out", expected, good) \
                if clean.returncode == 0 else ["the clean run failed"]
        finally:
            remove_nesting(inp / "hostile")
    problems += [f"extraction time grows faster than linear: {runaway}" for runaway in runaways]
    for problem in problems:
        print(f"FAIL {problem}")
    print("every hostile file accounted for; seed rows identical to a clean run" if not problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
