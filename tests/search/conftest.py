def pytest_terminal_summary(terminalreporter, config):
    report = getattr(config, "search_quality", None)
    if report:
        hits, total, misses, classes = report
        terminalreporter.write_line(f"search quality: Success@3 = {hits}/{total} = {hits / total:.1%}")
        terminalreporter.write_line(f"  {'class':<20} {'cases':>5} {'Success@3':>10} {'Recall@10':>10}")
        for name, (cases, success, recall) in classes.items():
            terminalreporter.write_line(f"  {name:<20} {cases:>5} {success:>10.2f} {recall:>10.2f}")
        for query, top in misses:
            terminalreporter.write_line(f"  miss: {query!r} -> {top}")
