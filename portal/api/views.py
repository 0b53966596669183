"""/api/v1: read-only JSON over the same services as the HTML pages. Thin: parse, call one service, render."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from portal.api import representations
from portal.api.errors import json_error
from portal.api.openapi import openapi_document
from portal.api.params import BadParameters, paging, search_params
from portal.catalogue import queries
from portal.clock import today
from portal.domain import NotFound
from portal.search.service import search_listings

blueprint = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")


@blueprint.errorhandler(BadParameters)
def _bad_parameters(error: BadParameters):
    return json_error(400, _l("Een of meer parameters zijn ongeldig."), error.details)


@blueprint.errorhandler(NotFound)
def _not_found(error: NotFound):
    return json_error(404, error)


@blueprint.get("/listings")
def search():
    params, per_page = search_params(request.args, current_app.config["SEARCH_PAGE_SIZE"])
    page = search_listings(params, today(), per_page)
    message = None
    if params.page > page.page_count:
        message = _l("Pagina %(page)s bestaat niet: deze zoekopdracht heeft %(count)s pagina('s).",
                     page=params.page, count=page.page_count)
    message = message or page.unknown_place
    return jsonify(representations.search_page(params, per_page, page, str(message) if message else None))


@blueprint.get("/listings/<slug>")
def listing(slug: str):
    return jsonify(representations.listing(queries.listing_by_slug(None, slug)))


@blueprint.get("/organisations")
def organisations():
    problems: list[dict] = []
    page, per_page = paging(request.args, current_app.config["SEARCH_PAGE_SIZE"], problems)
    if problems:
        raise BadParameters(problems)
    found, total = queries.public_organisations(page, per_page)
    return jsonify({
        "total": total, "page": page, "per_page": per_page, "page_count": max(1, -(-total // per_page)),
        "results": [representations.organisation_summary(organisation) for organisation in found],
    })


@blueprint.get("/organisations/<slug>")
def organisation(slug: str):
    page = queries.organisation_page(None, slug, today())
    return jsonify(representations.organisation(page.organisation, page.current, page.past))


@blueprint.get("/vocabularies")
def vocabularies():
    return jsonify(representations.vocabularies())


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@blueprint.get("/docs")
def docs():
    return render_template("api/docs.html", document=openapi_document())
