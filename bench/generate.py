"""A synthetic catalogue in the document format of search_index (SEARCH_INTERFACE.md), deterministic by seed.

The words are real Dutch: every word of the demo catalogue's prose (seeds/catalogue/*.toml), ranked by how
often it occurs there, plus compounds and inflections made from them, so that the Dutch stemmer and the
accent folding have real work to do. Texts draw words from a Zipf distribution over that ranking. Facet
values follow skewed weights that resemble the demo catalogue; regions follow province population and
municipalities (REFNIS codes, from portal.reference.municipalities) always lie in the document's regions.

    /tmp/venv/bin/python -m bench.generate --size 2000    # prints a summary and one document
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import random
import re
import tomllib
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

from whoosh.lang import stopwords_for_language

from portal.catalogue import vocab
from portal.reference.municipalities import all_municipalities

# The demo catalogue's anchor day (seeds/FORMAT.md). Dates are spread around it and queries use it as
# `today`, so results do not depend on the day the benchmark runs.
ANCHOR = date(2026, 11, 22)
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds" / "catalogue"
STOPWORDS = frozenset(stopwords_for_language("nl"))
ZIPF_EXPONENT = 1.0

# Generated words are mixed into the ranking below this many top corpus words: the most frequent words of
# a Dutch catalogue are function words and core STEM terms, not invented compounds.
KEEP_TOP_RANKS = 300
COMPOUNDS = 2500
INFLECTIONS = 1500
INFLECTION_SUFFIXES = ("en", "s", "je", "tje", "e", "er", "ste", "heid", "ing")

KIND_WEIGHTS = {"activity": 70, "school_project": 10, "academy": 8, "charter_signatory": 7, "learning_network": 5}
COST_WEIGHTS = {"free": 46, "paid": 44, "reduced_rate": 10}
TARGET_GROUP_WEIGHTS = {"everyone": 30, "teachers": 15, "girls": 12, "disadvantaged": 8, "tso_bso": 8, "gifted": 6,
                        "parents": 6, "newcomers": 3, "special_needs": 3}
THEME_WEIGHTS = {"digitalisation": 30, "climate": 20, "ai": 12, "energy": 10, "health": 10, "mobility": 7,
                 "circular": 6, "cybersecurity": 5}
DISCIPLINE_WEIGHTS = {"technology": 30, "science": 25, "integrated": 20, "engineering": 12, "mathematics": 10,
                      "steam": 3}
FORMAT_WEIGHTS = {"workshop": 25, "club": 15, "camp": 15, "event": 10, "course": 10, "teaching_material": 8,
                  "visit": 8, "competition": 4, "makerspace": 3, "network": 2}
# Inhabitants in millions (Statbel, 2024, rounded). Brussels counts only its Dutch-speaking share, because
# the catalogue is the Flemish one.
REGION_WEIGHTS = {"antwerpen": 1.93, "oost-vlaanderen": 1.56, "west-vlaanderen": 1.23, "vlaams-brabant": 1.18,
                  "limburg": 0.89, "brussel": 0.25}
# (min_age, max_age): None is an open end, as in the documents.
AGE_RANGE_WEIGHTS = {(6, 12): 12, (8, 12): 12, (12, 18): 10, (6, 9): 6, (9, 12): 8, (10, 14): 8, (None, None): 8,
                     (14, 18): 8, (12, 14): 6, (3, 5): 4, (4, 6): 3, (16, 18): 4, (25, None): 4, (15, 25): 3,
                     (18, 25): 3, (6, None): 2, (None, 12): 1}
# How many values a document carries per multi-valued field.
TARGET_GROUP_COUNTS = {1: 55, 2: 30, 3: 15}
THEME_COUNTS = {0: 35, 1: 45, 2: 20}
DISCIPLINE_COUNTS = {1: 65, 2: 35}
FORMAT_COUNTS = {1: 70, 2: 30}
LOCATION_COUNTS = {1: 85, 2: 10, 3: 5}
ONLINE_SHARE = 0.05
FLANDERS_WIDE_SHARE = 0.03
PERMANENT_SHARE = 0.30
ONE_DAY_SHARE = 0.40  # of the dated documents: a single day; the others run a few weeks to months

ORGANISATION_PREFIXES = ("Robotclub", "STEM-academie", "Techniekclub", "Codeklas", "Wetenschapsclub", "Maakplaats",
                         "Jeugdwerking", "Basisschool", "Hogeschool", "Technisch Instituut", "Vzw", "Labo")
LOCATION_PREFIXES = ("Clublokaal", "Sporthal", "Bibliotheek", "Cultuurcentrum", "Campus", "Jeugdhuis", "Schoolgebouw",
                     "Ontmoetingscentrum", "Makerspace")

WORD = re.compile(r"[^\W\d_]+")


class Weighted:
    """Draws from a fixed population with fixed weights (bisect on cumulative weights)."""

    def __init__(self, weights: dict):
        self.population = list(weights)
        self.weights = list(weights.values())
        self.cumulative = list(itertools.accumulate(weights.values()))

    def one(self, rng: random.Random):
        return self.population[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def many(self, rng: random.Random, k: int) -> list:
        return rng.choices(self.population, cum_weights=self.cumulative, k=k)

    def distinct(self, rng: random.Random, k: int) -> list:
        """k different values, more likely the heavier ones."""
        chosen: list = []
        while len(chosen) < k:
            value = self.one(rng)
            if value not in chosen:
                chosen.append(value)
        return chosen


def zipf(words: list[str]) -> Weighted:
    return Weighted({word: 1 / rank**ZIPF_EXPONENT for rank, word in enumerate(words, start=1)})


def demo_organisations() -> list[dict]:
    """The organisations of the demo catalogue, with their listings."""
    return [organisation for path in sorted(SEEDS_DIR.glob("*.toml"))
            for organisation in tomllib.loads(path.read_text(encoding="utf-8"))["organisations"]]


def corpus_counts(organisations: list[dict]) -> Counter:
    """Lowercased words of the demo catalogue's prose (names, titles, summaries, descriptions)."""
    counts: Counter = Counter()
    for organisation in organisations:
        texts = [organisation["name"], organisation.get("description", "")]
        for listing in organisation.get("listings", []):
            texts += [listing.get("title", ""), listing.get("summary", ""), listing.get("description", "")]
        for text in texts:
            counts.update(word.lower() for word in WORD.findall(text))
    return counts


