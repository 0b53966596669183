"""Search benchmark: our engine against Whoosh groupedby and SQLite FTS5 (see bench/README.md)."""
