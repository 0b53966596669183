"""The two baselines our engine is measured against, built from the same documents and answering the
same BenchQuery with the same semantics: every word must match (in any text field), OR within a facet,
AND across facets, exact age (open ends match), upcoming only (last_day >= today), 20 hits with
highlighted title and snippet, and disjunctive facet counts (each facet counted without its own filter).

- WhooshBaseline: plain Whoosh 2.7.4 the documented way, facets through `groupedby`.
- SqliteBaseline: SQLite FTS5 with bm25, facets through one GROUP BY per facet.

Both differ from our engine in analysis (FTS5 has no Dutch stemming or stop words), so totals agree only
roughly; run.py reports the differences.
"""

from __future__ import annotations

import html
import re
import sqlite3
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.highlight import HtmlFormatter
from whoosh.qparser import MultifieldParser
from whoosh.query import And, Every, NumericRange, Or, Term
from whoosh.sorting import Count, FieldFacet
from whoosh.support.charset import accent_map

from bench.queries import FACETS, PAGE_SIZE, BenchQuery, EngineResult

TEXT_FIELDS = ("title", "summary", "body", "organisation", "places")
# The same field weights our engine uses, so that relevance is comparable.
FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0, "organisation": 1.5, "places": 1.5}
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # placeholders that survive html.escape, replaced by <mark> after it


def marked_html(text: str) -> str:
    """Escape text that carries MARK_OPEN/MARK_CLOSE placeholders and turn those into <mark> tags."""
    return html.escape(text).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


# Whoosh

WHOOSH_OPEN_MIN_AGE, WHOOSH_OPEN_MAX_AGE = 0, 999  # stand-ins for open age ends (NUMERIC has no None)


def whoosh_analyzer():
    """LanguageAnalyzer("nl") with accent folding added, so creëren finds creeren as in the other engines."""
    return (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(lang="nl")
            | StemFilter(lang="nl"))


def whoosh_schema() -> Schema:
    analyzer = whoosh_analyzer()
    # title and body are stored because Whoosh highlights from stored text.
    text_fields = {name: TEXT(analyzer=analyzer, field_boost=boost, stored=name in ("title", "body"))
                   for name, boost in FIELD_BOOSTS.items()}
    return Schema(
        id=ID(stored=True, unique=True),
        min_age=NUMERIC(int), max_age=NUMERIC(int), last_day=NUMERIC(int),
        start=NUMERIC(int, sortable=True),
        sort_title=ID(sortable=True),
        **text_fields,
        **{facet: KEYWORD(commas=True) for facet in FACETS},
    )


