"""The benchmark's query mix and the result every engine returns for it.

The mix is fixed by seed and independent of catalogue size, so every size and engine answers the same
questions: browsing, one word or two words, each with 0 to 3 facet filters, some with an exact age, some
sorted by soonest date. "Text query with 2 filters" is the target case (the portal's typical search).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from bench.generate import (
    ANCHOR,
    COST_WEIGHTS,
    FORMAT_WEIGHTS,
    KIND_WEIGHTS,
    REGION_WEIGHTS,
    TARGET_GROUP_WEIGHTS,
    THEME_WEIGHTS,
    CatalogueGenerator,
    Weighted,
)

FACETS = ("kind", "age_group", "region", "municipality", "target_group", "theme", "discipline", "format", "cost")
PAGE_SIZE = 20
# How often users filter on each facet: place and theme first, cost and municipality rarely.
FILTER_FACET_WEIGHTS = {"region": 30, "theme": 15, "age_group": 12, "target_group": 12, "kind": 10, "format": 8,
                        "cost": 5, "municipality": 5}
AGE_GROUP_WEIGHTS = {"primary": 40, "sec1": 20, "sec2": 15, "sec3": 10, "toddler": 8, "young_adult": 4, "adult": 3}
# Words people type: real content words among the most frequent (in 7-85% of the documents: techniek,
# workshops) and further down (in 1-7%: genk, solderen). Rarer words mostly find nothing once filtered.
COMMON_WORD_RANKS = (0, 150)
MID_WORD_RANKS = (150, 1000)
VARIANTS = 3  # queries per (text kind, number of filters)
TARGET_VARIANTS = 6  # the target cells get more, so their percentiles rest on more samples
AGE_SHARE = 0.3
SOONEST_SHARE = 0.25


@dataclass(frozen=True)
class BenchQuery:
    name: str
    text: str = ""
    filters: dict[str, frozenset[str]] = field(default_factory=dict)
    age: int | None = None
    sort: str = "relevance"  # relevance | soonest
    today: date = ANCHOR

    @property
    def is_target(self) -> bool:
        return bool(self.text) and len(self.filters) == 2

    def describe(self) -> str:
        parts = [repr(self.text) if self.text else "(browse)"]
        parts += [f"{facet}={','.join(sorted(codes))}" for facet, codes in self.filters.items()]
        if self.age is not None:
            parts.append(f"age={self.age}")
        if self.sort != "relevance":
            parts.append(f"sort={self.sort}")
        return " ".join(parts)


@dataclass
class EngineResult:
    total: int
    facets: dict[str, dict[str, int]]  # facet -> code -> count (disjunctive)
    ids: list[str]  # the first page, best first


def filter_codes(generator: CatalogueGenerator) -> dict[str, Weighted]:
    """For each filterable facet, the codes users pick, popular ones more often."""
    municipalities = {municipality.code: weight for weighted in generator.municipalities.values()
                      for municipality, weight in zip(weighted.population, weighted.weights, strict=True)}
    return {
        "region": Weighted(REGION_WEIGHTS), "theme": Weighted(THEME_WEIGHTS), "age_group": Weighted(AGE_GROUP_WEIGHTS),
        "target_group": Weighted(TARGET_GROUP_WEIGHTS), "kind": Weighted(KIND_WEIGHTS),
        "format": Weighted(FORMAT_WEIGHTS), "cost": Weighted(COST_WEIGHTS), "municipality": Weighted(municipalities),
    }


def pick_facets(rng: random.Random, facet_choice: Weighted, count: int) -> list[str]:
    """`count` facets to filter on, never region and municipality together: a municipality outside the
    chosen province is a query nobody types, and it would only measure empty results."""
    while True:
        facets = facet_choice.distinct(rng, count)
        if not {"region", "municipality"} <= set(facets):
            return facets


def query_mix(generator: CatalogueGenerator, seed: int = 1) -> list[BenchQuery]:
    rng = random.Random(f"queries:{seed}")
    words = generator.query_vocabulary
    common, mid = words[slice(*COMMON_WORD_RANKS)], words[slice(*MID_WORD_RANKS)]
    texts = {
        "browse": lambda: "",
        "one word": lambda: rng.choice(rng.choice((common, mid))),
        "two words": lambda: f"{rng.choice(common)} {rng.choice(mid)}",
    }
    codes = filter_codes(generator)
    facet_choice = Weighted(FILTER_FACET_WEIGHTS)
    queries = []
    for text_kind, make_text in texts.items():
        for filter_count in range(4):
            is_target = text_kind != "browse" and filter_count == 2
            for variant in range(TARGET_VARIANTS if is_target else VARIANTS):
                filters = {}
                for facet in pick_facets(rng, facet_choice, filter_count):
                    # A quarter of the filters tick two boxes in the same facet (OR).
                    filters[facet] = frozenset(codes[facet].distinct(rng, 2 if rng.random() < 0.25 else 1))
                queries.append(BenchQuery(
                    name=f"{text_kind}, {filter_count} filters #{variant + 1}",
                    text=make_text(),
                    filters=filters,
                    age=rng.randint(4, 17) if rng.random() < AGE_SHARE else None,
                    sort="soonest" if rng.random() < SOONEST_SHARE else "relevance",
                ))
    return queries
