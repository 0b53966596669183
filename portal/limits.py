"""Rate limits that several features share (Flask-Limiter, portal/extensions.py; settings in portal/config.py).

While the shared storage (Redis) is unreachable, counting goes on in this process's memory (Flask-Limiter's
in-memory fallback, with a logged warning) instead of refusing logins and registrations; Flask-Limiter goes
back to the storage once it answers again. `count` gives the login throttle's own counters the same fallback.

Mail that a signed-in user makes the portal send to others (invitations, join requests to an organisation's
members, confirmation of a new e-mail address) counts per account, for all of these together: an account
cannot turn the portal into a mail cannon. Only a request that queued such a mail counts."""

from __future__ import annotations

import logging

from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits.storage import Storage

from portal.extensions import limiter

logger = logging.getLogger(__name__)


def setting(name: str):
    """A limit read from the configuration at request time (tests and deployments can change it)."""
    return lambda: current_app.config[name]


def counters() -> Storage:
    """The storage the counters are in now: the configured one, or the in-memory fallback while it is down."""
    return limiter.limiter.storage


def count(key: str, expiry: int, amount: int = 1) -> int:
    """Add `amount` to the counter `key` (expiring after `expiry` seconds) and return its value."""
    try:
        return counters().incr(key, expiry, amount=amount)
    except Exception:
        if limiter._storage_dead:  # the fallback itself failed: nothing left to fall back on
            raise
        logger.warning("rate limit storage unreachable: counting in this process's memory until it answers again",
                       exc_info=True)
        # Flask-Limiter's own switch (it has no public one): its limits then count in memory too, and it
        # checks the storage again (backing off) on later requests.
        limiter._storage_dead = True
        return counters().incr(key, expiry, amount=amount)


def _account_key() -> str:
    if current_user.is_authenticated:
        return f"account:{current_user.get_id()}"
    return "address:" + get_remote_address()  # login_required sends these away anyway


def mail_queued() -> None:
    """Called by a view once its service queued the mail: that request counts against the limit."""
    g.user_mail_queued = True


user_mail = limiter.shared_limit(setting("USER_MAIL_LIMIT"), scope="user-mail", key_func=_account_key,
                                 methods=["POST"], deduct_when=lambda _response: g.get("user_mail_queued", False))
