"""Reference points of Flanders and Brussels: every municipality, postcode and deelgemeente (WGS84).

The points come from `data/places.json`, derived from packages on PyPI by `derive_places.py` (sources and
licences are named there). This module needs neither Flask nor the ORM: the search engine's query parser and
the benchmarks use it too.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal.text import fold

DATA = Path(__file__).with_name("data") / "places.json"
EARTH_RADIUS_KM = 6371.0088
# Belgium's bounding box (south, west, north, east), with a little margin: corrected points must lie within.
BELGIUM = (49.49, 2.54, 51.51, 6.41)

# How a place's point was found; also the values of `Location.point_source`.
POINT_SOURCES = ("postcode", "municipality", "geocoder", "organisation")
# Kinds of place, best first when two share a name.
KINDS = ("municipality", "postcode", "deelgemeente")


@dataclass(frozen=True)
class Place:
    name: str  # as shown: "Hasselt", "Kessel-Lo", "8000"
    kind: str  # one of KINDS
    latitude: float
    longitude: float
    municipality: str  # REFNIS code of the municipality it lies in

    @property
    def point(self) -> tuple[float, float]:
        return self.latitude, self.longitude


def name_key(text: str) -> tuple[str, ...]:
    """A name as folded words: "Sint-Niklaas", "sint niklaas" and "SINT NIKLAAS" are one key."""
    return tuple(re.findall(r"\w+", fold(text)))


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def _by_name() -> dict[tuple[str, ...], Place]:
    """Every known name -> the place it means: a municipality before a postcode's locality before a
    deelgemeente, and among deelgemeenten of one name the most populous."""
    data = _data()
    candidates: list[tuple[int, int, Place, tuple[str, ...]]] = []
    for code, municipality in data["municipalities"].items():
        lat, lon = municipality["point"]
        place = Place(municipality["name"], "municipality", lat, lon, code)
        candidates += [(0, 0, place, name_key(name)) for name in municipality["names"]]
    spelled = {name_key(name): name for entry in data["places"] for name in entry["names"]}
    for entry in data["postcodes"].values():
        lat, lon = entry["point"]
        key = name_key(entry["name"])  # the locality a postcode is named after ("Kessel Lo", as GeoNames spells it)
        candidates.append((1, 0, Place(spelled.get(key, entry["name"]), "deelgemeente", lat, lon,
                                       entry["municipality"]), key))
    for entry in data["places"]:
        lat, lon = entry["point"]
        place = Place(entry["names"][0] if len(entry["names"]) == 1 else _dutch_name(entry), "deelgemeente",
                      lat, lon, entry["municipality"])
        candidates += [(2, -entry["population"], place, name_key(name)) for name in entry["names"]]
    found: dict[tuple[str, ...], Place] = {}
    for _, _, place, key in sorted(candidates, key=lambda c: (c[0], c[1])):
        if key and key not in found:
            found[key] = place
    return found


def _dutch_name(entry: dict) -> str:
    """A city known by many names is shown by its municipality's Dutch name when it carries it."""
    municipality = _data()["municipalities"][entry["municipality"]]["name"]
    return municipality if name_key(municipality) in {name_key(n) for n in entry["names"]} else entry["names"][0]


def by_name(text: str) -> Place | None:
    """The place a name means (municipality, deelgemeente, district, or French/English name), else None."""
    return _by_name().get(name_key(text))


def by_postcode(postcode: str) -> Place | None:
    entry = _data()["postcodes"].get(postcode.strip())
    if entry is None:
        return None
    lat, lon = entry["point"]
    return Place(postcode.strip(), "postcode", lat, lon, entry["municipality"])


def of_municipality(code: str) -> Place | None:
    entry = _data()["municipalities"].get(code)
    if entry is None:
        return None
    lat, lon = entry["point"]
    return Place(entry["name"], "municipality", lat, lon, code)


def lookup(text: str) -> Place | None:
    """A place name or postcode as someone types it ("Hasselt", "3500", "3500 Hasselt", "kessel-lo")."""
    key = name_key(text)
    if key and key[0].isdigit() and len(key[0]) == 4:
        return by_postcode(key[0])
    return by_name(text)


def names() -> dict[tuple[str, ...], Place]:
    """Every name as its folded words, for the query parser."""
    return _by_name()


def longest_name() -> int:
    return max(len(key) for key in _by_name())


@cache
def ambiguous_names() -> frozenset[str]:
    """Folded one-word place names that are also ordinary Dutch words or their start ("as", "mol", "boom",
    "bree"): derived from a word-frequency list (derive_places.ambiguous_names)."""
    return frozenset(_data()["ambiguous_names"])


def postcodes() -> dict[str, str]:
    """Every postcode of Flanders and Brussels -> its municipality's REFNIS code."""
    return {postcode: entry["municipality"] for postcode, entry in _data()["postcodes"].items()}


def municipality_codes() -> list[str]:
    return list(_data()["municipalities"])


def reference_point(postcode: str, municipality_code: str) -> tuple[tuple[float, float], str] | None:
    """The point of a location without a geocoded address and its source (a `POINT_SOURCES` value): its
    postcode's point when the postcode lies in its municipality, else its municipality's."""
    place = by_postcode(postcode) if postcode else None
    if place is not None and place.municipality == municipality_code:
        return place.point, "postcode"
    place = of_municipality(municipality_code)
    return (place.point, "municipality") if place else None


def in_belgium(latitude: float, longitude: float) -> bool:
    south, west, north, east = BELGIUM
    return south <= latitude <= north and west <= longitude <= east


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
