"""JSON errors for every /api/ path: {"error": {"status", "code", "message", "details"?}}, messages in Dutch."""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l

API_PREFIX = "/api/"

CODES = {
    400: ("bad_request", _l("De aanvraag is ongeldig.")),
    404: ("not_found", _l("Dit bestaat niet (meer).")),
    405: ("method_not_allowed", _l("Deze methode is hier niet toegestaan; de API is alleen-lezen (GET).")),
    500: ("server_error", _l("Er ging bij ons iets mis. Probeer het later opnieuw.")),
}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def json_error(status: int, message=None, details: list[dict] | None = None, headers: dict | None = None):
    code, default = CODES.get(status, ("error", _l("Er ging iets mis.")))
    body = {"status": status, "code": code, "message": str(message or default)}
    if details:
        body["details"] = [{key: str(value) for key, value in detail.items()} for detail in details]
    response = jsonify(error=body)
    response.status_code = status
    response.headers.update(headers or {})
    return response
