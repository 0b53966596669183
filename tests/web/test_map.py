"""The maps as the server serves them, on the demo catalogue: the search page's points (/zoeken/kaart.json) are the
search's results over all its pages, capped and saying so; a listing page carries its locations; without a script
the page shows no map box; the Content-Security-Policy allows a configured tile service's origin and no other."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.catalogue import map_features
from portal.catalogue.models import Listing
from portal.clock import today
from portal.config import ConfigError
from portal.extensions import db
from portal.reference.places import BELGIUM
from portal.search.service import SearchParams, map_results
from tests.conftest import make_app

SEARCHES = ["q=robot", "q=robot+hasselt", "q=robot+hasselt&when=krokusvakantie", "region=limburg",
            "q=programmeren&near=Gent&km=25", "kind=learning_network", "q=sterrenkunde+brugge"]
OSM = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"


def points(client, args: str) -> dict:
    response = client.get(f"/zoeken/kaart.json?{args}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    return response.get_json()


def api_results(client, args: str) -> list[dict]:
    """Every page of the API's search with the same parameters."""
    found, page = [], 1
    while True:
        body = client.get(f"/api/v1/listings?{args}&per_page=100&page={page}").get_json()
        found += body["results"] or body.get("nearest") or []
        if page >= body["page_count"]:
            return found
        page += 1


def slug(url: str) -> str:
    return url.removeprefix("/aanbod/")


@pytest.fixture(scope="module")
def located(demo_app):
    """Each published listing's slug -> its locations' points (latitude, longitude), from the database."""
    with demo_app.app_context():
        listings = db.session.scalars(select(Listing).where(Listing.status == "published")).all()
        return {listing.slug: sorted((loc.latitude, loc.longitude) for loc in listing.locations)
                for listing in listings}


@pytest.mark.parametrize("args", SEARCHES)
def test_the_map_shows_every_result_of_the_search_at_its_locations(demo_client, located, args):
    collection = points(demo_client, args)
    results = api_results(demo_client, args)
    assert results, args
    on_map: dict[str, list] = {}
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]  # GeoJSON: longitude first
        south, west, north, east = BELGIUM
        assert south < latitude < north and west < longitude < east
        properties = feature["properties"]
        assert properties["title"] and properties["kind"] and properties["place"]
        on_map.setdefault(slug(properties["url"]), []).append((latitude, longitude))
    wanted = {result["slug"] for result in results}
    assert set(on_map) == {s for s in wanted if located[s]}  # every result with a place, nothing else
    for listing_slug, found in on_map.items():
        assert sorted(found) == located[listing_slug]  # one point per location, where the database has it
    unplaced = len([s for s in wanted if not located[s]])
    if unplaced:
        assert re.search(rf"\b{unplaced} resulta(at|ten) voor heel Vlaanderen of online sta", collection["caption"])
    else:
        assert collection["caption"] == ""


def test_a_search_near_a_place_names_it_and_its_radius(demo_client):
    where = points(demo_client, "q=robot+hasselt")["where"]
    assert where["label"] == "Hasselt" and where["km"] == 15
    assert round(where["latitude"], 1) == 50.9 and round(where["longitude"], 1) == 5.3
    assert "where" not in points(demo_client, "q=robot")


def test_nothing_near_the_place_shows_the_nearest_offers_as_the_list_does(demo_client):
    args = "q=sterrenkunde&near=Koksijde&km=5"
    listed = demo_client.get(f"/api/v1/listings?{args}").get_json()
    assert listed["total"] == 0 and listed["nearest"]
    on_map = {slug(f["properties"]["url"]) for f in points(demo_client, args)["features"]}
    assert on_map == {result["slug"] for result in listed["nearest"]}


def test_the_map_is_capped_and_says_so(demo_app):
    params = SearchParams.from_args(MultiDict({"q": "robot"}))
    with demo_app.test_request_context():
        everything = map_results(params, today())
        capped = map_results(params, today(), limit=5)
        collection = map_features.search_collection(capped)
    assert everything.total == capped.total > 5 and not everything.capped
    assert [card.slug for card in capped.cards] == [card.slug for card in everything.cards[:5]]  # the list's order
    assert capped.capped
    assert f"De kaart toont de eerste 5 van de {capped.total} resultaten." in collection["caption"]
    assert {slug(f["properties"]["url"]) for f in collection["features"]} <= {c.slug for c in capped.cards}


