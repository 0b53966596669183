"""The index follows the change log: committed changes only, in every process and on every node, nothing lost
to concurrent writers, a busy lock or a crash; reconcile compares content; a node that cannot follow rebuilds."""

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from portal.catalogue import services
from portal.catalogue.models import Listing, Organisation
from portal.database import utcnow
from portal.extensions import db
from portal.search import changelog, sync
from portal.search.models import ListingChange
from portal.submissions.services import editable_input
from search_index import SearchIndex, SearchQuery
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin(app):
    return make_user("moderator@test.example", is_admin=True)


@pytest.fixture
def organisation(admin):
    organisation = services.create_organisation(admin, OrganisationInputFactory())
    services.verify_organisation(admin, organisation)
    db.session.commit()
    return organisation


def publish(admin, organisation, title="Robotkamp"):
    listing = services.create_listing(admin, organisation, ListingInputFactory(title=title))
    services.submit_listing(admin, listing)
    services.publish_listing(admin, listing)
    return listing


def published_ids() -> set[str]:
    with db.engine.connect() as connection:  # what is committed, outside the test's own transaction
        return {str(i) for i in connection.scalars(select(Listing.id).where(Listing.status == "published"))}


def log_head() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(text("SELECT coalesce(max(last), 0) FROM listing_change_counter"))


def test_the_change_is_logged_in_the_transaction_and_applied_after_commit(admin, organisation):
    before = log_head()
    listing = publish(admin, organisation)
    db.session.flush()
    assert log_head() == before  # positions are taken at the commit, and nothing is visible outside before it
    assert sync.search_index().document_ids() == set()
    db.session.commit()
    assert sync.search_index().document_ids() == {str(listing.id)}
    assert log_head() == before + 1  # one change: create, submit and publish in one transaction
    assert sync.search_index().position() == log_head()


def test_a_rollback_never_reaches_the_log_or_the_index(admin, organisation):
    listing = publish(admin, organisation)
    db.session.commit()
    head = log_head()
    services.archive_listing(admin, listing)
    db.session.flush()
    db.session.rollback()
    assert sync.search_index().document_ids() == {str(listing.id)}  # still live, as in the database
    assert log_head() == head


def test_a_released_savepoint_waits_for_the_outer_transaction(admin, organisation):
    head = log_head()
    nested = db.session.begin_nested()
    publish(admin, organisation)
    nested.commit()
    assert sync.search_index().document_ids() == set()
    db.session.rollback()
    assert sync.search_index().document_ids() == set()
    assert log_head() == head


def test_a_busy_index_answers_at_once_and_the_next_look_applies_the_change(admin, organisation, monkeypatch):
    monkeypatch.setattr(sync, "COMMIT_LOCK_WAIT", 0.3)
    other_process = SearchIndex(sync.search_index().directory)
    with other_process.batch():  # another worker holds the write lock
        started = time.monotonic()
        listing = publish(admin, organisation)
        db.session.commit()  # the commit stands; the index update gives up within the budget
        assert time.monotonic() - started < 2
        status = sync.index_status()  # looks again, and the lock is still held: the change still waits
        assert (status.lag, status.position + 1) == (1, status.head) and status.oldest_pending_seconds >= 0
    assert sync.search_index().document_ids() == set()
    sync.follower().check(now=True)  # the next search, or commit, looks again
    status = sync.index_status()
    assert (status.ready, status.lag, status.oldest_pending_seconds) == (True, 0, 0.0)
    assert sync.search_index().document_ids() == {str(listing.id)}


def test_a_second_node_with_its_own_index_follows_every_kind_of_change(app, admin, organisation, tmp_path):
    node_b = SearchIndex(tmp_path / "node-b")
    sync.prepare_index(node_b)

    def seen(text_query):
        sync.follow(node_b, 1.0)
        return node_b.search(SearchQuery(text=text_query)).ids

    listing = publish(admin, organisation, "Sterrenkijkavond")
    db.session.commit()
    assert seen("sterrenkijkavond") == [str(listing.id)]
    services.apply_approved_revision(admin, listing, replace(editable_input(admin, listing), title="Planetarium"))
    db.session.commit()
    assert seen("planetarium") == [str(listing.id)] and seen("sterrenkijkavond") == []
    from portal.organisations import services as organisations
    revision = organisations.update_organisation(admin, organisation,
                                                 replace(organisations.editable_details(admin, organisation),
                                                         name="Hemelwachters"))
    organisations.close_revision(admin, revision, "approve")
    db.session.commit()
    assert seen("hemelwachters") == [str(listing.id)]
    moved = replace(editable_input(admin, listing), locations=[replace(
        editable_input(admin, listing).locations[0], name="Kasteel Beauvoorde", postcode="8630",
        municipality_code="38025")])
    services.apply_approved_revision(admin, listing, moved)
    db.session.commit()
    assert seen("beauvoorde") == [str(listing.id)]
    services.unpublish_listing(admin, listing, "Tijdelijk offline")
    db.session.commit()
    assert seen("planetarium") == []
    assert node_b.position() == log_head() == sync.search_index().position()


