"""Turn per-article extractions into the output tables declared in ``transforms.schemas``.

Pure (no I/O). Tables are built in two steps so that a run can stream:

1. ``article_tables``: the rows of a batch of articles, each article on its own
   (mentions carry the name the article itself gives the entity; ``entity_id`` is empty).
2. ``Resolution``: once every article's mentions are known, cross-article entity
   resolution; ``Resolution.link`` then fills entity ids and canonical names into a batch's
   mentions, quotes, figures and figure_entities.
3. ``figure_claims``: once every article's figures are known, claim grouping
   (``transforms.claims``); ``link_claims`` fills the claim ids into a batch's figures, and
   ``claims_table`` is a GROUP BY over the figures' claim ids.

The flow streams batches through both steps (``flows.batches``, ``flows.assemble``); it is
the one path that builds tables, and the one the tests check.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

import pyarrow as pa
import pyarrow.compute as pc

from transforms.claims import VALUE_TOLERANCE, ClaimFigure, counted_class, group_claims, topic_id
from transforms.money import quantity_kind, value_usd
from transforms.places import figure_places
from transforms.records import Extraction, Mention, Reject
from transforms.resolve import Entity, NameUse, resolve_names
from transforms.schemas import ARTICLE_TABLES, RECORD_TABLES, SCHEMAS, grain_columns, id_prefix


def python_values(column: pa.ChunkedArray | pa.Array) -> list:
    """A column's values as Python objects; dictionary-encoded columns are decoded first
    (``to_pylist`` on them is 30 times slower)."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return column.to_pylist()


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    pipeline_version: str
    processed_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleResult:
    article_id: str
    source_file: str
    sha256: str
    encoding: str
    n_chars: int
    extraction: Extraction
    published_date: date | None = None
    date_source: str | None = None      # where published_date came from: metadata or dateline
    url: str | None = None
    outlet: str | None = None
    dateline_place: str | None = None


def article_id_for(text: str) -> str:
    """Deterministic id from content: the same text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_tables(results: Iterable[ArticleResult], run: RunInfo) -> dict[str, pa.Table]:
    """The per-article tables of a batch, before entity resolution (built column by column)."""
    columns: dict[str, dict[str, list]] = {name: {column: [] for column in SCHEMAS[name].names}
                                           for name in ARTICLE_TABLES}
    for result in sorted(results, key=lambda r: r.source_file):
        _add_article_columns(columns, result, run)
    return {name: pa.Table.from_pydict(table, schema=SCHEMAS[name]) for name, table in columns.items()}


def rejects_table(rejects: Iterable[Reject]) -> pa.Table:
    return pa.Table.from_pylist(sorted((asdict(r) for r in rejects), key=lambda r: r["source_file"]),
                                schema=SCHEMAS["rejects"])


SAME_TEXT = "same text as "
"""How a ``duplicates`` reject's detail begins, before the file whose text it repeats."""


def duplicates(articles: pa.Table) -> list[Reject]:
    """Files whose text equals an earlier file's (by path): the earlier one is kept."""
    first: dict[str, str] = {}
    rejects = []
    ids, files, hashes = (python_values(articles[c]) for c in ("article_id", "source_file", "sha256"))
    for article_id, source_file, sha256 in sorted(zip(ids, files, hashes), key=lambda r: r[1]):
        if article_id in first:
            rejects.append(Reject(source_file, "duplicate", f"{SAME_TEXT}{first[article_id]}", None, sha256))
        else:
            first[article_id] = source_file
    return rejects


def repeated_file(reject: Reject) -> str | None:
    """The file whose text a ``duplicates`` reject repeats; None for any other reject.

    >>> repeated_file(duplicates(pa.table({"article_id": ["x", "x"], "source_file": ["b", "a"],
    ...                                    "sha256": ["2", "1"]}))[0])
    'a'
    """
    if reject.reason != "duplicate" or not (reject.detail or "").startswith(SAME_TEXT):
        return None
    return reject.detail[len(SAME_TEXT):]


def without_files(table: pa.Table, source_files: set[str]) -> pa.Table:
    if not source_files or table.num_rows == 0:
        return table
    return table.filter(pc.invert(pc.is_in(table["source_file"], pa.array(sorted(source_files)))))


