"""Single-use, expiring links (confirm an address, reset a password, change an address, accept an invitation).

A token is signed and time-stamped by itsdangerous and carries a fingerprint of the state it was issued for
(e.g. the password hash for a reset link). Using the link changes that state, so the link stops working:
single use without storing tokens. Old links also die when a newer action changed the state first."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from portal import clock
from portal.domain import DomainError

LIFETIMES = {
    "confirm": timedelta(days=2),
    "reset": timedelta(hours=1),
    "email": timedelta(days=1),
    "invite": timedelta(days=14),
    # a reminder's confirmation link (portal/freshness): from the first reminder until the listing is archived
    "freshness": timedelta(days=150),
}


class TokenRefused(DomainError):
    """The link is unknown, expired or already used."""


def fingerprint(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()[:24]


class PortalClockSigner(TimestampSigner):
    """Links are issued and checked by the portal's clock (portal/clock.py), like the mails that carry them."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(purpose: str, at: int | None = None) -> URLSafeTimedSerializer:
    signer = PortalClockSigner
    if at is not None:  # issue as if at that moment (lets tests make an expired link without waiting)
        signer = type("IssuedAt", (PortalClockSigner,), {"get_timestamp": lambda self: at})
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"stemwijzer-{purpose}", signer=signer)


def issue(purpose: str, subject_id: int, state: str, extra: str = "", at: int | None = None) -> str:
    return _serializer(purpose, at).dumps([subject_id, fingerprint(state), extra])


def read(purpose: str, token: str) -> tuple[int, str, str]:
    """(subject id, state fingerprint, extra); the caller compares the fingerprint with the current state."""
    try:
        subject_id, state, extra = _serializer(purpose).loads(
            token, max_age=int(LIFETIMES[purpose].total_seconds())
        )
    except SignatureExpired as error:
        raise TokenRefused(_l("Deze link is verlopen. Vraag een nieuwe aan.")) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise TokenRefused(_l("Deze link is ongeldig of werd al gebruikt.")) from error
    return subject_id, state, extra


def check_state(token_state: str, current_state: str) -> None:
    if token_state != fingerprint(current_state):
        raise TokenRefused(_l("Deze link is ongeldig of werd al gebruikt."))
