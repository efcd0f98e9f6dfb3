"""What a run must extract, and what it can take over from the last run (incremental runs).

The last run's ``articles`` and ``rejects`` tables are the manifest: a file whose path and
SHA-256 are unchanged, extracted by the same pipeline version (code and rules), keeps its
rows; so does a file rejected for its content (empty, binary, ...). A file with the same
bytes as an earlier file is a duplicate without being read again. A file whose bytes are
unchanged and whose text repeated a file that is kept unchanged stays a repeat without being
extracted again (assembly decides the duplicates again, knowing its text is that file's).
Everything else is extracted; files that are gone simply have no rows any more.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from flows.storage import EMPTY_SHA256, InputFile
from transforms.records import Reject
from transforms.tables import python_values, repeated_file

CONTENT_REASONS = frozenset({"empty", "binary", "undecodable"})
"""Reject reasons the bytes alone decide: they hold while the bytes and the rules do. Not
``timed_out`` or ``failed``: a larger budget or a passing hiccup may let a later run through."""

SHRINK_LIMIT = 0.5
"""A run that would publish fewer than this share of the last run's articles (or none) stops
unless ``--allow-shrink``: an unmounted share or a wrong ``--input`` must not empty the output."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """The last published run, as far as a new run can reuse it."""

    articles: dict[str, str] = field(default_factory=dict)      # source_file -> sha256
    rejects: dict[str, Reject] = field(default_factory=dict)     # source_file -> its reject
    pipeline_version: str | None = None
    published_articles: int = 0       # rows of the last run's articles table
    complete: bool = False            # every table of the last run is there and readable

    @classmethod
    def from_tables(cls, articles: pa.Table, rejects: pa.Table) -> Manifest:
        """The manifest of a last run whose tables are all readable."""
        versions = set(python_values(articles["pipeline_version"]))
        if len(versions) > 1:
            return cls(published_articles=articles.num_rows, complete=True)
        return cls(dict(zip(articles["source_file"].to_pylist(), articles["sha256"].to_pylist())),
                   {row["source_file"]: Reject(**row) for row in rejects.to_pylist()},
                   versions.pop() if versions else None, articles.num_rows, complete=True)


@dataclass(frozen=True, slots=True)
class Plan:
    extract: list[InputFile]          # to read and extract
    reused: frozenset[str]            # source files whose article rows are copied from the last run
    rejects: list[Reject]             # decided from the manifest and the hashes

    def changes_nothing(self, manifest: Manifest, listing_rejects: list[Reject]) -> bool:
        """True when the run would publish exactly the last run's tables (and they are all there)."""
        now = {(r.source_file, r.reason, r.detail) for r in self.rejects + listing_rejects}
        before = {(r.source_file, r.reason, r.detail) for r in manifest.rejects.values()}
        return manifest.complete and not self.extract and now == before and self.reused == manifest.articles.keys()


def plan_run(inputs: list[InputFile], manifest: Manifest, pipeline_version: str, full_refresh: bool) -> Plan:
    """Split hashed inputs (sorted by path) into work, reuse and duplicates.

    >>> a, b = InputFile("a.txt", "in/a.txt", "h1"), InputFile("b.txt", "in/b.txt", "h1")
    >>> plan = plan_run([a, b], Manifest(), "v1", full_refresh=False)
    >>> [i.source_file for i in plan.extract], [(r.source_file, r.reason) for r in plan.rejects]
    (['a.txt'], [('b.txt', 'duplicate')])
    >>> plan_run([a], Manifest({"a.txt": "h1"}, {}, "v1"), "v1", False).reused
    frozenset({'a.txt'})
    >>> c = InputFile("c.txt", "in/c.txt", "h2")
    >>> repeat = Reject("c.txt", "duplicate", "same text as a.txt", None, "h2")
    >>> plan_run([a, c], Manifest({"a.txt": "h1"}, {"c.txt": repeat}, "v1"), "v1", False).rejects == [repeat]
    True
    >>> [i.source_file for i in plan_run([c], Manifest({}, {"c.txt": repeat}, "v1"), "v1", False).extract]
    ['c.txt']
    """
    usable = not full_refresh and manifest.pipeline_version in (pipeline_version, None)
    first_with: dict[str, str] = {}
    extract, reused, rejects, repeats = [], set(), [], []
    for item in inputs:
        if item.sha256 not in (None, EMPTY_SHA256) and item.sha256 in first_with:
            rejects.append(Reject(item.source_file, "duplicate", f"same bytes as {first_with[item.sha256]}",
                                  None, item.sha256))
            continue
        if item.sha256 is not None:
            first_with[item.sha256] = item.source_file
        old_reject = manifest.rejects.get(item.source_file)
        if usable and item.sha256 is not None and manifest.articles.get(item.source_file) == item.sha256:
            reused.add(item.source_file)
        elif usable and old_reject is not None and old_reject.sha256 == item.sha256 \
                and old_reject.reason in CONTENT_REASONS:
            rejects.append(old_reject)
        elif usable and old_reject is not None and old_reject.sha256 == item.sha256 and repeated_file(old_reject):
            repeats.append((item, old_reject))
        else:
            extract.append(item)
    for item, old_reject in repeats:      # the file repeated may come later in path order
        if repeated_file(old_reject) in reused:
            rejects.append(old_reject)
        else:
            extract.append(item)
    return Plan(extract, frozenset(reused), rejects)


def shrink_refusal(published: int, planned: int) -> str | None:
    """Why publishing ``planned`` articles in place of the last run's ``published`` needs
    ``--allow-shrink``, or None when it does not.

    >>> shrink_refusal(10, 5) is None
    True
    >>> print(shrink_refusal(10, 4))
    it would publish 4 articles in place of the last run's 10 (under 50%)
    >>> shrink_refusal(0, 0)
    'it would publish no articles'
    """
    if planned == 0:
        return "it would publish no articles"
    if planned < published * SHRINK_LIMIT:
        return f"it would publish {planned} articles in place of the last run's {published} (under {SHRINK_LIMIT:.0%})"
    return None
