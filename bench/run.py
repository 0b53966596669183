"""The search benchmark: our engine against Whoosh groupedby and SQLite FTS5, same catalogue, same queries.

    cd /work/main && /tmp/venv/bin/python -m bench.run                      # sizes 2000 and 20000
    /tmp/venv/bin/python -m bench.run --sizes 2000,20000,100000 --baseline-queries 10

Prints a Markdown report and writes the same numbers as JSON to bench/results/. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import whoosh

from bench.baselines import SqliteBaseline, WhooshBaseline
from bench.generate import CatalogueGenerator
from bench.ours import OurEngine
from bench.queries import BenchQuery, EngineResult, query_mix

ENGINES = {engine.name: engine for engine in (OurEngine, WhooshBaseline, SqliteBaseline)}
SLOW_BASELINES = {WhooshBaseline.name}  # groupedby re-reads every facet posting per search
BIG_SIZE = 20000  # above this size, --baseline-queries limits the slow baselines
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000", help="catalogue sizes, comma separated")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query per engine")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-queries", type=int, metavar="K",
                        help=f"run only K queries (evenly spread over the mix) on slow baselines above {BIG_SIZE} "
                             "documents")
    parser.add_argument("--engines", default=",".join(ENGINES), help="engines to run, comma separated")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    args.engines = args.engines.split(",")
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    return args


# Measuring

def progress(message: str) -> None:
    """Where a long run is, on stderr so stdout stays the report."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def queries_for(engine_name: str, size: int, queries: list[BenchQuery], limit: int | None) -> list[int]:
    """Indexes into `queries` that this engine runs: all, or `limit` evenly spread ones for a slow baseline
    at a big size, so a 100k Whoosh run ends in minutes instead of an hour."""
    if limit is None or engine_name not in SLOW_BASELINES or size <= BIG_SIZE or limit >= len(queries):
        return list(range(len(queries)))
    return sorted({round(i * len(queries) / limit) for i in range(limit)})


def run_queries(engine, queries: list[BenchQuery], selected: list[int], repeat: int) -> dict:
    """One untimed warm-up run per query (its results feed the agreement check), then `repeat` timed rounds
    over the selection. Rounds go through the whole selection so no query is timed twice in a row."""
    results: dict[int, EngineResult] = {number: engine.search(queries[number]) for number in selected}
    seconds: dict[int, list[float]] = {number: [] for number in selected}
    gc.collect()
    for _ in range(repeat):
        for number in selected:
            seconds[number].append(timed(engine.search, queries[number])[0])
    return {"results": results, "seconds": seconds}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def latency(seconds: dict[int, list[float]], numbers: list[int]) -> dict | None:
    """p50 and p95 in milliseconds over every timed run of the given queries."""
    samples = [value for number in numbers for value in seconds.get(number, [])]
    if not samples:
        return None
    return {"p50": 1000 * percentile(samples, 0.50), "p95": 1000 * percentile(samples, 0.95),
            "samples": len(samples)}


def measure_size(size: int, generator: CatalogueGenerator, queries: list[BenchQuery], args) -> dict:
    documents = generator.documents(size)
    report: dict = {"size": size, "engines": {}}
    with tempfile.TemporaryDirectory(prefix="stem-bench-") as workdir:
        for name in args.engines:
            engine = ENGINES[name](Path(workdir) / name)
            progress(f"{size} documents: building {name}")
            build_seconds, _ = timed(engine.build, documents)
            selected = queries_for(name, size, queries, args.baseline_queries)
            progress(f"{size} documents: {len(selected)} queries x {args.repeat + 1} on {name}")
            run = run_queries(engine, queries, selected, args.repeat)
            report["engines"][name] = {
                "build_seconds": build_seconds,
                "index_bytes": engine.size_on_disk(),
                "queries_run": selected,
                # Other work on the machine shows up here (the benchmark itself accounts for about 1).
                "load_after_queries": os.getloadavg()[0],
                "seconds": run["seconds"],
                "totals": {number: result.total for number, result in run["results"].items()},
                "facets": {number: result.facets for number, result in run["results"].items()},
            }
            if isinstance(engine, OurEngine):
                report["publish"] = engine.publish_latency(documents[0], first_id=size + 1)
    report["latency"] = summarise_latency(report["engines"], queries)
    return report


def summarise_latency(engines: dict, queries: list[BenchQuery]) -> dict:
    """Per engine: p50/p95 over the mix and over the target subset; per baseline: its time divided by ours,
    computed on the queries both ran."""
    target = {number for number, query in enumerate(queries) if query.is_target}
    summary: dict = {}
    for name, engine in engines.items():
        subsets = {"mix": engine["queries_run"],
                   "target": [number for number in engine["queries_run"] if number in target]}
        summary[name] = {subset: latency(engine["seconds"], numbers) for subset, numbers in subsets.items()}
        if name != OurEngine.name and OurEngine.name in engines:
            ours = engines[OurEngine.name]["seconds"]
            summary[name]["ratio"] = {subset: ratio(latency(engine["seconds"], numbers), latency(ours, numbers))
                                      for subset, numbers in subsets.items()}
    return summary


def ratio(baseline: dict | None, ours: dict | None) -> dict | None:
    if not baseline or not ours:
        return None
    return {key: baseline[key] / ours[key] for key in ("p50", "p95")}


# Reporting

