"""Exports: the whole published catalogue in the import format, and the listings of one search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.catalogue import policy
from portal.catalogue.models import Listing, Organisation, listing_details
from portal.database import utcnow
from portal.exchange import records
from portal.extensions import db
from portal.search.service import SearchParams, matching_listing_ids

SEARCH_EXPORT_CAP = 5000


def _document(organisations, listings, **extra) -> dict:
    return {"format": records.FORMAT, "version": records.VERSION, "exported_at": utcnow().isoformat(), **extra,
            "organisations": [records.organisation_record(o) for o in organisations],
            "listings": [records.listing_record(listing) for listing in listings]}


def catalogue_dump() -> dict:
    """Every published listing and every organisation anyone may see, in the import format."""
    organisations = db.session.scalars(
        select(Organisation).where(policy.public_organisation_clause()).order_by(Organisation.slug)).all()
    listings = db.session.scalars(
        select(Listing).where(policy.public_listing_clause()).options(*listing_details()).order_by(Listing.slug)
    ).all()
    return _document(organisations, listings)


@dataclass(frozen=True)
class SearchExport:
    listings: list[Listing]  # in the order of the search page
    total: int
    truncated: bool

    @property
    def message(self) -> str | None:
        if not self.truncated:
            return None
        return str(_l("Deze export bevat de eerste %(cap)s van %(total)s resultaten. Verfijn je zoekopdracht "
                      "voor een volledige export.", cap=len(self.listings), total=self.total))

    def document(self, params: SearchParams) -> dict:
        organisations = list({listing.organisation.id: listing.organisation for listing in self.listings}.values())
        search = {"query": params.to_args(), "total": self.total, "exported": len(self.listings),
                  "truncated": self.truncated, "message": self.message}
        return _document(organisations, self.listings, search=search)


def search_export(params: SearchParams, today: date, cap: int = SEARCH_EXPORT_CAP) -> SearchExport:
    """Every listing the search page shows for `params`, over all its pages (at most `cap`)."""
    ids, total = matching_listing_ids(params, today, cap)
    found = {listing.id: listing for listing in db.session.scalars(
        select(Listing).where(Listing.id.in_(ids), policy.public_listing_clause()).options(*listing_details()))}
    return SearchExport([found[i] for i in ids if i in found], total, truncated=total > len(ids))