class WhooshBaseline:
    name = "whoosh"

    def __init__(self, directory: Path):
        self.directory = directory
        self.index = None
        self.schema = whoosh_schema()
        self.parser = MultifieldParser(TEXT_FIELDS, self.schema)  # its default group: every word must match

    def build(self, documents: list[dict]) -> None:
        self.directory.mkdir(parents=True)
        self.index = whoosh_index.create_in(self.directory, self.schema)
        writer = self.index.writer()
        for document in documents:
            writer.add_document(**self._fields(document))
        writer.commit()

    @staticmethod
    def _fields(document: dict) -> dict:
        return {
            "id": document["id"],
            **{name: document[name] for name in ("title", "summary", "body", "organisation")},
            "places": " ".join(document["places"]),
            "min_age": WHOOSH_OPEN_MIN_AGE if document["min_age"] is None else document["min_age"],
            "max_age": WHOOSH_OPEN_MAX_AGE if document["max_age"] is None else document["max_age"],
            "last_day": (document["last_day"] or date.max).toordinal(),
            "start": (document["start"] or date.max).toordinal(),  # undated documents sort last
            "sort_title": document["title"].casefold(),
            **{facet: ",".join(document[facet]) for facet in FACETS},
        }

    def _filter(self, query: BenchQuery, without: str | None = None):
        parts = [Or([Term(facet, code) for code in sorted(codes)])
                 for facet, codes in query.filters.items() if facet != without]
        parts.append(NumericRange("last_day", query.today.toordinal(), None))
        if query.age is not None:
            parts += [NumericRange("min_age", None, query.age), NumericRange("max_age", query.age, None)]
        return And(parts)

    def search(self, query: BenchQuery) -> EngineResult:
        text_query = self.parser.parse(query.text) if query.text.strip() else None
        if query.sort == "soonest":
            sortedby = "start"
        else:
            sortedby = None if text_query else "sort_title"
        unfiltered = [facet for facet in FACETS if facet not in query.filters]
        with self.index.searcher() as searcher:
            results = searcher.search(
                text_query or Every(), limit=PAGE_SIZE, filter=self._filter(query), sortedby=sortedby,
                groupedby={facet: FieldFacet(facet, allow_overlap=True) for facet in unfiltered}, maptype=Count,
            )
            facets = {facet: self._counts(results.groups(facet)) for facet in unfiltered}
            # Disjunctive counts: a filtered facet is counted in a search without its own filter.
            for facet in query.filters:
                counted = searcher.search(
                    text_query or Every(), limit=1, filter=self._filter(query, without=facet), scored=False,
                    groupedby={facet: FieldFacet(facet, allow_overlap=True)}, maptype=Count,
                )
                facets[facet] = self._counts(counted.groups(facet))
            results.formatter = HtmlFormatter(tagname="mark")
            ids = []
            for hit in results:
                if text_query:  # highlighting is part of answering a text search, as in our engine
                    hit.highlights("title")
                    hit.highlights("body")
                ids.append(hit["id"])
            return EngineResult(total=len(results), facets=facets, ids=ids)

    @staticmethod
    def _counts(groups: dict) -> dict[str, int]:
        return {code: count for code, count in groups.items() if code is not None}  # None: no value

    def size_on_disk(self) -> int:
        return directory_size(self.directory)


# SQLite FTS5

SQLITE_SCHEMA = """
CREATE TABLE docs (
    doc_id INTEGER PRIMARY KEY,  -- the rowid of the FTS row for the same document
    id TEXT NOT NULL,
    min_age INTEGER, max_age INTEGER,  -- NULL: open end
    start INTEGER, last_day INTEGER,   -- date ordinals; NULL: undated, runs on
    sort_title TEXT NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, organisation, places,
                                    tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE facets (
    facet TEXT NOT NULL, code TEXT NOT NULL, doc_id INTEGER NOT NULL,
    PRIMARY KEY (facet, code, doc_id)  -- filters: the documents with a code
) WITHOUT ROWID;
"""
# Created after loading, which is faster than maintaining them row by row.
SQLITE_INDEXES = """
CREATE INDEX facets_by_doc ON facets (doc_id, facet, code);  -- counts: the codes of matching documents
CREATE INDEX docs_by_start ON docs (start);
CREATE INDEX docs_by_title ON docs (sort_title);
"""
BM25 = "bm25(fts, {})".format(", ".join(str(boost) for boost in FIELD_BOOSTS.values()))
SNIPPET_WORDS = 16


