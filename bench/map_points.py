"""The search page's map: the engine's part of /zoeken/kaart.json, every result of a search at once (up to
portal.search.service.MAP_LIMIT hits, without facet counts or highlighting), beside the results page it
accompanies (20 hits, highlighted, and every facet count).

    .venv/bin/python -m bench.map_points --sizes 20000,100000

The catalogue and queries are the distance benchmark's (bench/distance.py): the mix's target queries, each around a
municipality with a radius. Percentiles are nearest-rank over every timed run after one warm-up run per query.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.distance import distance_queries, with_points
from bench.generate import CatalogueGenerator
from bench.run import percentile
from portal.search.service import MAP_LIMIT
from search_index import SearchIndex


def measure(size: int, seed: int, repeat: int) -> dict:
    generator = CatalogueGenerator(seed)
    documents = with_points(generator.documents(size), random.Random(f"points:{seed}"))
    pages = distance_queries(generator, seed)
    maps = [replace(query, page=1, page_size=MAP_LIMIT, facets=(), highlight=False) for query in pages]
    with tempfile.TemporaryDirectory() as directory:
        index = SearchIndex(Path(directory) / "index")
        index.rebuild(documents)
        for query in pages + maps:
            index.search(query)  # warm-up: caches and the snapshot
        page_ms, map_ms, hits = [], [], []
        for _ in range(repeat):
            for page, points in zip(pages, maps, strict=True):  # alternately, under the same load
                started = time.perf_counter()
                index.search(page)
                page_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                hits.append(len(index.search(points).hits))
                map_ms.append((time.perf_counter() - started) * 1000)
        load = os.getloadavg()[0]
    return {"size": size, "queries": len(pages), "page_p50": percentile(page_ms, 0.5),
            "page_p95": percentile(page_ms, 0.95), "map_p50": percentile(map_ms, 0.5),
            "map_p95": percentile(map_ms, 0.95), "median_hits": sorted(hits)[len(hits) // 2], "max_hits": max(hits),
            "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| documents | queries | results page p50 ms | p95 ms | map p50 ms | p95 ms | median hits | max hits "
          "| load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args.seed, args.repeat)
        print(f"| {row['size']} | {row['queries']} | {row['page_p50']:.1f} | {row['page_p95']:.1f} "
              f"| {row['map_p50']:.1f} | {row['map_p95']:.1f} | {row['median_hits']} | {row['max_hits']} "
              f"| {row['load']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
