"""What a run did, as one value: logged as a few lines and shown as a Markdown artifact.

File names, reject details and the validation's sample values come from the input: every one
is shown through ``printable`` in the log and through ``markdown_text`` in the artifact.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

REJECTS_SHOWN = 20        # rejects listed in the log and the artifact; the rest are counted
FILES_SHOWN = 5           # files named in one validation failure line

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")    # every ASCII punctuation character


def printable(text: object) -> str:
    r"""``text`` on one line with control, format and line-break characters as escapes, so that a
    file name cannot forge log lines or hide itself with bidi overrides.

    >>> printable("a\nb\u202e.txt\x1b[31m")
    'a\\nb\\u202e.txt\\x1b[31m'
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def markdown_text(text: object) -> str:
    r"""``text`` as literal Markdown (a table cell or list item): every ASCII punctuation character
    backslash-escaped (no table break, link, image or HTML), control characters escaped.

    >>> markdown_text("a|b ![x](https://e.com/i.png) <img>")
    'a\\|b \\!\\[x\\]\\(https\\:\\/\\/e\\.com\\/i\\.png\\) \\<img\\>'
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", printable(text))


def capped(lines: list[str], shown: int = REJECTS_SHOWN) -> list[str]:
    """The first ``shown`` lines, then "... and N more"."""
    return lines[:shown] + ([f"... and {len(lines) - shown} more"] if len(lines) > shown else [])


def failure_lines(failures: Iterable) -> list[str]:
    """One log line per failed expectation (``Outcome``), naming the input files of its failing
    rows where the table has them."""
    lines = []
    for outcome in failures:
        files = [f for f in outcome.files if f is not None]
        named = f" (in {', '.join(capped(files, FILES_SHOWN))})" if files else ""
        lines.append(printable(f"  {outcome.describe()}{named}"))
    return lines


@dataclass(frozen=True, slots=True)
class Published:
    """What a run put in its output folder (or kept there, when nothing changed)."""

    extracted: int                  # articles read and extracted by this run
    rows: dict[str, int]            # rows per table
    validation: tuple[str, ...]     # the validation report's summary lines
    extract_stages: dict[str, float] = field(default_factory=dict)   # seconds per stage, all processes


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: str
    input_dir: str
    output_dir: str
    files_found: int
    reused: int                     # articles whose rows were kept from the last run
    rejected: int
    published: Published
    steps: dict[str, float]         # seconds per step, in order
    seconds: float
    data_docs: str
    rejects: tuple[dict, ...] = field(repr=False)
    notes: tuple[str, ...] = ()     # what the operator should know about this run (damaged last tables, ...)

    def log_lines(self) -> list[str]:
        """One line a run: files, articles, rejects, rows per table, seconds; then steps and validation."""
        out = self.published
        lines = [f"summary: {self.files_found} files found, {out.rows['articles']} articles, {self.rejected} rejected "
                 f"in {self.seconds} s ({out.extracted} extracted, {self.reused} unchanged since the last run); "
                 f"rows: {', '.join(f'{name} {n}' for name, n in out.rows.items())}",
                 "steps: " + ", ".join(f"{step} {seconds} s" for step, seconds in self.steps.items())]
        lines += [f"note: {note}" for note in self.notes]
        if out.extract_stages:
            lines.append("extract stages, seconds summed over processes: "
                         + ", ".join(f"{stage} {seconds}" for stage, seconds in out.extract_stages.items()))
        lines += [f"validation: {printable(line)}" for line in out.validation]
        lines.append(f"Data Docs: {printable(self.data_docs)}")
        return lines

    def rejects_warning(self) -> str | None:
        if not self.rejects:
            return None
        listed = capped([printable(f"{r['source_file']}: {r['reason']}: {r['detail']}") for r in self.rejects])
        return (f"{len(self.rejects)} input(s) rejected (see rejects.parquet):"
                + "".join(f"\n  {line}" for line in listed))

    def markdown(self) -> str:
        """The run summary as the Markdown artifact shown in the Prefect UI."""
        out = self.published
        lines = [f"# newsfacts run {markdown_text(self.run_id)}", "",
                 f"{self.files_found} files found in {markdown_text(self.input_dir)}, "
                 f"{out.rows['articles']} articles ({out.extracted} extracted, {self.reused} unchanged since the "
                 f"last run), {self.rejected} rejected, {self.seconds} s.", ""]
        lines += [f"Note: {markdown_text(note)}" for note in self.notes] + ([""] if self.notes else [])
        lines += ["| table | rows |", "| --- | ---: |"]
        lines += [f"| {name} | {n} |" for name, n in out.rows.items()]
        lines += ["", "## Validation", ""] + [f"- {markdown_text(line)}" for line in out.validation]
        if self.rejects:
            rows = [f"| {markdown_text(r['source_file'])} | {markdown_text(r['reason'])} "
                    f"| {markdown_text(r['detail'])} |" for r in self.rejects]
            shown = capped(rows)
            if len(rows) > REJECTS_SHOWN:
                shown[-1] = f"| {shown[-1]} (see rejects.parquet) | | |"
            lines += ["", "## Rejected inputs", "", "| file | reason | detail |", "| --- | --- | --- |", *shown]
        return "\n".join(lines)
