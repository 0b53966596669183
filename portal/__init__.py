"""STEM-wijzer: the Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import load_config
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_path=instance_path)
    app.config.update(load_config(app.instance_path, overrides))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith(f"sqlite:///{app.instance_path}"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # home of the embedded database

    if app.config["TRUSTED_PROXY_COUNT"]:
        proxies = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    babel.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from portal import models  # noqa: F401  (registers every table on db.metadata)
    from portal.database import begin_write, configure_sqlite
    from portal.search import sync

    with app.app_context():
        configure_sqlite(db.engine)

    @app.before_request
    def _writers_lock_first() -> None:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            begin_write(db.session)

    sync.init_app(app)

    from portal.mail import outbox

    outbox.init_app(app)

    from portal.accounts.loader import load_user  # noqa: F401  (registers Flask-Login's user loader)
    from portal.accounts.views import admin as account_admin
    from portal.accounts.views import blueprint as accounts
    from portal.api.setup import register_api
    from portal.catalogue.views import blueprint as catalogue
    from portal.cli import register_commands
    from portal.errors import register_error_handlers
    from portal.exchange.views import blueprint as exchange
    from portal.moderation.views import blueprint as moderation
    from portal.moderation.views import reports
    from portal.opendata.views import blueprint as opendata
    from portal.organisations.views import blueprint as organisations
    from portal.security import register_security_headers
    from portal.submissions.views import blueprint as submissions
    from portal.templating import register_template_helpers

    app.register_blueprint(catalogue)
    app.register_blueprint(accounts)
    app.register_blueprint(account_admin)
    app.register_blueprint(organisations)
    app.register_blueprint(submissions)
    app.register_blueprint(moderation)
    app.register_blueprint(reports)
    app.register_blueprint(exchange)
    app.register_blueprint(opendata)
    register_api(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app
