"""/healthz answers whenever the process does; /readyz says whether the node can serve, check by check, as JSON
without secrets: 200 when it can, 503 when the database, the migrations, the index or the mail queue say no."""

from __future__ import annotations

import json
import shutil
import time
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.extensions import db
from portal.mail.models import DEAD, OutboxMail
from portal.search import changelog
from portal.search.models import ListingChange
from portal.search.sync import prepare_index, search_index
from tests.conftest import make_app
from tests.outages.test_database_outage import unreachable_url
from tests.world import build_world


@pytest.fixture(autouse=True)
def index(app):
    """The index a node builds before it is ready (the shared test app's was removed after an earlier test)."""
    prepare_index(search_index())


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
    log_a_change_ten_minutes_ago(world.published.id)
    with search_index().batch():  # another writer holds the index: this node cannot apply the change
        answer = client.get("/readyz")
    assert answer.status_code == 503
    index = answer.get_json()["checks"]["search_index"]
    assert not index["ok"] and index["pending"] == 1 and index["oldest_pending_seconds"] >= 600
    deadline = time.monotonic() + 5  # once it can, it catches up (it looks at the log at most every 250 ms)
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, client.get("/readyz").get_json()
        time.sleep(0.1)


def log_a_change_ten_minutes_ago(listing_id: int) -> None:
    with Session(db.engine) as session, session.begin():
        position = changelog.append(session, [listing_id])
        session.execute(update(ListingChange).where(ListingChange.position == position)
                        .values(changed_at=utcnow() - timedelta(minutes=10)))


def test_mail_that_waits_too_long_is_stuck_and_dead_letters_are_a_warning(app, client):
    now = utcnow()
    db.session.add(OutboxMail(recipient="ouder@test.example", subject="Bevestig", body="...", attempts=30,
                              status=DEAD, created_at=now - timedelta(hours=48), next_attempt_at=now, retry_until=now))
    db.session.commit()
    report = client.get("/readyz").get_json()
    assert report["status"] == "ready", report
    assert report["checks"]["mail"]["dead"] == 1
    assert any("dead letter" in warning for warning in report["warnings"])

    db.session.add(OutboxMail(recipient="lid@test.example", subject="Welkom", body="...",
                              created_at=now - timedelta(hours=1), next_attempt_at=now - timedelta(hours=1),
                              retry_until=now + timedelta(hours=47)))
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
        prepare_index(search_index())  # what `flask search prepare` does before a node takes traffic
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
