"""What `make run` does, on the embedded defaults: SQLite and the index under a fresh instance folder."""

import pytest

from portal import create_app
from portal.config import ConfigError
from portal.extensions import db


def test_a_fresh_instance_folder_is_set_up_and_serves_the_demo(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SEARCH_INDEX_DIR", "SECRET_KEY", "PORTAL_ENV"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"  # does not exist yet
    app = create_app({"PORTAL_ENV": "development"}, instance_path=str(instance))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'stemwijzer.sqlite3'}"
    runner = app.test_cli_runner()
    for command in (["db", "upgrade"], ["demo", "load", "--if-empty"], ["search", "rebuild"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    assert (instance / "stemwijzer.sqlite3").exists() and (instance / "search-index" / "CURRENT").exists()
    response = app.test_client().get("/zoeken?q=robot")
    assert response.status_code == 200 and b"card-title" in response.data
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_secret_key_is_required_outside_development(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"PORTAL_ENV": "production"}, instance_path=str(tmp_path))
