"""STEM-wijzer: the Flask application factory."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import load_config
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class Portal(Flask):
    def create_url_adapter(self, request):
        """With SITE_URL set, every absolute link names it, whatever Host header a request came with (a forged
        one would otherwise end up in the sitemap, canonical links, JSON-LD, the API and feeds); routes still
        match on the path alone."""
        site_url = self.config.get("SITE_URL")
        if request is None or not site_url:
            return super().create_url_adapter(request)
        site = urlsplit(site_url)
        return self.url_map.bind(site.netloc, script_name=request.root_path or "/",
                                 url_scheme=site.scheme, default_method=request.method, path_info=request.path,
                                 query_args=request.query_string.decode("latin-1"))


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    # Imported here: the feature modules import portal.extensions, which imports nothing of the factory.
    from portal.accounts.sessions import register_session_limits
    from portal.cli import register_commands
    from portal.errors import register_error_handlers
    from portal.health import register_health
    from portal.metrics import register_metrics
    from portal.request_budget import register_request_budget
    from portal.security import register_input_guard, register_security_headers
    from portal.security_log.request_id import register_request_id
    from portal.templating import register_template_helpers

    app = Portal(__name__, instance_path=instance_path)
    app.config.update(load_config(app.instance_path, overrides))
    register_proxy(app)
    register_request_id(app)
    register_metrics(app)
    register_extensions(app)
    register_request_budget(app)
    register_session_limits(app)
    register_database(app)
    register_outboxes(app)
    register_blueprints(app)
    register_health(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_input_guard(app)
    register_template_helpers(app)
    register_commands(app)
    register_shell_context(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, the client's address and scheme come from their headers."""
    if app.config["TRUSTED_PROXY_COUNT"]:
        proxies = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def register_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith(f"sqlite:///{app.instance_path}"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # home of the embedded database
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    babel.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from portal import models  # noqa: F401  (registers every table on db.metadata)
    from portal.accounts.loader import load_user  # noqa: F401  (registers Flask-Login's user loader)


def register_database(app: Flask) -> None:
    """SQLite's connection settings, and writing requests take the write lock first."""
    from portal.database import begin_write, configure_sqlite

    with app.app_context():
        configure_sqlite(db.engine)

    @app.before_request
    def _writers_lock_first() -> None:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            begin_write(db.session)


def register_outboxes(app: Flask) -> None:
    """The search index, the mail and the security log lines follow committed changes."""
    from portal.mail import outbox
    from portal.search import sync
    from portal.security_log import recorder

    sync.init_app(app)
    outbox.init_app(app)
    recorder.init_app(app)  # its lines follow the commit too


def register_blueprints(app: Flask) -> None:
    from portal.accounts.views import admin as account_admin
    from portal.accounts.views import blueprint as accounts
    from portal.api.setup import register_api
    from portal.catalogue.views import blueprint as catalogue
    from portal.exchange.views import blueprint as exchange
    from portal.moderation.views import blueprint as moderation
    from portal.moderation.views import reports
    from portal.opendata.views import blueprint as opendata
    from portal.organisations.views import blueprint as organisations
    from portal.security_log.views import blueprint as security_log
    from portal.submissions.views import blueprint as submissions

    for blueprint in (catalogue, accounts, account_admin, organisations, submissions, moderation, reports, exchange,
                      opendata, security_log):
        app.register_blueprint(blueprint)
    register_api(app)


def register_shell_context(app: Flask) -> None:
    """`flask shell` starts with the database, the models and the services at hand."""
    from portal import models
    from portal.catalogue import policy
    from portal.catalogue import services as catalogue
    from portal.moderation import services as moderation
    from portal.organisations import services as organisations
    from portal.submissions import services as submissions

    @app.shell_context_processor
    def _context() -> dict:
        tables = {name: getattr(models, name) for name in models.__all__}
        return {"db": db, "policy": policy, "catalogue": catalogue, "submissions": submissions,
                "moderation": moderation, "organisations": organisations, **tables}
