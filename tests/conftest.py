"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL points
to a server (its database is only used to create and drop the suite's own databases)."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.config import database_url
from portal.extensions import db, limiter
from portal.mail.worker import deliver_due
from portal.search import sync

SERVER_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_report_header(config):
    backend = f"PostgreSQL at {make_url(database_url(SERVER_URL)).render_as_string()}" if SERVER_URL else "SQLite"
    return f"database: {backend}"


class Databases:
    """Fresh, empty databases for this run: SQLite files, or databases on the PostgreSQL server."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.created: list[str] = []
        self.server = make_url(database_url(SERVER_URL)) if SERVER_URL else None

    @property
    def backend(self) -> str:
        return "postgresql" if self.server else "sqlite"

    def _admin(self):
        return create_engine(self.server, isolation_level="AUTOCOMMIT")

    def fresh(self, name: str) -> str:
        if self.server is None:
            return f"sqlite:///{self.directory / name}.sqlite3"
        name = f"{name}_{os.getpid()}"
        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.created.append(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.server is None or not self.created:
            return
        engine = self._admin()
        with engine.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    found = Databases(tmp_path_factory.mktemp("databases"))
    yield found
    found.drop_all()


class RequestClient(FlaskClient):
    """In a real server every request has its own application context, so `g` starts empty. Tests run
    requests inside the `app` fixture's context, which Flask reuses: clear `g` so nothing request-scoped
    (Flask-Login's current user, the CSRF token, Flask-Limiter's flags) leaks from one request to the next.
    The shared session's transaction ends around each request too, as the request's own session would:
    a change a view forgot to commit is lost, as it would be in production. And the response is read and
    closed, as a server does after sending it."""

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        g.__dict__.clear()
        db.session.rollback()
        try:
            response = super().open(*args, **kwargs)
            response.get_data()
            response.close()
            return response
        finally:
            db.session.rollback()


def make_app(url: str, index_dir: Path, **overrides):
    app = create_app({
        "PORTAL_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "SHOW_DEMO_NOTICE": True,
        "MAIL_FILE_DIR": str(Path(index_dir).parent / "mail"),  # only when a test sets no MAIL_SERVER
        **overrides,
    })
    app.test_client_class = RequestClient
    return app


def migrated_app(url: str, index_dir: Path):
    app = make_app(url, index_dir)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def _empty_app(databases, tmp_path_factory):
    app = migrated_app(databases.fresh("stemwijzer_test"), tmp_path_factory.mktemp("index"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_empty_app):
    """An application on an empty, migrated database; every table and the index are emptied afterwards."""
    limiter.reset()  # failed-login counters of earlier tests
    with _empty_app.app_context():
        sync.prepare_index(sync.search_index())  # as `flask search prepare` does before a node serves
        yield _empty_app
        sync.follower().wait()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
    shutil.rmtree(_empty_app.config["SEARCH_INDEX_DIR"], ignore_errors=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def demo_app(databases, tmp_path_factory):
    """The demo catalogue, loaded and indexed through the CLI as `make run` does. Read-only for tests."""
    app = migrated_app(databases.fresh("stemwijzer_demo"), tmp_path_factory.mktemp("demo-index"))
    runner = app.test_cli_runner()
    for command in (["demo", "load", "--if-empty"], ["search", "rebuild"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


class MailSink:
    """aiosmtpd handler: keeps every message the portal's SMTP delivery hands over."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"



class Mailbox:
    """Mail read as a person reads it: what the SMTP server received once the mail worker made its next pass
    (`flask mail work` makes one every few seconds, off the request path). `arrived` is what the server
    received so far, without a pass."""

    def __init__(self, app, sink: MailSink):
        self.app, self.sink = app, sink

    @property
    def arrived(self) -> list[email.message.EmailMessage]:
        return self.sink.messages

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        deliver_due(self.app)
        return self.sink.messages

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a loopback port (aiosmtpd), for the whole run."""
    from aiosmtpd.controller import Controller

    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def use_mailbox(app, smtp_server) -> Mailbox:
    sink, port = smtp_server
    sink.messages.clear()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return Mailbox(app, sink)


@pytest.fixture
def mailbox(app, smtp_server):
    """The app's mail worker delivers by SMTP to the loopback server; the test reads what arrived. Mail that
    other fixtures queued before goes out first, where it was meant to go."""
    deliver_due(app)
    yield use_mailbox(app, smtp_server)
    app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
