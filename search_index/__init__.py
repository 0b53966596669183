"""STEM-wijzer's search engine: Whoosh with Dutch analysis. Plain data in, plain data out.

Whoosh 2.7.4 is pinned exactly: both it and the Whoosh-Reloaded fork (2.7.5) are unmaintained, and
2.7.5's Searcher.refresh() returns stale and fresh versions of an updated document side by side.
The tests in tests/search cover the update, delete and reopen behaviour we rely on.
"""

from search_index.engine import SearchIndex, SearchQuery, SearchResult, clean_text
from search_index.schema import FACETS

__all__ = ["FACETS", "SearchIndex", "SearchQuery", "SearchResult", "clean_text"]