def is_content_word(word: str) -> bool:
    return len(word) >= 4 and word not in STOPWORDS


def generated_words(rng: random.Random, stems: list[str], known: set[str]) -> list[str]:
    """Dutch-looking compounds (robot + kamp, with an occasional linking s or en) and inflections."""
    short_stems = [word for word in stems if len(word) <= 9]
    found: dict[str, None] = {}
    while len(found) < COMPOUNDS:
        first, second = rng.sample(short_stems, 2)
        link = rng.choices(("", "s", "en"), weights=(80, 10, 10))[0]
        found.setdefault(first + link + second)
    target = COMPOUNDS + INFLECTIONS
    while len(found) < target:
        found.setdefault(rng.choice(stems) + rng.choice(INFLECTION_SUFFIXES))
    return [word for word in found if word not in known]


def build_vocabulary(rng: random.Random, counts: Counter) -> list[str]:
    """Words ranked from most to least frequent: corpus words by corpus frequency, generated words mixed in
    below the top ranks."""
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    stems = [word for word in ranked[:2500] if is_content_word(word)]
    keyed = [(float(rank), word) for rank, word in enumerate(ranked)]
    total = len(ranked) + COMPOUNDS + INFLECTIONS
    keyed += [(rng.uniform(KEEP_TOP_RANKS, total), word) for word in generated_words(rng, stems, set(counts))]
    return [word for _, word in sorted(keyed)]


