"""Faults with real subprocesses: hostile inputs, a run killed while it writes, two runs at once."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, run_cli

from bench.hostile import remove_nesting, torture_problems, write_hostile
from flows import storage
from flows.reaper import carrying
from transforms.schemas import SCHEMAS


def etl(*args: str) -> subprocess.Popen:
    """The documented command in its own process group (so a kill reaches its pool workers)."""
    return subprocess.Popen([sys.executable, "-m", "flows", "run", *args], cwd=ROOT, env=os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_for(condition, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, process.communicate()[0][-3000:]
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def many_articles(folder: Path, copies: int) -> Path:
    """The seeds, each copied ``copies`` times with a distinct first line (so no duplicates)."""
    folder.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for k in range(copies):
            (folder / f"{seed.stem}-{k}.txt").write_text(f"Copy {k}.\n{text}", encoding="utf-8")
    return folder


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: storage.read_published(out, name).to_pandas() for name in SCHEMAS
            if storage.table_parts(out, name)}


def test_hostile_files_are_accounted_for_and_good_rows_unchanged(prefect_server, tmp_path):
    inp, clean_in = tmp_path / "in", tmp_path / "clean"
    shutil.copytree(ROOT / "seeds", inp)
    shutil.copytree(ROOT / "seeds", clean_in)
    expected = {f"hostile/{k}": v for k, v in write_hostile(inp / "hostile", 2_000_000, tmp_path).items()}
    try:
        result = run_cli("--input", str(inp), "--output", str(tmp_path / "out"), "--max-bytes", "2000000")
    finally:
        remove_nesting(inp / "hostile")    # pytest's clean-up of tmp_path recurses once per level
    assert result.returncode == 0, result.stderr[-3000:]
    assert run_cli("--input", str(clean_in), "--output", str(tmp_path / "clean-out")).returncode == 0
    good = sorted(p.name for p in clean_in.glob("*.txt"))
    assert torture_problems(tmp_path / "out", tmp_path / "clean-out", expected, good) == []
    assert f"{len(expected) + 5} files found" in result.stdout + result.stderr


def test_a_run_killed_while_writing_leaves_the_previous_output_whole(prefect_server, tmp_path):
    out = tmp_path / "out"
    assert run_cli("--input", "seeds", "--output", str(out)).returncode == 0
    before = tables(out)
    big = many_articles(tmp_path / "big", copies=8)
    victim = etl("--input", str(big), "--output", str(out), "--batch-size", "2")
    wait_for(lambda: any(out.glob(".staging-*/parts/*/*.parquet")), victim)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    after = tables(out)
    assert after.keys() == before.keys()
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    result = run_cli("--input", str(big), "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(tables(out)["articles"]) == 40
    assert not list(out.glob(".staging-*")) and not (out / ".swap-journal.json").exists()


def test_a_second_run_on_the_same_output_fails_clearly_and_does_not_mix(prefect_server, tmp_path):
    out = tmp_path / "out"
    big = many_articles(tmp_path / "big", copies=6)
    first = etl("--input", str(big), "--output", str(out), "--batch-size", "2")
    wait_for(lambda: (out / ".lock").exists() and (out / ".lock").read_text().startswith("process"), first)
    second = run_cli("--input", "seeds", "--output", str(out))
    assert second.returncode != 0
    assert "is in use by process" in second.stderr and "wait for it to finish" in second.stderr
    log, _ = first.communicate(timeout=300)
    assert first.returncode == 0, log[-3000:]
    assert sorted(tables(out)["articles"]["source_file"]) == sorted(p.name for p in big.glob("*.txt"))


def test_a_publish_killed_midway_is_finished_by_a_run_with_nothing_to_do(seeds_output, tmp_path):
    """Killed after the first move of a publish, then run again on the same input: the run
    finishes the swap before it decides that nothing changed, instead of keeping a mixed output."""
    fewer, newer, out = tmp_path / "fewer", tmp_path / "newer", tmp_path / "out"
    shutil.copytree(ROOT / "seeds", fewer)
    sorted(fewer.glob("*.txt"))[0].unlink()
    assert run_cli("--input", str(fewer), "--output", str(newer)).returncode == 0
    shutil.copytree(seeds_output[0], out, symlinks=True)
    staging = out / ".staging-killed"
    shutil.copytree(newer, staging, ignore=shutil.ignore_patterns(".*"))  # links followed; no lock, snapshots, digest
    entries = sorted(p.name for p in staging.iterdir())
    (staging / storage.STAGING_MARK).write_text("")
    snapshots = {name: f"{name}-1" for name in entries if any((staging / name).glob(storage.PART_GLOB))}
    (out / storage.JOURNAL).write_text(json.dumps({"staging": staging.name, "entries": entries,
                                                   "snapshots": snapshots}))
    os.replace(staging / "articles", out / storage.SNAPSHOTS / "articles-1")     # the moves before the kill
    (out / ".articles.link-1").symlink_to(f"{storage.SNAPSHOTS}/articles-1")
    os.replace(out / ".articles.link-1", out / "articles")
    result = run_cli("--input", str(fewer), "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nothing changed since the last run" in result.stdout + result.stderr
    assert not (out / storage.JOURNAL).exists() and not staging.exists()
    finished, expected = tables(out), tables(newer)
    assert finished.keys() == expected.keys()
    for name in expected:
        pd.testing.assert_frame_equal(finished[name], expected[name], obj=name)


def _carrying(mark: str) -> dict[int, bytes]:
    """Command lines of the processes whose environment holds ``NEWSFACTS_TEST_MARK=mark``."""
    found = {}
    for pid in carrying("NEWSFACTS_TEST_MARK", mark):
        try:
            found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:     # gone meanwhile
            continue
    return found


@pytest.mark.slow
def test_a_run_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    """Issue 15 item 17: the temporary Prefect server and the pool workers die with the run."""
    mark = uuid.uuid4().hex
    env = {**os.environ, "NEWSFACTS_TEST_MARK": mark}
    env.pop("PREFECT_API_URL", None)     # the run starts Prefect's temporary server itself
    run = subprocess.Popen([sys.executable, "-m", "flows", "run", "--input", "seeds", "--output",
                            str(tmp_path / "out")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not any(b"uvicorn" in cmdline for cmdline in _carrying(mark).values()):
            assert run.poll() is None and time.monotonic() < deadline, "no temporary server seen"
            time.sleep(0.2)
        run.kill()
        run.wait()
        deadline = time.monotonic() + 30
        while _carrying(mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _carrying(mark) == {}
    finally:
        for pid in _carrying(mark):
            os.kill(pid, signal.SIGKILL)