class Resolution:
    """Cross-article entity resolution, and the linking of a batch's rows to its entities.

    Built from the (article_id, type, canonical, text) of every mention: a few short strings
    per mention, so it stays small while the batches' full rows stream past.
    """

    KEY_COLUMNS = ("article_id", "type", "canonical", "text")

    def __init__(self, mention_keys: pa.Table):
        keys = pa.table([_decoded(mention_keys[c]) for c in self.KEY_COLUMNS], names=list(self.KEY_COLUMNS))
        self._keys = keys.select(["article_id", "type", "canonical"])     # what linking reads later
        pairs = keys.group_by(["type", "canonical", "article_id"], use_threads=False).aggregate(
            [("text", "count", pc.CountOptions(mode="all"))])
        counts = pairs.group_by(["type", "canonical"], use_threads=False).aggregate(
            [("article_id", "count"), ("text_count", "sum")])
        forms = keys.group_by(["type", "canonical"], use_threads=False).aggregate([("text", "distinct")])
        texts = dict(zip(zip(python_values(forms["type"]), python_values(forms["canonical"])),
                         python_values(forms["text_distinct"])))
        uses = {name: NameUse(articles, mentions, frozenset(texts[name])) for name, articles, mentions in zip(
            zip(python_values(counts["type"]), python_values(counts["canonical"])),
            python_values(counts["article_id_count"]), python_values(counts["text_count_sum"]))}
        self._entity = resolve_names(uses, _ArticlesOf(pairs))          # (type, name in article) -> entity
        self.entities = sorted(set(self._entity.values()), key=lambda e: (e.type, e.canonical, e.entity_id))

    def entities_table(self) -> pa.Table:
        """Built column by column: 0.2 s for 8,227 entities, where ``asdict`` per entity took 1.4 s."""
        schema = SCHEMAS["entities"]
        return pa.table({name: [getattr(e, name) for e in self.entities] for name in schema.names}, schema=schema)

    def names_table(self) -> pa.Table:
        """The entity each (type, name an article gives) resolved to, sorted: what a later
        resolution is compared with (``articles_relinked``)."""
        rows = sorted((key, entity) for key, entity in self._entity.items())
        return pa.table({"type": [k[0] for k, _ in rows], "name": [k[1] for k, _ in rows],
                         "entity_id": [e.entity_id for _, e in rows], "canonical": [e.canonical for _, e in rows]},
                        schema=RESOLVED_NAMES)

    def articles_relinked(self, earlier: pa.Table) -> set[str]:
        """The articles whose rows ``link`` would fill otherwise than the resolution that gave
        ``earlier`` (its ``names_table``): those holding a name now resolved to another entity id
        or canonical name. Articles the earlier resolution never saw are all in it. The names are
        joined with the mentions in Arrow: Python values of every mention took 0.3 GB at 1.5 M
        mentions in a full run, where every name is new.

        >>> keys = pa.table({"article_id": ["a", "b", "c"], "type": ["PERSON"] * 3, "text": ["x"] * 3,
        ...                  "canonical": ["Antony Blinken", "Anthony Blinken", "Antony Blinken"]})
        >>> a_and_c = Resolution(keys.filter(pa.array([True, False, True])))
        >>> sorted(Resolution(keys).articles_relinked(a_and_c.names_table()))   # b joins Antony
        ['b']
        >>> sorted(Resolution(keys.slice(1)).articles_relinked(Resolution(keys).names_table()))  # a 1:1 tie
        ['b', 'c']
        """
        before = dict(zip(zip(python_values(earlier["type"]), python_values(earlier["name"])),
                          zip(python_values(earlier["entity_id"]), python_values(earlier["canonical"]))))
        changed = [key for key, e in self._entity.items() if before.get(key) != (e.entity_id, e.canonical)]
        names = pa.table({"type": [t for t, _ in changed], "canonical": [c for _, c in changed]},
                         schema=_CHANGED_NAMES)
        found = self._keys.join(names, ["type", "canonical"], join_type="left semi", use_threads=False)
        return set(python_values(found["article_id"].unique()))

    def link(self, table_name: str, part: pa.Table) -> pa.Table:
        """Entity ids and canonical names for a batch's mentions, quotes or figures.

        Resolution may rename (``Anthony Blinken`` -> ``Antony Blinken``), so a quote's
        speaker and a figure's source are looked up through their article's mentions.
        """
        if table_name == "mentions":
            found = [self._entity[key] for key in zip(python_values(part["type"]), python_values(part["canonical"]))]
            return _set(part, entity_id=[e.entity_id for e in found], canonical=[e.canonical for e in found])
        if table_name == "quotes":
            speakers = self._lookup(part, "speaker")
            return _set(part, speaker=[e.canonical if e else s
                                       for e, s in zip(speakers, python_values(part["speaker"]))],
                        speaker_entity_id=[e.entity_id if e else None for e in speakers])
        if table_name == "figures":
            sources = self._lookup(part, "attribution")
            return _set(part, attribution=[e.canonical if e else a
                                           for e, a in zip(sources, python_values(part["attribution"]))],
                        attribution_entity_id=[e.entity_id if e else None for e in sources])
        if table_name == "figure_entities":
            found = [self._entity[key] for key in zip(python_values(part["type"]), python_values(part["canonical"]))]
            part = _set(part, entity_id=[e.entity_id for e in found], canonical=[e.canonical for e in found])
            return _first_of_each(part, ("figure_id", "entity_id", "role"))
        return part

    @functools.cached_property
    def _by_article(self) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
        """The mention keys sorted by article (a stable sort: an article's mentions keep their
        order), and where each article's are: article_id -> (start, end)."""
        by_article = self._keys.take(pc.sort_indices(self._keys["article_id"]))
        ids = by_article["article_id"].combine_chunks()
        if len(ids) == 0:
            return by_article, {}
        changes = pc.add(pc.indices_nonzero(pc.not_equal(ids[1:], ids[:-1])).cast(pa.int64()), 1)
        starts = pa.concat_arrays([pa.array([0], pa.int64()), changes])
        ends = pa.concat_arrays([changes, pa.array([len(ids)], pa.int64())])
        return by_article, dict(zip(python_values(ids.take(starts)), zip(python_values(starts), python_values(ends))))

    def _lookup(self, part: pa.Table, column: str) -> list[Entity | None]:
        named = self._named(part["article_id"])
        return [named.get((a, n)) for a, n in zip(python_values(part["article_id"]), python_values(part[column]))]

    def _named(self, articles: pa.ChunkedArray) -> dict[tuple[str, str], Entity]:
        """(article_id, name in article) -> the entity of the article's first mention of that name:
        what a quote's speaker or a figure's source links to. Only the ``articles`` of the part
        being linked: every article's at once took 0.3 GB at 1.5 M mentions. Their mentions are
        sliced out of the keys sorted by article, once: filtering every mention for each batch
        linked took 60 s of a ×10 full run."""
        by_article, runs = self._by_article
        found = [runs[article] for article in python_values(pa.chunked_array(articles).unique()) if article in runs]
        keys = pa.concat_tables([by_article.slice(0, 0), *(by_article.slice(a, b - a) for a, b in found)])
        named: dict[tuple[str, str], Entity] = {}
        for article_id, type_, canonical in zip(*(python_values(keys[c]) for c in ("article_id", "type", "canonical"))):
            named.setdefault((article_id, canonical), self._entity[(type_, canonical)])
        return named


