"""``make bench``: the real command on the shared news corpus ×``--scale``, with the figures issue 18 asks for.

1. The corpus ×scale (copy 0 as the corpus's explode.py writes it; every further copy made
   unique by a header line): a full run, a re-run with nothing new, a re-run with 1% new
   articles, and one with 1% more new and 0.1% changed. For each: wall seconds of the process,
   the flow's seconds and its seconds per step (from the run summary), and the peak RSS of the
   whole process tree.
2. The extraction step on a Dask LocalCluster (one worker per core) against the default
   runner, full runs on the 17,083 corpus articles, alternated (the machine may be shared: a
   pair runs in the same minutes), each pair's tables compared.
3. The transforms' own characters/second per core (``bench.throughput``).

Every run is ``python -m flows run`` in a fresh process, timed by wall clock and by the CPU
seconds of its process tree; the bench reads what it prints (the run summary), and the output
folders only to compare the two runners' tables. Not a test: it prints, it asserts nothing.
It needs ``../shared/corpus`` (or ``NEWSFACTS_CORPUS``) and says so without it.

    python -m bench.run [--scale 10] [--articles N] [--dask-repeat 3] [--skip-throughput]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from bench.corpus import CorpusMissing, explode, iter_texts, require_corpus
from flows import storage
from transforms.schemas import EXTRACTED_TABLES, SCHEMAS, grain_columns

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
    cpu: float                        # user + system seconds of the tree (each process's last sample)
    flow: float = 0.0
    articles: int = 0
    extracted: int = 0
    reused: int = 0
    steps: dict[str, float] = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the corpus (default: %(default)s)")
    parser.add_argument("--articles", type=int, help="only the corpus's first N articles (a quick check of the bench)")
    parser.add_argument("--dask-repeat", type=int, default=3,
                        help="full runs of each runner on the 17,083 articles, alternated; 0 skips them "
                             "(default: %(default)s)")
    parser.add_argument("--skip-throughput", action="store_true", help="only the flow runs")
    args = parser.parse_args(argv)
    try:
        require_corpus()
    except CorpusMissing as missing:
        print(missing)
        return 0
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    bench_scale(args.scale, args.articles)
    bench_dask(args.dask_repeat, args.articles)
    if not args.skip_throughput:
        from bench.throughput import main as throughput

        throughput(["-n", "3000"])
    return 0


def bench_scale(scale: int, articles: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        started = time.perf_counter()
        files = write_copies(inp, scale, articles)
        size = sum(path.stat().st_size for path in files)
        print(f"\n## The corpus ×{scale}: {len(files):,} files, {size / MB:.1f} MB "
              f"(written in {time.perf_counter() - started:.0f} s)")
        full = flow_run(inp, out)
        report("full run", full, size)
        report("re-run, nothing new", flow_run(inp, out), size, full)
        new = add_new(inp, files, "a")
        report(f"re-run, {new:,} new (1%)", flow_run(inp, out), size, full)
        new, changed = add_new(inp, files, "b"), change(files)
        report(f"re-run, {new:,} more new (1%) and {changed:,} changed (0.1%)", flow_run(inp, out), size, full)


def write_copies(folder: Path, scale: int, articles: int | None) -> list[Path]:
    """The corpus (its first ``articles``) ``scale`` times as .txt files; copy k > 0 starts with
    its own header line."""
    folder.mkdir(parents=True)
    files = []
    for number, text in enumerate(iter_texts(articles)):
        for copy in range(scale):
            path = folder / f"c{copy:03d}-{number:06d}.txt"
            path.write_text(text if copy == 0 else f"Bench copy {copy}.\n{text}", encoding="utf-8")
            files.append(path)
    return files


def add_new(folder: Path, files: list[Path], batch: str) -> int:
    """1% new articles: corpus texts under a header no copy and no other batch has."""
    new = max(1, round(len(files) * NEW_SHARE))
    for number, text in zip(range(new), iter_texts()):
        (folder / f"new-{batch}-{number:06d}.txt").write_text(f"Bench addition {batch}{number}.\n{text}",
                                                             encoding="utf-8")
    return new


def change(files: list[Path]) -> int:
    """0.1% of the files changed (a sentence appended), spread over the corpus."""
    changed = files[::round(1 / CHANGED_SHARE)]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
    return len(changed)


def bench_dask(repeat: int, articles: int | None) -> None:
    if repeat < 1:
        return
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-dask-") as tmp:
        inp = Path(tmp) / "in"
        explode(inp, articles)
        print(f"\n## Dask against the default runner: full runs of {sum(1 for _ in inp.glob('*.txt')):,} "
              f"articles, {os.cpu_count()} processes or LocalCluster workers")
        runs: dict[str, list[Run]] = {"default": [], "dask": []}
        for attempt in range(repeat):
            outputs = {runner: Path(tmp) / f"out-{runner}" for runner in runs}
            for runner, options in (("default", ()), ("dask", ("--task-runner", "dask"))):
                shutil.rmtree(outputs[runner], ignore_errors=True)
                run = flow_run(inp, outputs[runner], *options)
                runs[runner].append(run)
                report(f"{runner}, run {attempt + 1}", run)
            print(f"  pair {attempt + 1}: dask / default extract step "
                  f"{ratio(runs['dask'][-1].steps['extract'], runs['default'][-1].steps['extract'])}; tables: "
                  + ("; ".join(different_tables(outputs["default"], outputs["dask"])) or "identical"))
        for measure in ("extract", "wall", "cpu"):
            medians = {runner: statistics.median(run.steps["extract"] if measure == "extract" else getattr(run, measure)
                                                 for run in done) for runner, done in runs.items()}
            print(f"dask / default, median {measure}: {medians['dask']:.1f} / {medians['default']:.1f} s = "
                  f"{ratio(medians['dask'], medians['default'])}")


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / max(denominator, 1e-9):.2f}×"


def different_tables(first: Path, second: Path) -> list[str]:
    """How the extracted tables of two outputs differ, lineage columns dropped and rows sorted by
    grain (dictionary columns decoded); empty when they are equal."""
    differences = []
    for table in EXTRACTED_TABLES:
        rows = [comparable(storage.read_published(out, table), table) for out in (first, second)]
        if rows[0] is None or rows[1] is None or not rows[0].equals(rows[1]):
            counts = " vs ".join("missing" if t is None else f"{t.num_rows:,} rows" for t in rows)
            differences.append(f"{table} differs ({counts})")
    return differences


def comparable(table: pa.Table | None, name: str) -> pa.Table | None:
    if table is None:
        return None
    lineage = [field.name for field in SCHEMAS[name] if field.metadata[b"description"].startswith(b"Lineage:")]
    table = table.drop_columns([column for column in lineage if column in table.column_names])
    decoded = [column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
               for column in table.columns]
    return pa.table(decoded, names=table.column_names).sort_by([(key, "ascending") for key in grain_columns(name)])


def flow_run(inp: Path, out: Path, *options: str) -> Run:
    """``python -m flows run`` in a fresh process; the peak RSS of its process tree sampled meanwhile."""
    command = [sys.executable, "-m", "flows", "run", "--input", str(inp), "--output", str(out), *options]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
        tree = TreeSample()
        sampler = threading.Thread(target=tree.follow, args=(child,), daemon=True)
        sampler.start()
        child.wait()
        sampler.join()
        wall = time.perf_counter() - started
        log.seek(0)
        printed = log.read()
    if child.returncode != 0:
        raise SystemExit(f"the flow failed (exit {child.returncode}):\n{printed[-3000:]}")
    return read_summary(printed, Run(wall, tree.peak / 2**20, tree.largest / 2**20, tree.cpu_seconds()))


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
    print(f"{label}: process {run.wall:.1f} s wall, {run.cpu:.1f} s CPU; flow {run.flow:.1f} s{share}{rate}; peak RSS "
          f"{run.tree_peak_mb:,.0f} MB process tree, {run.largest_peak_mb:,.0f} MB largest process; "
          f"{run.articles:,} articles, {run.extracted:,} extracted, {run.reused:,} unchanged")
    print("  steps: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in run.steps.items()))


class TreeSample:
    """A process and its descendants (Linux /proc), sampled every 0.2 s until it exits: the peak
    resident bytes of the tree and of its largest process, and each process's CPU ticks."""

    def __init__(self):
        self.peak = self.largest = 0
        self.ticks: dict[int, int] = {}      # pid -> user + system clock ticks at its last sample

    def follow(self, child: subprocess.Popen) -> None:
        while child.poll() is None:
            sizes = []
            for pid, (rss, ticks) in _tree_stats(child.pid).items():
                sizes.append(rss)
                self.ticks[pid] = max(self.ticks.get(pid, 0), ticks)
            self.peak, self.largest = max(self.peak, sum(sizes)), max(self.largest, max(sizes, default=0))
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def _tree_stats(root: int) -> dict[int, tuple[int, int]]:
    """Resident bytes and user + system clock ticks of a process and of each of its descendants."""
    parent, stats = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(entry)] = int(stat[1])
            stats[int(entry)] = (int(stat[21]) * os.sysconf("SC_PAGE_SIZE"), int(stat[11]) + int(stat[12]))
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, up in parent.items():
            if up == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return {pid: stats[pid] for pid in tree if pid in stats}


if __name__ == "__main__":
    sys.exit(main())
