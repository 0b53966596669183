"""HTTP security headers on every response. No inline script or style anywhere, so the policy is strict."""

from __future__ import annotations

from flask import Flask, Response, request

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
        return response


def no_store(response: Response) -> Response:
    """An after-request hook for the workplaces (accounts, organisations, a member's listings, moderation): their
    pages carry personal data, one-time links or unpublished content, so no browser or proxy keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response
