"""The offline map's outline (portal/static/map/outline.geojson, derived by portal/reference/derive_outline.py): every
municipality of Flanders and Brussels once, in its province, where its reference point is; small enough to load
with a search page."""

import json
from pathlib import Path

import pytest

from portal.catalogue import vocab
from portal.reference import municipalities, places

OUTLINE = Path(__file__).resolve().parents[2] / "portal" / "static" / "map" / "outline.geojson"


def polygons(geometry: dict) -> list[list]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def inside(point: tuple[float, float], geometry: dict) -> bool:
    """Ray casting (even-odd over every ring, so holes count): is (longitude, latitude) in the geometry?"""
    x, y = point
    crossings = 0
    for polygon in polygons(geometry):
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    crossings += 1
    return crossings % 2 == 1


@pytest.fixture(scope="module")
def outline() -> dict:
    return json.loads(OUTLINE.read_text(encoding="utf-8"))


def test_it_is_small_and_says_where_it_comes_from(outline):
    assert OUTLINE.stat().st_size < 400_000
    assert "NGI" in outline["about"] and "ODbL" in outline["about"] and "approximate" in outline["about"]


def test_every_municipality_once_and_every_province(outline):
    found = [f["properties"] for f in outline["features"] if f["properties"]["kind"] == "municipality"]
    assert sorted(p["code"] for p in found) == sorted(m.code for m in municipalities.all_municipalities())
    for properties in found:
        municipality = municipalities.get(properties["code"])
        assert properties["name"] == municipality.name and properties["region"] == municipality.region
    provinces = [f["properties"]["code"] for f in outline["features"] if f["properties"]["kind"] == "province"]
    assert sorted(provinces) == sorted(vocab.REGIONS.codes)


def test_municipalities_lie_where_their_reference_points_are_and_in_their_province(outline):
    by_code = {f["properties"]["code"]: f["geometry"] for f in outline["features"]}
    south, west, north, east = places.BELGIUM
    own = in_province = 0
    for municipality in municipalities.all_municipalities():
        point = places.lookup(municipality.name)
        lonlat = (point.longitude, point.latitude)
        own += inside(lonlat, by_code[municipality.code])
        in_province += inside(lonlat, by_code[municipality.region])
        for polygon in polygons(by_code[municipality.code]):
            for longitude, latitude in polygon[0]:
                assert west < longitude < east and south < latitude < north
    total = len(municipalities.all_municipalities())
    # approximate cells, and a few reference points off: nearly all, not all (derive_outline.py warns of those)
    assert own >= 0.98 * total and in_province >= 0.98 * total


def test_names_stand_inside_their_area(outline):
    for feature in outline["features"]:
        assert inside(tuple(feature["properties"]["label"]), feature["geometry"]), feature["properties"]["name"]
