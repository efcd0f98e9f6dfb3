"""``make bench``: the real command on the shared news corpus ×``--scale``, with the figures issue 18 asks for.

1. The corpus ×scale (copy 0 as the corpus's explode.py writes it; every further copy made
   unique by a header line): a full run, a re-run with nothing new, and a re-run with 1% new
   articles and 0.1% changed. For each: wall seconds of the process, the flow's seconds and its
   seconds per step (from the run summary), and the peak RSS of the whole process tree.
2. The extraction step on a Dask LocalCluster (one worker per core) against the default
   runner, full runs on the 17,083 corpus articles.
3. The transforms' own characters/second per core (``bench.throughput``).

Every run is ``python -m flows run`` in a fresh process, and the bench reads only what it
prints (the run summary), never the output folder. Not a test: it prints, it asserts nothing.
It needs ``../shared/corpus`` (or ``NEWSFACTS_CORPUS``) and says so without it.

    python -m bench.run [--scale 10] [--dask-repeat 1] [--skip-throughput]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import CorpusMissing, explode, iter_texts, require_corpus

MB = 1_000_000
NEW_SHARE, CHANGED_SHARE = 0.01, 0.001
CHANGE = "Officials said 1,000 people were displaced.\n"
_SUMMARY = re.compile(r"summary: (?P<files>\d+) files found, (?P<articles>\d+) articles, (?P<rejected>\d+) rejected "
                      r"in (?P<seconds>[\d.]+) s \((?P<extracted>\d+) extracted, (?P<reused>\d+) unchanged")
_STEPS = re.compile(r"steps: (.*)$", re.MULTILINE)
_STEP = re.compile(r"(\w+) ([\d.]+) s")


@dataclass
class Run:
    """One ``python -m flows run``: what the bench saw of the process and read from its summary."""

    wall: float
    tree_peak_mb: float               # the process and all its descendants, sampled every 0.2 s
    largest_peak_mb: float            # the largest single process of the tree
    flow: float = 0.0
    articles: int = 0
    extracted: int = 0
    reused: int = 0
    steps: dict[str, float] = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the corpus (default: %(default)s)")
    parser.add_argument("--dask-repeat", type=int, default=1,
                        help="full runs of each runner on the 17,083 articles, alternated (default: %(default)s)")
    parser.add_argument("--skip-throughput", action="store_true", help="only the flow runs")
    args = parser.parse_args(argv)
    try:
        require_corpus()
    except CorpusMissing as missing:
        print(missing)
        return 0
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    bench_scale(args.scale)
    bench_dask(args.dask_repeat)
    if not args.skip_throughput:
        from bench.throughput import main as throughput

        throughput(["-n", "3000"])
    return 0


def bench_scale(scale: int) -> None:
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        started = time.perf_counter()
        files = write_copies(inp, scale)
        size = sum(path.stat().st_size for path in files)
        print(f"\n## The corpus ×{scale}: {len(files):,} files, {size / MB:.1f} MB "
              f"(written in {time.perf_counter() - started:.0f} s)")
        full = flow_run(inp, out)
        report("full run", full, size)
        report("re-run, nothing new", flow_run(inp, out), size, full)
        new, changed = add_and_change(inp, files)
        report(f"re-run, {new:,} new (1%) and {changed:,} changed (0.1%)", flow_run(inp, out), size, full)


def write_copies(folder: Path, scale: int) -> list[Path]:
    """The corpus ``scale`` times as .txt files; copy k > 0 starts with its own header line."""
    folder.mkdir(parents=True)
    files = []
    for number, text in enumerate(iter_texts()):
        for copy in range(scale):
            path = folder / f"c{copy:03d}-{number:06d}.txt"
            path.write_text(text if copy == 0 else f"Bench copy {copy}.\n{text}", encoding="utf-8")
            files.append(path)
    return files


def add_and_change(folder: Path, files: list[Path]) -> tuple[int, int]:
    """1% new articles (corpus texts under a header no copy has) and 0.1% of the files changed."""
    new = max(1, round(len(files) * NEW_SHARE))
    for number, text in zip(range(new), iter_texts()):
        (folder / f"new-{number:06d}.txt").write_text(f"Bench addition {number}.\n{text}", encoding="utf-8")
    changed = files[::round(1 / CHANGED_SHARE)]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
    return new, len(changed)


def bench_dask(repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-dask-") as tmp:
        inp = Path(tmp) / "in"
        explode(inp)
        print(f"\n## Dask against the default runner: full runs of {sum(1 for _ in inp.glob('*.txt')):,} "
              f"articles, {os.cpu_count()} processes or LocalCluster workers")
        runs: dict[str, list[Run]] = {"default": [], "dask": []}
        for attempt in range(repeat):
            for runner, options in (("default", ()), ("dask", ("--task-runner", "dask"))):
                run = flow_run(inp, Path(tmp) / f"out-{runner}-{attempt}", *options)
                runs[runner].append(run)
                report(f"{runner}, run {attempt + 1}", run)
        extract = {runner: statistics.median(run.steps.get("extract", 0.0) for run in done)
                   for runner, done in runs.items()}
        wall = {runner: statistics.median(run.wall for run in done) for runner, done in runs.items()}
        print(f"dask / default (medians): extract step {extract['dask']:.1f} / {extract['default']:.1f} s = "
              f"{extract['dask'] / max(extract['default'], 1e-9):.2f}×; process wall {wall['dask']:.1f} / "
              f"{wall['default']:.1f} s = {wall['dask'] / max(wall['default'], 1e-9):.2f}×")


def flow_run(inp: Path, out: Path, *options: str) -> Run:
    """``python -m flows run`` in a fresh process; the peak RSS of its process tree sampled meanwhile."""
    command = [sys.executable, "-m", "flows", "run", "--input", str(inp), "--output", str(out), *options]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
        peaks = [0, 0]
        sampler = threading.Thread(target=_sample_tree_rss, args=(child, peaks), daemon=True)
        sampler.start()
        child.wait()
        sampler.join()
        wall = time.perf_counter() - started
        log.seek(0)
        printed = log.read()
    if child.returncode != 0:
        raise SystemExit(f"the flow failed (exit {child.returncode}):\n{printed[-3000:]}")
    return read_summary(printed, Run(wall, peaks[0] / 2**20, peaks[1] / 2**20))


def read_summary(printed: str, run: Run) -> Run:
    """The run summary's figures (its ``summary:`` and ``steps:`` lines) into ``run``."""
    summary = _SUMMARY.search(printed)
    steps = _STEPS.search(printed, summary.end()) if summary else None
    if summary is None or steps is None:
        raise SystemExit(f"no run summary in the flow's output:\n{printed[-3000:]}")
    run.flow, run.articles = float(summary["seconds"]), int(summary["articles"])
    run.extracted, run.reused = int(summary["extracted"]), int(summary["reused"])
    run.steps = {step: float(seconds) for step, seconds in _STEP.findall(steps[1])}
    return run


