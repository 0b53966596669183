"""ListingInput as JSON (a revision's proposed data) and as read from a live listing (the form's start)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date

from portal.catalogue.inputs import ListingInput, LocationInput
from portal.catalogue.models import Listing

DATE_FIELDS = ("start_date", "end_date")


def to_json(data: ListingInput) -> dict:
    found = asdict(data)
    for name in DATE_FIELDS:
        found[name] = found[name].isoformat() if found[name] else None
    return found


def from_json(raw: dict) -> ListingInput:
    known = {f.name for f in fields(ListingInput)}
    values = {name: value for name, value in raw.items() if name in known}
    for name in DATE_FIELDS:
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    values["locations"] = [LocationInput(**location) for location in values.get("locations", [])]
    return ListingInput(**values)


def from_listing(listing: Listing) -> ListingInput:
    return ListingInput(
        kind=listing.kind, title=listing.title, summary=listing.summary, description=listing.description,
        provider_url=listing.provider_url, cost=listing.cost, schedule=listing.schedule,
        min_age=listing.min_age, max_age=listing.max_age,
        target_groups=list(listing.target_groups), themes=list(listing.themes),
        disciplines=list(listing.disciplines), formats=list(listing.formats),
        price_text=listing.price_text, flanders_wide=listing.flanders_wide, online=listing.online,
        start_date=listing.start_date, end_date=listing.end_date, schedule_text=listing.schedule_text,
        contact_name=listing.contact_name, contact_email=listing.contact_email, contact_phone=listing.contact_phone,
        locations=[
            LocationInput(address=location.address, postcode=location.postcode,
                          municipality_code=location.municipality_code, name=location.name)
            for location in listing.locations
        ],
    )
