"""Wire the API into the application: its blueprint, and CORS for read-only use from any web page.

A few headers rather than Flask-CORS: the API is anonymous and GET-only, so `*` with no credentials is all
it needs, and preflight requests are answered by Flask's automatic OPTIONS responses."""

from __future__ import annotations

from flask import Flask, request

from portal.api.views import blueprint

CORS_PREFIX = "/api/v1"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def register_api(app: Flask) -> None:
    from portal.api.write import register_write_api

    register_write_api()
    app.register_blueprint(blueprint)

    @app.after_request
    def _cors(response):
        if request.path.startswith(CORS_PREFIX) and request.method in ("GET", "HEAD", "OPTIONS"):
            response.headers.update(CORS_HEADERS)
        return response
