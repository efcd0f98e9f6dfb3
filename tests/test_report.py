"""The run report page (issue 17 item 5): self-contained, charts drawn from the tables."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from expectations.offline_docs import remote_assets
from flows import storage
from flows.report import REPORT_FOLDER, figure_counts, write_report

TABLES = {
    "articles": pd.DataFrame({"article_id": ["a1", "a2", "a3"],
                              "published_date": [date(2024, 3, 2), date(2024, 4, 9), None]}),
    "figures": pd.DataFrame({"article_id": ["a1", "a1", "a2", "a3"],
                             "category": ["displacement", "funding", "displacement", "displacement"],
                             "value": [362000.0, 3.6e8, 580000.0, 12000.0],
                             "counted": ["person", None, "person", "person"],
                             "country_code": ["HTI", None, "HTI", "KEN"]}),
    "claims": pd.DataFrame({"claim_id": ["c1", "c2"], "category": ["displacement", "funding"],
                            "counted": ["person", None], "country_code": ["HTI", None],
                            "value": [362000.0, 3.6e8], "value_min": [360000.0, 3.6e8],
                            "value_max": [362000.0, 3.6e8], "n_articles": [2, 1], "n_sources": [1, 0]}),
    "rejects": pd.DataFrame({"reason": ["empty", "duplicate", "empty"]}),
}


def read(table: str, columns: list[str]) -> list[pa.Table]:
    """A table in chunks of two rows, as the flow reads row groups (figures' labels dictionary-encoded, as stored)."""
    rows = pa.Table.from_pandas(TABLES[table][columns], preserve_index=False)
    if table == "figures":
        rows = rows.set_column(1, "category", rows["category"].dictionary_encode())
    return [rows.slice(start, 2) for start in range(0, rows.num_rows, 2)]


def test_the_report_is_one_offline_page_with_a_chart_per_section(tmp_path):
    page = write_report(tmp_path / REPORT_FOLDER, read, "<b>brave-otter</b>")
    assert page == tmp_path / REPORT_FOLDER / "index.html"
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 4
    assert remote_assets(text) == []
    assert "newsfacts run &lt;b&gt;brave-otter&lt;/b&gt;" in text and "<b>brave-otter" not in text
    tiles = [int(n) for n in pd.Series(text.split('<div class="tile"><b>')[1:]).str.split("<").str[0]]
    assert tiles == [3, 4, 2, 3]          # articles, figures, claims, rejected files


def test_the_charts_name_months_countries_claims_and_reasons(tmp_path):
    text = write_report(tmp_path / REPORT_FOLDER, read, "run").read_text(encoding="utf-8")
    for label in ("2024-03", "2024-04", "undated", "HTI", "KEN", "displacement: person HTI (n=2)", "empty",
                  "duplicate"):
        assert f">{label}<" in text, label


def test_figure_counts_add_up_over_chunks_that_name_different_categories():
    counts, largest, n_figures = figure_counts(read("figures", ["article_id", "category", "value", "country_code"]),
                                               TABLES["articles"])
    assert counts.to_dict() == {"displacement": {"2024-03": 1, "2024-04": 1, "undated": 1},
                                "funding": {"2024-03": 1, "2024-04": 0, "undated": 0}}
    assert largest.to_dict() == {"HTI": 580000.0, "KEN": 12000.0}
    assert n_figures == 4


def test_an_empty_output_gets_a_page_that_says_so(tmp_path):
    def empty(table: str, columns: list[str]) -> list[pa.Table]:
        return []

    text = write_report(tmp_path / REPORT_FOLDER, empty, "run").read_text(encoding="utf-8")
    assert "<svg" not in text and text.count("Nothing to show in this run.") == 4


@pytest.mark.slow
def test_a_run_publishes_its_report_beside_the_tables(seeds_output):
    text = (seeds_output[0] / REPORT_FOLDER / "index.html").read_text(encoding="utf-8")
    rows = storage.published_rows(seeds_output[0])
    assert f'<div class="tile"><b>{rows["figures"]}</b>figures' in text and rows["figures"] == 41
    assert text.count("<svg") == 3          # the seeds have no rejects: that section says so
    log = seeds_output[1].stdout + seeds_output[1].stderr
    assert f"Report: {seeds_output[0] / REPORT_FOLDER / 'index.html'}" in log
