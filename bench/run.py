"""``make bench``: the real flow on the shared news corpus, with the figures the issues ask for.

For N = 2,000 and N = 17,083 articles: wall seconds (the process, and the flow inside it),
articles/s, MB/s, peak RSS, rows per table, seconds per step; then a re-run with nothing
new, a re-run with 1% of the articles changed, the extraction step on one process (and, for
2,000, the Dask and process-pool task runners), and the transforms' own throughput per core
next to quantulum3's. Not a test: it prints, it does not assert. It needs ``../shared/corpus``
(or ``NEWSFACTS_CORPUS``) and says so without it.

    python -m bench.run [--sizes 2000 17083] [--skip-throughput]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.corpus import explode, require_corpus

MB = 1_000_000
RUNNER_SIZE = 2_000      # the other task runners are compared on runs up to this size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 17083])
    parser.add_argument("--skip-throughput", action="store_true", help="only the flow runs")
    parser.add_argument("--once", nargs=2, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--full-refresh", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--task-runner", default="threads", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.once:
        return run_once(*args.once, args.processes, args.full_refresh, args.task_runner)
    require_corpus()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for n in args.sizes:
        bench_size(n)
    if not args.skip_throughput:
        from bench.throughput import main as throughput

        throughput(["-n", "3000"])


def bench_size(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        explode(inp, n)
        files = sorted(inp.glob("*.txt"))
        size = sum(f.stat().st_size for f in files)
        print(f"\n## N = {len(files):,} articles, {size / MB:.1f} MB")
        report("full run (2 processes)", measure(inp, out), len(files), size, rows=True)
        report("re-run, nothing new", measure(inp, out), len(files), size)
        for path in files[::100]:
            path.write_text(path.read_text(encoding="utf-8") + "Officials said 1,000 people were displaced.\n",
                            encoding="utf-8")
        report(f"re-run, 1% changed ({len(files[::100])} files)", measure(inp, out), len(files), size)
        report("full refresh, 1 process", measure(inp, out, processes=1, full_refresh=True), len(files), size)
        if n <= RUNNER_SIZE:
            for runner in ("dask", "processes"):
                report(f"full refresh, --task-runner {runner} (2 workers)",
                       measure(inp, out, full_refresh=True, task_runner=runner), len(files), size)


def measure(inp: Path, out: Path, processes: int = 0, full_refresh: bool = False, task_runner: str = "threads") -> dict:
    """One flow run in a fresh process; peak RSS of its whole process tree sampled meanwhile."""
    args = [sys.executable, "-m", "bench.run", "--once", str(inp), str(out), "--processes", str(processes),
            "--task-runner", task_runner]
    started = time.perf_counter()
    child = subprocess.Popen(args + (["--full-refresh"] if full_refresh else []), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree_rss, args=(child, peak), daemon=True)
    sampler.start()
    stdout, _ = child.communicate()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"the flow failed (exit {child.returncode}); run it by hand to see why")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall=time.perf_counter() - started, tree_rss_mb=peak[0] / 2**20)
    return result


def report(label: str, r: dict, n: int, size: int, rows: bool = False) -> None:
    flow = r["summary"]["seconds"]
    print(f"{label}: process {r['wall']:.1f} s, flow {flow:.1f} s ({n / flow:,.0f} articles/s, "
          f"{size / MB / flow:.2f} MB/s); peak RSS {r['rss_mb']:.0f} MB flow process, "
          f"{r['tree_rss_mb']:.0f} MB with its children")
    print("  steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["summary"]["steps"].items()))
    if r["summary"].get("extract_stages"):
        print("  extract stages (seconds summed over processes): "
              + ", ".join(f"{k} {v:.2f}" for k, v in r["summary"]["extract_stages"].items()))
    print(f"  {r['summary']['extracted']:,} extracted, {r['summary']['reused']:,} unchanged")
    if rows:
        print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in r["summary"]["rows"].items()))


def run_once(inp: str, out: str, processes: int, full_refresh: bool, task_runner: str) -> None:
    import flows  # noqa: F401  (quiet, offline defaults)
    from flows.etl import newsfacts
    from flows.runners import make_task_runner

    flow = newsfacts
    if task_runner != "threads":      # as the CLI does: the runner's workers are the processes
        flow = newsfacts.with_options(task_runner=make_task_runner(task_runner, 2))
        processes = 1
    summary = dataclasses.asdict(flow(input_dir=inp, output_dir=out, processes=processes, full_refresh=full_refresh))
    summary.update(summary.pop("published"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"summary": summary, "rss_mb": rss}, default=str))


def _sample_tree_rss(child: subprocess.Popen, peak: list[int]) -> None:
    while child.poll() is None:
        peak[0] = max(peak[0], _tree_rss(child.pid))
        time.sleep(0.2)


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
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
    return sum(rss.get(pid, 0) for pid in tree)


if __name__ == "__main__":
    main()
