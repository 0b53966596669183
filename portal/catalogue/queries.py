"""Read-side services of the catalogue: what the public pages show. Visibility follows policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.catalogue import policy
from portal.catalogue.cards import Card, card_from_listing
from portal.catalogue.inputs import SLUG_PATTERN
from portal.catalogue.models import Listing, Organisation, listing_details
from portal.domain import NotFound
from portal.extensions import db
from portal.text import fold


def listing_by_slug(actor: User | None, slug: str) -> Listing:
    listing = None
    if SLUG_PATTERN.match(slug):
        listing = db.session.scalar(
            select(Listing).where(Listing.slug == slug)
            .options(*listing_details())
        )
    if listing is None or not policy.can_view_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet (meer)."))
    return listing


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    current: list[Card]
    past: list[Card]


def organisation_page(actor: User | None, slug: str, today: date) -> OrganisationPage:
    organisation = None
    if SLUG_PATTERN.match(slug):
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None or not policy.can_view_organisation(actor, organisation):
        raise NotFound(_l("Deze organisatie bestaat niet (meer)."))
    listings = db.session.scalars(
        select(Listing)
        .where(Listing.organisation_id == organisation.id, policy.public_listing_clause())
        .options(*listing_details())
    ).all()
    listings = sorted(listings, key=lambda listing: fold(listing.title))  # the same order on every database
    return OrganisationPage(
        organisation=organisation,
        current=[card_from_listing(listing) for listing in listings if not listing.is_past(today)],
        past=[card_from_listing(listing) for listing in listings if listing.is_past(today)],
    )


def public_organisations(page: int, per_page: int) -> tuple[list[Organisation], int]:
    """One page of the organisations anyone may see, by name, and how many there are."""
    visible = select(Organisation).where(policy.public_organisation_clause())
    total = db.session.scalar(select(func.count()).select_from(visible.subquery()))
    found = db.session.scalars(
        visible.order_by(Organisation.name, Organisation.id).offset((page - 1) * per_page).limit(per_page)
    ).all() if (page - 1) * per_page < total else []
    return list(found), total


def public_catalogue() -> tuple[list[Listing], list[Organisation]]:
    """Every public listing and organisation (the sitemap), in a stable order."""
    listings = db.session.scalars(select(Listing).where(policy.public_listing_clause()).order_by(Listing.slug)).all()
    organisations = db.session.scalars(
        select(Organisation).where(policy.public_organisation_clause()).order_by(Organisation.slug)).all()
    return list(listings), list(organisations)
