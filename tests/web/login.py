"""The one place tests log a user in. Until the accounts pages exist, this sets Flask-Login's session keys;
the integrator switches it to the real login form here."""

from bs4 import BeautifulSoup
from flask import g


def log_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    # The `app` fixture keeps one application context across requests, and Flask-Login caches the user in it.
    g.pop("_login_user", None)


def session_cookie(app, user) -> dict:
    """The same login for a real browser: a signed session cookie for Playwright's `context.add_cookies`."""
    value = app.session_interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})
    return {"name": app.config["SESSION_COOKIE_NAME"], "value": value}


def csrf_token(client, url: str) -> str:
    """The CSRF token of the first form on the page at `url`, as a browser would post it."""
    g.pop("csrf_token", None)  # Flask-WTF caches the token in the shared application context, too
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("input[name=csrf_token]")["value"]
