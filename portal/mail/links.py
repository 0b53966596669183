"""Absolute links for mails. SITE_URL, when set, is the base: never the request's Host header, which a
client can forge to point a password-reset link at their own server."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for

COMMAND_BASE = "http://localhost:5000"  # a command's links without SITE_URL (development: `make run`)


def absolute_url(endpoint: str, **values) -> str:
    base = current_app.config.get("SITE_URL")
    if not has_request_context():  # a command (the freshness run): no request to build the path in
        with current_app.test_request_context():
            return (base or COMMAND_BASE).rstrip("/") + url_for(endpoint, **values)
    if base:
        return base.rstrip("/") + url_for(endpoint, _external=False, **values)  # also outside a request
    return url_for(endpoint, _external=True, **values)