CLAIM_KEYS = ("figure_id", "article_id", "category", "unit", "counted", "country_code", "value", "value_low",
              "value_high")
"""The columns of figures that claim grouping reads (``figure_claims``)."""


@dataclass(frozen=True, slots=True)
class Regroup:
    """The figures claim grouping must group again (``regrouped``), with the topic keys and
    segments of every figure it looked at, so that ``figure_claims`` does not compute them again."""

    marked: pa.Array
    topics: pa.Array
    segments: pa.Array
    joined: Mapping[str, str]       # the claim each new figure of a segment that keeps its claims joins


def figure_claims(figures: pa.Table, published: Mapping[str, date], regroup: Regroup | None = None
                  ) -> dict[str, str]:
    """figure_id -> claim_id of the figures of whole topics (``figures``: their ``CLAIM_KEYS``);
    ``published``: article_id -> publication date; ``regroup`` (``regrouped`` of the same
    ``figures``): only the figures it marks, whole segments of their topics, and the claims its new
    figures join (the others keep their claims).

    A claim never spans two segments (``transforms.claims``), so the figures are grouped a few
    whole segments at a time (about ``_CLAIMS_CHUNK`` figures): Python values of every figure at
    once took 0.8 GB at 1.26 M figures."""
    if regroup is None:
        topics = _topic_keys(figures)
        segments = value_segments(figures, topics)
    else:
        figures, topics, segments = (table.filter(regroup.marked)
                                     for table in (figures, regroup.topics, regroup.segments))
    order = pc.sort_indices(segments)          # stable: a segment's figures keep their order
    claims: dict[str, str] = {}
    for start, end in _segment_runs(segments):
        rows = figures.take(order[start:end])
        values = {c: python_values(rows[c]) for c in CLAIM_KEYS}
        keys = [ClaimFigure(topic, value, low, high, published.get(article), segment)
                for topic, value, low, high, article, segment in zip(
                    python_values(topics.take(order[start:end])),
                    *(values[c] for c in ("value", "value_low", "value_high", "article_id")),
                    python_values(segments.take(order[start:end])))]
        claims.update(zip(values["figure_id"], group_claims(keys)))
    return claims | dict(regroup.joined) if regroup is not None else claims


