"""/healthz answers whenever the process does; /readyz says whether the node can serve, check by check, as JSON
without secrets: 200 when it can, 503 when the database, the migrations, the index or the mail queue say no."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest
from flask_migrate import upgrade

from portal.database import utcnow
from portal.extensions import db
from portal.mail.models import OutboxMail
from portal.search.models import SearchOutboxEntry
from portal.search.sync import reconcile, search_index
from tests.conftest import make_app
from tests.outages.test_database_outage import unreachable_url
from tests.world import build_world


@pytest.fixture(autouse=True)
def index(app):
    """The index a node builds on its first request (the shared test app's was removed after an earlier test)."""
    reconcile(search_index())


def test_a_migrated_portal_is_ready(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    answer = client.get("/readyz")
    report = answer.get_json()
    assert answer.status_code == 200 and report["status"] == "ready"
    assert report["checks"]["migrations"]["current"] == report["checks"]["migrations"]["head"]
    assert report["checks"]["search_index"] == {"ok": True, "ready": True, "pending": 0, "oldest_pending_seconds": 0.0,
                                                "lag_limit_seconds": 300}
    assert report["checks"]["mail"]["ok"] and report["checks"]["mail"]["depth"] == 0
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_node_without_its_index_is_unready(app, client):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.get_json()["checks"]["search_index"]["ready"] is False


def test_an_index_that_lags_behind_makes_the_node_unready(app, client):
    world = build_world()
    db.session.add(SearchOutboxEntry(listing=world.published, created_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    answer = client.get("/readyz")
    assert answer.status_code == 503
    index = answer.get_json()["checks"]["search_index"]
    assert not index["ok"] and index["pending"] == 1 and index["oldest_pending_seconds"] >= 600


def test_mail_that_waits_too_long_is_stuck_and_dead_letters_are_a_warning(app, client):
    db.session.add(OutboxMail(recipient="ouder@test.example", subject="Bevestig", body="...", attempts=5))
    db.session.commit()
    report = client.get("/readyz").get_json()
    assert report["status"] == "ready", report
    assert report["checks"]["mail"]["dead"] == 1
    assert any("dead letter" in warning for warning in report["warnings"])

    db.session.add(OutboxMail(recipient="lid@test.example", subject="Welkom", body="...",
                              created_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    answer = client.get("/readyz")
    mail = answer.get_json()["checks"]["mail"]
    assert answer.status_code == 503 and not mail["ok"] and mail["due"] == 1 and mail["oldest_due_seconds"] >= 3600
    assert "ouder@test.example" not in answer.get_data(as_text=True)


def test_a_database_behind_the_migrations_is_unready(databases, tmp_path):
    fresh = make_app(databases.fresh("stemwijzer_unmigrated"), tmp_path / "index")
    with fresh.app_context():
        answer = fresh.test_client().get("/readyz")
        assert answer.status_code == 503
        assert answer.get_json()["checks"]["migrations"]["ok"] is False
        upgrade()
        assert fresh.test_client().get("/readyz").status_code == 200
        db.engine.dispose()


def test_an_unreachable_database_is_unready_and_the_process_still_healthy(app, tmp_path):
    url = unreachable_url(app.config["SQLALCHEMY_DATABASE_URI"])
    down = make_app(url, tmp_path / "index")
    with down.app_context():
        client = down.test_client()
        assert client.get("/healthz").status_code == 200
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.get_json()["checks"]["database"] == {"ok": False, "error": "unreachable"}
        body = json.dumps(answer.get_json())
        assert "nonexistent" not in body and "127.0.0.1" not in body and "postgres" not in body
        db.engine.dispose()
