"""The distance query: text + a radius around a place + 2 filters + all facet counts, on our engine.

    .venv/bin/python -m bench.distance --sizes 20000,100000

The catalogue is the benchmark's (generate.py), each location given a point: its municipality's reference
point (portal/reference/places.py) moved by up to 3 km, as postcode and address points spread over a
municipality. Documents without a municipality (online, Flanders-wide) are `everywhere`. The queries are the
mix's target queries (text with 2 filters, queries.py), each around one of the municipalities of the catalogue
with a radius of 5, 10, 15, 25 or 50 km, half sorted by distance; Flanders-wide and online offers included in
half of them. Each is also timed without the radius (text + 2 filters + facets, relevance), alternately on
the same index, so the radius's own cost shows whatever the machine's load. Percentiles are nearest-rank over
every timed run after one warm-up run per query.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.generate import CatalogueGenerator
from bench.queries import PAGE_SIZE, query_mix
from bench.run import percentile
from portal.reference import places
from search_index import Near, SearchIndex, SearchQuery

RADII_KM = (5, 10, 15, 25, 50)
SPREAD_KM = 3.0


def with_points(documents: list[dict], rng: random.Random) -> list[dict]:
    for document in documents:
        points = []
        for code in document.get("municipality", []):
            latitude, longitude = places.of_municipality(code).point
            distance, bearing = SPREAD_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            points.append((latitude + distance * math.cos(bearing) / 111.2,
                           longitude + distance * math.sin(bearing) / (111.2 * math.cos(math.radians(latitude)))))
        document["points"] = points
        document["everywhere"] = not points
    return documents


def distance_queries(generator: CatalogueGenerator, seed: int) -> list[SearchQuery]:
    rng = random.Random(f"distance:{seed}")
    codes = places.municipality_codes()
    queries = []
    for base in (q for q in query_mix(generator, seed) if q.is_target):
        for _ in range(2):
            centre = places.of_municipality(rng.choice(codes))
            queries.append(SearchQuery(
                text=base.text, filters=base.filters, age=base.age, today=base.today, page_size=PAGE_SIZE,
                sort="distance" if rng.random() < 0.5 else "relevance",
                near=Near(centre.latitude, centre.longitude, km=rng.choice(RADII_KM), everywhere=rng.random() < 0.5),
            ))
    return queries


def measure(size: int, seed: int, repeat: int) -> dict:
    generator = CatalogueGenerator(seed)
    documents = with_points(generator.documents(size), random.Random(f"points:{seed}"))
    queries = distance_queries(generator, seed)
    with tempfile.TemporaryDirectory() as directory:
        index = SearchIndex(Path(directory) / "index")
        started = time.perf_counter()
        index.rebuild(documents)
        built = time.perf_counter() - started
        for query in queries:
            index.search(query)  # warm-up: caches and the snapshot
            index.search(replace(query, near=None))
        samples, plain, totals = [], [], []
        for _ in range(repeat):
            for query in queries:  # the same query with and without the radius, alternately (same load)
                started = time.perf_counter()
                result = index.search(query)
                samples.append((time.perf_counter() - started) * 1000)
                totals.append(result.total)
                started = time.perf_counter()
                index.search(replace(query, near=None, sort="relevance"))
                plain.append((time.perf_counter() - started) * 1000)
        load = os.getloadavg()[0]
    return {"size": size, "build_s": built, "queries": len(queries), "samples": len(samples),
            "p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95),
            "plain_p50": percentile(plain, 0.5), "plain_p95": percentile(plain, 0.95), "load": load,
            "median_total": sorted(totals)[len(totals) // 2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| documents | build s | queries | distance target p50 ms | p95 ms | same without radius p50 ms | p95 ms "
          "| load | median total |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args.seed, args.repeat)
        print(f"| {row['size']} | {row['build_s']:.0f} | {row['queries']} | {row['p50']:.1f} | {row['p95']:.1f} "
              f"| {row['plain_p50']:.1f} | {row['plain_p95']:.1f} | {row['load']:.1f} | {row['median_total']} |",
              flush=True)


if __name__ == "__main__":
    main()
