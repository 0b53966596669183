"""Search quality on the demo catalogue: Dutch queries as people type them, and the listings they expect.

The cases live in quality_cases.toml. The suite reports Success@3 (the share of cases with an expected
listing among the first three results) and fails when it drops below the bar.
"""

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.catalogue.models import Listing
from portal.clock import today
from portal.extensions import db
from portal.search.service import SearchParams, search_listings

CASES = tomllib.loads((Path(__file__).parent / "quality_cases.toml").read_text())["case"]
SUCCESS_AT_3_BAR = 0.85


def top_slugs(case: dict) -> list[str]:
    args = MultiDict([("q", case["query"])])
    for name, codes in case.get("filters", {}).items():
        for code in codes:
            args.add(name, code)
    if "age" in case:
        args.add("age", str(case["age"]))
    page = search_listings(SearchParams.from_args(args), today(), page_size=3)
    return [card.slug for card in page.results]


@pytest.fixture(scope="module")
def outcomes(demo_app):
    with demo_app.test_request_context():
        slugs = dict(db.session.execute(select(Listing.title, Listing.slug)).all())
        titles = {slug: title for title, slug in slugs.items()}
        results = []
        for case in CASES:
            missing = [title for title in case["expect"] if title not in slugs]
            assert not missing, f"quality case {case['query']!r} expects unknown titles {missing}"
            top = top_slugs(case)
            results.append((case, [titles[slug] for slug in top], any(slugs[t] in top for t in case["expect"])))
        yield results


def test_success_at_3(outcomes, request):
    hits = sum(success for _, _, success in outcomes)
    misses = [(case["query"], top) for case, top, success in outcomes if not success]
    request.config.search_quality = (hits, len(outcomes), misses)  # printed in the terminal summary
    assert len(outcomes) >= 40
    assert hits / len(outcomes) >= SUCCESS_AT_3_BAR, "\n".join(f"{query!r}: got {top}" for query, top in misses)
