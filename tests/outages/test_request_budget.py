"""Every request has a time budget below gunicorn's worker timeout: past it the visitor gets the portal's Dutch
503, never gunicorn's error page, whether the time went to Python code, a slow query or a wait for a lock."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal.config import WORKER_TIMEOUT, ConfigError, load_config
from portal.extensions import db
from tests.conftest import make_app
from tests.outages.test_database_outage import assert_unavailable_json, assert_unavailable_page


@pytest.fixture
def slow_portal(databases, tmp_path, request):
    """A portal with a one-second budget and two slow routes of the test's own."""
    url = databases.fresh(f"stemwijzer_budget_{request.node.name[5:30]}")
    app = make_app(url, tmp_path / "index", REQUEST_TIME_BUDGET=1)

    @app.route("/test/python-traag")
    def slow_python():
        time.sleep(5)
        return "te laat"

    @app.route("/api/test/query-traag")
    def slow_query():
        db.session.execute(text("SELECT pg_sleep(5)"))
        return "te laat"

    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def in_a_thread(call):
    """Run `call` as the development server would, in a thread of its own: no signals there, only the
    database's guards."""
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.setdefault("answer", call()))
    started = time.monotonic()
    worker.start()
    worker.join(timeout=30)
    return outcome["answer"], time.monotonic() - started


def test_python_code_past_the_budget_ends_in_a_dutch_503(slow_portal):
    started = time.monotonic()
    with slow_portal.app_context():
        answer = slow_portal.test_client().get("/test/python-traag")
    assert time.monotonic() - started < 3
    assert_unavailable_page(answer)


def test_a_slow_query_is_cancelled_by_the_database_at_the_budget(slow_portal, databases):
    if databases.backend != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    answer, seconds = in_a_thread(lambda: slow_portal.test_client().get("/api/test/query-traag"))
    assert seconds < 3
    assert_unavailable_json(answer)


def test_a_write_waiting_for_sqlites_lock_gives_up_at_the_budget(slow_portal, databases):
    if databases.backend != "sqlite":
        pytest.skip("the write lock is SQLite's")
    holder = sqlite3.connect(make_url(slow_portal.config["SQLALCHEMY_DATABASE_URI"]).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing for a long time (a big import, say)
    try:
        slow_portal.config["WTF_CSRF_ENABLED"] = False
        answer, seconds = in_a_thread(lambda: slow_portal.test_client().post(
            "/account/aanmelden", data={"email": "lid@test.example", "password": "een-lang-wachtwoord"}))
    finally:
        holder.rollback()
        holder.close()
    assert seconds < 3
    assert_unavailable_page(answer)


def test_the_budget_must_be_below_the_worker_timeout():
    with pytest.raises(ConfigError, match="REQUEST_TIME_BUDGET"):
        load_config("/tmp", {"PORTAL_ENV": "testing", "SECRET_KEY": "x", "REQUEST_TIME_BUDGET": WORKER_TIMEOUT})
    assert load_config("/tmp", {"PORTAL_ENV": "testing", "SECRET_KEY": "x"})["REQUEST_TIME_BUDGET"] < WORKER_TIMEOUT