def require_fts5() -> None:
    """Fail early and clearly when Python's SQLite was built without FTS5."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError as error:
        raise SystemExit(f"SQLite {sqlite3.sqlite_version} has no FTS5: {error}") from error


def fts_match(text: str) -> str | None:
    """Every word as a quoted FTS5 string, so query syntax in user input is plain text; FTS5 ANDs them."""
    words = re.findall(r"\w+", text.casefold())
    return " ".join(f'"{word}"' for word in words) or None


class SqliteBaseline:
    name = "sqlite-fts5"

    def __init__(self, directory: Path):
        self.directory = directory
        self.connection: sqlite3.Connection | None = None

    def build(self, documents: list[dict]) -> None:
        require_fts5()
        self.directory.mkdir(parents=True)
        self.connection = sqlite3.connect(self.directory / "search.sqlite3")
        with self.connection as connection:
            connection.executescript(SQLITE_SCHEMA)
            connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", [
                (int(d["id"]), d["id"], d["min_age"], d["max_age"], _ordinal(d["start"]), _ordinal(d["last_day"]),
                 d["title"].casefold()) for d in documents])
            connection.executemany("INSERT INTO fts (rowid, title, summary, body, organisation, places) "
                                   "VALUES (?, ?, ?, ?, ?, ?)", [
                (int(d["id"]), d["title"], d["summary"], d["body"], d["organisation"], " ".join(d["places"]))
                for d in documents])
            connection.executemany("INSERT INTO facets VALUES (?, ?, ?)", [
                (facet, code, int(d["id"])) for d in documents for facet in FACETS for code in d[facet]])
            connection.executescript(SQLITE_INDEXES)
            connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        self.connection.execute("ANALYZE")

    @staticmethod
    def _conditions(query: BenchQuery, without: str | None = None) -> tuple[list[str], list]:
        """WHERE conditions on `docs d` (text excluded) and their parameters."""
        conditions = ["(d.last_day IS NULL OR d.last_day >= ?)"]
        params: list = [query.today.toordinal()]
        if query.age is not None:
            conditions.append("(d.min_age IS NULL OR d.min_age <= ?) AND (d.max_age IS NULL OR d.max_age >= ?)")
            params += [query.age, query.age]
        for facet, codes in query.filters.items():
            if facet != without:
                marks = ", ".join("?" * len(codes))
                conditions.append(f"d.doc_id IN (SELECT doc_id FROM facets WHERE facet = ? AND code IN ({marks}))")
                params += [facet, *sorted(codes)]
        return conditions, params

    def _matching(self, query: BenchQuery, match: str | None, without: str | None = None) -> tuple[str, list]:
        """SELECT of the matching doc_ids, for COUNT and the facet GROUP BYs."""
        conditions, params = self._conditions(query, without)
        if match:
            conditions.append("d.doc_id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.append(match)
        return f"SELECT d.doc_id FROM docs d WHERE {' AND '.join(conditions)}", params

    def _page(self, query: BenchQuery, match: str | None) -> list[tuple[str, str, str]]:
        """(id, title html, snippet html) of the first page."""
        conditions, params = self._conditions(query)
        if query.sort == "soonest":
            order = "d.start IS NULL, d.start, d.doc_id"  # undated documents last
        else:
            order = BM25 if match else "d.sort_title"
        if match:
            columns = (f"highlight(fts, 0, '{MARK_OPEN}', '{MARK_CLOSE}'), "
                       f"snippet(fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_WORDS})")
            conditions.insert(0, "fts MATCH ?")
            params.insert(0, match)
        else:
            columns = "fts.title, fts.summary"
        sql = (f"SELECT d.id, {columns} FROM fts JOIN docs d ON d.doc_id = fts.rowid "
               f"WHERE {' AND '.join(conditions)} ORDER BY {order} LIMIT {PAGE_SIZE}")
        return [(doc_id, marked_html(title), marked_html(snippet))
                for doc_id, title, snippet in self.connection.execute(sql, params)]

    def search(self, query: BenchQuery) -> EngineResult:
        match = fts_match(query.text)
        page = self._page(query, match)
        matching, params = self._matching(query, match)
        total = self.connection.execute(f"SELECT COUNT(*) FROM ({matching})", params).fetchone()[0]
        facets = {}
        for facet in FACETS:
            matching, params = self._matching(query, match, without=facet)
            rows = self.connection.execute(
                f"SELECT code, COUNT(*) FROM facets WHERE facet = ? AND doc_id IN ({matching}) GROUP BY code",
                [facet, *params])
            facets[facet] = dict(rows.fetchall())
        return EngineResult(total=total, facets=facets, ids=[doc_id for doc_id, _, _ in page])

    def size_on_disk(self) -> int:
        return directory_size(self.directory)


def _ordinal(day: date | None) -> int | None:
    return day.toordinal() if day else None
