"""HTTP security headers on every response (no inline script or style anywhere, so the policy is strict),
and addresses that no link of ours makes refused before they reach a view."""

from __future__ import annotations

from flask import Flask, Response, abort, g, request

from portal.text import CONTROL_CHARACTERS

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
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
