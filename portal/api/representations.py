"""The API's JSON shapes of listings, organisations, search pages and vocabularies (see openapi.py)."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from flask_babel import force_locale
from markupsafe import Markup

from portal.catalogue import vocab
from portal.catalogue.cards import Card
from portal.catalogue.models import Listing, Organisation
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
        "url": url_for("catalogue.listing", slug=card.slug, _external=True),
        "api_url": url_for("api.listing", slug=card.slug, _external=True),
    }


def search_page(params: SearchParams, per_page: int, page: SearchPage, message: str | None) -> dict:
    return {
        "query": {"q": params.q, "filters": {k: list(v) for k, v in params.filters.items()}, "age": params.age,
                  "sort": params.effective_sort, "page": params.page, "per_page": per_page},
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


def listing(listing: Listing) -> dict:
    return {
        "slug": listing.slug,
        "kind": listing.kind,
        "title": listing.title,
        "summary": listing.summary,
        "description": listing.description,
        "provider_url": listing.provider_url,
        "min_age": listing.min_age,
        "max_age": listing.max_age,
        "age_groups": listing.age_groups,
        "target_groups": list(listing.target_groups),
        "themes": list(listing.themes),
        "disciplines": list(listing.disciplines),
        "formats": list(listing.formats),
        "cost": listing.cost,
        "price_text": listing.price_text,
        "flanders_wide": listing.flanders_wide,
        "online": listing.online,
        "regions": listing.regions,
        "schedule": listing.schedule,
        "start_date": _iso(listing.start_date),
        "end_date": _iso(listing.end_date),
        "schedule_text": listing.schedule_text,
        "contact": {"name": listing.contact_name, "email": listing.contact_email, "phone": listing.contact_phone},
        "locations": [
            {"name": location.name, "address": location.address, "postcode": location.postcode,
             "municipality": {"code": location.municipality_code,
                              "name": location.municipality.name if location.municipality else None}}
            for location in listing.locations
        ],
        "organisation": organisation_summary(listing.organisation),
        "published_at": _iso(listing.published_at),
        "updated_at": _iso(listing.updated_at),
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
