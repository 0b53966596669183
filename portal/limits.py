"""Rate limits that several features share (Flask-Limiter, portal/extensions.py; settings in portal/config.py).

Mail that a signed-in user makes the portal send to others (invitations, join requests to an organisation's
members, confirmation of a new e-mail address) counts per account, for all of these together: an account
cannot turn the portal into a mail cannon. Only a request that queued such a mail counts."""

from __future__ import annotations

from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.extensions import limiter


def setting(name: str):
    """A limit read from the configuration at request time (tests and deployments can change it)."""
    return lambda: current_app.config[name]


def _account_key() -> str:
    if current_user.is_authenticated:
        return f"account:{current_user.get_id()}"
    return "address:" + get_remote_address()  # login_required sends these away anyway


def mail_queued() -> None:
    """Called by a view once its service queued the mail: that request counts against the limit."""
    g.user_mail_queued = True


user_mail = limiter.shared_limit(setting("USER_MAIL_LIMIT"), scope="user-mail", key_func=_account_key,
                                 methods=["POST"], deduct_when=lambda _response: g.get("user_mail_queued", False))
