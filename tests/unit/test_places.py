"""The reference points (portal/reference/places.py) and the geocoders (portal/geocoding.py)."""

import json
import urllib.parse
from pathlib import Path

import pytest

from portal.geocoding import AdresmatchGeocoder, PostcodeGeocoder, make_geocoder
from portal.reference import lambert, municipalities, places

RECORDED = Path(__file__).with_name("data") / "adresmatch-kapelstraat-hasselt.json"


def test_every_flemish_and_brussels_municipality_and_postcode_has_a_point_in_belgium():
    every = municipalities.all_municipalities()
    assert len(every) == 285 + 19  # Flanders after the mergers of 2025, and Brussels
    for municipality in every:
        place = places.of_municipality(municipality.code)
        assert place is not None and places.in_belgium(*place.point), municipality.name
        for postcode in municipality.postcodes:
            point = places.by_postcode(postcode)
            assert point is not None and places.in_belgium(*point.point), postcode
            # a reference point lies near its municipality: within 25 km of the municipality's own point
            assert places.distance_km(point.point, place.point) < 25, (postcode, municipality.name)


def test_a_location_without_a_matching_postcode_gets_its_municipalitys_point():
    point, source = places.reference_point("3500", "71072")
    assert source == "postcode" and places.distance_km(point, places.by_name("Hasselt").point) < 3
    point, source = places.reference_point("9999", "71072")
    assert source == "municipality" and point == places.of_municipality("71072").point


@pytest.mark.parametrize(("written", "name", "municipality"), [
    ("Hasselt", "Hasselt", "71072"), ("kessel-lo", "Kessel-Lo", "24062"), ("KESSEL LO", "Kessel-Lo", "24062"),
    ("Berchem", "Berchem", "11002"), ("sint niklaas", "Sint-Niklaas", "46021"), ("Anvers", "Antwerpen", "11002"),
    ("Ixelles", "Elsene", "21009"), ("Heverlee", "Heverlee", "24062"), ("3600", "3600", "71016"),
    ("3600 Genk", "3600", "71016"),
])
def test_names_deelgemeenten_french_names_and_postcodes_are_found(written, name, municipality):
    place = places.lookup(written)
    assert place is not None and (place.name, place.municipality) == (name, municipality)


def test_unknown_places_are_none():
    assert places.lookup("Parijs") is None and places.lookup("0000") is None and places.lookup("") is None


def test_lambert_72_to_wgs84_lands_where_the_grid_says():
    # the grid's origin meridian (x = 150 000 m) is 4°22' east; Hasselt's town hall is near (219 000, 181 000)
    latitude, longitude = lambert.to_wgs84(150000.013, 170000)
    assert longitude == pytest.approx(4.3674, abs=0.002) and 50.8 < latitude < 50.9
    hasselt = lambert.to_wgs84(219048.51, 181378.77)
    assert places.distance_km(hasselt, places.by_name("Hasselt").point) < 2


def test_the_adresmatch_adapter_builds_its_request_from_the_address():
    geocoder = AdresmatchGeocoder("https://adresmatch.example/v2/adresmatch", timeout=1)
    url = urllib.parse.urlsplit(geocoder.request_url("Kapelstraat 12", "3500", "71072"))
    assert url.netloc == "adresmatch.example"
    assert urllib.parse.parse_qs(url.query) == {"straatnaam": ["Kapelstraat"], "huisnummer": ["12"],
                                                "postcode": ["3500"], "gemeentenaam": ["Hasselt"]}
    no_number = urllib.parse.parse_qs(urllib.parse.urlsplit(geocoder.request_url("Grote Markt", "3500", "71072")).query)
    assert no_number["straatnaam"] == ["Grote Markt"] and "huisnummer" not in no_number


def test_the_adresmatch_adapter_reads_the_best_match_of_a_recorded_answer():
    geocoder = AdresmatchGeocoder("https://adresmatch.example/v2/adresmatch", timeout=1)
    found = geocoder.parse(json.loads(RECORDED.read_text()))
    assert found.source == "geocoder"
    assert places.distance_km((found.latitude, found.longitude), places.by_name("Hasselt").point) < 2
    assert geocoder.parse({"adresMatches": [], "warnings": []}) is None
    low = json.loads(RECORDED.read_text())
    low["adresMatches"] = low["adresMatches"][1:]  # only a guess below MIN_SCORE
    assert geocoder.parse(low) is None


def test_the_default_geocoder_is_offline():
    geocoder = make_geocoder({"GEOCODER": "postcode"})
    assert isinstance(geocoder, PostcodeGeocoder)
    found = geocoder.locate("Kapelstraat 12", "3500", "71072")
    assert found.source == "postcode" and places.in_belgium(found.latitude, found.longitude)
    assert isinstance(make_geocoder({"GEOCODER": "adresmatch", "GEOCODER_URL": "https://x.example"}),
                      AdresmatchGeocoder)
