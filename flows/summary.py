"""What a run did, as one value: logged as a few lines and shown as a Markdown artifact."""
from __future__ import annotations

from dataclasses import dataclass, field


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
        lines += [f"validation: {line}" for line in out.validation]
        lines.append(f"Data Docs: {self.data_docs}")
        return lines

    def rejects_warning(self, shown: int = 20) -> str | None:
        if not self.rejects:
            return None
        listed = "".join(f"\n  {r['source_file']}: {r['reason']}: {r['detail']}" for r in self.rejects[:shown])
        more = f"\n  ... and {len(self.rejects) - shown} more" if len(self.rejects) > shown else ""
        return f"{len(self.rejects)} input(s) rejected (see rejects.parquet):{listed}{more}"

    def markdown(self) -> str:
        """The run summary as the Markdown artifact shown in the Prefect UI."""
        out = self.published
        lines = [f"# newsfacts run {self.run_id}", "",
                 f"{self.files_found} files found in `{self.input_dir}`, {out.rows['articles']} articles "
                 f"({out.extracted} extracted, {self.reused} unchanged since the last run), {self.rejected} rejected, "
                 f"{self.seconds} s.", ""]
        lines += [f"Note: {note}" for note in self.notes] + ([""] if self.notes else [])
        lines += ["| table | rows |", "| --- | ---: |"]
        lines += [f"| {name} | {n} |" for name, n in out.rows.items()]
        lines += ["", "## Validation", ""] + [f"- {line}" for line in out.validation]
        if self.rejects:
            lines += ["", "## Rejected inputs", "", "| file | reason | detail |", "| --- | --- | --- |"]
            lines += [f"| {r['source_file']} | {r['reason']} | {r['detail']} |" for r in self.rejects]
        return "\n".join(lines)
