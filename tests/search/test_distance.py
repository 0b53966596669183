"""The distance filter and sort against a brute-force haversine over the database (property test), with facet
counts that stay exact and disjunctive."""

import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.catalogue.models import Listing, Location, listing_details
from portal.clock import today
from portal.extensions import db
from portal.reference import places
from portal.search.documents import listing_document
from portal.search.sync import search_index
from search_index import FACETS, Near, SearchQuery
from tests.search.upcoming import is_upcoming

SOUTH, WEST, NORTH, EAST = 50.68, 2.55, 51.50, 5.90  # Flanders and Brussels, roughly


@pytest.fixture(scope="module")
def catalogue(demo_app):
    """Per published listing: its search document and its location points, from the database."""
    with demo_app.test_request_context():
        listings = db.session.scalars(select(Listing).where(Listing.status == "published").options(*listing_details()))
        yield [(listing_document(listing), [(loc.latitude, loc.longitude) for loc in listing.locations])
               for listing in listings]


def test_every_demo_location_has_a_point_in_belgium(demo_app):
    with demo_app.app_context():
        locations = db.session.scalars(select(Location)).all()
    assert locations
    for location in locations:
        assert location.latitude is not None and places.in_belgium(location.latitude, location.longitude)
        assert location.point_source in ("postcode", "municipality")


def nearest_km(points, centre):
    return min((places.distance_km(centre, point) for point in points), default=math.inf)


def brute_force(catalogue, centre, km, everywhere, filters, day):
    def passes(document, points, skip=None):
        if not is_upcoming(document, day):
            return False
        if not (nearest_km(points, centre) <= km or (everywhere and document["everywhere"])):
            return False
        return all(set(document[f]) & codes for f, codes in filters.items() if f != skip)

    ids = {document["id"] for document, points in catalogue if passes(document, points)}
    facets = {facet: dict(Counter(code for document, points in catalogue if passes(document, points, skip=facet)
                                  for code in document[facet])) for facet in FACETS}
    return ids, facets


def on_a_boundary(catalogue, centre, km):
    """A location within a metre of the radius: float rounding may fall either way there."""
    return any(abs(places.distance_km(centre, point) - km) < 1e-3 for _, points in catalogue for point in points)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_distance_filter_and_facets_match_a_brute_force_haversine(demo_app, catalogue, data):
    centre = (data.draw(st.floats(SOUTH, NORTH)), data.draw(st.floats(WEST, EAST)))
    km = data.draw(st.floats(0.5, 80))
    everywhere = data.draw(st.booleans())
    chosen = data.draw(st.lists(st.sampled_from(["kind", "theme", "cost", "age_group"]), max_size=2, unique=True))
    filters = {facet: frozenset(data.draw(st.lists(st.sampled_from(
        sorted({c for document, _ in catalogue for c in document[facet]})), min_size=1, max_size=2)))
        for facet in chosen}
    if on_a_boundary(catalogue, centre, km):
        return
    day = today()
    with demo_app.app_context():
        result = search_index().search(SearchQuery(filters=filters, today=day, page_size=10_000,
                                                   near=Near(*centre, km=km, everywhere=everywhere)))
    ids, facets = brute_force(catalogue, centre, km, everywhere, filters, day)
    assert set(result.ids) == ids
    assert result.facets == facets
    points = {document["id"]: points for document, points in catalogue}
    for hit in result.hits:
        expected = nearest_km(points[hit.id], centre)
        assert (hit.distance_km is None) if expected == math.inf else hit.distance_km == pytest.approx(expected)


def test_sort_by_distance_puts_the_nearest_first_and_places_without_locations_last(demo_app, catalogue):
    genk = places.by_name("Genk").point
    with demo_app.app_context():
        result = search_index().search(SearchQuery(near=Near(*genk), sort="distance", page_size=10_000))
    distances = [hit.distance_km if hit.distance_km is not None else math.inf for hit in result.hits]
    assert distances == sorted(distances)
    assert distances[0] < 5 and result.total == len(catalogue)  # without a radius nothing is left out
    located = [d for d in distances if d != math.inf]
    assert len(located) == sum(1 for _, points in catalogue if points)


def test_nearest_first_among_equally_relevant(demo_app):
    """With words and a place, documents matching the same words come nearest first."""
    hasselt = places.by_name("Hasselt").point
    with demo_app.app_context():
        index = search_index()
        plain = index.search(SearchQuery(text="robot", page_size=10_000))
        near = index.search(SearchQuery(text="robot", near=Near(*hasselt), page_size=10_000))
    assert set(plain.ids) == set(near.ids)  # no radius: the same documents, another order
    first = [hit for hit in near.hits if hit.distance_km is not None][:5]
    assert first and all(hit.distance_km < 40 for hit in first)