def value_segments(figures: pa.Table, topics: pa.Array) -> pa.Array:
    """The segment of each figure (``transforms.claims``; numbered in the order of their topics'
    keys ``topics`` and bounds): sorted by topic and bounds, a valued figure starts one when its
    lower bound disagrees with the smaller of its and the figure before's upper bounds; each
    vague magnitude (no value) of a topic is one."""
    low = pc.coalesce(figures["value_low"], figures["value"])
    high = pc.coalesce(figures["value_high"], figures["value"])
    keys = pa.table({"topic": topics, "vague": pc.is_null(figures["value"]), "low": low, "high": high})
    if keys.num_rows == 0:
        return pa.array([], pa.int64())
    order, now, before = _neighbours(keys)
    top = now["low"]
    bottom = pc.min_element_wise(before["high"], now["high"])
    agree = pc.less_equal(pc.subtract(top, bottom),
                          pc.multiply(pc.max_element_wise(pc.abs(top), pc.abs(bottom)), VALUE_TOLERANCE))
    vague = now["vague"]
    starts = pc.or_(pc.or_(pc.not_equal(now["topic"], before["topic"]), pc.not_equal(vague, before["vague"])),
                    pc.if_else(vague, pc.invert(pc.and_(_same(now["low"], before["low"]),
                                                        _same(now["high"], before["high"]))),
                               pc.invert(pc.fill_null(agree, False))))
    return _run_numbers(order, pc.fill_null(starts, True))


