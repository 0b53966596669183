"""Two nodes on one database, each with its own index directory: two gunicorn servers from the venv. Changes
made through node A (a process of node A: the services, as its requests, commands and imports use them, on
node A's index) are in node B's search within 2 s; a node killed with SIGKILL during a burst of publishes and
started again catches up with nothing lost or extra."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.catalogue import services
from portal.catalogue.models import Listing
from portal.extensions import db
from portal.organisations import services as organisations
from portal.submissions.services import editable_input
from tests.conftest import free_port
from tests.db.test_search_sync import ROOT, admin, organisation, publish  # noqa: F401 (fixtures)

SEEN_WITHIN = 2.0  # seconds


class Node:
    """A gunicorn server (2 workers) on the test database with its own index directory."""

    def __init__(self, app, index_dir: Path):
        self.env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "PORTAL_ENV": "testing",
                    "SECRET_KEY": "test-secret", "SEARCH_INDEX_DIR": str(index_dir), "PYTHONPATH": str(ROOT)}
        self.port = free_port()
        self.process = None
        self.log = index_dir.parent / f"{index_dir.name}.log"  # the server's output, for a failing test

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_until_searching()

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the master and its workers, without any goodbye
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    def slugs(self, q: str = "") -> set[str] | None:
        """Every result's slug for `q` (None while the node cannot search)."""
        found, page = set(), 1
        while True:
            status, body = self.get(f"/api/v1/listings?q={q}&per_page=100&page={page}")
            if status != 200:
                return None
            found |= {card["slug"] for card in body["results"]}
            if page >= body["page_count"]:
                return found
            page += 1

    def wait_until_searching(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.slugs("robot") is not None:
                    return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"node on port {self.port} did not search within {timeout} s")


def within(seconds: float, condition) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture
def node_b(app, tmp_path):
    node = Node(app, tmp_path / "node-b-index")
    yield node
    node.stop()


@pytest.fixture
def node_a(app):
    node = Node(app, Path(app.config["SEARCH_INDEX_DIR"]))  # this test process writes as node A
    yield node
    node.stop()


def published_slugs() -> set[str]:
    with db.engine.connect() as connection:
        return set(connection.scalars(select(Listing.slug).where(Listing.status == "published")))


def test_publish_edit_withdraw_and_republish_on_node_a_are_in_node_b_search_within_2_s(
        app, admin, organisation, node_a, node_b):
    node_a.start()
    node_b.start()
    listing = publish(admin, organisation, "Sterrenkijkavond")
    db.session.commit()
    slug = listing.slug
    within(SEEN_WITHIN, lambda: node_b.slugs("sterrenkijkavond") == {slug})

    services.apply_approved_revision(admin, listing, replace(editable_input(admin, listing), title="Planetarium"))
    db.session.commit()
    within(SEEN_WITHIN, lambda: node_b.slugs("planetarium") == {slug} and not node_b.slugs("sterrenkijkavond"))

    revision = organisations.update_organisation(
        admin, organisation, replace(organisations.editable_details(admin, organisation), name="Hemelwachters"))
    organisations.close_revision(admin, revision, "approve")
    db.session.commit()
    within(SEEN_WITHIN, lambda: node_b.slugs("hemelwachters") == {slug})

    current = editable_input(admin, listing)
    moved = replace(current, locations=[replace(current.locations[0], name="Kasteel Beauvoorde", postcode="8630",
                                                municipality_code="38025")])
    services.apply_approved_revision(admin, listing, moved)
    db.session.commit()
    within(SEEN_WITHIN, lambda: node_b.slugs("beauvoorde") == {slug})

    services.unpublish_listing(admin, listing, "Even offline")
    db.session.commit()
    within(SEEN_WITHIN, lambda: node_b.slugs("planetarium") == set())

    services.submit_listing(admin, listing)
    services.publish_listing(admin, listing)
    db.session.commit()
    within(SEEN_WITHIN, lambda: node_b.slugs("planetarium") == {slug})
    assert node_a.slugs("planetarium") == {slug}


def _burst(app, count: int, prefix: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.db.publish_worker", str(count), prefix], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_node_killed_during_a_burst_of_publishes_catches_up_with_nothing_lost_or_extra(
        app, admin, organisation, node_a, node_b):
    publish(admin, organisation, "Robot vooraf")
    db.session.commit()
    node_a.start()
    node_b.start()
    writer = _burst(app, 40, "Robotburst")
    within(60, lambda: len(published_slugs()) >= 10)
    node_b.kill()  # node B dies while node A publishes
    killed_writer = _burst(app, 200, "Robotsalvo")
    within(60, lambda: len(published_slugs()) >= 25)
    os.kill(killed_writer.pid, signal.SIGKILL)  # and a process of node A dies in the middle of its burst
    killed_writer.wait(10)
    output, _ = writer.communicate(timeout=300)
    assert writer.returncode == 0, output
    node_b.start()
    expected = published_slugs()
    assert len(expected) > 40  # the first burst, the one before it and part of the killed one
    within(10, lambda: node_b.slugs() == expected)
    within(10, lambda: node_a.slugs() == expected)
