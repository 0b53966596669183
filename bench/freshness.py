"""How much the freshness boost (search_index/engine.py FRESHNESS_BOOST) changes relevance results.

    .venv/bin/python -m bench.freshness --size 20000

The benchmark's catalogue (generate.py), each document confirmed on a day drawn uniformly from the 13 months
before the queries' day (what the index holds: older ones are stale and out of it). Every text query of the
mix (queries.py) is run in relevance order with the boost and with it set to 0, on the same index. Reported:
the share of queries whose first page changes (order, and which documents), whose first hit changes, the mean
number of places a document on both pages moves, and the mean age of the confirmation of the first page.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from bench.generate import ANCHOR, CatalogueGenerator
from bench.queries import PAGE_SIZE, query_mix
from search_index import SearchIndex, SearchQuery, engine

OLDEST_DAYS = 395  # 13 months


def measure(size: int, seed: int, boosts: list[float]) -> list[dict]:
    rng = random.Random(f"confirmed:{seed}")
    generator = CatalogueGenerator(seed)
    documents = generator.documents(size)
    for document in documents:
        document["confirmed"] = ANCHOR - timedelta(days=rng.randrange(OLDEST_DAYS))
    age = {document["id"]: (ANCHOR - document["confirmed"]).days for document in documents}
    queries = [query for query in query_mix(generator, seed) if query.text and query.sort == "relevance"]
    configured = engine.FRESHNESS_BOOST
    with tempfile.TemporaryDirectory() as directory:
        index = SearchIndex(Path(directory) / "index")
        index.rebuild(documents)

        def pages(boost: float) -> list[list[str]]:
            engine.FRESHNESS_BOOST = boost
            try:
                return [index.search(SearchQuery(text=query.text, filters=query.filters, age=query.age,
                                                 today=query.today, page_size=PAGE_SIZE)).ids for query in queries]
            finally:
                engine.FRESHNESS_BOOST = configured

        plain = pages(0.0)
        return [_compare(plain, pages(boost), boost, age, size) for boost in boosts]


def _compare(plain: list[list[str]], boosted: list[list[str]], boost: float, age: dict, size: int) -> dict:
    answered = [(a, b) for a, b in zip(plain, boosted, strict=True) if a]
    moves = [abs(a.index(doc) - b.index(doc)) for a, b in answered for doc in set(a) & set(b)]

    def mean_age(pages) -> float:
        ages = [age[doc] for page in pages for doc in page]
        return sum(ages) / len(ages) if ages else 0.0

    return {"size": size, "queries": len(answered), "boost": boost,
            "order_changed": sum(a != b for a, b in answered) / len(answered),
            "set_changed": sum(set(a) != set(b) for a, b in answered) / len(answered),
            "first_changed": sum(a[0] != b[0] for a, b in answered) / len(answered),
            "mean_move": sum(moves) / len(moves) if moves else 0.0, "age_plain": mean_age(p for p, _ in answered),
            "age_boosted": mean_age(b for _, b in answered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--boosts", default=str(engine.FRESHNESS_BOOST),
                        help="comma separated values of FRESHNESS_BOOST to compare with 0 (default: the engine's)")
    args = parser.parse_args()
    rows = measure(args.size, args.seed, [float(value) for value in args.boosts.split(",")])
    print("| documents | text queries | boost | first page reordered | other documents on it | first hit changed "
          "| mean move (places) | mean age of page 1, days: without | with |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['size']} | {row['queries']} | {row['boost']:.3f} | {row['order_changed']:.0%} "
              f"| {row['set_changed']:.0%} | {row['first_changed']:.0%} | {row['mean_move']:.2f} "
              f"| {row['age_plain']:.0f} | {row['age_boosted']:.0f} |")


if __name__ == "__main__":
    main()
