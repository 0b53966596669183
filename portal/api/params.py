"""Strict reading of API query strings. The HTML search page is lenient (it drops what it does not know);
an API client gets a 400 that names each bad parameter, so a typo never silently widens a search."""

from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l

from portal import clock
from portal.catalogue.fields import MAX_AGE
from portal.reference import places
from portal.search.service import FILTERS, INCLUDE_CANCELLED, MAX_KM, SearchParams, parse_day
from portal.search.when import WHEN_CHOICES
from search_index import MAX_QUERY_CHARS, SORTS, clean_text

MAX_PER_PAGE = 100
MAX_NEAR_CHARS = 100  # a place name or postcode; the OpenAPI document says the same
MAX_PAGE_NUMBER = 1_000_000  # far past any result; beyond the last page the answer is an empty page
INTEGER = re.compile(r"-?[0-9]+")


class BadParameters(Exception):
    """One or more query parameters are invalid. `details` lists {"parameter", "message"} in Dutch."""

    def __init__(self, details: list[dict]):
        self.details = details
        super().__init__("; ".join(f"{d['parameter']}: {d['message']}" for d in details))


def _integer(args, name: str, low: int, high: int | None, problems: list[dict]) -> int | None:
    raw = args.get(name)
    if raw is None:
        return None
    if not INTEGER.fullmatch(raw) or len(raw) > 12:
        problems.append({"parameter": name, "message": _l("Geef een geheel getal.")})
        return None
    value = int(raw)
    if value < low or (high is not None and value > high):
        message = (_l("Geef een getal van %(low)s tot %(high)s.", low=low, high=high) if high is not None
                   else _l("Geef een getal van minstens %(low)s.", low=low))
        problems.append({"parameter": name, "message": message})
        return None
    return value


def paging(args, default_per_page: int, problems: list[dict]) -> tuple[int, int]:
    page = _integer(args, "page", 1, MAX_PAGE_NUMBER, problems) or 1
    per_page = _integer(args, "per_page", 1, MAX_PER_PAGE, problems) or default_per_page
    return page, per_page


def search_params(args, default_per_page: int) -> tuple[SearchParams, int]:
    """SearchParams and the page size from an API query string; raises BadParameters."""
    problems: list[dict] = []
    filters = {}
    for name, search_filter in FILTERS.items():
        codes = tuple(dict.fromkeys(args.getlist(name)))
        unknown = [code for code in codes if not search_filter.accepts(code)]
        if unknown:
            problems.append({"parameter": name, "message": _l(
                "Onbekende waarde: %(codes)s. Zie /api/v1/vocabularies voor de geldige codes.",
                codes=", ".join(unknown))})
        elif codes:
            filters[name] = codes
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        problems.append({"parameter": "q", "message": _l("De zoekvraag mag hoogstens %(n)s tekens lang zijn.",
                                                         n=MAX_QUERY_CHARS)})
    age = _integer(args, "age", 0, MAX_AGE, problems)
    sort = args.get("sort")
    if sort is not None and sort not in SORTS:
        problems.append({"parameter": "sort", "message": _l("Kies een van: %(choices)s.", choices=", ".join(SORTS))})
    when = args.get("when")
    if when is not None and when not in WHEN_CHOICES:
        problems.append({"parameter": "when", "message": _l("Kies een van: %(choices)s.",
                                                            choices=", ".join(WHEN_CHOICES.codes))})
    days = {name: _day(args, name, problems) for name in ("from", "to")}
    if days["from"] and days["to"] and days["from"] > days["to"]:
        problems.append({"parameter": "to", "message": _l("De einddatum mag niet voor de begindatum liggen.")})
    include_cancelled = _integer(args, INCLUDE_CANCELLED, 0, 1, problems)
    page, per_page = paging(args, default_per_page, problems)
    # A place that cannot be placed (an unknown name, lat without lon) is valid by the document, so it gets
    # an empty result with a message instead of a 400 (the service's unknown_place), and never a wider search.
    near = args.get("near", "")
    if len(near) > MAX_NEAR_CHARS:
        problems.append({"parameter": "near", "message": _l("Een plaats mag hoogstens %(n)s tekens lang zijn.",
                                                            n=MAX_NEAR_CHARS)})
    near = clean_text(near)
    km = _integer(args, "km", 1, MAX_KM, problems)
    lat, lon, place_problem = _point(args, problems)
    if near and lat is not None:
        place_problem = str(_l("Geef near of lat en lon, niet beide."))
    everywhere = args.get("overal", "1")
    if everywhere not in ("0", "1"):
        problems.append({"parameter": "overal", "message": _l("Geef 1 (ook heel Vlaanderen en online) of 0.")})
    if problems:
        raise BadParameters(problems)
    params = SearchParams(q=clean_text(q), filters=filters, age=age, sort=sort, page=page, when=when,
                          date_from=days["from"], date_to=days["to"], include_cancelled=bool(include_cancelled),
                          near=near, km=km, lat=lat, lon=lon, everywhere=everywhere == "1", place_problem=place_problem)
    return params.reading_query_words(clock.today()), per_page


def _day(args, name: str, problems: list[dict]):
    raw = args.get(name)
    day = parse_day(raw)
    if raw is not None and day is None:
        problems.append({"parameter": name, "message": _l("Geef een datum als jjjj-mm-dd, bv. 2027-02-08.")})
    return day


def _point(args, problems: list[dict]) -> tuple[float | None, float | None, str]:
    """`lat` and `lon` in WGS84 decimal degrees within Belgium, and why a point cannot be used."""
    south, west, north, east = places.BELGIUM
    values = {}
    for name, low, high in (("lat", south, north), ("lon", west, east)):
        text = args.get(name)
        if text is None:
            continue
        try:
            value = float(text) if len(text) <= 30 else math.nan
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # also NaN and what is no number
            problems.append({"parameter": name, "message": _l(
                "Geef een getal in decimale graden van %(low)s tot %(high)s (België).", low=low, high=high)})
        else:
            values[name] = value
    if len(values) == 1:
        return None, None, str(_l("Geef lat en lon samen, in decimale graden."))
    return values.get("lat"), values.get("lon"), ""
