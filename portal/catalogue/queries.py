"""Read-side services of the catalogue: what the public pages show. Visibility follows policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.catalogue import policy
from portal.catalogue.models import Listing, Organisation
from portal.domain import NotFound
from portal.extensions import db


def listing_by_slug(actor: User | None, slug: str) -> Listing:
    listing = db.session.scalar(
        select(Listing).where(Listing.slug == slug)
        .options(selectinload(Listing.locations), selectinload(Listing.organisation))
    )
    if listing is None or not policy.can_view_listing(actor, listing):
        raise NotFound(_l("Dit aanbod bestaat niet (meer)."))
    return listing


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    current: list[Listing]
    past: list[Listing]


def organisation_page(slug: str, today: date) -> OrganisationPage:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound(_l("Deze organisatie bestaat niet (meer)."))
    listings = db.session.scalars(
        select(Listing)
        .where(Listing.organisation_id == organisation.id, Listing.status == "published")
        .options(selectinload(Listing.locations))
        .order_by(Listing.title)
    ).all()
    return OrganisationPage(
        organisation=organisation,
        current=[listing for listing in listings if not listing.is_past(today)],
        past=[listing for listing in listings if listing.is_past(today)],
    )


def published_counts_by_kind() -> dict[str, int]:
    rows = db.session.execute(
        select(Listing.kind, func.count()).where(Listing.status == "published").group_by(Listing.kind)
    )
    return dict(rows.all())
