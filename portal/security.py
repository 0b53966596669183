"""HTTP security headers on every response (no inline script or style anywhere, so the policy is strict),
and addresses that no link of ours makes refused before they reach a view."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, request

from portal.text import CONTROL_CHARACTERS


def content_security_policy(tile_url: str | None = None) -> str:
    """The policy of every page: our own files only, and images from the map's tile service when one is
    configured (MAP_TILE_URL, checked by portal.config)."""
    images = " ".join(["'self'", "data:", *([tile_source(tile_url)] if tile_url else [])])
    return (f"default-src 'self'; img-src {images}; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


def tile_source(tile_url: str) -> str:
    """A tile URL template's origin as a CSP source: https://{s}.tile.example/{z}/{x}/{y}.png allows
    https://*.tile.example."""
    parts = urlsplit(tile_url)
    host = f"*.{parts.netloc.removeprefix('{s}.')}" if parts.netloc.startswith("{s}.") else parts.netloc
    return f"{parts.scheme}://{host}"


def register_security_headers(app: Flask) -> None:
    policy = content_security_policy(app.config.get("MAP_TILE_URL"))

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        user = g.get("_login_user")  # set by Flask-Login when the request looked at who is signed in
        if user is not None and user.is_authenticated and request.endpoint != "static":
            no_store(response)  # a signed-in page names its user, and may show what is not public
        return response


def register_input_guard(app: Flask) -> None:
    """A path with a control character (a NUL byte, say) names nothing that can exist: a 404 before a view looks
    a slug up with it (PostgreSQL refuses NUL in a query). Forms
    refuse such characters field by field (portal.forms.PortalForm), the services in every text input, and the
    search reads them out of a query."""

    @app.before_request
    def _refuse_control_characters():
        if CONTROL_CHARACTERS.search(request.path):
            abort(404)


def no_store(response: Response) -> Response:
    """An after-request hook for the workplaces (accounts, organisations, a member's listings, moderation): their
    pages carry personal data, one-time links or unpublished content, so no browser or proxy keeps them."""
    response.headers["Cache-Control"] = "private, no-store"  # no cache at all, and certainly no shared one
    return response
