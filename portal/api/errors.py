"""JSON errors for every /api/ path: {"error": {"status", "code", "message", "details"?}}, messages in Dutch."""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l

API_PREFIX = "/api/"

CODES = {
    400: ("bad_request", _l("De aanvraag is ongeldig.")),
    401: ("unauthorized", _l("Geef een geldige API-sleutel: Authorization: Bearer <sleutel>.")),
    403: ("forbidden", _l("Dit mag je niet doen.")),
    404: ("not_found", _l("Dit bestaat niet (meer).")),
    405: ("method_not_allowed", _l("Deze methode is hier niet toegestaan.")),
    409: ("conflict", _l("Dit kan niet in de huidige toestand.")),
    413: ("too_large", _l("De aanvraag is te groot.")),
    422: ("invalid", _l("De gegevens zijn ongeldig.")),
    429: ("too_many_requests", _l("Te veel aanvragen na elkaar. Wacht even en probeer het later opnieuw.")),
    500: ("server_error", _l("Er ging bij ons iets mis. Probeer het later opnieuw.")),
    503: ("unavailable", _l("Zoeken lukt even niet: de zoekindex wordt opnieuw opgebouwd. Probeer het binnen "
                            "een minuut opnieuw.")),
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