def report(label: str, run: Run, size: int | None = None, full: Run | None = None) -> None:
    rate = f", {size / MB / run.flow:.2f} MB/s" if size else ""
    share = f" ({run.flow / full.flow:.0%} of the full run's)" if full else ""
    print(f"{label}: process {run.wall:.1f} s, flow {run.flow:.1f} s{share}{rate}; peak RSS "
          f"{run.tree_peak_mb:,.0f} MB process tree, {run.largest_peak_mb:,.0f} MB largest process; "
          f"{run.articles:,} articles, {run.extracted:,} extracted, {run.reused:,} unchanged")
    print("  steps: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in run.steps.items()))


def _sample_tree_rss(child: subprocess.Popen, peaks: list[int]) -> None:
    while child.poll() is None:
        sizes = _tree_rss(child.pid)
        peaks[0], peaks[1] = max(peaks[0], sum(sizes)), max(peaks[1], max(sizes, default=0))
        time.sleep(0.2)


def _tree_rss(root: int) -> list[int]:
    """Resident bytes of a process and of each of its descendants (Linux /proc)."""
    parent, rss = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(entry)] = int(stat[1])
            rss[int(entry)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, up in parent.items():
            if up == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return [rss.get(pid, 0) for pid in tree]


if __name__ == "__main__":
    sys.exit(main())
