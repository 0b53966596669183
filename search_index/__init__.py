"""STEM-wijzer's search engine: Whoosh with Dutch analysis and numpy facets. Plain data in, plain data out.

Whoosh 2.7.4 is pinned exactly: both it and the Whoosh-Reloaded fork (2.7.5) are unmaintained, and
2.7.5's Searcher.refresh() returns stale and fresh versions of an updated document side by side.
Whoosh stores, analyses and holds the postings; filtering, facet counting and scoring run on numpy
arrays cached per segment (snapshot.py). tests/search covers the update, delete and reopen behaviour.
"""

from search_index.engine import (
    MAX_QUERY_CHARS,
    SORTS,
    Hit,
    IndexUnavailable,
    Near,
    SearchIndex,
    SearchQuery,
    SearchResult,
    clean_text,
)
from search_index.generations import IndexBusy
from search_index.schema import FACETS

__all__ = ["FACETS", "MAX_QUERY_CHARS", "SORTS", "Hit", "IndexBusy", "IndexUnavailable", "Near", "SearchIndex",
           "SearchQuery", "SearchResult", "clean_text"]