def regrouped(figures: pa.Table, kept: pa.Array, last: pa.Table, published: pa.Table) -> Regroup:
    """Which of ``figures`` (the figures of some topics now: their ``CLAIM_KEYS`` and ``claim_id``)
    claim grouping must group again: those of a segment that is not one of the last run's
    (``last``: the figures those topics had then), with the same figures or with new ones each
    the twin of one of its figures (``_twins``). ``kept``: whether a figure is a last run's
    figure, kept as it was, with its claim (not a new one); ``published``: the ``article_id`` and
    ``published_date`` of the figures' articles. A segment grouped alone gives the same claims
    (``transforms.claims``), so a segment of kept figures that the last run had keeps its claims."""
    topics = _topic_keys(figures)
    now = pa.table({"figure_id": figures["figure_id"], "kept": kept, "segment": value_segments(figures, topics)})
    then = pa.table({"figure_id": last["figure_id"], "then": value_segments(last, _topic_keys(last))})
    sizes = then.group_by("then", use_threads=False).aggregate([("figure_id", "count")]).rename_columns(
        ["then", "then_size"])
    found = (now.filter(kept).join(then, "figure_id", use_threads=False)
             .group_by("segment", use_threads=False).aggregate([("then", "min"), ("then", "max"),
                                                                ("figure_id", "count")]))
    every = now.group_by("segment", use_threads=False).aggregate([("figure_id", "count")]).rename_columns(
        ["segment", "size"])
    segments = (found.join(every, "segment", use_threads=False)
                .join(sizes, "then_min", "then", use_threads=False))
    whole = pc.and_(pc.equal(segments["then_min"], segments["then_max"]),       # one of the last run's, all kept
                    pc.equal(segments["figure_id_count"], segments["then_size"]))
    same = segments.filter(pc.and_(whole, pc.equal(segments["then_size"], segments["size"])))["segment"]
    grown = segments.filter(pc.and_(whole, pc.not_equal(segments["then_size"], segments["size"])))["segment"]
    twinned, joined = _twins(figures, now, grown, published)
    marked = pc.invert(pc.is_in(now["segment"], pa.chunked_array([*same.chunks, twinned], pa.int64())))
    return Regroup(marked, topics, now["segment"].combine_chunks(), joined)


def _twins(figures: pa.Table, now: pa.Table, grown: pa.ChunkedArray, published: pa.Table
           ) -> tuple[pa.Array, dict[str, str]]:
    """Of the ``grown`` segments (a last run's segment, all kept, with new figures), those whose new
    figures are each the *twin* of one of its kept figures, and the claim each of those new figures
    joins: its twin's.

    A twin has the same value, bounds (bit for bit) and publication date. Sorted by bounds, twins
    are next to each other and the first of them decides how they are grouped, so a twin only
    joins a value group, its date window and claim (same smallest bound, same first date), and
    leaves every other figure's where it was (``transforms.claims``). All but one thing: a dated
    twin makes its window larger, and the undated figures of a value group join its largest
    window; so a dated twin must join the window they joined (its claim has an undated figure),
    or its segment have none."""
    bounds = ("value", "value_low", "value_high")
    inside = pc.is_in(now["segment"], grown)
    rows = figures.select(["figure_id", "article_id", "claim_id", *bounds]).filter(inside)
    dates = published["published_date"].take(pc.index_in(rows["article_id"], published["article_id"]))
    kept = now["kept"].filter(inside)
    keys = pa.table({"segment": now["segment"].filter(inside),
                     **{c: rows[c].combine_chunks().view(pa.int64()) for c in bounds}, "day": dates})
    facts = pa.table({"twin": _runs(keys), "segment": keys["segment"], "kept": kept,
                      "dated_new": pc.and_(pc.invert(kept), pc.is_valid(dates)),
                      "undated": pc.and_(kept, pc.is_null(dates)),
                      "claim": pc.if_else(kept, rows["claim_id"], pa.scalar(None, pa.string())),
                      "figure_id": rows["figure_id"]})
    by_twin = facts.group_by("twin", use_threads=False).aggregate([("kept", "any"), ("claim", "min")])
    by_claim = facts.group_by("claim", use_threads=False).aggregate([("undated", "any")]).rename_columns(
        ["claim", "claim_undated"])
    by_segment = facts.group_by("segment", use_threads=False).aggregate([("undated", "any")]).rename_columns(
        ["segment", "segment_undated"])
    new = (facts.filter(pc.invert(kept)).join(by_twin, "twin", use_threads=False)
           .join(by_claim, "claim_min", "claim", use_threads=False).join(by_segment, "segment", use_threads=False))
    joins = pc.and_(new["kept_any"], pc.or_(pc.invert(new["dated_new"]),
                                            pc.or_(pc.invert(new["segment_undated"]),
                                                   pc.fill_null(new["claim_undated"], False))))
    apart = new.filter(pc.invert(joins))["segment"].unique()
    twinned = pc.filter(grown, pc.invert(pc.is_in(grown, apart))).combine_chunks()
    joined = new.filter(pc.is_in(new["segment"], twinned))
    return twinned, dict(zip(python_values(joined["figure_id"]), python_values(joined["claim_min"])))


