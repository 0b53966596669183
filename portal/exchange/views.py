"""Downloads: a search result as CSV or JSON (the same URL parameters as /zoeken), and the whole published
catalogue as JSON in the import format. Thin: parse, call one service, render."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from portal.catalogue import policy
from portal.clock import today
from portal.domain import ValidationFailed
from portal.exchange import records
from portal.exchange.exporter import SEARCH_EXPORT_CAP, catalogue_dump, search_export
from portal.exchange.forms import ImportForm
from portal.exchange.importer import import_files
from portal.exchange.report import summary
from portal.search.service import SearchParams
from portal.security import no_store
from portal.transactions import service_call

blueprint = Blueprint("exchange", __name__, template_folder="templates")
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
        row["url"] = records.safe_cell(records.listing_url(listing))
        row["organisation_name"] = records.safe_cell(listing.organisation.name)
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


# Administration: the import page (the same importer and report as `flask catalogue import`)

@blueprint.route("/beheer/import", methods=["GET", "POST"])
@login_required
def import_page():
    if not policy.can_import_catalogue(current_user):
        abort(403)
    form = ImportForm(max_records=current_app.config["IMPORT_MAX_RECORDS"])
    result = None
    if form.validate_on_submit():
        result = _import(form)
    status = 400 if request.method == "POST" and (form.errors or (result and result["failed"])) else 200
    return no_store(Response(render_template("exchange/import.html", form=form, result=result), status))


def _import(form: ImportForm) -> dict | None:
    """Import the uploaded file as the signed-in admin: committed only when the report allows it and the admin
    did not ask for a dry run; otherwise rolled back, so nothing changes. None when the importer refused the file
    as a whole (too many records): the form shows why."""
    upload = form.file.data
    name = secure_filename(upload.filename or "") or "bestand"
    dry_run, skip_invalid = form.mode.data == "dry_run", form.skip_invalid.data
    with tempfile.TemporaryDirectory(prefix="stemwijzer-import-") as directory:
        path = Path(directory) / name
        upload.save(path)
        with service_call(form, "file", handled=ValidationFailed) as work:
            report = import_files(current_user._get_current_object(), [path],
                                  mode="publish" if form.mode.data == "publish" else "queue",
                                  skip_invalid=skip_invalid)
            failed = bool(report.problems) and not skip_invalid
            if failed or dry_run:
                work.discard()
    if not work.ok:
        return None
    if failed:
        outcome = gettext("%(n)s fout(en): er werd niets ingelezen.", n=len(report.problems))
    elif dry_run:
        outcome = gettext("Proefdraai, er werd niets veranderd.")
    elif form.mode.data == "publish":
        outcome = gettext("Ingelezen (gepubliceerd).")
    else:
        outcome = gettext("Ingelezen (ter moderatie).")
    return {"file": name, "report": report, "failed": failed, "outcome": outcome, "summary": summary(report),
            "dry_run": dry_run}
