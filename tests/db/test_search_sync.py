"""The index follows committed changes only, loses nothing to concurrent writers or crashes, and heals."""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.catalogue import services
from portal.catalogue.models import Listing
from portal.extensions import db
from portal.search import sync
from portal.search.models import SearchOutboxEntry
from search_index import SearchIndex, engine
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


def outbox_size() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(SearchOutboxEntry))


def test_the_outbox_row_is_part_of_the_transaction_and_drained_after_commit(admin, organisation):
    listing = publish(admin, organisation)
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(SearchOutboxEntry)) == 2  # in this transaction
    assert outbox_size() == 0  # not visible outside it
    assert sync.search_index().document_ids() == set()
    db.session.commit()
    assert sync.search_index().document_ids() == {str(listing.id)}
    assert outbox_size() == 0


def test_a_rollback_never_reaches_the_index(admin, organisation):
    listing = publish(admin, organisation)
    db.session.commit()
    services.archive_listing(admin, listing)
    db.session.flush()
    db.session.rollback()
    assert sync.search_index().document_ids() == {str(listing.id)}  # still live, as in the database
    assert outbox_size() == 0


def test_a_released_savepoint_waits_for_the_outer_transaction(admin, organisation):
    nested = db.session.begin_nested()
    publish(admin, organisation)
    nested.commit()
    assert sync.search_index().document_ids() == set()
    db.session.rollback()
    assert sync.search_index().document_ids() == set()
    assert outbox_size() == 0


def test_a_busy_index_keeps_the_change_in_the_outbox_until_reconcile(admin, organisation, monkeypatch):
    monkeypatch.setattr(engine, "WRITER_LOCK_TIMEOUT", 0.5)
    other_process = SearchIndex(sync.search_index().directory)
    with other_process.batch():  # another worker holds Whoosh's single write lock
        listing = publish(admin, organisation)
        db.session.commit()  # the commit stands; the index update times out and is logged
    assert outbox_size() == 2
    assert sync.search_index().document_ids() == set()
    report = sync.reconcile(sync.search_index())
    assert report.drained == 1
    assert sync.search_index().document_ids() == {str(listing.id)}
    assert outbox_size() == 0


def test_reconcile_repairs_a_deleted_index_directory_and_removes_strays(admin, organisation):
    kept = publish(admin, organisation, "Zomerkamp")
    db.session.commit()
    shutil.rmtree(sync.search_index().directory)
    sync.search_index().upsert([{"id": "999999", "title": "Verdwenen aanbod"}])
    report = sync.reconcile(sync.search_index())
    assert (report.written, report.removed) == (1, 1)
    assert sync.search_index().document_ids() == {str(kept.id)}
    assert sync.reconcile(sync.search_index()) == sync.ReconcileReport(drained=0, written=0, removed=0)


def _worker(app, count, prefix, *extra):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.db.publish_worker", str(count), prefix, *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_concurrent_publishers_in_several_processes_lose_nothing(app, admin, organisation):
    workers = [_worker(app, 15, f"Kamp van proces {n}") for n in range(4)]
    for worker in workers:
        output, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0, output
    db.session.expire_all()
    assert len(published_ids()) == 60
    assert sync.search_index().document_ids() == published_ids()
    assert outbox_size() == 0


def test_a_crash_between_commit_and_index_update_is_healed_by_reconcile(app, admin, organisation):
    worker = _worker(app, 1, "Gecrasht kamp", "crash")
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 17, output
    db.session.expire_all()
    assert len(published_ids()) == 1 and outbox_size() == 2  # committed, never indexed
    assert sync.search_index().document_ids() == set()
    sync.reconcile(sync.search_index())
    assert sync.search_index().document_ids() == published_ids()


def test_searchers_see_changes_from_other_processes(app, admin, organisation):
    reader = SearchIndex(sync.search_index().directory)  # another worker's index object
    assert reader.document_ids() == set()
    listing = publish(admin, organisation)
    db.session.commit()
    assert reader.document_ids() == {str(listing.id)}


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
            index.rebuild(sync.published_documents(db.session))
    finally:
        stop.set()
        thread.join()
    assert seen and set(seen) == {5}  # never an empty or partial index
