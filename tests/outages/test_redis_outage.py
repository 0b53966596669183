"""Redis down: the rate limits count in this process's memory, with a logged warning, instead of refusing logins,
registrations and API writes; production refuses several workers with per-process counters."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade

from portal.config import ConfigError, load_config, refuse_per_process_limits
from portal.extensions import db, limiter
from portal.organisations import services as organisations
from tests.api.test_write_api import RECORD, bearer
from tests.conftest import free_port, make_app
from tests.forms import login, submit
from tests.world import build_world

REPOSITORY = Path(__file__).resolve().parents[2]


class RedisServer:
    """A redis-server of the test's own, on its own port, that the test stops."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip() == b"PONG":
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def warnings_logged():
    """The warnings logged meanwhile (the migrations' logging configuration replaced pytest's own handler)."""
    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())
    logging.getLogger().addHandler(handler)
    try:
        yield messages
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.fixture
def redis_server():
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode != 0 and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed (CI installs it)")
    server = RedisServer()
    # The Limiter instance is global: each app's init_app gives it that app's storage. Put the shared test app's
    # storage back afterwards, alive.
    saved = {name: getattr(limiter, name, None) for name in
             ("_storage", "_limiter", "_storage_dead", "_fallback_storage", "_fallback_limiter")}
    options = dict(limiter._storage_options)
    yield server
    server.stop()
    for name, value in saved.items():
        setattr(limiter, name, value)
    limiter._storage_options = options


def test_logins_registrations_and_api_writes_go_on_while_redis_is_down(databases, tmp_path, redis_server):
    app = make_app(databases.fresh("stemwijzer_redis_down"), tmp_path / "index", RATELIMIT_STORAGE_URI=redis_server.url)
    assert type(limiter.storage).__name__ == "RedisStorage"
    with app.app_context():
        upgrade()
        world = build_world()
        _token, raw = organisations.create_api_token(world.member_a, world.org_a, "test")
        db.session.commit()
        client = app.test_client()
        assert login(client, "lid.a@test.example", "fout-wachtwoord").status_code == 200  # counted in Redis

        redis_server.stop()
        with warnings_logged() as warnings:
            assert login(app.test_client(), "lid.a@test.example").status_code == 302
        assert any("unreachable" in warning for warning in warnings)

        registration = submit(app.test_client(), "/account/registreren", {
            "email": "nieuw@test.example", "display_name": "Nieuw Lid",
            "password": "een-lang-wachtwoord"})
        assert registration.status_code == 200 and "Bekijk je mailbox" in registration.get_data(as_text=True)

        assert app.test_client().post("/api/v1/listings", json=RECORD, headers=bearer(raw)).status_code == 201

        # The limits still hold, per process: the sixth failure in a row from one address is refused.
        answers = [login(app.test_client(), "lid.b@test.example", "fout-wachtwoord").status_code for _ in range(6)]
        assert answers == [200] * 5 + [429]
        db.session.remove()
        db.engine.dispose()


def test_production_refuses_several_workers_with_per_process_counters():
    settings = {"SECRET_KEY": "x", "SITE_URL": "https://stem-wijzer.example", "PORTAL_ENV": "production"}
    default_storage = load_config("/tmp", settings)["RATELIMIT_STORAGE_URI"]
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        refuse_per_process_limits("production", default_storage, 4)
    refuse_per_process_limits("production", "redis://127.0.0.1:6379/0", 4)
    refuse_per_process_limits("production", default_storage, 1)
    refuse_per_process_limits("development", default_storage, 4)


def test_gunicorn_does_not_start_four_workers_with_per_process_counters(tmp_path):
    environment = {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": "x", "SITE_URL": "https://stem-wijzer.example",
                   "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "SEARCH_INDEX_DIR": str(tmp_path / "index")}
    environment.pop("RATELIMIT_STORAGE_URI", None)
    started = subprocess.run([sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{free_port()}",
                              "wsgi:app"], cwd=REPOSITORY, env=environment, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "RATELIMIT_STORAGE_URI" in started.stderr
