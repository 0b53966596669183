"""The API's JSON shapes of listings, organisations, search pages and vocabularies (see openapi.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from flask import url_for
from flask_babel import force_locale
from markupsafe import Markup

from portal.catalogue import policy, vocab
from portal.catalogue.cards import Card
from portal.catalogue.date_wording import when_text
from portal.catalogue.fields import LISTING_FIELDS, ListingField
from portal.catalogue.models import Listing, Organisation
from portal.clock import local_date
from portal.reference import municipalities
from portal.search.service import FILTERS, SORT_CHOICES, SearchPage, SearchParams

LOCALES = ("nl", "en")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def card(card: Card) -> dict:
    return {
        "slug": card.slug,
        "title": Markup(card.title_html).striptags(),
        "title_html": str(card.title_html),
        "snippet_html": str(card.summary_html),
        "kind": card.kind,
        "organisation": card.organisation,
        "min_age": card.min_age,
        "max_age": card.max_age,
        "municipalities": list(card.municipalities),
        "flanders_wide": card.flanders_wide,
        "online": card.online,
        "schedule": card.schedule,
        "start_date": _iso(card.start_date),
        "end_date": _iso(card.end_date),
        "cost": card.cost,
        "weekdays": list(card.weekdays),
        "day_parts": list(card.day_parts),
        "start_time": card.start_time,
        "end_time": card.end_time,
        "school_holidays_off": card.school_holidays_off,
        "when": when_text(card),
        "audience": card.audience,
        "availability": card.availability,
        "waiting_list": card.waiting_list,
        "postponed_to": _iso(card.postponed_to),
        "distance_km": round(card.distance_km, 1) if card.distance_km is not None else None,
        "url": url_for("catalogue.listing", slug=card.slug, _external=True),
        "api_url": url_for("api.listing", slug=card.slug, _external=True),
    }


def search_page(params: SearchParams, per_page: int, page: SearchPage, message: str | None) -> dict:
    return {
        "query": {"q": params.q, "filters": {k: list(v) for k, v in params.filters.items()}, "age": params.age,
                  "when": params.when, "from": _iso(params.date_from), "to": _iso(params.date_to),
                  "sort": params.effective_sort, "page": params.page, "per_page": per_page,
                  "include_cancelled": params.include_cancelled,
                  "near": params.near or None, "km": params.km, "lat": params.lat, "lon": params.lon,
                  "overal": params.everywhere},
        "where": _where(page.where),
        "nearest": [card(result) for result in page.nearest],
        "total": page.total,
        "page": params.page,
        "page_count": page.page_count,
        "results": [card(result) for result in page.results],
        "facets": {name: [{"code": v.code, "label": v.label, "count": v.count, "selected": v.selected}
                          for v in values] for name, values in page.facets.items()},
        "suggestion": page.suggestion,
        "age": page.age,
        "message": message,
        "html_url": url_for("catalogue.search", **params.to_args(page=params.page), _external=True),
    }


def _where(where) -> dict | None:
    """The place searched around: given, or read from the query (`from_query`)."""
    if where is None:
        return None
    return {"label": where.label, "latitude": where.latitude, "longitude": where.longitude, "km": where.km,
            "overal": where.everywhere, "from_query": where.from_query}


def _assured_date(subject: Listing | Organisation) -> str | None:
    """HSDS's assured_date: the day its organisation last confirmed it is still current."""
    return _iso(local_date(subject.confirmed_at)) if subject.confirmed_at else None


def organisation_summary(organisation: Organisation) -> dict:
    municipality = organisation.municipality
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "municipality": {"code": municipality.code, "name": municipality.name} if municipality else None,
        "website": organisation.website,
        "verified": organisation.is_verified,
        "charter_signed_on": _iso(organisation.charter_signed_on),
        "assured_date": _assured_date(organisation),
        "url": url_for("catalogue.organisation", slug=organisation.slug, _external=True),
        "api_url": url_for("api.organisation", slug=organisation.slug, _external=True),
    }


def organisation(organisation: Organisation, current: list[Card], past: list[Card]) -> dict:
    return {
        **organisation_summary(organisation),
        "description": organisation.description,
        "public_email": organisation.public_email,
        "charter_commitment": organisation.charter_commitment,
        "listings": [card(item) for item in current],
        "past_listings": [card(item) for item in past],
    }


# Read-only values the API derives from the fields, each shown after the field named: name -> (field, vocabulary).
DERIVED_CODES = {"age_groups": ("max_age", vocab.AGE_GROUP_VOCABULARY), "regions": ("online", vocab.REGIONS)}


def listing_properties() -> Iterator[tuple[str, ListingField | None]]:
    """The API names of a listing's fields and derived values, in the order the API shows them, each with its
    registry field (None for a derived value)."""
    for spec in LISTING_FIELDS:
        if spec.exported:
            yield spec.api, spec
            yield from ((name, None) for name, (after, _) in DERIVED_CODES.items() if after == spec.name)


def nest(shape: dict, name: str, value) -> None:
    """Put `value` under a dotted API name: "contact.email" is shape["contact"]["email"]."""
    *outer, last = name.split(".")
    for key in outer:
        shape = shape.setdefault(key, {})
    shape[last] = value


def _shown(spec: ListingField, value):
    if spec.type == "date":
        return _iso(value)
    if spec.type == "codes":
        return list(value)
    if spec.type == "locations":
        return [{"name": location.name, "address": location.address, "postcode": location.postcode,
                 "municipality": {"code": location.municipality_code,
                                  "name": location.municipality.name if location.municipality else None},
                 "latitude": location.latitude, "longitude": location.longitude,
                 "point_source": location.point_source}
                for location in value]
    return value


def listing(listing: Listing) -> dict:
    shown = {"slug": listing.slug}
    for name, spec in listing_properties():
        nest(shown, name, _shown(spec, getattr(listing, spec.name)) if spec else getattr(listing, name))
    return {
        **shown,
        "organisation": organisation_summary(listing.organisation),
        "published_at": _iso(listing.published_at),
        "updated_at": _iso(listing.updated_at),
        "assured_date": _assured_date(listing),
        "stale": policy.is_stale(listing),
        "url": url_for("catalogue.listing", slug=listing.slug, _external=True),
    }


def _terms(vocabulary: vocab.Vocabulary) -> list[dict]:
    labels = {}
    for locale in LOCALES:
        with force_locale(locale):
            labels[locale] = {term.code: str(term.label) for term in vocabulary}
    return [{"code": code, "labels": {locale: labels[locale][code] for locale in LOCALES}}
            for code in vocabulary.codes]


# The vocabularies an API client needs: every search filter (by its parameter name), the sort orders,
# and the codes that appear in listings and organisations.
VOCABULARIES = {
    **{name: f.vocabulary for name, f in FILTERS.items() if f.vocabulary is not None},
    "sort": SORT_CHOICES,
    "schedule": vocab.SCHEDULES,
    "availability": vocab.AVAILABILITY,
    "organisation_kind": vocab.ORGANISATION_KINDS,
}


def vocabularies() -> dict:
    found = {name: _terms(vocabulary) for name, vocabulary in VOCABULARIES.items()}
    found["municipality"] = [
        {"code": m.code, "labels": {locale: m.name for locale in LOCALES}, "region": m.region,
         "postcodes": list(m.postcodes)}
        for m in municipalities.all_municipalities()
    ]
    return found