def municipality_weights() -> dict[str, Weighted]:
    """Per region, its municipalities weighted by number of postcodes: a rough proxy for size that puts
    Antwerpen and Gent far ahead of a village."""
    by_region: dict[str, dict] = {}
    for municipality in all_municipalities():
        by_region.setdefault(municipality.region, {})[municipality] = len(municipality.postcodes)
    return {region: Weighted(weights) for region, weights in by_region.items()}


def check_vocabularies() -> None:
    """The weights must name exactly the portal's codes, or the benchmark would test a different catalogue."""
    pairs = [(KIND_WEIGHTS, vocab.LISTING_KINDS), (COST_WEIGHTS, vocab.COSTS),
             (TARGET_GROUP_WEIGHTS, vocab.TARGET_GROUPS), (THEME_WEIGHTS, vocab.THEMES),
             (DISCIPLINE_WEIGHTS, vocab.DISCIPLINES), (FORMAT_WEIGHTS, vocab.FORMATS), (REGION_WEIGHTS, vocab.REGIONS)]
    for weights, vocabulary in pairs:
        assert set(weights) == set(vocabulary.codes), f"{vocabulary.name}: weights and vocabulary differ"


def sentences(words: list[str], rng: random.Random) -> str:
    """Words as sentences of 6 to 16 words: capitalised, with full stops."""
    parts, start = [], 0
    while start < len(words):
        end = start + rng.randint(6, 16)
        sentence = " ".join(words[start:end])
        parts.append(sentence[:1].upper() + sentence[1:] + ".")
        start = end
    return " ".join(parts)


