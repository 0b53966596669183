"""Open-data responses: sitemap.xml, the Atom feed and calendar of a search, and a listing's calendar file.
Thin: parse, call one service, render."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import gettext

from portal.catalogue import queries
from portal.clock import today
from portal.domain import NotFound
from portal.exchange.exporter import search_export
from portal.opendata import feeds, jsonld
from portal.search.service import FILTERS, SearchParams

blueprint = Blueprint("opendata", __name__)

blueprint.add_app_template_global(jsonld.listing_jsonld, "listing_jsonld")
blueprint.add_app_template_global(jsonld.organisation_jsonld, "organisation_jsonld")
blueprint.add_app_template_global(feeds.has_calendar, "has_calendar")

FEED_SIZE = 50
CALENDAR_SIZE = 500


def _search_title(params: SearchParams) -> str:
    parts = [f"‘{params.q}’"] if params.q else []
    parts += [", ".join(FILTERS[name].label_of(code) for code in codes) for name, codes in params.filters.items()]
    if params.age is not None:
        parts.append(gettext("%(age)s jaar", age=params.age))
    return gettext("STEM-wijzer: %(search)s", search=" · ".join(parts) or gettext("alle aanbod"))


@blueprint.get("/sitemap.xml")
def sitemap():
    listings, organisations = queries.public_catalogue()
    return Response(feeds.sitemap(listings, organisations), mimetype="application/xml")


@blueprint.get("/zoeken.atom")
def search_feed():
    params = replace(SearchParams.from_args(request.args), sort="newest", page=1)
    export = search_export(params, today(), cap=FEED_SIZE)
    query = request.query_string.decode("latin-1")
    self_url = url_for("opendata.search_feed", _external=True) + (f"?{query}" if query else "")  # on SITE_URL
    body = feeds.atom_feed(
        _search_title(params), self_url,
        url_for("catalogue.search", **params.to_args(), _external=True), export.listings,
    )
    return Response(body, mimetype="application/atom+xml")


@blueprint.get("/zoeken.ics")
def search_calendar():
    params = replace(SearchParams.from_args(request.args), sort="soonest", page=1)
    export = search_export(params, today(), cap=CALENDAR_SIZE)
    return Response(feeds.calendar(_search_title(params), export.listings), mimetype="text/calendar")


@blueprint.get("/aanbod/<slug>.ics")
def listing_calendar(slug: str):
    try:
        listing = queries.listing_by_slug(None, slug)  # open data: published listings only, whoever asks
    except NotFound:
        abort(404)
    if not feeds.has_calendar(listing):
        abort(404)
    response = Response(feeds.calendar(listing.title, [listing]), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{listing.slug}.ics"'
    return response
