"""Write access to /api/v1 for an organisation's own software, with its API key (`Authorization: Bearer ...`).

The same services as the HTML forms (portal/submissions/services.py): a new listing is submitted for moderation
at once; a change to a published listing becomes a pending revision while the live version stays; a draft or
rejected listing changes in place. The body is a listing record of the import format (docs/import-format.md),
read by portal/exchange/records.py. Only the key counts: a session cookie gives no write access, and so these
views need no CSRF token (they are exempt one by one in register_write_api)."""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import g, jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from portal.api.errors import json_error
from portal.api.views import blueprint
from portal.catalogue.models import Listing
from portal.domain import DomainError, InvalidTransition, NotFound, ValidationFailed
from portal.exchange import records
from portal.extensions import csrf, db, limiter
from portal.limits import setting
from portal.organisations import services as organisations
from portal.security_log import record_refusal
from portal.submissions import services as submissions
from portal.transactions import unit_of_work

BEARER = "bearer "
# The API names a listing's fields as the import format does.
FIELD_NAMES = {"external_id": "id", "form": None}


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[len(BEARER):].strip() if header[: len(BEARER)].lower() == BEARER else None


def _token_key() -> str:
    """Rate-limit counter per API key (its hash, never the key itself)."""
    return "api-key:" + hashlib.sha256((_bearer() or "").encode("utf-8")).hexdigest()


def _unauthorised():
    return json_error(401, _l("Geef een geldige API-sleutel: Authorization: Bearer <sleutel>. Een sleutel maak je "
                              "op de pagina van je organisatie."), headers={"WWW-Authenticate": 'Bearer realm="api"'})


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = organisations.authenticate_api_token(_bearer())
        if token is None:
            return _unauthorised()
        g.api_token = token
        return view(*args, **kwargs)
    return wrapper


def _invalid(errors: dict):
    details = [{"field": FIELD_NAMES.get(name, name) or "", "message": str(message)}
               for name, messages in errors.items() for message in messages]
    return json_error(422, _l("Het aanbod is niet bewaard: verbeter de fouten in `details`."), details)


def _body() -> dict | None:
    """The JSON object sent; None when the request holds none: not JSON, not an object, or nested deeper than the
    parser goes (which is not one listing either). That is a malformed request (400), not invalid fields (422)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return None
    return body if isinstance(body, dict) else None


def _not_a_listing():
    return json_error(400, _l("Stuur één aanbod als JSON-object (Content-Type: application/json)."))


def _read(body: dict):
    values, problems = records.read_fields(body, records.API_LISTING_FIELDS, from_csv=False)
    if problems:
        raise ValidationFailed(dict(problems))
    return records.api_listing_input(values)


def _own_listing(slug: str) -> Listing:
    """A listing of the key's organisation; any other is unknown (404), so other ids reveal nothing."""
    listing = db.session.scalar(db.select(Listing).where(Listing.slug == slug,
                                                         Listing.organisation_id == g.api_token.organisation_id))
    if listing is None:
        raise NotFound(_l("Dit aanbod bestaat niet, of het hoort niet bij de organisatie van deze sleutel."))
    return listing


def _result(listing: Listing, status: int = 200):
    revision = submissions.pending_revision(listing)
    body = {
        "slug": listing.slug, "id": listing.external_id, "status": listing.status,
        "pending_revision": revision is not None,
        "url": url_for("catalogue.listing", slug=listing.slug, _external=True),
    }
    response = jsonify(body)
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("api.listing", slug=listing.slug)
    return response


def _refused(error: DomainError):
    """A refusal as a JSON problem; its unit of work was rolled back (a request that fails before one commits
    nothing, not even the key's last use)."""
    if isinstance(error, ValidationFailed):
        return _invalid(error.errors)
    if isinstance(error, InvalidTransition):
        return json_error(409, error)
    status = 404 if isinstance(error, NotFound) else 403
    record_refusal(status, g.api_token.created_by)  # answered here, not by the error handlers
    return json_error(status, error)


write_limit = limiter.shared_limit(setting("API_WRITE_LIMIT"), scope="api-write", key_func=_token_key)


@blueprint.post("/listings")
@write_limit
@token_required
def create_listing():
    body = _body()
    if body is None:
        return _not_a_listing()
    token = g.api_token
    try:
        with unit_of_work():
            listing = submissions.create_listing(token.created_by, token.organisation, _read(body), submit=True)
    except DomainError as error:
        return _refused(error)
    return _result(listing, 201)


@blueprint.route("/listings/<slug>", methods=["PUT", "PATCH"])
@write_limit
@token_required
def update_listing(slug: str):
    body = _body()
    if body is None:
        return _not_a_listing()
    token = g.api_token
    try:
        with unit_of_work():
            listing = _own_listing(slug)
            submissions.require_changeable(token.created_by, listing)
            # A listing keeps its web name and external id: an update ignores "slug" and "id".
            body = {key: value for key, value in body.items() if key not in ("slug", "id")}
            if request.method == "PATCH":
                current = submissions.editable_input(token.created_by, listing)
                body = {**records.input_record(current), **body}
            submissions.save_listing(token.created_by, listing, _read(body), submit=False)
    except DomainError as error:
        return _refused(error)
    return _result(listing)


@blueprint.post("/listings/<slug>/submit")
@write_limit
@token_required
def submit_listing(slug: str):
    token = g.api_token
    try:
        with unit_of_work():
            listing = _own_listing(slug)
            submissions.submit(token.created_by, listing)
    except DomainError as error:
        return _refused(error)
    return _result(listing)


WRITE_VIEWS = (create_listing, update_listing, submit_listing)


def register_write_api() -> None:
    """No CSRF token for these views (a key, not a cookie, authenticates them), and a limit per key."""
    for view in WRITE_VIEWS:
        csrf.exempt(view)

