def pytest_terminal_summary(terminalreporter, config):
    report = getattr(config, "search_quality", None)
    if report:
        hits, total, misses = report
        terminalreporter.write_line(f"search quality: Success@3 = {hits}/{total} = {hits / total:.1%}")
        for query, top in misses:
            terminalreporter.write_line(f"  miss: {query!r} -> {top}")
