"""ListingInput as JSON (a revision's proposed data) and as read from a live listing (the form's start)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date

from portal.catalogue.fields import LISTING_FIELDS, of_type
from portal.catalogue.inputs import ListingInput, LocationInput
from portal.catalogue.models import Listing

DATE_FIELDS = tuple(spec.name for spec in of_type("date"))


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
    values = {spec.name: getattr(listing, spec.name) for spec in LISTING_FIELDS if spec.type != "locations"}
    return ListingInput(
        **{name: list(value) if isinstance(value, list) else value for name, value in values.items()},
        locations=[
            LocationInput(address=location.address, postcode=location.postcode,
                          municipality_code=location.municipality_code, name=location.name,
                          latitude=location.given_point[0], longitude=location.given_point[1])
            for location in listing.locations
        ],
    )
