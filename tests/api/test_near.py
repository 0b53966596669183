"""The API's place parameters: near, km, lat/lon, overal and sort=distance, on the demo catalogue."""

import pytest

from portal.reference import places


def get_json(client, query_string, status=200):
    response = client.get("/api/v1/listings", query_string=query_string)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()


def test_near_and_km_keep_every_result_within_the_radius(demo_client):
    found = get_json(demo_client, {"near": "Genk", "km": 10, "per_page": 100, "overal": "0"})
    assert found["where"] == {"label": "Genk", "latitude": pytest.approx(50.965, abs=0.01),
                              "longitude": pytest.approx(5.5, abs=0.01), "km": 10, "overal": False,
                              "from_query": False}
    assert found["total"] > 0 and found["query"]["sort"] == "distance"
    distances = [card["distance_km"] for card in found["results"]]
    assert all(d is not None and d <= 10 for d in distances) and distances == sorted(distances)


def test_a_wider_radius_finds_more_and_overal_adds_the_flanders_wide_and_online_offers(demo_client):
    narrow = get_json(demo_client, {"near": "3500", "km": 5, "overal": "0"})["total"]
    wide = get_json(demo_client, {"near": "3500", "km": 50, "overal": "0"})["total"]
    everywhere = get_json(demo_client, {"near": "3500", "km": 50, "per_page": 100})
    assert narrow < wide < everywhere["total"]
    unplaced = [card for card in everywhere["results"] if card["distance_km"] is None]
    assert unplaced and all(card["flanders_wide"] or card["online"] for card in unplaced)


def test_lat_lon_search_around_a_point(demo_client):
    lat, lon = places.by_name("Leuven").point
    by_point = get_json(demo_client, {"lat": lat, "lon": lon, "km": 15, "q": "robot"})
    by_name = get_json(demo_client, {"near": "Leuven", "km": 15, "q": "robot"})
    assert by_point["total"] == by_name["total"] > 0
    assert [c["slug"] for c in by_point["results"]] == [c["slug"] for c in by_name["results"]]


def test_facet_counts_follow_the_radius(demo_client):
    found = get_json(demo_client, {"near": "Brugge", "km": 10, "overal": "0"})
    kinds = {value["code"]: value["count"] for value in found["facets"]["kind"]}
    assert sum(kinds.values()) == found["total"]


@pytest.mark.parametrize(("query", "parameter"), [
    ({"near": "Genk", "km": "0"}, "km"), ({"near": "Genk", "km": "veel"}, "km"),
    ({"lat": "48.85", "lon": "2.35"}, "lat"), ({"lat": "x", "lon": "5"}, "lat"), ({"overal": "ja"}, "overal"),
])
def test_bad_place_parameters_get_a_400_that_names_them(demo_client, query, parameter):
    error = get_json(demo_client, query, 400)["error"]
    assert parameter in {detail["parameter"] for detail in error["details"]}


@pytest.mark.parametrize("query", [{"near": "Parijs", "q": "robot"}, {"lat": "50.9"},
                                   {"near": "Genk", "lat": "50.9", "lon": "5.3"}])
def test_a_place_that_cannot_be_placed_finds_nothing_and_says_why(demo_client, query):
    """Valid by the OpenAPI document, so no 400; but never the whole of Flanders either."""
    found = get_json(demo_client, query)
    assert found["total"] == 0 and found["results"] == [] and found["where"] is None
    assert found["message"]


def test_a_place_in_q_is_reported_as_read_from_the_query(demo_client):
    found = get_json(demo_client, {"q": "programmeren kessel-lo"})
    assert found["where"]["label"] == "Kessel-Lo" and found["where"]["from_query"]
