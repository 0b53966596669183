"""A request id for every request: on `g`, in every security log line and in the X-Request-ID response header,
so a line in the log, a row on the admins' page and what a user or the proxy saw can be matched up. The id a
proxy sends is taken only with TRUST_REQUEST_ID and only when well formed; otherwise one is made here."""

from __future__ import annotations

import re
import uuid

from flask import Flask, current_app, g, has_request_context, request

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")  # what nginx' $request_id and UUIDs look like


def request_id() -> str | None:
    """This request's id (None outside a request, e.g. in a CLI command)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        sent = request.headers.get(HEADER, "")
        trusted = current_app.config["TRUST_REQUEST_ID"] and WELL_FORMED.fullmatch(sent)
        g.request_id = sent if trusted else uuid.uuid4().hex
    return g.request_id


def register_request_id(app: Flask) -> None:
    """Registered before the extensions, so the id exists before any of their hooks can refuse a request."""
    @app.before_request
    def _make_request_id() -> None:  # a before_request hook that returns a value answers the request with it
        request_id()

    @app.after_request
    def _answer_with_request_id(response):
        response.headers[HEADER] = request_id()
        return response