def test_concurrent_publishers_in_several_processes_lose_nothing(app, admin, organisation):
    workers = [_worker(app, 15, f"Kamp van proces {n}") for n in range(4)]
    for worker in workers:
        output, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0, output
    db.session.expire_all()
    assert len(published_ids()) == 60
    sync.follower().check(now=True)
    assert sync.search_index().document_ids() == published_ids()
    assert sync.search_index().position() == log_head()


def _worker(app, count, prefix, *extra):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.db.publish_worker", str(count), prefix, *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_crash_between_commit_and_index_update_is_applied_by_the_next_look(app, admin, organisation):
    worker = _worker(app, 1, "Gecrasht kamp", "crash")
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 17, output
    assert len(published_ids()) == 1
    assert sync.search_index().document_ids() == set()  # committed, never indexed
    sync.follower().check(now=True)
    assert sync.search_index().document_ids() == published_ids()


def test_reconcile_finds_what_changed_without_the_log_by_content(admin, organisation):
    listing = publish(admin, organisation, "Zomerkamp")
    other = publish(admin, organisation, "Winterkamp")
    db.session.commit()
    assert sync.reconcile(sync.search_index()) == sync.ReconcileReport(applied=0, written=0, removed=0)
    with db.engine.begin() as connection:  # changes that bypass the services: no log, no updated_at
        connection.execute(update(Organisation).where(Organisation.id == organisation.id).values(name="Ruimtevaarders"))
        connection.execute(text("UPDATE listing_locations SET name = 'Sterrenwacht Urania' WHERE listing_id = :id"),
                           {"id": other.id})
    sync.search_index().upsert([{"id": "999999", "title": "Verdwenen aanbod"}])
    report = sync.reconcile(sync.search_index())
    assert (report.written, report.removed) == (2, 1)
    assert sync.search_index().search(SearchQuery(text="ruimtevaarders")).total == 2
    assert sync.search_index().search(SearchQuery(text="urania")).ids == [str(other.id)]
    assert sync.reconcile(sync.search_index()) == sync.ReconcileReport(applied=0, written=0, removed=0)
    assert listing.id in {int(i) for i in sync.search_index().document_ids()}


def test_a_node_behind_the_pruned_log_rebuilds_in_the_background(app, admin, organisation, tmp_path):
    behind = SearchIndex(tmp_path / "behind")
    sync.prepare_index(behind)
    first = publish(admin, organisation, "Oud kamp")
    db.session.commit()
    second = publish(admin, organisation, "Nieuw kamp")
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(update(ListingChange).values(changed_at=utcnow() - timedelta(days=30)))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "prune-log"])
    assert result.exit_code == 0 and "Removed 2 changes" in result.output, result.output
    with pytest.raises(sync.NeedsBuild):
        sync.follow(behind, 1.0)
    node = sync.Follower(app, behind)
    node.check(now=True)
    assert node.building or behind.position() == log_head()
    node.wait(60)
    assert behind.document_ids() == {str(first.id), str(second.id)} and behind.position() == log_head()


def test_rebuild_swaps_in_a_full_index_while_searches_go_on(app, admin, organisation):
    for number in range(5):
        publish(admin, organisation, f"Workshop {number}")
    db.session.commit()
    index = sync.search_index()
    seen, stop = [], threading.Event()

    def search_continuously():
        searcher = SearchIndex(index.directory)
        while not stop.is_set():
            seen.append(len(searcher.document_ids()))

    thread = threading.Thread(target=search_continuously)
    thread.start()
    try:
        for _ in range(3):
            sync.build(index)
    finally:
        stop.set()
        thread.join()
    assert seen and set(seen) == {5}  # never an empty or partial index
    assert index.position() == log_head()


def test_the_log_has_no_gaps_under_concurrent_transactions(app, admin, organisation):
    workers = [_worker(app, 10, f"Reeks {n}") for n in range(3)]
    for worker in workers:
        output, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0, output
    with db.engine.connect() as connection:
        positions = list(connection.scalars(select(ListingChange.position).order_by(ListingChange.position)))
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        assert connection.scalar(select(func.max(ListingChange.position))) == log_head()
    assert changelog.first_kept(db.session) == positions[0]
