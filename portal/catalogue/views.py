"""Public pages: home, search, listing detail, organisation. Thin: parse, call a service, render."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from portal.catalogue import map_features, queries
from portal.clock import today
from portal.domain import NotFound
from portal.search.service import SearchParams, map_results, published_counts, search_listings

blueprint = Blueprint("catalogue", __name__, template_folder="templates")


@blueprint.get("/")
def home():
    return render_template("catalogue/home.html", counts=published_counts(today()))


@blueprint.get("/zoeken")
def search():
    params = SearchParams.from_args(request.args)
    page = search_listings(params, today(), current_app.config["SEARCH_PAGE_SIZE"])
    if page.total and params.page > page.page_count:
        return redirect(url_for("catalogue.search", **params.to_args(page=page.page_count)))
    return render_template("catalogue/search.html", page=page, params=params)


@blueprint.get("/zoeken/kaart.json")
def search_map():
    """The search page's map: the listings of every page of the search as GeoJSON points."""
    results = map_results(SearchParams.from_args(request.args), today())
    return current_app.response_class(json.dumps(map_features.search_collection(results), ensure_ascii=False),
                                      mimetype="application/geo+json")


@blueprint.get("/aanbod/<slug>")
def listing(slug: str):
    try:
        found = queries.listing_by_slug(current_user, slug)
    except NotFound:
        abort(404)
    return render_template("catalogue/listing.html", listing=found, today=today())


@blueprint.get("/organisaties/<slug>")
def organisation(slug: str):
    try:
        page = queries.organisation_page(current_user, slug, today())
    except NotFound:
        abort(404)
    return render_template("catalogue/organisation.html", page=page)
