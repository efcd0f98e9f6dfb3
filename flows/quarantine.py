"""Quarantine: an article whose rows break a row-level expectation becomes a reject, and the run
goes on without it, instead of one odd sentence stopping every article.

A critical failure of a rule that judges rows one by one (``Rule.judges_rows``: a value, a
pair, a null, a link) is pinned on the input files of its failing rows. When every critical
failure is such a failure and every failing row belongs to an extracted article, those articles
are quarantined: each gets a ``rejects`` row (reason ``failed_validation``, the expectation and
the offending value in its detail), the tables are assembled again without them (so entities
are resolved as if they had never been read) and validated again. Anything else (columns,
types, uniqueness across rows, a missing table, rows no article owns) stops publishing.
"""
from __future__ import annotations

from collections.abc import Mapping

from expectations.validate import Outcome, ValidationReport
from transforms.records import Reject

REASON = "failed_validation"
DETAIL_FAILURES = 3   # failures named in one reject's detail; the rest are counted


def failed_validation_rejects(report: ValidationReport, articles: Mapping[str, str]) -> list[Reject] | None:
    """The rejects that quarantine the articles behind ``report``'s critical failures, in file
    order; ``None`` when some failure is not pinned on articles (the run must stop).

    ``articles`` maps each extracted article's source_file to its sha256.
    """
    critical = report.critical_failures
    if not critical or not all(_pinned_on_articles(o, articles) for o in critical):
        return None
    failures: dict[str, list[str]] = {}
    for outcome in critical:
        for source_file, values in outcome.offending:     # the first failing row of each file
            failures.setdefault(source_file, []).append(f"{_rule(outcome)} -- offending {values}")
    return [Reject(source_file, REASON, _detail(failures[source_file]), None, articles[source_file])
            for source_file in sorted(failures)]


def _pinned_on_articles(outcome: Outcome, articles: Mapping[str, str]) -> bool:
    return (outcome.judges_rows and outcome.every_row_named
            and all(source_file in articles for source_file in outcome.files))


def _rule(outcome: Outcome) -> str:
    where = f" [{outcome.column}]" if outcome.column else ""
    return f"{outcome.suite}: {outcome.expectation}{where} ({outcome.protects})"


def _detail(failures: list[str]) -> str:
    """The first failures of one article, in suite order; how many more."""
    more = len(failures) - DETAIL_FAILURES
    return "; ".join(failures[:DETAIL_FAILURES]) + (f"; and {more} more" if more > 0 else "")
