"""The date query: text + a period + 2 filters + all facet counts, on our engine.

    .venv/bin/python -m bench.period --sizes 20000,100000

The catalogue is the benchmark's (generate.py), each dated document given a schedule the way the demo
catalogue has them: those that run longer than a week meet weekly on one or two weekdays (three in five of them
pausing in the school holidays); camps and one-day events have none. The queries are the mix's target queries
(text with 2 filters, queries.py), each with a period the portal offers parents, seen from the catalogue's anchor
day (dit weekend, volgende 7 dagen, deze maand, the next herfst-, kerst-, krokus-, paas- and zomervakantie) and
the holidays in it, half of them also on one weekday (the `day` facet, as "op woensdag" asks). Each is also
timed without the period and the weekday, alternately on the same index, so the period's own cost shows
whatever the machine's load. Percentiles are nearest-rank over every timed run after one warm-up run per query.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bench.generate import ANCHOR, CatalogueGenerator
from bench.queries import PAGE_SIZE, query_mix
from bench.run import percentile
from portal.catalogue import vocab
from portal.search.when import WHEN_CHOICES, holidays_in, preset_period
from search_index import SearchIndex, SearchQuery


def with_schedules(documents: list[dict], rng: random.Random) -> list[dict]:
    for document in documents:
        start, last = document.get("start"), document.get("last_day")
        weekly = start is not None and last is not None and last - start > timedelta(days=7)
        days = sorted(rng.sample(range(6), rng.choice((1, 1, 2)))) if weekly else []
        document["days"] = days
        document["day"] = [vocab.WEEKDAYS.codes[number] for number in days]
        document["skips_holidays"] = weekly and rng.random() < 0.6
    return documents


def period_queries(generator: CatalogueGenerator, seed: int) -> list[SearchQuery]:
    rng = random.Random(f"period:{seed}")
    queries = []
    for base in (q for q in query_mix(generator, seed) if q.is_target):
        for _ in range(2):
            period = preset_period(rng.choice(WHEN_CHOICES.codes), ANCHOR)
            filters = dict(base.filters)
            if rng.random() < 0.5:
                filters["day"] = frozenset({rng.choice(vocab.WEEKDAYS.codes[:6])})
            queries.append(SearchQuery(text=base.text, filters=filters, age=base.age, today=base.today,
                                       page_size=PAGE_SIZE, period=period, holidays=holidays_in(period)))
    return queries


def measure(size: int, seed: int, repeat: int) -> dict:
    generator = CatalogueGenerator(seed)
    documents = with_schedules(generator.documents(size), random.Random(f"schedules:{seed}"))
    queries = period_queries(generator, seed)
    with tempfile.TemporaryDirectory() as directory:
        index = SearchIndex(Path(directory) / "index")
        started = time.perf_counter()
        index.rebuild(documents)
        built = time.perf_counter() - started

        def without_period(query: SearchQuery) -> SearchQuery:
            return replace(query, period=None, holidays=(),
                           filters={name: codes for name, codes in query.filters.items() if name != "day"})

        for query in queries:
            index.search(query)  # warm-up: caches and the snapshot
            index.search(without_period(query))
        samples, plain, totals, plain_totals = [], [], [], []
        for _ in range(repeat):
            for query in queries:  # the same query with and without the period, alternately (same load)
                started = time.perf_counter()
                result = index.search(query)
                samples.append((time.perf_counter() - started) * 1000)
                totals.append(result.total)
                started = time.perf_counter()
                plain_totals.append(index.search(without_period(query)).total)
                plain.append((time.perf_counter() - started) * 1000)
        load = os.getloadavg()[0]
    return {"size": size, "build_s": built, "queries": len(queries), "p50": percentile(samples, 0.5),
            "p95": percentile(samples, 0.95), "plain_p50": percentile(plain, 0.5),
            "plain_p95": percentile(plain, 0.95), "load": load, "median_total": sorted(totals)[len(totals) // 2],
            "plain_median_total": sorted(plain_totals)[len(plain_totals) // 2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| documents | build s | queries | period target p50 ms | p95 ms | same without period p50 ms | p95 ms "
          "| load | median total | without period |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args.seed, args.repeat)
        print(f"| {row['size']} | {row['build_s']:.0f} | {row['queries']} | {row['p50']:.1f} | {row['p95']:.1f} "
              f"| {row['plain_p50']:.1f} | {row['plain_p95']:.1f} | {row['load']:.1f} | {row['median_total']} "
              f"| {row['plain_median_total']} |",
              flush=True)


if __name__ == "__main__":
    main()