def _runs(keys: pa.Table) -> pa.Array:
    """A number for each row of ``keys``, the same for rows with equal keys (nulls equal)."""
    if keys.num_rows == 0:
        return pa.array([], pa.int64())
    order, now, before = _neighbours(keys)
    return _run_numbers(order, functools.reduce(pc.or_, [pc.invert(_same(now[c], before[c]))
                                                         for c in keys.column_names]))


def _neighbours(keys: pa.Table) -> tuple[pa.Array, pa.Table, pa.Table]:
    """The order that sorts the (non-empty) ``keys`` by every column (nulls last), and its rows
    from the second on beside the rows before them: for comparing each row with its neighbour."""
    order = pc.sort_indices(keys, [(c, "ascending") for c in keys.column_names])
    rows = keys.take(order)
    return order, rows.slice(1), rows.slice(0, rows.num_rows - 1)


def _run_numbers(order: pa.Array, starts: pa.ChunkedArray) -> pa.Array:
    """Each row's run number, in the rows' own order: ``starts`` says which of the rows sorted by
    ``order``, from the second on, begins a run."""
    starts = pa.concat_arrays([pa.array([True]), starts.combine_chunks()])
    return pc.cumulative_sum(starts.cast(pa.int64())).take(pc.sort_indices(order))


def _topic_keys(figures: pa.Table) -> pa.Array:
    """Each figure's ``topic_key``, its counted noun's class looked up once per distinct noun."""
    counted = pc.dictionary_encode(_decoded(figures["counted"])).combine_chunks()
    classes = pa.array([counted_class(c) or "" for c in python_values(counted.dictionary)], pa.string())
    return pc.binary_join_element_wise(
        _decoded(figures["category"]), _decoded(figures["unit"]), pc.fill_null(classes.take(counted.indices), ""),
        pc.fill_null(_decoded(figures["country_code"]), ""), "|").combine_chunks()


def _same(a: pa.ChunkedArray, b: pa.ChunkedArray) -> pa.ChunkedArray:
    """Equal values, or both null."""
    return pc.or_(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))


def _segment_runs(segments: pa.Array) -> list[tuple[int, int]]:
    """(start, end) of each slice of the figures sorted by ``segments``: whole segments, about
    ``_CLAIMS_CHUNK`` figures each (a larger segment alone)."""
    counts = pc.value_counts(segments)
    sizes = dict(zip(python_values(counts.field("values")), python_values(counts.field("counts"))))
    runs, start, end = [], 0, 0
    for segment in sorted(sizes):
        end += sizes[segment]
        if end - start >= _CLAIMS_CHUNK:
            runs.append((start, end))
            start = end
    return runs + [(start, end)] if end > start else runs


def link_claims(part: pa.Table, claims: Mapping[str, str]) -> pa.Table:
    """A batch's figures with the claim ids of ``figure_claims``; a figure it does not name keeps its own."""
    return _set(part, claim_id=[claims.get(figure, claim) for figure, claim in
                                zip(python_values(part["figure_id"]), python_values(part["claim_id"]))])


CLAIM_INPUTS = ("claim_id", "topic_id", "category", "unit", "counted", "country_code", "value", "value_low",
                "value_high", "article_id", "attribution_entity_id")
"""The columns of figures that ``claims_table`` reads."""


def claims_table(figures: pa.Table | Iterable[pa.Table], published: Mapping[str, date] | None = None) -> pa.Table:
    """One row per claim of ``figures`` (its ``CLAIM_INPUTS``; a table, or its parts one after
    another); ``published``: article_id -> date. Read part by part, keeping per claim only its
    counts, bounds and sets: Python values of every figure at once took 1 GB at 1.2 M figures."""
    published = published or {}
    rows: dict[str, dict] = {}
    for part in [figures] if isinstance(figures, pa.Table) else figures:
        for piece in part.to_batches(max_chunksize=_CLAIMS_CHUNK):
            _add_claim_rows(rows, {c: python_values(piece[c]) for c in CLAIM_INPUTS}, published)
    return pa.Table.from_pylist([_claim_row(rows[claim]) for claim in sorted(rows)], schema=SCHEMAS["claims"])


