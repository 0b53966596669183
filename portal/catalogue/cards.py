"""What a listing shows in a list (search results, an organisation's page), from the database or from the
search index, which stores the same payload so that a results page needs no database query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from markupsafe import Markup, escape

from portal.catalogue.models import Listing


@dataclass(frozen=True)
class Card:
    slug: str
    title_html: Markup
    summary_html: Markup
    kind: str
    organisation: str
    min_age: int | None
    max_age: int | None
    municipalities: tuple[str, ...]
    flanders_wide: bool
    online: bool
    schedule: str
    start_date: date | None
    end_date: date | None
    cost: str
    audience: str
    availability: str
    waiting_list: bool
    postponed_to: date | None
    # the structured schedule, for its wording (older index payloads lack it: read with defaults)
    weekdays: tuple[str, ...] = ()
    day_parts: tuple[str, ...] = ()
    start_time: str | None = None
    end_time: str | None = None
    school_holidays_off: bool = False
    distance_km: float | None = None  # in a search near a place: to the listing's nearest location
    points: tuple[tuple[float, float, str], ...] = ()  # (latitude, longitude, place) of each location, for a map


def listing_url_prefix() -> str:
    """A card's link is this plus its slug (slugs are URL-safe, [a-z0-9-]): one url_for a page, not one a card."""
    return url_for("catalogue.listing", slug="-")[:-1]


def card_payload(listing: Listing) -> dict:
    """The card's data as plain JSON-able values, for the search index."""
    return {
        "slug": listing.slug,
        "kind": listing.kind,
        "organisation": listing.organisation.name,
        "min_age": listing.min_age,
        "max_age": listing.max_age,
        "municipalities": list(dict.fromkeys(loc.municipality.name for loc in listing.locations if loc.municipality)),
        "flanders_wide": listing.flanders_wide,
        "online": listing.online,
        "schedule": listing.schedule,
        "start_date": listing.start_date.isoformat() if listing.start_date else None,
        "end_date": listing.end_date.isoformat() if listing.end_date else None,
        "cost": listing.cost,
        "weekdays": list(listing.weekdays or []),
        "day_parts": list(listing.day_parts or []),
        "start_time": listing.start_time,
        "end_time": listing.end_time,
        "school_holidays_off": listing.school_holidays_off,
        "audience": listing.audience,
        "availability": listing.availability,
        "waiting_list": listing.waiting_list,
        "postponed_to": listing.postponed_to.isoformat() if listing.postponed_to else None,
        "points": [[loc.latitude, loc.longitude, location_place(loc)] for loc in listing.locations
                   if loc.latitude is not None],
    }


def location_place(location) -> str:
    """A location as a map names it: its own name and its municipality ("Sporthal De Schalm, Genk")."""
    municipality = location.municipality.name if location.municipality else location.postcode
    return ", ".join(dict.fromkeys(part for part in (location.name, municipality) if part))


def card_from_payload(payload: dict, title_html: str, summary_html: str, distance_km: float | None = None) -> Card:
    """A card from the index; the highlighted title and snippet come escaped from search_index."""
    return Card(
        distance_km=distance_km,
        title_html=Markup(title_html),
        summary_html=Markup(summary_html),
        municipalities=tuple(payload["municipalities"]),
        start_date=date.fromisoformat(payload["start_date"]) if payload["start_date"] else None,
        end_date=date.fromisoformat(payload["end_date"]) if payload["end_date"] else None,
        weekdays=tuple(payload.get("weekdays", ())),
        day_parts=tuple(payload.get("day_parts", ())),
        start_time=payload.get("start_time"),
        end_time=payload.get("end_time"),
        school_holidays_off=payload.get("school_holidays_off", False),
        postponed_to=date.fromisoformat(payload["postponed_to"]) if payload["postponed_to"] else None,
        points=tuple(tuple(point) for point in payload.get("points", ())),
        **{key: payload[key] for key in ("slug", "kind", "organisation", "min_age", "max_age", "flanders_wide",
                                         "online", "schedule", "cost", "audience", "availability",
                                         "waiting_list")},
    )


def card_from_listing(listing: Listing) -> Card:
    return card_from_payload(card_payload(listing), escape(listing.title), escape(listing.summary))
