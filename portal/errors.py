"""Dutch error pages. A server error shows a plain apology and never a trace.

When the database cannot be reached (or a request ran out of its time budget, portal/request_budget.py) the
answer is 503 with Retry-After, as a page or as the API's JSON: rendered without the database, so the page's
header shows nobody signed in rather than asking the database who is."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc
from werkzeug.exceptions import HTTPException

from portal.api.errors import is_api_path, json_error
from portal.extensions import db, limiter, login_manager
from portal.request_budget import OverBudget
from portal.security_log import record_refusal

# The database is down, unreachable, refuses connections, ran out of pooled connections, or cancelled a statement
# past the time budget: a moment later the same request may well succeed.
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, OverBudget)

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
DATABASE_UNAVAILABLE = (_l("Even niet beschikbaar"),
                        _l("STEM-wijzer is even niet bereikbaar. Probeer het over een halve minuut opnieuw; "
                           "verstuurde je een formulier, verstuur het dan nog eens."))


def _render(status: int, texts: tuple | None = None):
    title, message = texts or MESSAGES.get(status, (_l("Er ging iets mis"), _l("Probeer het later opnieuw.")))
    return render_template("error.html", status=status, title=title, message=message), status


def _retry_after(error: HTTPException) -> str:
    """Seconds until a 429 is over: the login throttle says so itself, Flask-Limiter's limits by their window."""
    seconds = getattr(error, "retry_after", None)
    if seconds is None and error.code == 429 and limiter.current_limit is not None:
        seconds = limiter.current_limit.window.reset_time - time.time()
    return str(max(1, math.ceil(seconds or 0)))


def is_unavailable(error: BaseException | None) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, UNAVAILABLE)


def unavailable(error: BaseException):
    """503 with Retry-After, touching neither the database nor the signed-in user."""
    current_app.logger.warning("answered 503 for %s %s: %s", request.method, request.path,
                               str(error).splitlines()[0] if str(error) else type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # a connection that is gone cannot roll back; the pool replaces it
        db.session.invalidate()
    # Flask-Login loads the user lazily, on the first look at current_user (the page's header): decide for it.
    g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": str(current_app.config["UNAVAILABLE_RETRY_AFTER"])}
    if is_api_path(request.path):
        return json_error(503, DATABASE_UNAVAILABLE[1], headers=headers)
    page, status = _render(503, DATABASE_UNAVAILABLE)
    return page, status, headers


def register_error_handlers(app: Flask) -> None:
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, unavailable)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is not None and error.code < 400:
            return error  # routing redirects (e.g. a missing trailing slash) are not errors
        if is_unavailable(getattr(error, "original_exception", None)):
            # e.g. a lost connection seen as another DBAPIError, or an error page's own look at the database
            return unavailable(error.original_exception)
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