_CLAIMS_CHUNK = 50_000


def _add_claim_rows(rows: dict[str, dict], values: dict[str, list], published: Mapping[str, date]) -> None:
    for i, claim in enumerate(values["claim_id"]):
        row = rows.get(claim)
        if row is None:
            row = rows[claim] = {"claim_id": claim, "topic_id": values["topic_id"][i],
                                 "category": values["category"][i], "unit": values["unit"][i],
                                 "counted": counted_class(values["counted"][i]),
                                 "country_code": values["country_code"][i], "n_figures": 0, "_values": Counter(),
                                 "_bounds": [], "_articles": set(), "_sources": set(), "_dates": []}
        row["n_figures"] += 1
        value, low, high = values["value"][i], values["value_low"][i], values["value_high"][i]
        if value is not None:
            row["_values"][value] += 1
        for bound in (low, value, high):
            if bound is not None:
                _widen(row["_bounds"], bound)
        row["_articles"].add(values["article_id"][i])
        if values["attribution_entity_id"][i] is not None:
            row["_sources"].add(values["attribution_entity_id"][i])
        day = published.get(values["article_id"][i])
        if day is not None:
            _widen(row["_dates"], day)


def _widen(span: list, value) -> None:
    """``span`` (empty, or [smallest, largest] so far) widened to ``value``; the first of equal
    values stays, as ``min`` and ``max`` keep it."""
    if not span:
        span += [value, value]
    elif value < span[0]:
        span[0] = value
    elif value > span[1]:
        span[1] = value


def _claim_row(row: dict) -> dict:
    counts, bounds, dates = row.pop("_values"), row.pop("_bounds"), row.pop("_dates")
    row["value"] = min(counts, key=lambda v: (-counts[v], v)) if counts else None
    row["value_min"], row["value_max"] = (bounds[0], bounds[1]) if bounds else (None, None)
    row["n_articles"] = len(row.pop("_articles"))
    row["sources"] = sorted(row.pop("_sources"))
    row["n_sources"] = len(row["sources"])
    row["first_published"], row["last_published"] = (dates[0], dates[1]) if dates else (None, None)
    return row


RESOLVED_NAMES = pa.schema([pa.field(name, pa.string(), nullable=False)
                            for name in ("type", "name", "entity_id", "canonical")])
"""What ``Resolution.names_table`` holds: not an output table, the state an incremental run reads."""


@dataclass(frozen=True, slots=True)
class _ArticlesOf:
    """How many articles mention any name of each cluster: from the distinct (type, canonical,
    article_id) ``pairs``, counted in one join."""

    pairs: pa.Table

    def __call__(self, clusters: list[list[tuple[str, str]]]) -> list[int]:
        members = pa.table({"type": [n[0] for names in clusters for n in names],
                            "canonical": [n[1] for names in clusters for n in names],
                            "cluster": [i for i, names in enumerate(clusters) for _ in names]},
                           schema=_CLUSTER_MEMBERS)
        counts = (self.pairs.join(members, ["type", "canonical"], join_type="inner", use_threads=False)
                  .group_by("cluster", use_threads=False).aggregate([("article_id", "count_distinct")]))
        found = dict(zip(python_values(counts["cluster"]), python_values(counts["article_id_count_distinct"])))
        return [found[i] for i in range(len(clusters))]


_CHANGED_NAMES = pa.schema([("type", pa.string()), ("canonical", pa.string())])
_CLUSTER_MEMBERS = pa.schema([("type", pa.string()), ("canonical", pa.string()), ("cluster", pa.int64())])


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def _first_of_each(part: pa.Table, key: tuple[str, ...]) -> pa.Table:
    """The rows of ``part`` whose ``key`` no earlier row has (two names of an article may be one entity)."""
    seen: set[tuple] = set()
    keep = []
    for row_key in zip(*(python_values(part[c]) for c in key)):
        keep.append(row_key not in seen)
        seen.add(row_key)
    return part if all(keep) else part.filter(pa.array(keep))


