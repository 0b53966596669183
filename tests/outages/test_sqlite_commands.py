"""SQLite: a command that writes (here `flask catalogue import --publish`) waits for a web request's, or another
command's, write lock instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from portal.catalogue.models import Listing
from portal.extensions import db
from tests.exchange.conftest import ADMIN, listing, organisation, run_import, write_json
from tests.factories import make_user

HELD = 7  # seconds: longer than SQLite's busy timeout used to be (5 s)


def hold_the_write_lock(path: str, started: threading.Event) -> None:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a long write of another process
    started.set()
    time.sleep(HELD)
    holder.execute("COMMIT")
    holder.close()


def test_an_import_waits_for_another_writer_and_then_publishes(app, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0] != "sqlite":
        pytest.skip("the write lock is SQLite's")
    make_user(ADMIN, is_admin=True)
    db.session.commit()
    path = write_json(tmp_path / "aanbod.json", [organisation()], [listing()])
    started = threading.Event()
    writer = threading.Thread(target=hold_the_write_lock,
                              args=(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database, started))
    writer.start()
    started.wait(5)
    began = time.monotonic()
    result = run_import(app, path, "--publish")
    writer.join()
    assert result.exit_code == 0, result.output
    assert time.monotonic() - began >= HELD - 1  # it waited for the lock
    assert db.session.scalar(select(func.count()).select_from(Listing).where(Listing.status == "published")) == 1
