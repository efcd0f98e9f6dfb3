"""Assemble this run's tables as datasets of parts: the last run's parts that still hold, the
parts of this run's batches, and parts written again where articles changed or left.

A *unit* is a group of articles whose rows sit in one part of each article table, under one
part name (``part-<generation>-<unit>.parquet``; a table where the unit has no rows has no
part). A unit of the last run whose articles are all kept is carried: its parts are
hard-linked, and written again only when an entity id or canonical name its rows link to
changes. A unit that lost articles (changed, deleted, now a duplicate, quarantined) is written
again with the rest; each batch of this run is a new unit; when units pile up past
``MAX_UNITS``, the smaller ones are merged into units of at most a ``MAX_UNITS // 2``-th of
the articles (compaction), so that a change never rewrites a large share of a table.

Entity resolution runs over every kept mention, reading only its key columns and counting each
name's uses in Arrow: it merges across articles and a bare surname joins a person only when
exactly one is known, so it cannot be updated by adding the new mentions alone. Linking overwrites
a mention's canonical, a quote's speaker, a figure's attribution and a figure entity's canonical
with resolved names, so the names each article gives are kept beside the tables, in state datasets
(``_names_<table>``: the overwritten columns, row for row with the table's part of the same name;
for figure_entities, whose linking drops a row naming an entity its figure already has in that
role, every column of the rows before linking), and ``_resolution`` keeps what each name resolved
to: only the rows of an article one of whose names now resolves otherwise are linked again, in
their place (a carried unit without such an article is hard-linked, and so is a part of one whose
rows come out as stored; a unit written again takes its other rows as stored).

Claim grouping reads one segment of a topic's figures at a time (``transforms.claims``), so only
the segments whose figures this run changed are grouped again: those of the topics of the figures
it adds or drops (their figures' ``CLAIM_KEYS``, now and at the last run) that are not one of the
last run's, with the same figures or with new ones each the twin of one of its figures (same
value, bounds and date: it joins its twin's claim; ``transforms.tables.regrouped``); the other
figures keep their claim ids. A carried unit's figures part is written again when one of its figures now
belongs to another claim (a new figure lowered a claim's smallest value, made its first date
earlier, or joined two claims). ``claims`` is the last run's rows but those of the claims grouped
again or that lost a figure, and those with a figure of a relinked article, which are built again
from the assembled figures' ``CLAIM_INPUTS``.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from flows import storage
from transforms.records import Reject
from transforms.schemas import ARTICLE_TABLES, SCHEMAS
from transforms.tables import (
    CLAIM_INPUTS,
    CLAIM_KEYS,
    RESOLVED_NAMES,
    Resolution,
    claims_table,
    duplicates,
    figure_claims,
    link_claims,
    python_values,
    regrouped,
    rejects_table,
    repeated_file,
)

LINKED = {"mentions": ["canonical"], "quotes": ["speaker"], "figures": ["attribution"],
          "figure_entities": SCHEMAS["figure_entities"].names}
"""The columns of each table ``Resolution.link`` fills from an article's own names, kept as they
were before linking; all of them where linking may drop rows."""
NAMES = {table: f"_names_{table}" for table in LINKED}
RESOLUTION = "_resolution"
STATE = (*NAMES.values(), RESOLUTION)
"""Datasets published beside the tables for the next run (not output tables)."""
MAX_UNITS = 64
"""More units than this and the smallest are merged, down to half: parts stay few for readers."""
_GENERATION = re.compile(r"part-([0-9]+)-")
_KEYS = ["source_file", "article_id"]
_NO_FILES = pa.array([], pa.string())


@dataclass(frozen=True, slots=True)
class Piece:
    """The rows of one part: of the last run (``published``) or of a batch staged by this run."""

    part: str
    published: bool


@dataclass(frozen=True, slots=True)
class Unit:
    name: str                     # the part name it is written under
    pieces: tuple[Piece, ...]
    articles: frozenset[str]      # article ids of its kept rows
    carried: bool = False         # the last run's unit, all its articles kept


@dataclass(frozen=True, slots=True)
class Regrouping:
    """What claim grouping changed: the claim of each figure grouped again (a figure not in it keeps
    its own), the last run's claims to build again (None: every claim, no last run), and the
    articles with a kept figure that moved to another claim."""

    claims: dict[str, str]
    stale: pa.Array | None
    moved: frozenset[str]


@dataclass(frozen=True, slots=True)
class Assembly:
    """What a run assembles from: the last run's output, this run's staging, the files reused."""

    output_dir: Path
    staging: Path
    reused: frozenset[str]

    def assemble(self, rejects: list[Reject], lap: Callable[[str], None] = lambda step: None) -> dict[str, int]:
        """Write every table into ``staging`` as a dataset; returns rows per table. The staged batch
        parts stay (the flow drops them before publishing), so that quarantine can assemble again.

        ``lap("resolve")`` and ``lap("write")`` are called as those steps end (run timings)."""
        for name in (*ARTICLE_TABLES, "entities", "claims", "rejects", *STATE):
            shutil.rmtree(self.staging / name, ignore_errors=True)
        reader = _Reader(self, rejects)
        units = reader.units()
        resolution = Resolution(reader.mention_keys(units))
        topics = reader.changed_topics()
        regrouping = reader.regrouping(units, topics)
        earlier = storage.read_published(self.output_dir, RESOLUTION) if self.reused else None
        relinked = resolution.articles_relinked(earlier if earlier is not None else RESOLVED_NAMES.empty_table())
        lap("resolve")
        rows = {name: reader.write(name, units, resolution, relinked, regrouping) for name in ARTICLE_TABLES}
        ends = {"entities": resolution.entities_table(), "claims": None, "rejects": rejects_table(reader.rejects),
                RESOLUTION: resolution.names_table()}
        stale = regrouping.stale
        del resolution, regrouping      # the largest things assembly holds: freed before claims are built
        ends["claims"] = self._claims(stale, relinked)
        for name, table in ends.items():
            storage.write_part(table, self.staging / name, _part_name(reader.generation, 0))
            rows[name] = table.num_rows
        del rows[RESOLUTION]
        lap("write")
        return rows

    def _claims(self, stale: pa.Array | None, relinked: set[str]) -> pa.Table:
        """The claims of the staged figures, read only in the columns and rows they are built from: the last
        run's claims where none of their figures changed (none ``stale``: grouped again, or lost
        or gained a figure; none of a relinked article, whose source may have changed), the others
        built again; all of them, read part by part, when there is no last run."""
        last = storage.read_published(self.output_dir, "claims") if stale is not None else None
        if stale is None or last is None:
            return claims_table(storage.iter_published(self.staging, "figures", list(CLAIM_INPUTS)),
                                self._dates(None))
        relinked_figures = storage.read_published(self.staging, "figures", ["claim_id"], ds.field("article_id").isin(
            pa.array(sorted(relinked), pa.string())))
        again = pa.concat_arrays([stale, relinked_figures["claim_id"].combine_chunks()]).unique()
        built = storage.read_published(self.staging, "figures", list(CLAIM_INPUTS), ds.field("claim_id").isin(again))
        built = claims_table(built, self._dates(built["article_id"].unique()))
        kept = last.filter(pc.invert(pc.is_in(last["claim_id"], again)))
        return pa.concat_tables([kept.cast(SCHEMAS["claims"]), built]).sort_by("claim_id")

    def _dates(self, articles: pa.Array | None) -> dict[str, date]:
        """article_id -> publication date of the staged ``articles`` (None: every one)."""
        return _date_map(storage.read_published(self.staging, "articles", ["article_id", "published_date"]), articles)


class _Reader:
    """One assembly's reads of the last run's parts and this run's batches."""

    def __init__(self, assembly: Assembly, rejects: list[Reject]):
        self.assembly = assembly
        self.parts = {table: {p.name: p for p in storage.table_parts(assembly.output_dir, table)}
                      if assembly.reused else {} for table in (*ARTICLE_TABLES, *NAMES.values())}
        reused = pa.array(sorted(assembly.reused), pa.string())
        identity = ["article_id", "source_file", "sha256"]
        published = {name: _read(path, "articles", identity) for name, path in self.parts["articles"].items()}
        staged = {p.name: _read(p, "articles", identity) for p in storage.part_files(assembly.staging, "articles")}
        articles = _rows_of(published, reused)
        repeats = _repeats(rejects, list(articles.values()))
        self.rejects = [r for r in rejects if repeated_file(r) is None] + duplicates(
            pa.concat_tables([*articles.values(), *staged.values(), repeats]))
        self.dropped = pa.array(sorted({r.source_file for r in self.rejects}), pa.string())
        # the kept files of each published part: a part's rows are looked up among its own articles,
        # far cheaper than among every kept file (a set built again for each lookup)
        self.kept_files = {name: rows.filter(pc.invert(pc.is_in(rows["source_file"], self.dropped)))["source_file"]
                           for name, rows in articles.items()}
        self.published, self.staged = published, staged
        self.generation = 1 + max((int(m.group(1)) for m in map(_GENERATION.match, published) if m), default=0)

    def changed_topics(self) -> pa.Array | None:
        """The topics of the figures this run adds or drops: only their claims are grouped again
        (grouping reads one topic's figures at a time), the others keep their claim ids. None
        (every topic) when the run reuses no article."""
        if not self.assembly.reused:
            return None
        topics = [_read(path, "figures", ["topic_id"])["topic_id"]
                  for path in storage.part_files(self.assembly.staging, "figures")]
        for path in self.parts["figures"].values():
            rows = _read(path, "figures", ["source_file", "topic_id"])
            kept = pc.is_in(rows["source_file"], self._kept_files(path.name))
            topics.append(rows.filter(pc.invert(kept))["topic_id"])
        return pa.chunked_array([chunk for column in topics for chunk in column.chunks], pa.string()).unique()

    def units(self) -> list[Unit]:
        """Carried units, then units written again, then this run's batches; compacted."""
        carried, units = [], []
        for name, articles in self.published.items():
            kept = self._kept(articles, Piece(name, True))
            if kept.num_rows == articles.num_rows and kept.num_rows:
                carried.append(Unit(name, (Piece(name, True),), _ids(kept), carried=True))
            elif kept.num_rows:
                units.append(((Piece(name, True),), _ids(kept)))
        for name, articles in self.staged.items():
            kept = self._kept(articles, Piece(name, False))
            if kept.num_rows:
                units.append(((Piece(name, False),), _ids(kept)))
        if len(carried) + len(units) > MAX_UNITS:
            carried, units = _compacted(carried, units)
        return carried + [Unit(_part_name(self.generation, index), pieces, ids)
                          for index, (pieces, ids) in enumerate(units)]

    def _kept(self, table: pa.Table, piece: Piece) -> pa.Table:
        """The rows of ``table`` (a piece's part) whose articles this run keeps."""
        if piece.published:
            return _filtered(table, pc.is_in(table["source_file"], self._kept_files(piece.part)))
        if not len(self.dropped) or table.num_rows == 0:
            return table
        return _filtered(table, pc.invert(pc.is_in(table["source_file"], self.dropped)))

    def _kept_files(self, part: str) -> pa.ChunkedArray | pa.Array:
        """The kept files of a published part (a unit's rows in every table are its articles')."""
        return self.kept_files.get(part, _NO_FILES)

    def unlinked(self, table: str, piece: Piece, columns: list[str] | None = None) -> pa.Table:
        """A piece's kept rows with the names their articles give (as extracted, before linking)."""
        staged = self.assembly.staging / storage.PARTS / table / piece.part
        path = self.parts[table].get(piece.part) if piece.published else staged if staged.exists() else None
        if path is None:        # the unit has no rows in this table
            return _schema(table, columns).empty_table()
        if piece.published and table in LINKED:
            rows = self._before_linking(table, piece.part, path, columns)
        else:
            rows = _read(path, table, columns)
        return self._kept(rows, piece)

    def _before_linking(self, table: str, part: str, path: Path, columns: list[str] | None) -> pa.Table:
        """A published part of a linked table with the columns linking filled as they were before."""
        names_path = self.parts[NAMES[table]][part]
        if LINKED[table] == SCHEMAS[table].names:       # kept whole
            return _read(names_path, table, columns)
        rows = _read(path, table, columns)
        linked = [column for column in LINKED[table] if column in rows.column_names]
        return _with_columns(rows, pq.read_table(names_path, columns=linked), linked) if linked else rows

    def kept_rows(self, table: str, units: list[Unit], columns: list[str]) -> pa.Table:
        """``columns`` of every kept row of ``table`` (as extracted, before linking)."""
        read = list(dict.fromkeys(_KEYS + columns))      # the keys decide which rows are kept
        parts = [self.unlinked(table, piece, read) for unit in units for piece in unit.pieces]
        rows = pa.concat_tables(parts) if parts else _schema(table, read).empty_table()
        return rows.select(columns)

    def mention_keys(self, units: list[Unit]) -> pa.Table:
        """The key columns of every kept mention, for entity resolution."""
        return self.kept_rows("mentions", units, list(Resolution.KEY_COLUMNS))

    def regrouping(self, units: list[Unit], topics: pa.Array | None) -> Regrouping:
        """Claim grouping of this run: every kept figure's when there is no last run (``topics`` None);
        else only that of the segments of the ``topics`` (those with figures added or dropped)
        whose figures changed (``transforms.tables.regrouped``)."""
        if topics is None:
            figures = self.kept_rows("figures", units, list(CLAIM_KEYS))
            return Regrouping(figure_claims(figures, self.published_dates(units, figures["article_id"])), None,
                              frozenset())
        # both copies of the topics' figures keep only what grouping reads (at ×10 a re-run's
        # copies of source_file and topic_id alone took ~200 MB)
        read, grouped = [*CLAIM_KEYS, "source_file", "topic_id", "claim_id"], [*CLAIM_KEYS, "claim_id"]
        before = [column for column in grouped if column != "article_id"]
        last, now, kept = [], [], []
        for name, path in self.parts["figures"].items():
            rows = _read(path, "figures", read)
            rows = rows.filter(pc.is_in(rows["topic_id"], topics))
            last.append(rows.select(before))
            now.append(self._kept(rows, Piece(name, True)).select(grouped))     # shares last's columns when all kept
            kept.append(pa.repeat(True, now[-1].num_rows))
        for path in storage.part_files(self.assembly.staging, "figures"):
            rows = self._kept(_read(path, "figures", read), Piece(path.name, False))
            now.append(rows.filter(pc.is_in(rows["topic_id"], topics)).select(grouped))
            kept.append(pa.repeat(False, now[-1].num_rows))
        then = pa.concat_tables(last) if last else _schema("figures", before).empty_table()
        figures = pa.concat_tables(now) if now else _schema("figures", grouped).empty_table()
        flags = pa.chunked_array(kept, pa.bool_()).combine_chunks()
        dates = self.kept_rows("articles", units, ["article_id", "published_date"])
        again = regrouped(figures, flags, then, dates)
        claims = figure_claims(figures, _date_map(dates, figures.filter(again.marked)["article_id"].unique()), again)
        claimed = pa.table({"figure_id": list(claims), "claim_id": list(claims.values())},
                           schema=_schema("figures", ["figure_id", "claim_id"]))
        # a kept figure that moved to another claim: its article's figures part is written again
        moved = figures.select(["figure_id", "article_id", "claim_id"]).filter(flags).join(
            claimed, "figure_id", join_type="inner", right_suffix="_now", use_threads=False)
        moved = moved.filter(pc.not_equal(moved["claim_id"], moved["claim_id_now"]))
        unchanged = figures.filter(pc.and_(flags, pc.invert(again.marked)))["figure_id"]
        stale = pa.concat_arrays([then.filter(pc.invert(pc.is_in(then["figure_id"], unchanged)))["claim_id"]
                                  .combine_chunks(), claimed["claim_id"].combine_chunks()]).unique()
        return Regrouping(claims, stale, frozenset(python_values(moved["article_id"])))

    def published_dates(self, units: list[Unit], articles: pa.ChunkedArray) -> dict[str, date]:
        """article_id -> publication date of the kept ``articles``, for claim grouping."""
        return _date_map(self.kept_rows("articles", units, ["article_id", "published_date"]), articles.unique())

    def write(self, table: str, units: list[Unit], resolution: Resolution, relinked: set[str],
              regrouping: Regrouping) -> int:
        """Stage one table (and its names) unit by unit; returns its rows."""
        folder, rows = self.assembly.staging / table, 0
        for unit in units:
            if (unit.carried and (table not in LINKED or not unit.articles & relinked)
                    and (table != "figures" or not unit.articles & regrouping.moved)):
                rows += self._carry(table, unit.name)
                continue
            linked, names, changed = zip(*(self._linked(table, piece, resolution, relinked)
                                           for piece in unit.pieces))
            part = pa.concat_tables(linked)
            claimed = link_claims(part, regrouping.claims) if table == "figures" else part
            moved = table == "figures" and not claimed["claim_id"].equals(part["claim_id"])
            if unit.carried and not any(changed) and not moved:
                rows += self._carry(table, unit.name)     # linked, or grouped, again to the same rows
            elif part.num_rows:
                if table in LINKED:
                    storage.write_part(pa.concat_tables(names), self.assembly.staging / NAMES[table], unit.name)
                storage.write_part(claimed, folder, unit.name)
                rows += part.num_rows
        if rows == 0:
            storage.write_part(SCHEMAS[table].empty_table(), folder, _part_name(self.generation, 0))
            if table in LINKED:
                empty = SCHEMAS[table].empty_table().select(LINKED[table])
                storage.write_part(empty, self.assembly.staging / NAMES[table], _part_name(self.generation, 0))
        return rows

    def _linked(self, table: str, piece: Piece, resolution: Resolution, relinked: set[str]
                ) -> tuple[pa.Table, pa.Table, bool]:
        """A piece's kept rows as this run links them, the names they give (``LINKED``; all
        columns of a table that is not linked), and whether its rows differ from the stored ones
        (a new piece's always do). A published row whose article is not relinked is taken as
        stored, with its stored names, not linked again; a relinked article's rows are linked
        again in their place (``_in_place``), so that the part differs from the stored one only in
        the values linking fills, and validation reuses the results of its other columns."""
        path = self.parts[table].get(piece.part) if piece.published and table in LINKED else None
        if path is None:
            rows = self.unlinked(table, piece)
            return resolution.link(table, rows), rows.select(LINKED.get(table, rows.column_names)), True
        files = self._kept_files(piece.part)        # this part's kept files: a far smaller set than all
        stored = _read(path, table, None)
        names = _read(self.parts[NAMES[table]][piece.part], table, LINKED[table])
        kept = pc.is_in(stored["source_file"], files)
        rows = _filtered(stored, kept)
        whole = LINKED[table] == SCHEMAS[table].names   # names kept whole: their rows are the rows before linking
        names = _filtered(names, pc.is_in(names["source_file"], files) if whole else kept)
        places = pc.is_in(rows["article_id"], pa.array(sorted(relinked), pa.string()))
        if not pc.any(places).as_py():
            return rows, names, False
        unlinked = names.filter(pc.is_in(names["article_id"], rows["article_id"].filter(places).unique())) if whole \
            else _with_columns(rows, names, LINKED[table]).filter(places)
        linked = resolution.link(table, unlinked)
        if linked.equals(rows.filter(places)):
            return rows, names, False
        return _in_place(rows, places, linked), names, True

    def _carry(self, table: str, part: str) -> int:
        """A carried unit's part (and names) hard-linked as they are; returns its rows."""
        path = self.parts[table].get(part)
        if path is None:
            return 0
        storage.keep_part(path, self.assembly.staging / table)
        if table in LINKED:
            storage.keep_part(self.parts[NAMES[table]][part], self.assembly.staging / NAMES[table])
        return pq.ParquetFile(path).metadata.num_rows


