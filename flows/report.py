"""The run report: ``<output>/_report/index.html``, one self-contained page an analyst opens first.

Charts (figures per category per month, top countries by displacement, the biggest claims with
the spread of their values, reject reasons) are drawn with matplotlib into inline SVG, so the
page needs no network, no server and no other file. Every value on the page comes from the
published tables; text from the articles is HTML-escaped. The flow writes it into the run's
staging folder, so it is published with the tables it describes.
"""
from __future__ import annotations

import html
import io
import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

REPORT_FOLDER = "_report"
TOP = 12                 # bars in the country and claim charts
UNDATED = "undated"
FIGURE_COLUMNS = ["article_id", "category", "value", "country_code"]
NO_ARTICLES = pa.table({"article_id": pa.array([], pa.string()), "published_date": pa.array([], pa.date32())})


def write_report(report_dir: Path, read: Callable[[str, list[str]], Iterable[pa.Table]], run_name: str) -> Path:
    """Write ``report_dir/index.html`` from the tables ``read(table, columns)`` yields, a chunk at a time."""
    def whole(table: str, columns: list[str]) -> pd.DataFrame:
        frames = [chunk.to_pandas() for chunk in read(table, columns)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)

    articles = pa.concat_tables(list(read("articles", ["article_id", "published_date"])) or [NO_ARTICLES])
    per_month, largest, n_figures = figure_counts(read("figures", FIGURE_COLUMNS), articles)
    claims = whole("claims", ["claim_id", "category", "counted", "country_code", "value", "value_min", "value_max",
                              "n_articles", "n_sources"])
    rejects = whole("rejects", ["reason"])
    sections = [
        ("Figures per category per month", per_month_chart(per_month),
         "Month of the article's published date (metadata or dateline); figures of undated articles are "
         f"counted under '{UNDATED}'."),
        ("Top countries by displacement", countries_chart(largest),
         "The largest displacement figure reported for each country (figures.country_code)."),
        ("Biggest claims", claims_chart(claims),
         "One bar per claim (figures from any articles that report the same quantity): the line spans the "
         "values reported, the dot is the most reported value; n = articles."),
        ("Reject reasons", rejects_chart(rejects), "Input files that could not be processed, by reason."),
    ]
    page = _page(run_name, articles.num_rows, n_figures, len(claims), len(rejects), sections)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "index.html").write_text(page, encoding="utf-8")
    return report_dir / "index.html"


def figure_counts(chunks: Iterable[pa.Table], articles: pa.Table) -> tuple[pd.DataFrame, pd.Series, int]:
    """Figures per month (rows) and category (columns), the largest displacement figure per
    country, and the number of figures. DuckDB streams the figures' chunks through one join with
    the articles' months: a ×10 run's 1.26 M figures are never held whole, and no row becomes a
    Python object (pandas per chunk cost 0.6 s at ×1)."""
    import duckdb  # imported here, as in flows.query: only the report and the query layer need it

    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return pd.DataFrame(), pd.Series(dtype=float), 0
    figures = pa.RecordBatchReader.from_batches(first.schema, (batch for chunk in itertools.chain([first], chunks)
                                                               for batch in chunk.to_batches()))
    with duckdb.connect() as db:
        db.register("figures", figures)
        db.register("articles", articles)
        groups = db.sql(f"""
            SELECT coalesce(strftime(a.published_date, '%Y-%m'), '{UNDATED}') AS month,
                   f.category::VARCHAR AS category, f.country_code::VARCHAR AS country_code,
                   count(*) AS n, max(f.value) AS largest
            FROM figures AS f LEFT JOIN articles AS a USING (article_id)
            GROUP BY ALL""").df()
    counts = groups.pivot_table(index="month", columns="category", values="n", aggfunc="sum", fill_value=0)
    counts = counts.rename_axis(index="published_date").sort_index().sort_index(axis=1)
    displaced = groups[(groups["category"] == "displacement") & groups["country_code"].notna()]
    maxima = displaced.groupby("country_code")["largest"].max().dropna()
    return counts.astype(int), maxima, int(groups["n"].sum())


def per_month_chart(counts: pd.DataFrame) -> str | None:
    if counts.empty:
        return None
    return _svg(lambda ax: counts.plot.bar(stacked=True, ax=ax, width=0.8, rot=45, xlabel="", ylabel="figures"))


def countries_chart(largest: pd.Series) -> str | None:
    largest = largest.sort_values().tail(TOP)
    if largest.empty:
        return None
    return _svg(lambda ax: largest.plot.barh(ax=ax, xlabel="largest figure reported", ylabel=""))


def claims_chart(claims: pd.DataFrame) -> str | None:
    top = claims.dropna(subset=["value"]).sort_values(["n_articles", "value"], ascending=False).head(TOP)[::-1]
    if top.empty:
        return None
    labels = [f"{c.category}: {c.counted or ''} {c.country_code or ''} (n={c.n_articles})".replace("  ", " ")
              for c in top.itertuples()]

    def draw(ax):
        rows = range(len(top))
        ax.hlines(rows, top["value_min"], top["value_max"], linewidth=6, alpha=0.4)
        ax.plot(top["value"], rows, "o")
        ax.set_yticks(list(rows), labels)
        ax.set_xscale("log")
        ax.set_xlabel("value (log scale)")
    return _svg(draw)


def rejects_chart(rejects: pd.DataFrame) -> str | None:
    counts = rejects["reason"].astype(str).value_counts().sort_values()
    if counts.empty:
        return None
    return _svg(lambda ax: counts.plot.barh(ax=ax, xlabel="files", ylabel=""))


def _svg(draw: Callable) -> str:
    """One chart as inline SVG (matplotlib's non-interactive backend; text stays text)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none", "font.size": 9}):
        fig, ax = plt.subplots(figsize=(9, 4.2))
        try:
            draw(ax)
            fig.tight_layout()
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg")
        finally:
            plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _page(run_name: str, n_articles: int, n_figures: int, n_claims: int, n_rejects: int,
          sections: list[tuple[str, str | None, str]]) -> str:
    body = "".join(
        f"<section><h2>{html.escape(title)}</h2><p class='note'>{html.escape(note)}</p>"
        f"{chart or '<p><em>Nothing to show in this run.</em></p>'}</section>"
        for title, chart, note in sections)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsfacts run {html.escape(run_name)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}}
.tiles{{display:flex;gap:1rem}}.tile{{background:#f2f4f7;padding:.8rem 1.2rem;border-radius:6px}}
.tile b{{display:block;font-size:1.6rem}}.note{{color:#555}}svg{{max-width:100%;height:auto}}</style></head>
<body><h1>newsfacts run {html.escape(run_name)}</h1><p class="note">Made {made} from the published tables.</p>
<div class="tiles"><div class="tile"><b>{n_articles}</b>articles</div><div class="tile"><b>{n_figures}</b>figures</div>
<div class="tile"><b>{n_claims}</b>claims</div><div class="tile"><b>{n_rejects}</b>rejected files</div></div>
{body}</body></html>
"""
