"""Mails with a link that expires are written anew rather than sent stale.

A password-reset link lives one hour and a confirmation link two days, but a mail may wait longer than that
for a mail server (portal/mail/worker.py retries for MAIL_RETRY_HOURS). Instead of making such links live as
long as the retry window (a reset link valid for days is a standing key to the account), the feature that
wrote the mail registers how to write it again for the same person, with a fresh link for the state of now:
the worker does so before it sends a mail whose link has lost its freshness, and an admin's resend always does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

# A mail is sent as it is while at most this part of its link's lifetime has passed: the recipient gets
# (nearly) the lifetime the text promises ("1 uur geldig").
FRESH_PART = 0.1


@dataclass(frozen=True)
class Reissuer:
    lifetime: timedelta
    # (subject id, recipient) -> queue the mail anew (True), or tell that it no longer applies (False),
    # e.g. the address was confirmed meanwhile or the account is gone.
    write: Callable[[int, str], bool]


_REISSUERS: dict[str, Reissuer] = {}


def reissuer(kind: str, lifetime: timedelta):
    """Register the function that writes mails of `kind` anew (a decorator)."""
    def register(write: Callable[[int, str], bool]):
        _REISSUERS[kind] = Reissuer(lifetime, write)
        return write
    return register


def can_reissue(kind: str | None) -> bool:
    return kind in _REISSUERS


def is_stale(kind: str | None, created_at: datetime, now: datetime) -> bool:
    """Whether the worker should write this mail anew. Outside a request a link needs SITE_URL (always set in
    production); without it (development) the mail is sent as it was written."""
    found = _REISSUERS.get(kind)
    return (found is not None and now - created_at > found.lifetime * FRESH_PART
            and bool(current_app.config.get("SITE_URL")))


def reissue(kind: str, subject_id: int, recipient: str) -> bool:
    """Queue the mail anew in the current transaction; False when it no longer applies."""
    return _REISSUERS[kind].write(subject_id, recipient)
