"""What the security log may say about a person: e-mail addresses masked (`j***@example.org`) or as a keyed
hash that admins can search by, and no secrets at all."""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app

# Detail names whose values are secrets: dropped whatever they hold, should a caller ever pass one.
SECRET_NAMES = re.compile(r"password|passwd|token|secret|key|session|cookie|authorization", re.IGNORECASE)
EMAIL = re.compile(r"([^\s@<>\"',;:]+)@([^\s@<>\"',;:]+\.[^\s@<>\"',;:]+)")
MAX_DETAIL_LENGTH = 200


def mask_email(address: str) -> str:
    """`jan.peeters@example.org` -> `j***@example.org`: enough to tell addresses apart at a glance, not to mail."""
    local, _, domain = (address or "").strip().partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def email_hash(address: str | None) -> str | None:
    """A keyed hash of the normalised address: the same address always gives the same value (so an admin can
    search for it), while the log alone does not give the address back. Keyed with SECRET_KEY, so rotating
    that key starts new hashes."""
    if not address:
        return None
    key = hashlib.sha256(b"security-log|" + current_app.config["SECRET_KEY"].encode("utf-8")).digest()
    return hmac.new(key, address.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _clean(value):
    if isinstance(value, str):
        return EMAIL.sub(lambda match: mask_email(match.group(0)), value)[:MAX_DETAIL_LENGTH]
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return _clean(str(value))


def clean_details(details: dict) -> dict:
    """The details as they may be stored and logged: secrets dropped, addresses masked, texts cut short."""
    return {name: _clean(value) for name, value in details.items() if not SECRET_NAMES.search(name)}
