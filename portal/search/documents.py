"""Listings as plain search documents (the only mapping between the ORM and `search_index`)."""

from __future__ import annotations

from portal.catalogue.models import Listing


def listing_document(listing: Listing) -> dict:
    places = []
    for location in listing.locations:
        municipality = location.municipality
        places += [location.name or "", municipality.name if municipality else ""]
    return {
        "id": str(listing.id),
        "title": listing.title,
        "summary": listing.summary,
        "body": listing.description,
        "organisation": listing.organisation.name,
        "places": [place for place in places if place],
        "last_day": listing.last_day,
        "kind": [listing.kind],
        "age_group": listing.age_groups,
        "region": listing.regions,
        "target_group": listing.target_groups,
        "theme": listing.themes,
        "discipline": listing.disciplines,
        "format": listing.formats,
        "cost": [listing.cost],
    }