def _set(part: pa.Table, **columns: list) -> pa.Table:
    for name, values in columns.items():
        index = part.schema.get_field_index(name)
        part = part.set_column(index, part.schema.field(index), pa.array(values, part.schema.field(name).type))
    return part


_RECORD_IDS = {table: (grain_columns(table)[0], id_prefix(table)) for table in RECORD_TABLES}
_FIELD_OF = {"start_char": "start", "end_char": "end"}
"""Columns named otherwise than the record field they hold (``end`` is reserved in SQL)."""
_UNLINKED = {"entity_id": "", "claim_id": ""}   # filled by Resolution.link and link_claims; others stay null


def _add_article_columns(columns: dict[str, dict[str, list]], result: ArticleResult, run: RunInfo) -> None:
    extraction = result.extraction
    article = {"article_id": result.article_id, "source_file": result.source_file, "sha256": result.sha256,
               "encoding": result.encoding, "title": extraction.title, "n_chars": result.n_chars,
               "n_sentences": len(extraction.sentences), "published_date": result.published_date,
               "date_source": result.date_source, "url": result.url, "outlet": result.outlet,
               "dateline_place": result.dateline_place, "run_id": run.run_id,
               "pipeline_version": run.pipeline_version, "processed_at": run.processed_at}
    for column, values in columns["articles"].items():
        values.append(article[column])
    key = {"article_id": result.article_id, "source_file": result.source_file}
    sentences = extraction.sentences
    _add_records(columns["sentences"], sentences, key, {"sentence_id": range(len(sentences))})
    starts = [s.start for s in sentences]
    for table, (id_column, prefix) in _RECORD_IDS.items():
        records = getattr(extraction, table)
        ids = [f"{result.article_id}-{prefix}{index}" for index in range(len(records))]
        computed = {id_column: ids, "sentence_id": [_sentence_of(starts, record.start) for record in records]}
        if table == "figures":
            computed |= _add_figure_places(columns["figure_entities"], result, ids, key)
        _add_records(columns[table], records, key, computed)


def _add_figure_places(links: dict[str, list], result: ArticleResult, ids: list[str],
                       key: dict[str, str]) -> dict[str, list]:
    """The figures' computed columns (kind, dollars, place, claim), and their rows of figure_entities."""
    extraction = result.extraction
    figures, mentions = extraction.figures, extraction.mentions
    places = figure_places(extraction.sentences, figures, mentions, result.dateline_place)
    first_named: dict[str, Mention] = {}
    for mention in mentions:
        first_named.setdefault(mention.canonical, mention)
    for figure_id, figure, place in zip(ids, figures, places):
        named = [("place", mentions[place.mention])] if place.mention is not None else []
        source = first_named.get(figure.attribution) if figure.attribution else None
        named += [("source", source)] if source is not None else []
        taken = {(m.type, m.canonical) for _, m in named}
        named += [("subject", mentions[i]) for i in place.subjects
                  if (mentions[i].type, mentions[i].canonical) not in taken]
        row = {**key, "figure_id": figure_id, "entity_id": ""}
        for role, mention in named:
            row |= {"role": role, "type": mention.type, "canonical": mention.canonical}
            for column, values in links.items():
                values.append(row[column])
    return {"quantity_kind": [quantity_kind(f.unit) for f in figures],
            "value_usd": [value_usd(f.value, f.unit, result.published_date) for f in figures],
            "country_code": [p.country_code for p in places], "place_source": [p.source for p in places],
            "topic_id": [topic_id(f.category, f.unit, f.counted, p.country_code) for f, p in zip(figures, places)]}


def _add_records(columns: dict[str, list], records: list, key: dict[str, str], computed: dict) -> None:
    """Append records' fields, the article's key and computed columns to a table's columns."""
    for column, values in columns.items():
        if column in computed:
            values.extend(computed[column])
        elif column in key:
            values.extend([key[column]] * len(records))
        elif records and hasattr(records[0], field := _FIELD_OF.get(column, column)):
            values.extend([getattr(record, field) for record in records])
        else:
            values.extend([_UNLINKED.get(column)] * len(records))


def _sentence_of(starts: list[int], offset: int) -> int:
    """Index of the sentence holding ``offset`` (the one before, when it falls between two)."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)
