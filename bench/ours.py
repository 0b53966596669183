"""Our engine (search_index, interface in SEARCH_INTERFACE.md) behind the benchmark's engine interface."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.baselines import directory_size
from bench.queries import PAGE_SIZE, BenchQuery, EngineResult
from search_index import SearchIndex, SearchQuery

PUBLISH_TRIALS = 10
PUBLISH_TIMEOUT = 30.0  # seconds; a document that takes longer to show up is a failure, not a number
# Words that occur nowhere in the catalogue, one per trial, so a hit can only be the new document.
PUBLISH_MARKERS = ("zoekproefalfa", "zoekproefbravo", "zoekproefcharlie", "zoekproefdelta", "zoekproefecho",
                   "zoekproeffoxtrot", "zoekproefgolf", "zoekproefhotel", "zoekproefindia", "zoekproefjuliet")


class OurEngine:
    name = "ours"

    def __init__(self, directory: Path):
        self.directory = directory
        self.index = SearchIndex(directory)

    def build(self, documents: list[dict]) -> None:
        self.index.rebuild(documents)

    def search(self, query: BenchQuery) -> EngineResult:
        result = self.index.search(SearchQuery(
            text=query.text, filters=query.filters, age=query.age, today=query.today, sort=query.sort,
            page=1, page_size=PAGE_SIZE,
        ))
        return EngineResult(total=result.total, facets=result.facets, ids=[hit.id for hit in result.hits])

    def size_on_disk(self) -> int:
        return directory_size(self.directory)

    def publish_latency(self, template: dict, first_id: int) -> dict:
        """Seconds from upsert() of one new document to the first search that finds it, over
        PUBLISH_TRIALS new documents (copies of `template` with a unique word in the title)."""
        seconds = []
        for trial, marker in enumerate(PUBLISH_MARKERS[:PUBLISH_TRIALS]):
            document = dict(template, id=str(first_id + trial), title=f"{template['title']} {marker}")
            started = time.perf_counter()
            self.index.upsert([document])
            while self.index.search(SearchQuery(text=marker)).total == 0:
                if time.perf_counter() - started > PUBLISH_TIMEOUT:
                    raise RuntimeError(f"document {document['id']} not searchable after {PUBLISH_TIMEOUT} s")
            seconds.append(time.perf_counter() - started)
        return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
                "trials": len(seconds)}
