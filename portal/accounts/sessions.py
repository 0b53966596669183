"""How long a sign-in lasts: a session ends after SESSION_IDLE_MINUTES without a request and, however busy,
SESSION_MAX_DAYS after the login. With "aangemeld blijven" the remember-me cookie (valid for 30 days from the
login, REMEMBER_COOKIE_DURATION) signs the user in again after an idle end."""

from __future__ import annotations

import time

from flask import Flask, current_app, session
from flask_login import user_loaded_from_cookie

SEEN, SIGNED_IN = "seen_at", "signed_in_at"  # seconds since the epoch, in the signed session cookie
USER_KEY = "_user_id"  # where Flask-Login keeps the signed-in user in the session


def mark_signed_in() -> None:
    session[SIGNED_IN] = session[SEEN] = time.time()


def register_session_limits(app: Flask) -> None:
    user_loaded_from_cookie.connect(lambda _app, user: mark_signed_in(), app, weak=False)

    @app.before_request
    def _end_an_expired_session():
        if USER_KEY not in session:
            return
        now, config = time.time(), current_app.config
        idle = now - session.get(SEEN, 0) > config["SESSION_IDLE_MINUTES"] * 60
        too_old = now - session.get(SIGNED_IN, 0) > config["SESSION_MAX_DAYS"] * 24 * 3600
        if idle or too_old:
            session.clear()  # Flask-Login then finds a remember-me cookie, or nobody
        else:
            session[SEEN] = now
