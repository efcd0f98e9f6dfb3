"""Inputs and their metadata: JSON Lines files (one article a line), sidecars of text files,
and what the articles table says of each (flows/inputs.py, flows/storage.py, transforms/metadata.py).

Texts and metadata are invented for these tests."""
import gzip
import hashlib
import json
from datetime import date

import pytest
from conftest import run_cli

from flows import storage
from flows.batches import extract_raw_article
from flows.storage import InputFile, RawArticle
from transforms.records import Reject
from transforms.tables import ArticleResult

STORY = "OSLO, Feb 26 - The fund grew by 12 pct, the bank said. It now holds 400 mln crowns."


def line(**fields) -> bytes:
    return json.dumps(fields).encode()


def listed(folder, max_bytes=10_000) -> list[InputFile]:
    found, rejects = storage.discover_inputs(folder)
    assert rejects == []
    return storage.with_hashes(found, max_bytes)


def extracted(item: InputFile, max_bytes=10_000) -> ArticleResult | Reject:
    raw = storage.read_input(item, max_bytes)
    return raw if isinstance(raw, Reject) else extract_raw_article(raw)


def test_discovery_lists_text_and_json_lines_files_not_sidecars(tmp_path):
    for name in ("a.txt", "a.json", "b.jsonl", "c.jsonl.gz", "d.json", "e.csv"):
        (tmp_path / name).write_bytes(b"")
    found, _ = storage.discover_inputs(tmp_path)
    assert [f.source_file for f in found] == ["a.txt", "b.jsonl", "c.jsonl.gz"]


def test_a_json_lines_file_is_one_article_a_line_hashed_on_its_own(tmp_path):
    first, second = line(text="One."), line(text="Two.")
    (tmp_path / "feed.jsonl").write_bytes(first + b"\n\n  \n" + second + b"\r\n")
    items = listed(tmp_path)
    assert [(i.source_file, i.sha256) for i in items] == [
        ("feed.jsonl#L1", hashlib.sha256(first).hexdigest()), ("feed.jsonl#L4", hashlib.sha256(second).hexdigest())]
    assert storage.read_input(items[1], 10_000) == RawArticle("feed.jsonl#L4", second, items[1].sha256,
                                                              json_line=True)


def test_gzip_json_lines_and_a_byte_order_mark(tmp_path):
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(b"\xef\xbb\xbf" + line(text="One.") + b"\n"))
    (item,) = listed(tmp_path)
    assert (item.source_file, storage.read_input(item, 100).data) == ("feed.jsonl.gz#L1", line(text="One."))


