"""Absolute links for mails. SITE_URL, when set, is the base: never the request's Host header, which a
client can forge to point a password-reset link at their own server."""

from __future__ import annotations

from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    base = current_app.config.get("SITE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, _external=False, **values)  # also outside a request
    return url_for(endpoint, _external=True, **values)
