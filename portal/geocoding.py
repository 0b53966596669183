"""From a location's address to a point: a small adapter interface, chosen by the `GEOCODER` setting.

- `postcode` (the default, offline): the reference point of the postcode, else of the municipality
  (`portal.reference.places`). Never wrong by more than a deelgemeente.
- `adresmatch`: the Flemish address register (Basisregisters Vlaanderen, "adresmatch" API), for a deployment
  that may call it. An address it cannot place falls back to the postcode point, so saving never fails on it.

Services call `locate`; tests use the offline geocoder only (the adapter's request and parsing are tested on a
recorded answer).
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from portal.reference import lambert, places

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    source: str  # a places.POINT_SOURCES value


class Geocoder(Protocol):
    def locate(self, address: str, postcode: str, municipality_code: str) -> Located | None: ...


class PostcodeGeocoder:
    def locate(self, address: str, postcode: str, municipality_code: str) -> Located | None:
        found = places.reference_point(postcode, municipality_code)
        if found is None:
            return None
        (latitude, longitude), source = found
        return Located(latitude, longitude, source)


class AdresmatchGeocoder:
    """The address register's adresmatch API (v2): a GET with the street, house number, postcode and municipality
    name; the answer's `adresMatches` carry a `score` and an `adresPositie` whose `geometrie.gml` is a GML point
    in Belgian Lambert 72 (EPSG:31370), which we convert to WGS84."""

    MIN_SCORE = 90.0  # lower scores are guesses at another street

    def __init__(self, url: str, timeout: float, fallback: Geocoder | None = None):
        self.url = url
        self.timeout = timeout
        self.fallback = fallback or PostcodeGeocoder()

    def request_url(self, address: str, postcode: str, municipality_code: str) -> str:
        municipality = places.of_municipality(municipality_code)
        street, _, number = address.strip().rpartition(" ")
        if not street or not any(ch.isdigit() for ch in number):
            street, number = address.strip(), ""
        query = {"postcode": postcode, "straatnaam": street}
        if number:
            query["huisnummer"] = number
        if municipality:
            query["gemeentenaam"] = municipality.name
        return f"{self.url}?{urllib.parse.urlencode(query)}"

    def parse(self, answer: dict) -> Located | None:
        best = None
        for match in answer.get("adresMatches", []):
            score = float(match.get("score") or 0)
            point = _wgs84(match.get("adresPositie") or {})
            if point and score >= self.MIN_SCORE and (best is None or score > best[0]):
                best = (score, point)
        if best is None:
            return None
        latitude, longitude = best[1]
        return Located(latitude, longitude, "geocoder") if places.in_belgium(latitude, longitude) else None

    def locate(self, address: str, postcode: str, municipality_code: str) -> Located | None:
        url = self.request_url(address, postcode, municipality_code)
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                found = self.parse(json.load(response))
        except (OSError, ValueError) as error:
            log.warning("adresmatch failed for %s: %s", url, error)
            found = None
        return found or self.fallback.locate(address, postcode, municipality_code)


_GML_POS = re.compile(r"<gml:pos>\s*([-\d.]+)\s+([-\d.]+)\s*</gml:pos>")


def _wgs84(position: dict) -> tuple[float, float] | None:
    """(latitude, longitude) of an adresPositie: a GML point in Lambert 72 ("x y") or in WGS84 ("lat lon")."""
    gml = (position.get("geometrie") or {}).get("gml") or ""
    found = _GML_POS.search(gml)
    if not found:
        return None
    first, second = float(found.group(1)), float(found.group(2))
    if "31370" in gml:
        return lambert.to_wgs84(first, second)
    if "4326" in gml:
        return first, second
    return None


def make_geocoder(config) -> Geocoder:
    if config.get("GEOCODER") == "adresmatch":
        return AdresmatchGeocoder(config["GEOCODER_URL"], config.get("GEOCODER_TIMEOUT", 3))
    return PostcodeGeocoder()


def locate(address: str, postcode: str, municipality_code: str) -> Located | None:
    """The point of an address with the application's geocoder."""
    app = current_app._get_current_object()
    geocoder = app.extensions.get("geocoder")
    if geocoder is None:
        geocoder = app.extensions["geocoder"] = make_geocoder(app.config)
    return geocoder.locate(address, postcode, municipality_code)
