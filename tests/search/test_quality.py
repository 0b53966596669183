"""Search quality on the demo catalogue: Dutch queries as people type them, and the listings they expect.

The cases live in quality_cases.toml, each in a class (plural, compound in text, synonym, ...). The suite
reports, overall and per class, Success@3 (the share of cases with an expected listing among the first three
results) and Recall@10 (the share of expected listings among the first ten, averaged over the cases), and fails
when a class drops below the bar.
"""

import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.catalogue.models import Listing
from portal.clock import today
from portal.extensions import db
from portal.search.service import SearchParams, search_listings

CASES = tomllib.loads((Path(__file__).parent / "quality_cases.toml").read_text())["case"]
CLASSES = ("plural", "diminutive", "compound in query", "compound in text", "linking element", "verb stem", "synonym",
           "typo", "accent", "parent's phrasing", "place word", "age word", "organisation", "teacher", "filters")
SUCCESS_AT_3_BAR = 0.9  # overall and in every class


def top_slugs(case: dict) -> list[str]:
    args = MultiDict([("q", case["query"])])
    for name, codes in case.get("filters", {}).items():
        for code in codes:
            args.add(name, code)
    if "age" in case:
        args.add("age", str(case["age"]))
    page = search_listings(SearchParams.from_args(args), today(), page_size=10)
    return [card.slug for card in page.results]


@pytest.fixture(scope="module")
def outcomes(demo_app):
    """Per case: (case, titles of the first three, success at 3, recall at 10)."""
    with demo_app.test_request_context():
        slugs = dict(db.session.execute(select(Listing.title, Listing.slug)).all())
        titles = {slug: title for title, slug in slugs.items()}
        results = []
        for case in CASES:
            missing = [title for title in case["expect"] if title not in slugs]
            assert not missing, f"quality case {case['query']!r} expects unknown titles {missing}"
            top = top_slugs(case)
            expected = {slugs[title] for title in case["expect"]}
            results.append((case, [titles[slug] for slug in top[:3]], bool(expected & set(top[:3])),
                            len(expected & set(top)) / len(expected)))
        yield results


def by_class(outcomes) -> dict[str, tuple[int, float, float]]:
    """Class -> (cases, Success@3, Recall@10)."""
    grouped = defaultdict(list)
    for case, _, success, recall in outcomes:
        grouped[case["class"]].append((success, recall))
    return {name: (len(rows), sum(s for s, _ in rows) / len(rows), sum(r for _, r in rows) / len(rows))
            for name, rows in sorted(grouped.items())}


def test_every_case_has_a_known_class():
    assert {case.get("class") for case in CASES} <= set(CLASSES)
    assert len(CASES) >= 250


def test_success_at_3_and_recall_at_10_per_class(outcomes, request):
    hits = sum(success for _, _, success, _ in outcomes)
    misses = [(case["query"], top) for case, top, success, _ in outcomes if not success]
    classes = by_class(outcomes)
    request.config.search_quality = (hits, len(outcomes), misses, classes)  # printed in the terminal summary
    assert hits / len(outcomes) >= SUCCESS_AT_3_BAR, "\n".join(f"{query!r}: got {top}" for query, top in misses)
    weak = {name: figures for name, figures in classes.items() if figures[1] < SUCCESS_AT_3_BAR}
    assert not weak, f"classes below Success@3 {SUCCESS_AT_3_BAR}: {weak}"
