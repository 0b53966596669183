"""Places in the query: towns, deelgemeenten, districts and postcodes become a place to search around; ordinary
words do not, unless a clue says so or the words find nothing otherwise."""

import pytest

from portal.reference import places
from portal.reference.place_intent import read_place


@pytest.mark.parametrize(("query", "place", "text"), [
    ("robot hasselt", "Hasselt", "robot"),
    ("codeerclub berchem", "Berchem", "codeerclub"),
    ("programmeren kessel-lo", "Kessel-Lo", "programmeren"),
    ("programmeren Kessel Lo", "Kessel-Lo", "programmeren"),
    ("kamp 8000", "8000", "kamp"),
    ("in de buurt van Genk", "Genk", ""),
    ("in Geel", "Geel", ""),
    ("robot in sint-niklaas", "Sint-Niklaas", "robot"),
    ("robot sint niklaas", "Sint-Niklaas", "robot"),
    ("sterrenkunde Heist-op-den-Berg", "Heist-op-den-Berg", "sterrenkunde"),
    ("3500 Hasselt robotica", "Hasselt", "robotica"),
    ("robots Bruxelles", "Brussel", "robots"),
    ("codeerclub Anvers", "Antwerpen", "codeerclub"),
    ("robot te mol", "Mol", "robot"),
    ("kamp bij Lier", "Lier", "kamp"),
    ("robot rond Bree", "Bree", "robot"),
])
def test_a_place_in_the_query_is_read_and_taken_out_of_the_text(query, place, text):
    intent = read_place(query)
    assert intent is not None and intent.certain
    assert intent.place.name == place and intent.text == text


@pytest.mark.parametrize("query", ["robot as", "robot mol", "boom planten", "peer en appel", "robot bree",
                                   "kapellen bouwen", "lier spelen", "geel en blauw", "robot ham"])
def test_an_ordinary_word_is_no_place_without_a_clue(query):
    intent = read_place(query)
    assert intent is not None and not intent.certain


@pytest.mark.parametrize("query", ["robot", "kamp", "programmeren voor meisjes", "natuur en water", "zomerkamp 2026",
                                   "wetenschap en techniek", "science hub", "lego", "kampen in de zomer"])
def test_no_place_is_invented(query):
    assert read_place(query) is None


def test_the_ambiguous_names_come_from_the_word_list_not_a_hand_list():
    ambiguous = places.ambiguous_names()
    assert {"as", "mol", "boom", "peer", "lier", "ham", "bree", "kapellen", "geel"} <= ambiguous
    assert not {"hasselt", "genk", "gent", "leuven", "zutendaal", "brugge", "berchem"} & ambiguous


def search(client, **args):
    response = client.get("/api/v1/listings", query_string=args)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_robot_hasselt_finds_the_robot_clubs_nearby(demo_client):
    found = search(demo_client, q="robot hasselt")
    assert found["where"]["label"] == "Hasselt" and found["where"]["from_query"] and found["where"]["km"] == 15
    assert found["total"] > 0
    assert all(card["distance_km"] is None or card["distance_km"] <= 15 for card in found["results"])
    assert any(card["distance_km"] is not None for card in found["results"])


def test_an_ordinary_word_stays_text_when_the_text_finds_something(demo_client):
    found = search(demo_client, q="robot mol")
    plain = search(demo_client, q="robot")
    if found["where"] is None:  # "mol" found as a word: searched as text
        assert found["total"] <= plain["total"]
    else:  # nothing with "mol" as text: around Mol
        assert found["where"]["label"] == "Mol"


def test_nothing_near_shows_the_nearest_with_their_distance(demo_client):
    far = search(demo_client, q="robot", near="De Panne", km=1, overal="0")
    assert far["total"] == 0
    assert far["nearest"] and all(card["distance_km"] > 1 for card in far["nearest"])
    distances = [card["distance_km"] for card in far["nearest"]]
    assert distances == sorted(distances)


def test_the_search_page_shows_the_place_as_a_removable_chip(demo_client):
    page = demo_client.get("/zoeken", query_string={"q": "robot hasselt"}).get_data(as_text=True)
    assert "in de buurt van Hasselt, 15 km" in page
    assert 'href="/zoeken?q=robot"' in page
    assert " km</li>" in page


def test_robot_as_is_read_around_as_not_as_asse(demo_client):
    """"as" is an ordinary word: read both ways, the place wins because the text finds less (one listing named
    after Asse) than the robot clubs around As."""
    found = search(demo_client, q="robot as")
    assert found["where"] and found["where"]["label"] == "As"
    assert found["total"] > 0 and all("Asse" not in card["municipalities"] for card in found["results"])


@pytest.mark.parametrize("query, place", [
    ("paasvakantie activiteit kinderen berlare", "Berlare"),
    ("soldeerclub voor mijn zoon van 13 in tienen", "Tienen"),
    ("leren coderen in turnhout", "Turnhout"),
])
def test_a_parent_sentence_with_a_place_finds_offers_near_it(demo_client, query, place):
    """The place (and period, age, child) taken out as filters count as understood words: the few words left
    need not all be in the text."""
    found = search(demo_client, q=query)
    assert found["where"]["label"] == place and found["total"] > 0
    assert all(card["distance_km"] <= 15 for card in found["results"] if not (card["online"] or card["flanders_wide"]))
    assert found["results"][0]["distance_km"] <= 15
