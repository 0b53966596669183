"""Listings as plain search documents (the only mapping between the ORM and `search_index`)."""

from __future__ import annotations

import hashlib
import json

from portal.catalogue import schedules, vocab
from portal.catalogue.cards import card_payload
from portal.catalogue.models import Listing
from portal.clock import local_date

ONLINE = "online"  # a region choice of its own, beside the provinces


def listing_document(listing: Listing) -> dict:
    municipalities = [location.municipality for location in listing.locations]
    regions = listing.regions + ([ONLINE] if listing.online else [])
    places = [location.name for location in listing.locations if location.name]
    places += [m.name for m in municipalities if m]
    # Province names make "robotkamp limburg" work; Flanders-wide offers answer to every province.
    places += [vocab.REGIONS.label(code) for code in listing.regions]
    weekdays = schedules.listing_weekdays(listing)
    document = {
        "id": str(listing.id),
        "title": listing.title,
        "summary": listing.summary,
        "body": listing.description,
        "organisation": listing.organisation.name,
        "places": list(dict.fromkeys(places)),
        "kind": [listing.kind],
        "audience": [listing.audience],
        # Offers for professionals are for no child's age: no age group, and an exact age never matches them
        # (not even an open range).
        "age_group": listing.age_groups if listing.is_for_youth else [],
        "ageless": not listing.is_for_youth,
        "region": regions,
        "municipality": sorted({m.code for m in municipalities if m}),
        "target_group": listing.target_groups,
        "theme": listing.themes,
        "discipline": listing.disciplines,
        "format": listing.formats,
        "cost": [listing.cost],
        "day": [vocab.WEEKDAYS.codes[number] for number in weekdays],
        "part": schedules.listing_day_parts(listing),
        "days": weekdays,
        "skips_holidays": listing.school_holidays_off,
        "availability": [listing.availability],
        "sinks": listing.availability in vocab.SINKING_AVAILABILITY,
        "min_age": listing.min_age,
        "max_age": listing.max_age,
        "start": listing.first_day,
        "last_day": listing.last_day,  # it takes place until then (a period asked for overlaps start..last_day)
        "joinable_until": listing.last_day_to_join,  # upcoming until then: a camp leaves when it starts
        "published": listing.published_at,
        "confirmed": local_date(listing.confirmed_at) if listing.confirmed_at else None,
        "points": [(loc.latitude, loc.longitude) for loc in listing.locations if loc.latitude is not None],
        "everywhere": listing.flanders_wide or listing.online,
        "display": card_payload(listing),
    }
    document["version"] = content_version(document)
    return document


def content_version(document: dict) -> str:
    """A hash of everything the document holds: reconcile finds an entry stale when anything in it changed
    (an organisation's name, a location), not only the listing's own row."""
    content = json.dumps(document, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(content.encode(), digest_size=16).hexdigest()
