"""The flow end to end, through the documented command, against a real Prefect server."""
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, run_cli

from flows import storage
from transforms.schemas import SCHEMAS

LINEAGE = ["run_id", "pipeline_version", "processed_at", "validated_at"]
OFFSET_TABLES = ("sentences", "figures", "mentions", "quotes")


def read(out: Path, name: str) -> pd.DataFrame:
    return storage.read_published(out, name).to_pandas()


def test_seeds_run_writes_one_article_per_seed(seeds_output):
    out, result = seeds_output
    articles = read(out, "articles")
    assert sorted(articles["source_file"]) == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert articles["title"].notna().sum() == 2
    assert "summary: 5 files found, 5 articles, 0 rejected" in result.stderr + result.stdout
    assert len(read(out, "rejects")) == 0


def test_every_offset_row_points_at_its_text(seeds_output):
    out, _ = seeds_output
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    for name in OFFSET_TABLES:
        table = read(out, name)
        bad = [r for r in table.itertuples() if texts[r.source_file][r.start_char:r.end_char] != r.text]
        assert not bad, (name, bad[:3])
    sentences = read(out, "sentences")
    n_sentences = read(out, "articles").set_index("article_id")["n_sentences"]
    assert sentences.groupby("article_id").size().to_dict() == n_sentences.to_dict()


def test_rerun_gives_identical_tables_apart_from_lineage(seeds_output, tmp_path):
    first, _ = seeds_output
    assert run_cli("--input", "seeds", "--output", str(tmp_path)).returncode == 0
    for name in SCHEMAS:
        a, b = read(first, name), read(tmp_path, name)
        pd.testing.assert_frame_equal(a.drop(columns=LINEAGE, errors="ignore"),
                                      b.drop(columns=LINEAGE, errors="ignore"))
    assert (read(first, "articles")["run_id"] != read(tmp_path, "articles")["run_id"]).all()


def test_bad_files_are_rejected_with_reasons_and_the_run_goes_on(prefect_server, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    (inp / "nested").mkdir(parents=True)
    (inp / "good.txt").write_text("Kenya will send 1,000 officers to Haiti.", encoding="utf-8")
    (inp / "empty.txt").write_bytes(b"")
    (inp / "nested" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (inp / "windows.txt").write_bytes("Le “café” coûte 5 €.".encode("cp1252"))
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr
    articles = read(out, "articles").set_index("source_file")
    assert articles["encoding"].astype(str).to_dict() == {"good.txt": "utf-8", "windows.txt": "cp1252"}
    rejects = read(out, "rejects")
    assert rejects[["source_file", "reason"]].astype(str).values.tolist() == [
        ["empty.txt", "empty"], ["nested/image.txt", "binary"]]
    assert "2 input(s) rejected" in result.stderr + result.stdout


def test_missing_input_folder_exits_non_zero_with_a_message(prefect_server, tmp_path):
    result = run_cli("--input", str(tmp_path / "absent"), "--output", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "does not exist or is not a folder" in result.stderr


@pytest.mark.parametrize("runner", ["dask", "processes"])
def test_other_task_runners_give_identical_tables(seeds_output, tmp_path, runner):
    first, _ = seeds_output
    result = run_cli("--input", "seeds", "--output", str(tmp_path), "--task-runner", runner,
                     "--workers", "2", "--batch-size", "2")
    assert result.returncode == 0, result.stderr
    for name in SCHEMAS:
        a, b = read(first, name), read(tmp_path, name)
        pd.testing.assert_frame_equal(a.drop(columns=LINEAGE, errors="ignore"),
                                      b.drop(columns=LINEAGE, errors="ignore"))
