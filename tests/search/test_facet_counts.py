"""Facet counts equal a brute-force count over the database, for random filter combinations (property test)."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.catalogue.models import Listing, listing_details
from portal.clock import today
from portal.extensions import db
from portal.search.documents import listing_document
from portal.search.sync import search_index
from search_index import FACETS, SearchQuery
from tests.search.upcoming import is_upcoming

TEXTS = ["", "robot", "kamp", "klimaat wetenschap", "lerend netwerk", "programmeren", "zzzz"]


@pytest.fixture(scope="module")
def documents(demo_app):
    with demo_app.test_request_context():
        listings = db.session.scalars(select(Listing).where(Listing.status == "published").options(*listing_details()))
        yield [listing_document(listing) for listing in listings]


def codes_in(documents, facet):
    return sorted({code for document in documents for code in document[facet]})


@st.composite
def queries(draw, documents):
    present = [facet for facet in FACETS if codes_in(documents, facet)]
    chosen = draw(st.lists(st.sampled_from(present), max_size=3, unique=True))
    filters = {
        facet: frozenset(draw(st.lists(st.sampled_from(codes_in(documents, facet)), min_size=1, max_size=2)))
        for facet in chosen
    }
    age = draw(st.none() | st.integers(min_value=0, max_value=30))
    return draw(st.sampled_from(TEXTS)), filters, age


def brute_force(documents, matching_ids, filters, age, day):
    def passes(document, skip=None):
        if document["id"] not in matching_ids:
            return False
        if not is_upcoming(document, day):
            return False
        if age is not None and document["ageless"]:
            return False  # offers for professionals are for no child's age
        if age is not None and not ((document["min_age"] is None or document["min_age"] <= age)
                                    and (document["max_age"] is None or age <= document["max_age"])):
            return False
        return all(set(document[f]) & codes for f, codes in filters.items() if f != skip)

    total = sum(passes(document) for document in documents)
    facets = {
        facet: dict(Counter(code for document in documents if passes(document, skip=facet)
                            for code in document[facet]))
        for facet in FACETS
    }
    return total, facets


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_facet_counts_match_the_database(demo_app, documents, data):
    text, filters, age = data.draw(queries(documents))
    day = today()
    with demo_app.app_context():
        index = search_index()
        # which documents the text matches is the engine's call; everything after that is checked here
        matching = {hit for hit in index.search(SearchQuery(text=text, page_size=10_000, facets=())).ids}
        if not text:
            matching = {document["id"] for document in documents}
        result = index.search(SearchQuery(text=text, filters=filters, age=age, today=day))
    total, facets = brute_force(documents, matching, filters, age, day)
    assert result.total == total
    assert result.facets == facets
