"""A Whoosh index of listing documents behind a small interface: upsert, delete, rebuild, search.

Documents and results are plain data (dicts and dataclasses); nothing here knows Flask or the ORM.

On disk, the index directory holds generations (`gen-<n>/`, each a complete Whoosh index) and a
`CURRENT` file naming the live one. A rebuild writes a new generation and swaps `CURRENT` with an
atomic rename, so searches never see an empty or half-built index.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import And, Every, NumericRange, Or, Query, Term

from search_index.schema import FACETS, build_schema

TEXT_FIELDS = ("title", "summary", "body", "organisation", "places")
MAX_QUERY_CHARS = 500
WRITER_LOCK_TIMEOUT = 30.0  # seconds a writer waits for Whoosh's single write lock


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: dict[str, frozenset[str]] = field(default_factory=dict)  # facet -> accepted codes (OR)
    today: date | None = None  # when given, listings whose last day is before it are left out
    page: int = 1
    page_size: int = 20


@dataclass(frozen=True)
class SearchResult:
    ids: list[str]  # the page's document ids, best first
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def clean_text(text: str) -> str:
    """User input as plain words: control characters dropped, length capped."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in (text or "")[:MAX_QUERY_CHARS])
    return " ".join(text.split())


class SearchIndex:
    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.schema = build_schema()

    # Generations

    def _current_path(self) -> Path | None:
        try:
            name = (self.directory / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return self.directory / name

    def _new_generation(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[4:]) for p in self.directory.glob("gen-*") if p.name[4:].isdigit()]
        path = self.directory / f"gen-{max(numbers, default=0) + 1:06d}"
        path.mkdir()
        whoosh_index.create_in(path, self.schema)
        return path

    def _activate(self, path: Path) -> None:
        pointer = self.directory / "CURRENT.tmp"
        pointer.write_text(path.name)
        os.replace(pointer, self.directory / "CURRENT")
        for old in self.directory.glob("gen-*"):
            if old != path:
                shutil.rmtree(old, ignore_errors=True)

    def exists(self) -> bool:
        path = self._current_path()
        return path is not None and whoosh_index.exists_in(path)

    def _open(self):
        if not self.exists():
            self._activate(self._new_generation())
        return whoosh_index.open_dir(self._current_path())

    # Writing

    def rebuild(self, documents: Iterable[dict]) -> int:
        """Replace the whole index with `documents`; searches keep using the old one until the swap."""
        path = self._new_generation()
        writer = whoosh_index.open_dir(path).writer(timeout=WRITER_LOCK_TIMEOUT)
        count = 0
        for document in documents:
            writer.add_document(**self._fields(document))
            count += 1
        writer.commit()
        self._activate(path)
        return count

    def upsert(self, documents: Iterable[dict]) -> None:
        writer = self._open().writer(timeout=WRITER_LOCK_TIMEOUT)
        for document in documents:
            writer.update_document(**self._fields(document))
        writer.commit()

    def delete(self, ids: Iterable[str]) -> None:
        writer = self._open().writer(timeout=WRITER_LOCK_TIMEOUT)
        for doc_id in ids:
            writer.delete_by_term("id", doc_id)
        writer.commit()

    def _fields(self, document: dict) -> dict:
        last_day = document.get("last_day")
        fields = {
            "id": str(document["id"]),
            "title": document.get("title", ""),
            "summary": document.get("summary", ""),
            "body": document.get("body", ""),
            "organisation": document.get("organisation", ""),
            "places": " ".join(document.get("places", [])),
            "last_day": (last_day or date.max).toordinal(),
            "sort_title": clean_text(document.get("title", "")).casefold(),
        }
        for facet in FACETS:
            values = document.get(facet, [])
            fields[facet] = ",".join([values] if isinstance(values, str) else values)
        return fields

    # Searching

    def _text_query(self, text: str) -> Query | None:
        """Every word must match in some text field. Words are analysed like the documents, so syntax
        characters, quotes and operators are plain text here and a query can never fail to parse."""
        analyzer = self.schema["title"].analyzer
        words = list(dict.fromkeys(token.text for token in analyzer(clean_text(text))))
        if not words:
            return None
        return And([Or([Term(name, word) for name in TEXT_FIELDS]) for word in words])

    def _filter_query(self, query: SearchQuery) -> Query | None:
        parts: list[Query] = [
            Or([Term(facet, code) for code in sorted(codes)])
            for facet, codes in sorted(query.filters.items())
            if facet in FACETS and codes
        ]
        if query.today is not None:
            parts.append(NumericRange("last_day", query.today.toordinal(), None))
        return And(parts) if parts else None

    def search(self, query: SearchQuery) -> SearchResult:
        ix = self._open()
        text_query = self._text_query(query.text)
        with ix.searcher() as searcher:
            results = searcher.search_page(
                text_query or Every(),
                max(1, query.page),
                pagelen=query.page_size,
                filter=self._filter_query(query),
                sortedby=None if text_query else "sort_title",
            )
            ids = [hit["id"] for hit in results] if results.pagenum == max(1, query.page) else []
            return SearchResult(ids=ids, total=len(results), page=max(1, query.page), page_size=query.page_size)

    def document_ids(self) -> set[str]:
        with self._open().searcher() as searcher:
            return {fields["id"] for fields in searcher.all_stored_fields()}
