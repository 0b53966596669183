"""Listings as plain search documents (the only mapping between the ORM and `search_index`)."""

from __future__ import annotations

from datetime import date

from portal.catalogue import vocab
from portal.catalogue.cards import card_payload
from portal.catalogue.models import Listing

ONLINE = "online"  # a region choice of its own, beside the provinces


def first_day(listing: Listing) -> date | None:
    return None if listing.schedule == "permanent" else listing.start_date


def listing_document(listing: Listing) -> dict:
    municipalities = [location.municipality for location in listing.locations]
    regions = listing.regions + ([ONLINE] if listing.online else [])
    places = [location.name for location in listing.locations if location.name]
    places += [m.name for m in municipalities if m]
    # Province names make "robotkamp limburg" work; Flanders-wide offers answer to every province.
    places += [vocab.REGIONS.label(code) for code in listing.regions]
    return {
        "id": str(listing.id),
        "version": listing.updated_at.isoformat(),
        "title": listing.title,
        "summary": listing.summary,
        "body": listing.description,
        "organisation": listing.organisation.name,
        "places": list(dict.fromkeys(places)),
        "kind": [listing.kind],
        "age_group": listing.age_groups,
        "region": regions,
        "municipality": sorted({m.code for m in municipalities if m}),
        "target_group": listing.target_groups,
        "theme": listing.themes,
        "discipline": listing.disciplines,
        "format": listing.formats,
        "cost": [listing.cost],
        "min_age": listing.min_age,
        "max_age": listing.max_age,
        "start": first_day(listing),
        "last_day": listing.last_day,
        "published": listing.published_at,
        "points": [(loc.latitude, loc.longitude) for loc in listing.locations if loc.latitude is not None],
        "everywhere": listing.flanders_wide or listing.online,
        "display": card_payload(listing),
    }