def agreement(report: dict, queries: list[BenchQuery]) -> dict:
    """Per baseline against ours (or against the first engine without ours): on how many queries the total
    and the facet counts are identical, split by browse (no text analysis involved) and text queries."""
    engines = report["engines"]
    reference = OurEngine.name if OurEngine.name in engines else next(iter(engines))
    found = {}
    for name, engine in engines.items():
        if name == reference:
            continue
        counts = {kind: {"queries": 0, "same_total": 0, "same_facets": 0} for kind in ("browse", "text")}
        for number in engine["queries_run"]:
            kind = counts["text" if queries[number].text else "browse"]
            kind["queries"] += 1
            kind["same_total"] += engine["totals"][number] == engines[reference]["totals"][number]
            kind["same_facets"] += engine["facets"][number] == engines[reference]["facets"][number]
        found[name] = counts
    return {"reference": reference, "baselines": found}


def sample_queries(queries: list[BenchQuery]) -> list[int]:
    """The first query of each (text kind, number of filters) cell: a few queries to show totals for."""
    return [number for number, query in enumerate(queries) if query.name.endswith("#1")]


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def percentile_row(name: str, summary: dict, digits: int = 1) -> str:
    """One table row: mix p50, mix p95, target p50, target p95."""
    mix, target = summary["mix"] or {}, summary["target"] or {}
    cells = [fmt(part.get(key), digits) for part in (mix, target) for key in ("p50", "p95")]
    return f"| {name} | " + " | ".join(cells) + " |"


def markdown_size(report: dict, queries: list[BenchQuery], args) -> list[str]:
    engines, latency_summary = report["engines"], report["latency"]
    lines = [f"## {report['size']} documents", "",
             "| engine | build s | index MB | queries run | load |", "|---|---:|---:|---:|---:|"]
    for name, engine in engines.items():
        lines.append(f"| {name} | {engine['build_seconds']:.1f} | {engine['index_bytes'] / 2**20:.1f} "
                     f"| {len(engine['queries_run'])} of {len(queries)} | {engine['load_after_queries']:.1f} |")
    lines += ["", "Latency in ms, every timed run of every query (target: text query with 2 filters).", "",
              "| engine | mix p50 | mix p95 | target p50 | target p95 |", "|---|---:|---:|---:|---:|"]
    for name, summary in latency_summary.items():
        lines.append(percentile_row(name, summary))
    ratios = {name: summary["ratio"] for name, summary in latency_summary.items() if "ratio" in summary}
    if ratios:
        lines += ["", "Baseline time / our time on the queries both ran (above 1: ours is faster).", "",
                  "| baseline | mix p50 | mix p95 | target p50 | target p95 |", "|---|---:|---:|---:|---:|"]
        for name, pair in ratios.items():
            lines.append(percentile_row(name, pair, digits=2))
    limited = [name for name, engine in engines.items() if len(engine["queries_run"]) < len(queries)]
    if limited:
        lines += ["", f"Note: {', '.join(limited)} ran only {args.baseline_queries} of the {len(queries)} queries "
                  f"at this size (--baseline-queries); its percentiles and ratios cover those queries only."]
    if "publish" in report:
        publish = report["publish"]
        lines += ["", f"Publish-to-searchable (ours): median {1000 * publish['median']:.1f} ms "
                  f"(min {1000 * publish['min']:.1f}, max {1000 * publish['max']:.1f}, {publish['trials']} trials)."]
    lines += markdown_agreement(report, queries)
    return lines


def markdown_agreement(report: dict, queries: list[BenchQuery]) -> list[str]:
    engines = report["engines"]
    found = agreement(report, queries)
    lines = ["", f"Agreement with {found['reference']} (identical total / identical facet counts):", ""]
    for name, counts in found["baselines"].items():
        parts = [f"{kind} {c['same_total']}/{c['queries']} totals, {c['same_facets']}/{c['queries']} facets"
                 for kind, c in counts.items() if c["queries"]]
        lines.append(f"- {name}: {'; '.join(parts)}")
    names = list(engines)
    lines += ["", "| query | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for number in sample_queries(queries):
        totals = [str(engines[name]["totals"].get(number, "-")) for name in names]
        lines.append(f"| {queries[number].describe()} | " + " | ".join(totals) + " |")
    return lines


def markdown(reports: list[dict], queries: list[BenchQuery], args) -> str:
    target_count = sum(query.is_target for query in queries)
    lines = [
        "# STEM-wijzer search benchmark", "",
        f"Seed {args.seed}; {len(queries)} queries ({target_count} target), each warmed up once and timed "
        f"{args.repeat} times per engine. Python {platform.python_version()}, Whoosh "
        f"{whoosh.versionstring()}, SQLite {sqlite3.sqlite_version}, {platform.machine()} "
        f"with {os.cpu_count()} CPUs.", "",
    ]
    for report in reports:
        lines += markdown_size(report, queries, args) + [""]
    return "\n".join(lines)


def to_json(reports: list[dict], queries: list[BenchQuery], args) -> dict:
    """The report's numbers plus per-query latencies and totals (facet counts left out: they are bulky and
    summarised by the agreement)."""
    sizes = []
    for report in reports:
        engines = {name: {key: value for key, value in engine.items() if key != "facets"}
                   for name, engine in report["engines"].items()}
        sizes.append(report | {"engines": engines, "agreement": agreement(report, queries)})
    return {
        "settings": {"seed": args.seed, "repeat": args.repeat, "sizes": args.sizes, "engines": args.engines,
                     "baseline_queries": args.baseline_queries, "big_size": BIG_SIZE},
        "queries": [{"name": q.name, "query": q.describe(), "target": q.is_target} for q in queries],
        "sizes": sizes,
    }


def main() -> None:
    args = parse_args()
    generator = CatalogueGenerator(args.seed)
    queries = query_mix(generator, args.seed)
    reports = [measure_size(size, generator, queries, args) for size in args.sizes]
    print(markdown(reports, queries, args))
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(to_json(reports, queries, args), indent=1))
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()