def test_an_over_long_line_is_too_large_and_the_next_lines_go_on(tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(line(text="x" * 200) + b"\n" + line(text="Short.") + b"\n")
    long_line, short = listed(tmp_path, max_bytes=50)
    assert storage.read_input(long_line, 50) == Reject("feed.jsonl#L1", "too_large",
                                                       "212 bytes is over the limit of 50 (--max-bytes)", 212)
    assert storage.read_input(short, 50).data == line(text="Short.")


def test_a_broken_gzip_keeps_the_lines_before_and_rejects_the_file(tmp_path):
    body = b"".join(line(text=hashlib.sha256(bytes([n])).hexdigest()) + b"\n" for n in range(50))
    compressed = gzip.compress(body)
    (tmp_path / "feed.jsonl.gz").write_bytes(compressed[:len(compressed) // 2])
    items = listed(tmp_path)
    *lines, file = items
    assert [i.source_file for i in lines] == [f"feed.jsonl.gz#L{n}" for n in range(1, len(lines) + 1)]
    reject = storage.read_input(file, 10_000)
    assert (reject.source_file, reject.reason) == ("feed.jsonl.gz", "undecodable")
    assert reject.detail.startswith(f"not valid gzip data after line {len(lines)}: ")


@pytest.mark.parametrize(("record", "reason", "detail"), [
    (b'{"text": "One.",', "undecodable", "not JSON: Expecting property name enclosed in double quotes at character 16"),
    (b'["One."]', "undecodable", "the record is a JSON array, not an object"),
    (line(title="No text"), "empty", 'the record has no "text"'),
    (line(text="   "), "empty", 'the record\'s "text" is blank'),
    (line(text=["One."]), "undecodable", '"text" is a JSON array, not a string'),
    (line(text="One.", source=3), "undecodable", '"source" is a number, not a string'),
    (line(text="One.", id=True), "undecodable", '"id" is a boolean, not a string or an integer'),
    (line(text="One.", date="yesterday"), "undecodable",
     '"date" is not an ISO 8601 or RFC 2822 date: \'yesterday\''),
    (line(text="One.\x00Two."), "binary", "NUL byte at position 4: not a text file"),
    (b'{"text": "caf\xe9"}', "undecodable", "not valid utf-8: byte 0xe9 at position 13"),
], ids=["not JSON", "not an object", "no text", "blank text", "text not a string", "outlet not a string",
        "id a boolean", "unreadable date", "binary text", "not UTF-8"])
def test_a_bad_line_is_one_reject_with_a_clear_detail(tmp_path, record, reason, detail):
    (tmp_path / "feed.jsonl").write_bytes(line(text="Fine.") + b"\n" + record + b"\n")
    good, bad = listed(tmp_path)
    assert isinstance(extracted(good), ArticleResult)
    assert extracted(bad) == Reject("feed.jsonl#L2", reason, detail, len(record), bad.sha256)


def test_a_json_line_brings_its_metadata(tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(line(id=7, text=STORY, title="Fund grows", date="1987-02-25",
                                               url="https://example.org/fund", source="Wire") + b"\n")
    (item,) = listed(tmp_path)
    result = extracted(item)
    assert (result.published_date, result.date_source, result.url, result.outlet, result.dateline_place,
            result.extraction.title, result.encoding, result.n_chars) == (
        date(1987, 2, 25), "metadata", "https://example.org/fund", "Wire", "OSLO", "Fund grows", "utf-8", len(STORY))
    assert STORY[slice(*_span(result, "12 pct"))] == "12 pct"       # offsets are into the text field


def _span(result: ArticleResult, text: str) -> tuple[int, int]:
    (figure,) = [f for f in result.extraction.figures if f.text == text]
    return figure.start, figure.end


def test_the_first_present_name_of_a_field_wins(tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(line(text=STORY, published="1987-02-24T23:00:00-05:00", date="1987-02-26",
                                               outlet="Gazette", source="Wire") + b"\n")
    result = extracted(*listed(tmp_path))
    assert (result.published_date, result.outlet) == (date(1987, 2, 24), "Gazette")


def test_a_text_file_without_metadata_takes_the_date_of_its_dateline(tmp_path):
    (tmp_path / "a.txt").write_text("Monday, March 4, 2019\n\nA bridge opened in the town.\n")
    result = extracted(*listed(tmp_path))
    assert (result.published_date, result.date_source, result.dateline_place, result.extraction.title) == (
        date(2019, 3, 4), "dateline", None, None)


def test_a_wire_dateline_without_a_year_and_no_metadata_has_no_date(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    result = extracted(*listed(tmp_path))
    assert (result.published_date, result.date_source, result.dateline_place) == (None, None, "OSLO")


def test_a_sidecar_gives_a_text_file_its_metadata_and_joins_its_hash(tmp_path):
    text, sidecar = STORY.encode(), json.dumps({"published": "Wed, 25 Feb 1987 18:00:00 +0000", "outlet": "Wire",
                                                "url": "https://example.org/a", "title": "Fund grows"}).encode()
    (tmp_path / "a.txt").write_bytes(text)
    (tmp_path / "a.json").write_bytes(sidecar)
    (item,) = listed(tmp_path)
    assert item.sha256 == hashlib.sha256(text + b"\0" + sidecar).hexdigest()
    result = extracted(item)
    assert (result.sha256, result.published_date, result.date_source, result.url, result.outlet,
            result.extraction.title) == (item.sha256, date(1987, 2, 25), "metadata", "https://example.org/a", "Wire",
                                         "Fund grows")
    (tmp_path / "a.json").write_bytes(json.dumps({"outlet": "Gazette"}).encode())
    assert listed(tmp_path)[0].sha256 != item.sha256


def test_a_bad_sidecar_rejects_its_article_and_is_no_input_itself(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "a.json").write_text('{"published": 1987}')
    (item,) = listed(tmp_path)
    reject = extracted(item)
    assert (reject.source_file, reject.reason, reject.detail) == (
        "a.txt", "undecodable", 'its sidecar a.json: "published" is a number, not a string')


def test_a_sidecar_that_is_a_link_is_not_followed(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text(STORY)
    (tmp_path / "secret.json").write_text('{"title": "secret"}')
    (inp / "a.json").symlink_to(tmp_path / "secret.json")
    (item,) = listed(inp)
    assert extracted(item) == Reject("a.txt", "unreadable", "its sidecar a.json cannot be read: replaced by a link "
                                                            "after the run listed it (not followed)")


@pytest.mark.slow
def test_a_run_over_json_lines_accounts_for_every_line_and_reuses_unchanged_ones(prefect_server, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    lines = [line(text=STORY, date="1987-02-26", url="https://example.org/1"), b"not json",
             line(text="Monday, March 4, 2019\n\nA bridge opened in the town of Lund.")]
    (inp / "feed.jsonl.gz").write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    assert run_cli("--input", str(inp), "--output", str(out)).returncode == 0
    columns = ["source_file", "published_date", "date_source", "url", "dateline_place"]
    articles = storage.read_published(out, "articles").select(columns).sort_by("source_file").to_pylist()
    assert [tuple(row.values()) for row in articles] == [
        ("feed.jsonl.gz#L1", date(1987, 2, 26), "metadata", "https://example.org/1", "OSLO"),
        ("feed.jsonl.gz#L3", date(2019, 3, 4), "dateline", None, None)]
    rejects = storage.read_published(out, "rejects").to_pylist()
    assert [(r["source_file"], r["reason"]) for r in rejects] == [("feed.jsonl.gz#L2", "undecodable")]
    lines.append(line(text="BERGEN (Reuters) - Talks ended on Friday."))
    (inp / "feed.jsonl.gz").write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    result = run_cli("--input", str(inp), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "(1 extracted, 2 unchanged since the last run)" in result.stdout + result.stderr
    assert sorted(storage.read_published(out, "articles")["source_file"].to_pylist()) == [
        "feed.jsonl.gz#L1", "feed.jsonl.gz#L3", "feed.jsonl.gz#L4"]
