"""Search as the portal offers it: parameters from a URL, results as listings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.catalogue import vocab
from portal.catalogue.models import Listing
from portal.extensions import db
from portal.search.sync import search_index
from search_index import SearchQuery, clean_text


@dataclass(frozen=True)
class Filter:
    name: str  # the URL parameter, equal to the index's facet name
    label: object
    vocabulary: vocab.Vocabulary


FILTERS = {
    f.name: f
    for f in (
        Filter("kind", _l("Soort aanbod"), vocab.LISTING_KINDS),
        Filter("age_group", _l("Leeftijd"), vocab.AGE_GROUP_VOCABULARY),
        Filter("region", _l("Provincie"), vocab.REGIONS),
        Filter("target_group", _l("Doelgroep"), vocab.TARGET_GROUPS),
        Filter("theme", _l("Thema"), vocab.THEMES),
    )
}
MAX_PAGE = 500


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1

    @classmethod
    def from_args(cls, args) -> SearchParams:
        """Read a query string leniently: unknown codes are dropped and a bad page number means page 1."""
        filters = {}
        for name, search_filter in FILTERS.items():
            codes = tuple(dict.fromkeys(code for code in args.getlist(name) if code in search_filter.vocabulary))
            if codes:
                filters[name] = codes
        try:
            page = min(max(int(args.get("page", 1)), 1), MAX_PAGE)
        except ValueError:
            page = 1
        return cls(q=clean_text(args.get("q", "")), filters=filters, page=page)

    def is_selected(self, name: str, code: str) -> bool:
        return code in self.filters.get(name, ())

    def to_args(self, **changes) -> dict:
        """URL arguments for the first page of these parameters, with `changes` applied (e.g. page=2)."""
        args = {"q": self.q, **{name: list(codes) for name, codes in self.filters.items()}}
        args.update(changes)
        if args.get("page") == 1:
            del args["page"]
        return {key: value for key, value in args.items() if value not in ("", [], None)}

    def without(self, name: str, code: str) -> dict:
        return self.to_args(**{name: [c for c in self.filters.get(name, ()) if c != code]})

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters


@dataclass(frozen=True)
class SearchPage:
    params: SearchParams
    listings: list[Listing]
    total: int
    page: int
    page_count: int


def search_listings(params: SearchParams, today: date, page_size: int) -> SearchPage:
    result = search_index().search(SearchQuery(
        text=params.q,
        filters={name: frozenset(codes) for name, codes in params.filters.items()},
        today=today,
        page=params.page,
        page_size=page_size,
    ))
    ids = [int(doc_id) for doc_id in result.ids]
    found = db.session.scalars(
        select(Listing)
        .where(Listing.id.in_(ids), Listing.status == "published")
        .options(selectinload(Listing.locations), selectinload(Listing.organisation))
    ).all()
    by_id = {listing.id: listing for listing in found}
    listings = [by_id[i] for i in ids if i in by_id]
    return SearchPage(params=params, listings=listings, total=result.total, page=result.page,
                      page_count=result.page_count)