def _compacted(carried: list[Unit], units: list[tuple[tuple[Piece, ...], frozenset[str]]]
               ) -> tuple[list[Unit], list[tuple[tuple[Piece, ...], frozenset[str]]]]:
    """Units packed, smallest first, into units of at most ``size`` articles (a ``MAX_UNITS // 2``-th
    of them all; larger units stay as they are): about ``MAX_UNITS // 2`` to ``MAX_UNITS`` remain,
    and a carried unit packed alone stays carried. Merging the smallest into one unit instead made
    one unit of most of a full run's batches, written again whenever any of its articles relinked."""
    every = [(u.pieces, u.articles, u) for u in carried] + [(p, a, None) for p, a in units]
    every.sort(key=lambda item: len(item[1]))
    size = -(-sum(len(item[1]) for item in every) // (MAX_UNITS // 2))
    packs: list[list] = [[]]
    for item in every:
        if packs[-1] and sum(len(i[1]) for i in packs[-1]) + len(item[1]) > size:
            packs.append([])
        packs[-1].append(item)
    kept, merged = [], []
    for pack in packs:
        if len(pack) == 1 and pack[0][2] is not None:
            kept.append(pack[0][2])
        else:
            merged.append((tuple(piece for item in pack for piece in item[0]),
                           frozenset().union(*(item[1] for item in pack))))
    return kept, merged


def _filtered(table: pa.Table, mask: pa.Array | pa.ChunkedArray) -> pa.Table:
    """``table``'s rows where ``mask`` holds: ``table`` itself when it holds everywhere (filtering
    copies every column even then)."""
    return table if pc.all(mask).as_py() is not False else table.filter(mask)


def _with_columns(rows: pa.Table, names: pa.Table, columns: list[str]) -> pa.Table:
    """``rows`` with their ``columns`` as ``names`` holds them (row for row)."""
    for column in columns:
        index = rows.schema.get_field_index(column)
        rows = rows.set_column(index, rows.schema.field(index), names[column])
    return rows


def _in_place(rows: pa.Table, places: pa.Array, linked: pa.Table) -> pa.Table:
    """``rows`` with the rows at ``places`` replaced by ``linked`` (their articles' rows linked
    again): each article's new rows where its first old row was, the other rows where they were
    (when linking drops no row, every row keeps its place).

    >>> rows = pa.table({"article_id": ["a", "b", "b", "c"], "v": [1, 2, 3, 4]})
    >>> _in_place(rows, pa.array([False, True, True, False]), pa.table({"article_id": ["b"], "v": [9]}))["v"]
    <pyarrow.lib.ChunkedArray object at ...>
    [
      [
        1,
        9,
        4
      ]
    ]
    """
    positions = pc.indices_nonzero(places)
    first = pc.take(positions, pc.index_in(linked["article_id"], value_set=rows["article_id"].take(positions)))
    anchors = pa.chunked_array([pc.indices_nonzero(pc.invert(places)),
                                *pc.fill_null(first, pa.scalar(rows.num_rows, pa.uint64())).chunks], pa.uint64())
    after = pa.chunked_array([pa.repeat(0, rows.num_rows - len(positions)).cast(pa.int64()),
                              pa.array(range(1, linked.num_rows + 1), pa.int64())])
    together = pa.concat_tables([rows.filter(pc.invert(places)), linked.cast(rows.schema)])
    return together.take(pc.sort_indices(pa.table({"anchor": anchors, "after": after}),
                                         [("anchor", "ascending"), ("after", "ascending")]))


def _date_map(dates: pa.Table, articles: pa.Array | None) -> dict[str, date]:
    """article_id -> published_date of the rows of ``dates`` of the ``articles`` (None: every row)."""
    if articles is not None:
        dates = dates.filter(pc.is_in(dates["article_id"], articles))
    return dict(zip(python_values(dates["article_id"]), python_values(dates["published_date"])))


def _rows_of(tables: dict[str, pa.Table], files: pa.Array) -> dict[str, pa.Table]:
    """Each table's rows whose ``source_file`` is one of ``files``, looked up in one call: the set
    of ``files`` is built once, not once per table (at 170,000 files, 30 ms each)."""
    if not tables:
        return {}
    found = pc.is_in(pa.chunked_array([chunk for table in tables.values() for chunk in table["source_file"].chunks],
                                      pa.string()), value_set=files)
    rows, start = {}, 0
    for name, table in tables.items():
        rows[name] = table.filter(found.slice(start, table.num_rows))
        start += table.num_rows
    return rows


def _repeats(rejects: list[Reject], kept: list[pa.Table]) -> pa.Table:
    """The identity rows of the files the plan kept as repeats of a kept file's text (its
    ``article_id``), so that ``duplicates`` decides again which of the files of a text is kept."""
    repeats = [r for r in rejects if repeated_file(r) is not None]
    schema = _schema("articles", ["article_id", "source_file", "sha256"])
    if not repeats:
        return schema.empty_table()
    ids = {}
    for table in kept:
        ids.update(zip(python_values(table["source_file"]), python_values(table["article_id"])))
    return pa.table({"article_id": [ids[repeated_file(r)] for r in repeats],
                     "source_file": [r.source_file for r in repeats], "sha256": [r.sha256 for r in repeats]},
                    schema=schema)


def _part_name(generation: int, unit: int) -> str:
    return f"part-{generation:06d}-{unit:06d}.parquet"


def _ids(articles: pa.Table) -> frozenset[str]:
    return frozenset(python_values(articles["article_id"]))


def _schema(table: str, columns: list[str] | None) -> pa.Schema:
    schema = SCHEMAS[table]
    return schema if columns is None else pa.schema([schema.field(c) for c in columns])


def _read(path: Path, table: str, columns: list[str] | None) -> pa.Table:
    return pq.read_table(path, columns=columns).cast(_schema(table, columns))