class CatalogueGenerator:
    def __init__(self, seed: int = 1):
        check_vocabularies()
        self.seed = seed
        demo = demo_organisations()
        counts = corpus_counts(demo)
        self.vocabulary = build_vocabulary(random.Random(seed), counts)
        self.content_vocabulary = [word for word in self.vocabulary if is_content_word(word)]
        # The words people would type: real content words, most frequent first (no invented compounds).
        self.query_vocabulary = [word for word in self.content_vocabulary if word in counts]
        self.words = zipf(self.vocabulary)
        self.content_words = zipf(self.content_vocabulary)
        self.regions = Weighted(REGION_WEIGHTS)
        self.municipalities = municipality_weights()
        self.demo_organisations = sorted({organisation["name"] for organisation in demo})
        self.kinds = Weighted(KIND_WEIGHTS)
        self.costs = Weighted(COST_WEIGHTS)
        self.age_ranges = Weighted(AGE_RANGE_WEIGHTS)
        self.location_counts = Weighted(LOCATION_COUNTS)
        # field -> (its values, how many values a document carries)
        self.multi_valued = {
            "target_group": (Weighted(TARGET_GROUP_WEIGHTS), Weighted(TARGET_GROUP_COUNTS)),
            "theme": (Weighted(THEME_WEIGHTS), Weighted(THEME_COUNTS)),
            "discipline": (Weighted(DISCIPLINE_WEIGHTS), Weighted(DISCIPLINE_COUNTS)),
            "format": (Weighted(FORMAT_WEIGHTS), Weighted(FORMAT_COUNTS)),
        }

    def documents(self, size: int) -> list[dict]:
        rng = random.Random(f"{self.seed}:{size}")
        organisations = self._organisations(rng, max(30, size // 6))
        # A few organisations publish a lot, most only a listing or two.
        by_activity = Weighted({index: 1 / (index + 1) ** 0.8 for index in range(len(organisations))})
        return [self.document(rng, str(number), organisations[by_activity.one(rng)])
                for number in range(1, size + 1)]

    def _organisations(self, rng: random.Random, count: int) -> list[dict]:
        organisations = []
        for index in range(count):
            home = self.municipalities[self.regions.one(rng)].one(rng)
            if index < len(self.demo_organisations):
                name = self.demo_organisations[index]
            else:
                word = self.content_words.one(rng).capitalize()
                name = f"{rng.choice(ORGANISATION_PREFIXES)} {word} {home.name}"
            organisations.append({"name": name, "home": home})
        return organisations

    def document(self, rng: random.Random, doc_id: str, organisation: dict) -> dict:
        min_age, max_age = self.age_ranges.one(rng)
        regions, municipalities, places = self._where(rng, organisation["home"])
        start, last_day = self._dates(rng)
        title = self.content_words.many(rng, rng.randint(3, 8))
        return {
            "id": doc_id,
            "title": " ".join(title).capitalize(),
            "summary": sentences(self.words.many(rng, rng.randint(15, 40)), rng),
            "body": sentences(self.words.many(rng, self._body_length(rng)), rng),
            "organisation": organisation["name"],
            "places": places,
            "kind": [self.kinds.one(rng)],
            "age_group": vocab.age_groups_for(min_age, max_age),
            "region": regions,
            "municipality": municipalities,
            **{field: values.distinct(rng, counts.one(rng)) for field, (values, counts) in self.multi_valued.items()},
            "cost": [self.costs.one(rng)],
            "min_age": min_age,
            "max_age": max_age,
            "start": start,
            "last_day": last_day,
            "published": datetime.combine(ANCHOR, time(12)) - timedelta(minutes=rng.randint(0, 730 * 24 * 60)),
        }

    @staticmethod
    def _body_length(rng: random.Random) -> int:
        """Mostly around a hundred words, a long tail of long descriptions, within 40 to 300."""
        return min(300, max(40, round(rng.lognormvariate(math.log(110), 0.55))))

    def _where(self, rng: random.Random, home) -> tuple[list[str], list[str], list[str]]:
        """Regions, municipality codes and place names. Online documents carry the region `online`,
        Flanders-wide ones every region; local ones have 1-3 locations, usually at the organiser's home."""
        reach = rng.random()
        if reach < ONLINE_SHARE:
            return ["online"], [], []
        if reach < ONLINE_SHARE + FLANDERS_WIDE_SHARE:
            return list(vocab.REGIONS.codes), [], []
        located = [home if rng.random() < 0.7 else self.municipalities[home.region].one(rng)]
        for _ in range(self.location_counts.one(rng) - 1):
            region = home.region if rng.random() < 0.8 else self.regions.one(rng)
            located.append(self.municipalities[region].one(rng))
        located = list(dict.fromkeys(located))
        places = []
        for municipality in located:
            places += [f"{rng.choice(LOCATION_PREFIXES)} {self.content_words.one(rng).capitalize()}",
                       municipality.name]
        found = {municipality.region for municipality in located}
        regions = [code for code in vocab.REGIONS.codes if code in found]
        return regions, [municipality.code for municipality in located], places

    @staticmethod
    def _dates(rng: random.Random) -> tuple[date | None, date | None]:
        """(start, last_day): permanent documents have neither; the others start between a year ago and a
        year ahead and last one day or a few weeks to months (never beyond a year ahead)."""
        if rng.random() < PERMANENT_SHARE:
            return None, None
        start = ANCHOR + timedelta(days=rng.randint(-365, 365))
        if rng.random() < ONE_DAY_SHARE:
            return start, start
        return start, min(start + timedelta(days=rng.randint(7, 270)), ANCHOR + timedelta(days=365))


def summary(documents: list[dict]) -> str:
    """Shares of facet values and text lengths, to eyeball that the catalogue looks as intended."""
    lines = [f"{len(documents)} documents"]
    for field in ("kind", "cost", "region", "theme", "target_group"):
        counts = Counter(code for document in documents for code in document[field])
        shares = ", ".join(f"{code} {100 * n / len(documents):.0f}%" for code, n in counts.most_common())
        lines.append(f"{field}: {shares}")
    for field in ("title", "summary", "body"):
        lengths = sorted(len(document[field].split()) for document in documents)
        lines.append(f"{field} words: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    permanent = sum(document["last_day"] is None for document in documents)
    lines.append(f"permanent: {100 * permanent / len(documents):.0f}%")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generator = CatalogueGenerator(args.seed)
    documents = generator.documents(args.size)
    print(f"vocabulary: {len(generator.vocabulary)} words")
    print(summary(documents))
    print(documents[0])


if __name__ == "__main__":
    main()
