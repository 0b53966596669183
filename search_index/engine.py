"""A Whoosh index of listing documents behind a small interface: upsert, delete, rebuild, search.

Documents and results are plain data (dicts and dataclasses); nothing here knows Flask or the ORM.

On disk, the index directory holds generations (`gen-<n>/`, each a complete Whoosh index with the position of
the caller's change log it has applied) and a `CURRENT` file naming the live one (generations.py). A rebuild
writes a new generation and swaps `CURRENT` with an atomic rename, so searches never see an empty or half-built
index; a generation that turns out unreadable is set aside for the last good one. Searches run on a Snapshot
(numpy arrays of the current generation, see snapshot.py) that is reused until the index changes.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np
from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from search_index.analysis import TOKEN_PATTERN, fold, warm
from search_index.generations import Generations, GenerationState, IndexBusy
from search_index.highlight import Highlighter
from search_index.matching import Matcher, extract_age
from search_index.periods import in_period, weekday_mask
from search_index.schema import FACETS, NUMBER_COLUMNS, build_schema
from search_index.snapshot import SegmentData, Snapshot
from search_index.spelling import Speller

SORTS = ("relevance", "soonest", "newest", "name", "distance")
SINKING_SORTS = ("relevance", "soonest")  # the default orders, in which documents marked `sinks` come last
MAX_QUERY_CHARS = 500  # longer text is cut: the search page, the API and the engine share this limit
WRITER_LOCK_TIMEOUT = 60.0  # seconds a writer waits for the write lock unless it says otherwise
BUILD_PROCESSES = os.cpu_count() or 1
DATED_IN_PERIOD_BOOST = 2.0  # relevance of a dated document over an undated (permanent) one when a period is asked
# Among equally relevant documents the more recently confirmed one first: relevance is multiplied by up to
# 1 + FRESHNESS_BOOST, falling linearly to 1 over FRESHNESS_DAYS since the confirmation (an unknown one counts as
# old). Small on purpose: it reorders near-ties (within 0.3 %), never a clearly better match. bench/freshness.py
# on 20,000 synthetic documents: the first hit changes in 16 % of the text queries at 0.003, 24 % at 0.01.
FRESHNESS_BOOST = 0.003
FRESHNESS_DAYS = 400


@dataclass(frozen=True)
class Near:
    """Around a point: documents with a location within `km` (any radius when None), and, when `everywhere`,
    those without a place of their own (Flanders-wide, online)."""

    latitude: float
    longitude: float
    km: float | None = None
    everywhere: bool = True


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)  # facet -> accepted codes (OR)
    age: int | None = None  # exact age: min_age <= age <= max_age, open ends match; never an ageless document
    exclude: Mapping[str, frozenset[str]] = field(default_factory=dict)  # facet -> codes a document may not carry
    today: date | None = None  # when given, documents whose last day is before it are left out
    period: tuple[date, date] | None = None  # (first, last day): documents that take place in it (periods.py)
    holidays: tuple[tuple[date, date], ...] = ()  # in the period: the days documents that skip holidays pause
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = FACETS  # which facets to count
    near: Near | None = None  # a distance filter and the distances on the hits; sort="distance" sorts by them
    understood: int = 0  # words of the query the caller took out of `text` as filters (a place, a period)
    highlight: bool = True  # False: titles only escaped and no snippets, for callers that list many hits (a map)


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    title_html: str
    snippet_html: str
    display: object = None  # the document's "display" value
    distance_km: float | None = None  # with a `near` query: to the document's nearest location


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None  # the query as corrected, when a typed word was corrected
    age: int | None = None  # the exact age searched for (given, or read from the text)
    text: str = ""  # the text searched for, after taking out an age

    @property
    def ids(self) -> list[str]:
        return [hit.id for hit in self.hits]

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def clean_text(text: str) -> str:
    """User input as plain words: control characters dropped, length capped."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in (text or "")[:MAX_QUERY_CHARS])
    return " ".join(text.split())


