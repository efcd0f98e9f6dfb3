"""What a run did, as one value: logged as a few lines and shown as a Markdown artifact.

File names, reject details and the validation's sample values come from the input: every one
is shown through ``printable`` in the log and through ``markdown_text`` in the artifact.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

REJECTS_SHOWN = 20        # rejects listed in the log and the artifact; the rest are counted
FILES_SHOWN = 5           # files named in one validation failure line (and in an artifact row)
IDS_SHOWN = 10            # row ids named in an artifact row of a failed expectation
SUMMARY_ARTIFACT = "newsfacts-run"

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
    failures: tuple = ()            # the failed expectations (``expectations.validate.Outcome``), warnings too


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
    run_name: str = ""              # the Prefect flow run's name ("brave-otter")
    failure: str | None = None      # why nothing was published (a critical validation failure), else None
    report: str = ""                # the run report page (flows.report)

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
        if not self.failure:
            lines.append(f"Report: {printable(self.report)}")
        return lines

    def rejects_lines(self) -> tuple[str | None, str | None]:
        """(an info line on the duplicates, a warning on the other rejects): a copy of a file is
        skipped by design, not an error."""
        duplicates = [r for r in self.rejects if r["reason"] == "duplicate"]
        others = [r for r in self.rejects if r["reason"] != "duplicate"]
        info = (f"{len(duplicates)} input(s) skipped as duplicates of another input (see the rejects table)"
                if duplicates else None)
        if not others:
            return info, None
        listed = capped([printable(f"{r['source_file']}: {r['reason']}: {r['detail']}") for r in others])
        return info, (f"{len(others)} input(s) rejected (see the rejects table):"
                      + "".join(f"\n  {line}" for line in listed))

    def failed_expectations_table(self) -> list[dict]:
        """One row per failed expectation, for a table artifact: severity, what broke, which rows."""
        return [{"table": o.suite, "severity": o.severity, "expectation": o.expectation, "column": o.column or "",
                 "rows failing": o.unexpected_count if o.unexpected_count is not None else "",
                 "row ids": ", ".join(capped(list(o.row_ids), IDS_SHOWN)),
                 "files": ", ".join(capped([f for f in o.files if f is not None], FILES_SHOWN)),
                 "protects": o.protects, "why": o.why or ""} for o in self.published.failures]

    def rejects_by_reason(self) -> list[dict]:
        """One row per reject reason, for a table artifact: how many files, the first few."""
        reasons: dict[str, list[str]] = {}
        for r in self.rejects:
            reasons.setdefault(r["reason"], []).append(r["source_file"])
        return [{"reason": reason, "files": len(files), "first files": ", ".join(capped(files, FILES_SHOWN))}
                for reason, files in sorted(reasons.items())]

    def markdown(self) -> str:
        """The run summary as the Markdown artifact shown in the Prefect UI."""
        out = self.published
        verdict = (f"**Failed:** {markdown_text(self.failure.splitlines()[0])}" if self.failure
                   else "**Published.**")
        lines = [f"# newsfacts run {markdown_text(self.run_name or self.run_id)}", "", verdict, "",
                 f"Data Docs: {markdown_text(self.data_docs)}", "",
                 *([] if self.failure else [f"Report: {markdown_text(self.report)}", ""]),
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
                shown[-1] = f"| {shown[-1]} (see the rejects table) | | |"
            lines += ["", "## Rejected inputs", "", "| file | reason | detail |", "| --- | --- | --- |", *shown]
        return "\n".join(lines)


def error_markdown(run_name: str, error: BaseException) -> str:
    """The summary artifact of a run an error stopped: its name and the error, in one line."""
    return (f"# newsfacts run {markdown_text(run_name)}\n\n**Stopped:** "
            f"{markdown_text(type(error).__name__)}: {markdown_text(str(error).splitlines()[0] if str(error) else '')}"
            "\n\nThe output folder keeps the last published tables.")
