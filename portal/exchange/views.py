"""Downloads: a search result as CSV or JSON (the same URL parameters as /zoeken), and the whole published
catalogue as JSON in the import format. Thin: parse, call one service, render."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, jsonify, request

from portal.clock import today
from portal.exchange import records
from portal.exchange.exporter import SEARCH_EXPORT_CAP, catalogue_dump, search_export
from portal.search.service import SearchParams

blueprint = Blueprint("exchange", __name__)
blueprint.add_app_template_global(SEARCH_EXPORT_CAP, "export_cap")

CSV_COLUMNS = [spec.name for spec in records.LISTING_FIELDS] + list(records.EXPORT_ONLY_FIELDS)


def _download(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _with_message(response: Response, export) -> Response:
    response.headers["X-Total-Count"] = str(export.total)
    if export.truncated:
        response.headers["X-Export-Truncated"] = "true"
    return response


@blueprint.get("/zoeken.csv")
def search_csv():
    export = search_export(SearchParams.from_args(request.args), today())
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the file as UTF-8 only with a byte order mark; the importer accepts it
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for listing in export.listings:
        row = records.csv_row(records.listing_record(listing), records.LISTING_FIELDS)
        row["url"] = records.listing_url(listing)
        row["organisation_name"] = listing.organisation.name
        writer.writerow(row)
    response = Response(buffer.getvalue(), mimetype="text/csv", content_type="text/csv; charset=utf-8")
    return _with_message(_download(response, "stem-wijzer-zoekresultaten.csv"), export)


@blueprint.get("/zoeken.json")
def search_json():
    params = SearchParams.from_args(request.args)
    export = search_export(params, today())
    response = jsonify(export.document(params))
    return _with_message(_download(response, "stem-wijzer-zoekresultaten.json"), export)


@blueprint.get("/catalogus.json")
def catalogue_json():
    return _download(jsonify(catalogue_dump()), "stem-wijzer-catalogus.json")
