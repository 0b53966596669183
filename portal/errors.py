"""Dutch error pages. A server error shows a plain apology and never a trace."""

from __future__ import annotations

import math
import time

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from portal.api.errors import is_api_path, json_error
from portal.extensions import db, limiter
from portal.security_log import record_refusal

MESSAGES = {
    400: (_l("Ongeldige aanvraag"),
          _l("We konden deze aanvraag niet verwerken. Controleer wat je invulde en probeer opnieuw.")),
    403: (_l("Geen toegang"), _l("Je hebt geen toegang tot deze pagina.")),
    404: (_l("Pagina niet gevonden"),
          _l("Deze pagina bestaat niet (meer). Misschien is het aanbod afgelopen of verplaatst.")),
    405: (_l("Niet toegestaan"), _l("Deze actie is hier niet mogelijk.")),
    429: (_l("Te veel pogingen"),
          _l("Je probeerde dit te vaak na elkaar. Wacht even en probeer het later opnieuw.")),
    500: (_l("Er ging iets mis"),
          _l("Er ging bij ons iets mis. Probeer het later opnieuw; wij bekijken het probleem.")),
    503: (_l("Even niet beschikbaar"),
          _l("Zoeken lukt even niet: de zoekindex wordt opnieuw opgebouwd. Probeer het binnen een minuut opnieuw.")),
}


def _render(status: int):
    title, message = MESSAGES.get(status, (_l("Er ging iets mis"), _l("Probeer het later opnieuw.")))
    return render_template("error.html", status=status, title=title, message=message), status


def _retry_after(error: HTTPException) -> str:
    """Seconds until a 429 is over: the login throttle says so itself, Flask-Limiter's limits by their window."""
    seconds = getattr(error, "retry_after", None)
    if seconds is None and error.code == 429 and limiter.current_limit is not None:
        seconds = limiter.current_limit.window.reset_time - time.time()
    return str(max(1, math.ceil(seconds or 0)))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is not None and error.code < 400:
            return error  # routing redirects (e.g. a missing trailing slash) are not errors
        if (error.code or 500) >= 500:
            # The failure may have been the database's: the session's transaction is then unusable, and the
            # page (its header reads the signed-in user) would fail too. Nothing of the request is kept anyway.
            db.session.rollback()
        headers = {"Retry-After": _retry_after(error)} if error.code in (429, 503) else {}
        if error.code in (403, 404, 429):
            record_refusal(error.code)
        if is_api_path(request.path):
            if getattr(error, "valid_methods", None):
                headers["Allow"] = ", ".join(sorted(error.valid_methods))
            return json_error(error.code or 500, headers=headers)
        page, status = _render(error.code or 500)
        return page, status, headers