def test_a_search_without_results_has_no_map(demo_client):
    soup = BeautifulSoup(demo_client.get("/zoeken?q=xyzzyquux").get_data(as_text=True), "html.parser")
    assert soup.select_one(".map-slot") is None
    assert not soup.select("script[src*=leaflet]")
    assert points(demo_client, "q=xyzzyquux")["features"] == []


def test_the_search_page_names_its_points_with_the_same_parameters_and_has_no_box_without_a_script(demo_client):
    soup = BeautifulSoup(demo_client.get("/zoeken?q=robot&sort=name&page=2").get_data(as_text=True), "html.parser")
    slot = soup.select_one(".results .map-slot")
    assert slot is not None and not slot.contents  # the script fills it; without it there is nothing to see
    assert slot["data-points"] == "/zoeken/kaart.json?q=robot&sort=name"  # every page, not page 2 only
    assert slot["data-outline"] == "/static/map/outline.geojson" and "data-tile-url" not in slot.attrs
    assert slot["data-show"] == "Toon op de kaart"
    sources = [script["src"] for script in soup.select("head script[src]")]
    assert sources[-3:] == ["/static/vendor/leaflet/leaflet.js", "/static/vendor/supercluster/supercluster.min.js",
                            "/static/js/map.js"]


def test_a_listing_page_carries_its_locations(demo_client, demo_app, located):
    with_places = max(located, key=lambda s: len(located[s]))  # the one with the most locations
    soup = BeautifulSoup(demo_client.get(f"/aanbod/{with_places}").get_data(as_text=True), "html.parser")
    slot = soup.select_one(".key-facts .map-slot")
    assert slot is not None and not slot.contents
    collection = json.loads(slot["data-features"])
    assert sorted((f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
                  for f in collection["features"]) == located[with_places]
    assert all(f["properties"]["title"] and f["properties"]["place"] for f in collection["features"])

    nowhere = next(s for s, found in located.items() if not found)  # Flanders-wide or online only
    soup = BeautifulSoup(demo_client.get(f"/aanbod/{nowhere}").get_data(as_text=True), "html.parser")
    assert soup.select_one(".map-slot") is None and not soup.select("script[src*=leaflet]")


def test_the_offline_outline_is_served_as_a_static_file(demo_client):
    response = demo_client.get("/static/map/outline.geojson")
    assert response.status_code == 200
    assert json.loads(response.get_data())["type"] == "FeatureCollection"
    response.close()


def test_the_csp_allows_images_from_our_own_origin_only_by_default(demo_client):
    policy = demo_client.get("/zoeken?q=robot").headers["Content-Security-Policy"]
    assert re.search(r"img-src 'self' data:;", policy)


def test_a_tile_service_is_allowed_by_the_csp_and_named_to_the_map(demo_app):
    app = make_app(demo_app.config["SQLALCHEMY_DATABASE_URI"], demo_app.config["SEARCH_INDEX_DIR"],
                   MAP_TILE_URL=OSM, MAP_TILE_ATTRIBUTION="© OpenStreetMap-bijdragers")
    client = app.test_client()
    response = client.get("/zoeken?q=robot")
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in response.headers["Content-Security-Policy"]
    slot = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(".map-slot")
    assert slot["data-tile-url"] == OSM and slot["data-tile-attribution"] == "© OpenStreetMap-bijdragers"
    assert "data-outline" not in slot.attrs
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("url, attribution, problem", [
    ("tile.openstreetmap.org/{z}/{x}/{y}.png", "© OSM", "https://"),
    ("https://{s}.tiles.example/{z}/{x}.png", "© OSM", "{z}, {x} and {y}"),
    ("https://tiles-{s}.example/{z}/{x}/{y}.png", "© OSM", "host is fixed"),
    (OSM, None, "MAP_TILE_ATTRIBUTION"),
])
def test_a_tile_service_is_checked_when_the_app_starts(tmp_path, url, attribution, problem):
    with pytest.raises(ConfigError, match=re.escape(problem)):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path / "index", MAP_TILE_URL=url,
                 MAP_TILE_ATTRIBUTION=attribution)