def _ordinal(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.toordinal()


def document_fields(document: Mapping) -> dict:
    """A plain document as Whoosh fields."""
    title, summary, body = document.get("title", ""), document.get("summary", ""), document.get("body", "")
    organisation = document.get("organisation", "")
    published = document.get("published")
    numbers = {
        "min_age": document.get("min_age"),
        "max_age": document.get("max_age"),
        "start": _ordinal(document.get("start")),
        "last_day": _ordinal(document.get("last_day")),
        "joinable_until": _ordinal(document.get("joinable_until", document.get("last_day"))),
        "published": int(published.timestamp()) if isinstance(published, datetime) else _ordinal(published),
        "confirmed": _ordinal(document.get("confirmed")),
        "body_length": len(re.findall(TOKEN_PATTERN, body)),
        "weekdays": weekday_mask(document.get("days", ())),
        "skips_holidays": int(bool(document.get("skips_holidays"))),
        "ageless": int(bool(document.get("ageless"))),
        "sinks": int(bool(document.get("sinks"))),
        "everywhere": 1 if document.get("everywhere") else 0,
    }
    points = np.array(document.get("points") or [], dtype=np.float64).reshape(-1, 2)
    fields = {
        "id": str(document["id"]),
        "title": title,
        "summary": summary,
        "body": body,
        "organisation": organisation,
        "places": " ".join(document.get("places", [])),
        "spelling": " ".join((title, summary, body, organisation)),
        "display": document.get("display"),
        "version": str(document.get("version", "")).encode(),
        "sort_title": fold(title).encode(),
        "points": points.tobytes(),
        **{name: NUMBER_COLUMNS[name] if value is None else value for name, value in numbers.items()},
    }
    for facet in FACETS:
        values = document.get(facet, [])
        fields[facet] = ",".join([values] if isinstance(values, str) else values)
    return fields


class Batch:
    """Changes applied under the index's write lock; committed together when the `with` block ends."""

    def __init__(self, writer, position: int = 0):
        self._writer = writer
        self.changed = False
        self.position = position  # the last change of the caller's log this generation holds; the caller advances it

    def upsert(self, documents: Iterable[Mapping]) -> None:
        documents = list(documents)
        self.delete(document["id"] for document in documents)
        for document in documents:
            self._writer.add_document(**document_fields(document))
            self.changed = True

    def delete(self, ids: Iterable[str]) -> None:
        # One query for all: Whoosh opens a reader for every delete_by_term (or update_document) call.
        terms = [Term("id", str(doc_id)) for doc_id in ids]
        if terms:
            self._writer.delete_by_query(Or(terms))
            self.changed = True


def freshness_factor(confirmed: np.ndarray, today: int) -> np.ndarray:
    """Each document's relevance multiplier for how recently it was confirmed (see FRESHNESS_BOOST)."""
    age = np.where(confirmed > 0, today - confirmed, FRESHNESS_DAYS)
    return 1.0 + FRESHNESS_BOOST * (1.0 - np.clip(age, 0, FRESHNESS_DAYS) / FRESHNESS_DAYS)


class IndexUnavailable(Exception):
    """No complete generation to search or write: the caller builds one (`rebuild`) and says so meanwhile."""


class SearchIndex:
    def __init__(self, directory: str | os.PathLike):
        self.directory = os.fspath(directory)
        self.schema = build_schema()
        self.generations = Generations(self.directory)
        self._lock = threading.Lock()
        self._index = None  # (generation name, whoosh FileIndex, directory inode)
        self._segments: dict[str, SegmentData] = {}
        self._snapshot: Snapshot | None = None
        self._speller: tuple[object, Speller] | None = None

    # Generations

    def exists(self) -> bool:
        """A complete generation is on disk."""
        return self.generations.live() is not None

    def state(self) -> tuple[str, GenerationState] | None:
        """The live generation's name and state (the position it has applied), or None without one."""
        name = self.generations.live()
        state = self.generations.state(name) if name else None
        return (name, state) if state else None

    def position(self) -> int | None:
        found = self.state()
        return found[1].position if found else None

    def _open(self):
        """The live generation's Whoosh index (IndexUnavailable without one). A generation that fails to open
        is set aside and the next good one taken."""
        failed = set()
        while True:
            name = self.generations.live()
            if name is None or name in failed:  # none, or one that could not even be set aside
                self._index = None
                raise IndexUnavailable(f"no readable index generation in {self.directory}")
            try:
                inode = os.stat(self.generations.path(name)).st_ino
                if self._index is not None and self._index[0] == name and self._index[2] == inode:
                    return self._index[1]  # unchanged: the common case, without reading the index's files
                if name != self.generations.pointer():
                    self.generations.repair_pointer()
                self._index = (name, whoosh_index.open_dir(self.generations.path(name)), inode)
                return self._index[1]
            except Exception:
                failed.add(name)
                self._unreadable(name)

    def _unreadable(self, name: str) -> None:
        """`name` failed to read: set it aside, unless a build swapped it out and removed it meanwhile."""
        self._index = self._snapshot = None
        if os.path.isdir(self.generations.path(name)):
            self.generations.set_aside(name)

    def verify(self) -> bool:
        """Read the whole live generation (stored fields, columns, every posting); on failure set it aside.
        Returns whether it was sound: for an error that might be the index's, before blaming the query."""
        name = self.generations.live()
        if name is None:
            return False
        try:
            reader = whoosh_index.open_dir(self.generations.path(name)).reader()
            for leaf, _ in reader.leaf_readers():
                if leaf.segment() is None:
                    continue
                SegmentData(leaf)
                for _ in leaf.all_stored_fields():
                    pass
                for fieldname, text in leaf.all_terms():
                    leaf.postings(fieldname, text).all_ids()
            return True
        except Exception:
            self._unreadable(name)
            return False

    # Writing

    @contextmanager
    def batch(self, timeout: float = WRITER_LOCK_TIMEOUT) -> Iterator[Batch]:
        """Hold the write lock (waiting at most `timeout` seconds, then IndexBusy) while the caller decides what
        to write to the live generation; `batch.position` is what it has applied, the caller may advance it."""
        deadline = time.monotonic() + timeout
        with self.generations.writing(timeout):
            ix = self._open()
            name = self._index[0]
            # Whoosh's own lock is free under ours (but for a process of an older release): the rest of the budget
            yield from self._written(ix, name, max(0.0, deadline - time.monotonic()))

    def _written(self, ix, name: str, timeout: float) -> Iterator[Batch]:
        state = self.generations.state(name) or GenerationState(0)
        try:
            writer = ix.writer(timeout=timeout)
        except whoosh_index.LockError as error:
            raise IndexBusy(f"Whoosh's write lock was held for over {timeout:.1f} s") from error
        batch = Batch(writer, state.position)
        try:
            yield batch
        except BaseException:
            writer.cancel()
            raise
        if batch.changed:
            writer.commit()
        else:
            writer.cancel()  # no new Whoosh generation for nothing
        if batch.position != state.position:  # after the commit: a crash in between re-applies, never skips
            self.generations.write_state(name, replace(state, position=batch.position))

    def upsert(self, documents: Iterable[Mapping]) -> None:
        with self.batch() as batch:
            batch.upsert(documents)

    def delete(self, ids: Iterable[str]) -> None:
        with self.batch() as batch:
            batch.delete(ids)

    def rebuild(self, documents: Iterable[Mapping], position: int = 0, processes: int = BUILD_PROCESSES,
                blocking: bool = True, prepare: Callable[[Batch], None] | None = None) -> int | None:
        """Write `documents` (the source as of `position`) into a new generation and make it live; searches keep
        using the old one until the swap. `prepare` may bring the new generation further (through a Batch)
        before it goes live. Returns the count, or None without building when not `blocking` and another
        build holds the directory."""
        warm()  # the language data once here, not in every writer process
        with self.generations.exclusive(blocking) as held:
            if not held:
                return None
            started = time.perf_counter()
            self.generations.remove_leftovers()  # killed builds never accumulate
            name = self.generations.create(self.schema)
            ix = whoosh_index.open_dir(self.generations.path(name))
            # several writer processes, each making its own segment (snapshot.py reads segments anyway)
            writer = ix.writer(procs=processes, multisegment=processes > 1, limitmb=128) if processes > 1 \
                else ix.writer(limitmb=128)
            count = 0
            try:
                for document in documents:
                    writer.add_document(**document_fields(document))
                    count += 1
                writer.commit()
                self.generations.write_state(name, GenerationState(position, time.perf_counter() - started))
                if prepare is not None:
                    with contextmanager(self._written)(ix, name, WRITER_LOCK_TIMEOUT) as batch:
                        prepare(batch)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                shutil.rmtree(self.generations.path(name), ignore_errors=True)
                raise
            self.generations.activate(name)
        return count

    # Reading

    def snapshot(self) -> Snapshot:
        """The current generation as arrays; rebuilt only when the index changed since the last call. A
        generation whose segments cannot be read is set aside and the next good one taken."""
        with self._lock:
            failed = set()
            while True:
                ix = self._open()
                # with the directory's inode: a generation deleted and created anew may reuse its name
                key = self._index[0], self._index[2], ix.latest_generation()
                if self._snapshot is not None and self._snapshot.key == key:
                    return self._snapshot
                try:
                    self._snapshot = self._read(ix, key)
                    return self._snapshot
                except Exception:
                    if key[0] in failed:
                        raise  # it could not be set aside: the error, not a loop
                    failed.add(key[0])
                    self._unreadable(key[0])

    def _read(self, ix, key) -> Snapshot:
        reader = ix.reader()
        segments = {}
        parts = []
        for leaf, base in reader.leaf_readers():
            if leaf.segment() is None:
                continue  # the reader of an empty index has no segment
            segment_id = leaf.segment().segment_id()
            data = self._segments.get(segment_id) or SegmentData(leaf)
            segments[segment_id] = data
            parts.append((data, base, leaf))
        self._segments = segments
        return Snapshot(key, parts)

    def _speller_for(self, snapshot: Snapshot) -> Speller:
        if self._speller is None or self._speller[0] != snapshot.key:
            self._speller = (snapshot.key, Speller(snapshot.spelling()))
        return self._speller[1]

    def document_ids(self) -> set[str]:
        snapshot = self.snapshot()
        return {snapshot.ids[n] for n in np.flatnonzero(snapshot.live)}

    def document_versions(self) -> dict[str, str]:
        """Every document's id and the version it was indexed with, for reconciling with the source."""
        snapshot = self.snapshot()
        versions = [version for part, _ in snapshot.parts for version in part.versions()]
        return {snapshot.ids[n]: versions[n] for n in np.flatnonzero(snapshot.live)}

    def search(self, query: SearchQuery) -> SearchResult:
        """IndexUnavailable without a complete generation. An error that a full read of the generation
        explains (a corrupt file) sets it aside and searches the next good one; any other error is raised."""
        try:
            return self._search(query)
        except IndexUnavailable:
            raise
        except Exception:
            if self.verify():
                raise
            return self._search(query)

    def _search(self, query: SearchQuery) -> SearchResult:
        snapshot = self.snapshot()
        text, age, understood = clean_text(query.text), query.age, query.understood
        if age is None:
            text, age = extract_age(text)
            understood += age is not None
        match = Matcher(snapshot, lambda: self._speller_for(snapshot)).match(text, understood)

        base = snapshot.live.copy()
        if match is not None:
            base &= match.mask
        elif text and not understood:
            base[:] = False  # typed, but nothing searchable ("de", "C++"): finding everything would mislead
        numbers = snapshot.numbers
        if age is not None:
            base &= (numbers["min_age"] <= age) & (numbers["max_age"] >= age) & (numbers["ageless"] == 0)
        for facet, codes in sorted(query.exclude.items()):
            if facet in FACETS and codes:
                base &= ~snapshot.value_mask(facet, codes)
        if query.today is not None:
            base &= numbers["joinable_until"] >= query.today.toordinal()
        if query.period is not None:
            first, last = query.period
            base &= in_period(numbers, max(first, query.today or first), last, query.holidays)
        distances = None  # per document: its nearness (Snapshot.nearness), which orders as the distance
        if query.near is not None:
            distances = snapshot.nearness(query.near.latitude, query.near.longitude)
            if query.near.km is not None:
                within = distances <= snapshot.from_km(query.near.km)
                if query.near.everywhere:
                    within |= numbers["everywhere"] == 1
                base &= within
        filters = {
            facet: snapshot.value_mask(facet, codes)
            for facet, codes in sorted(query.filters.items())
            if facet in FACETS and codes
        }
        full = np.logical_and.reduce([base, *filters.values()]) if filters else base
        facets = {}
        packed_full = snapshot.pack(full)
        for facet in query.facets:
            if facet not in FACETS:
                continue
            if facet in filters:  # disjunctive: every other filter applies, not the facet's own
                scope = snapshot.pack(np.logical_and.reduce([base, *(m for n, m in filters.items() if n != facet)]))
            else:
                scope = packed_full
            facets[facet] = snapshot.count_values(facet, scope)

        candidates = np.flatnonzero(full)
        page = max(1, query.page)
        window = self._page(snapshot, candidates, query, match, page, distances)
        highlighter = Highlighter(match.stems, match.places) if match and query.highlight else Highlighter(set(), set())
        hits = []
        for docnum in window:
            part, local = snapshot.locate(int(docnum))
            stored = part.reader.stored_fields(local)
            title_html = highlighter.mark(stored.get("title", ""))
            # the body is searched for a passage only when neither title nor summary shows why the hit matched
            passages = [stored.get("summary", "")] + ([] if "<mark>" in title_html else [stored.get("body", "")])
            hits.append(Hit(
                id=stored["id"],
                score=float(match.score[docnum]) if match is not None else 0.0,
                title_html=title_html,
                snippet_html=highlighter.snippet(passages) if query.highlight else "",
                display=stored.get("display"),
                distance_km=float(snapshot.to_km(distances[docnum]))
                if distances is not None and np.isfinite(distances[docnum]) else None,
            ))
        suggestion = None
        if match is not None and match.corrections:
            suggestion = " ".join(match.corrections.get(word, word) for word in fold(text).split())
        return SearchResult(hits=hits, total=len(candidates), page=page, page_size=query.page_size,
                            facets=facets, suggestion=suggestion, age=age, text=text)

    def _page(self, snapshot: Snapshot, candidates: np.ndarray, query: SearchQuery, match, page: int,
              distances: np.ndarray | None) -> np.ndarray:
        """The document numbers of the requested page, in the requested order. Near a point, the nearest come
        first among equally relevant ones: those matching the same words (see TextMatch.coverage)."""
        start, stop = (page - 1) * query.page_size, page * query.page_size
        if start >= len(candidates):
            return candidates[:0]
        sort = query.sort if query.sort in SORTS else "relevance"
        if sort == "relevance" and match is None:
            sort = "distance" if distances is not None else "name"
        if sort == "distance" and distances is None:
            sort = "name"
        if sort == "relevance":
            today = (query.today or date.today()).toordinal()
            scores = match.score[candidates] * freshness_factor(snapshot.numbers["confirmed"][candidates], today)
        if sort == "relevance" and distances is not None:
            keys = np.lexsort((-scores, distances[candidates], -match.coverage[candidates]))
            keys = np.argsort(keys)  # each candidate's position in that order
        elif sort == "relevance":
            keys = -scores
            if query.period is not None:  # asked for a period: an offer dated in it answers more than an open one
                keys *= np.where(snapshot.numbers["start"][candidates] > 0, DATED_IN_PERIOD_BOOST, 1.0)
        elif sort == "distance":
            keys = np.argsort(np.lexsort((snapshot.name_rank()[candidates], distances[candidates])))
        else:
            rank = snapshot.name_rank()[candidates]
            if sort == "name":
                keys = rank
            elif sort == "newest":
                keys = -snapshot.numbers["published"][candidates] * (snapshot.count + 1) + rank
            else:  # soonest: running offers count as today; undated ones come last
                today = (query.today or date.today()).toordinal()
                first = snapshot.numbers["start"][candidates]
                first = np.where(first > 0, np.maximum(first, today), np.iinfo(np.int32).max)
                keys = first * (snapshot.count + 1) + rank
        if sort in SINKING_SORTS:  # sinking documents after all others, each part in its own order
            keys = keys + snapshot.numbers["sinks"][candidates] * (np.abs(keys).max() * 2 + 1)
        if stop < len(keys):
            chosen = np.argpartition(keys, stop - 1)[:stop]
        else:
            chosen = np.arange(len(keys))
        ordered = chosen[np.lexsort((candidates[chosen], keys[chosen]))]
        return candidates[ordered[start:stop]]
