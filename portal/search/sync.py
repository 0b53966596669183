"""Keep the search index in step with the database, the source of truth.

Services call `listing_changed` in their transaction, which writes an outbox row beside the change. After
a commit, `drain` applies the outbox to the index: it takes Whoosh's single write lock first (waiting for
it), reads the listings' committed state under that lock, writes the index, and only then deletes the
outbox rows. So concurrent workers never write an older state over a newer one, a rollback never reaches
the index, and a crash or lock time-out leaves the rows for the next drain. `reconcile` compares the
whole index with the database (missing, stale and superfluous entries) and repairs it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from portal.catalogue import policy
from portal.catalogue.models import Listing, listing_details
from portal.extensions import db
from portal.search.documents import listing_document
from portal.search.models import SearchOutboxEntry
from search_index import SearchIndex

DRAIN_BATCH = 500
_DIRTY = "search_outbox_written"


def search_index() -> SearchIndex:
    return current_app.extensions["search_index"]


def listing_changed(listing: Listing) -> None:
    """Record, in the current transaction, that `listing`'s index entry must follow this change."""
    session = Session.object_session(listing)
    session.add(SearchOutboxEntry(listing=listing))
    session.info[_DIRTY] = True


def published_documents(session: Session, ids=None):
    query = select(Listing).where(policy.public_listing_clause()).options(*listing_details())
    if ids is not None:
        query = query.where(Listing.id.in_(ids))
    with force_locale("nl"):  # the index is Dutch whatever the visitor's language
        for listing in session.scalars(query.execution_options(yield_per=500)):
            yield listing_document(listing)


def _apply(session: Session, batch, listing_ids: set[int]) -> set[str]:
    documents = list(published_documents(session, listing_ids))
    published = {document["id"] for document in documents}
    batch.upsert(documents)
    removed = {str(listing_id) for listing_id in listing_ids} - published
    batch.delete(removed)
    return published | removed


def drain(index: SearchIndex) -> int:
    """Apply every outbox entry to the index; returns how many listings were written."""
    written = 0
    while True:
        with Session(db.engine) as session:
            with index.batch() as batch:  # the lock first, then the committed state
                entries = session.execute(
                    select(SearchOutboxEntry.id, SearchOutboxEntry.listing_id)
                    .order_by(SearchOutboxEntry.id).limit(DRAIN_BATCH)
                ).all()
                if entries:
                    written += len(_apply(session, batch, {listing_id for _, listing_id in entries}))
                session.rollback()  # end the read: SQLite cannot turn an old read snapshot into a write
            if not entries:
                return written
            session.execute(delete(SearchOutboxEntry).where(SearchOutboxEntry.id.in_([i for i, _ in entries])))
            session.commit()


@dataclass
class ReconcileReport:
    drained: int
    written: int  # missing or stale entries written
    removed: int  # entries of listings that are no longer published


def reconcile(index: SearchIndex) -> ReconcileReport:
    """Make the index equal to the database: drain the outbox, then fix missing, stale and extra entries."""
    drained = drain(index)
    with Session(db.engine) as session, index.batch() as batch:
        expected = {
            str(listing_id): updated_at.isoformat()
            for listing_id, updated_at in session.execute(
                select(Listing.id, Listing.updated_at).where(policy.public_listing_clause())
            )
        }
        indexed = index.document_versions()
        stale = {int(doc_id) for doc_id, version in expected.items() if indexed.get(doc_id) != version}
        extra = set(indexed) - set(expected)
        if stale:
            batch.upsert(published_documents(session, stale))
        batch.delete(extra)
    return ReconcileReport(drained=drained, written=len(stale), removed=len(extra))


@event.listens_for(Session, "after_commit")
def _drain_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    if not session.info.pop(_DIRTY, False):
        return
    try:
        drain(search_index())
    except Exception:  # the commit stands; the entries wait for the next drain or `flask search reconcile`
        current_app.logger.exception("search index update failed; the outbox keeps the changes")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if session.in_nested_transaction():
        return  # only a savepoint rolled back; what the outer transaction wrote before it still needs the drain
    session.info.pop(_DIRTY, None)


def init_app(app) -> None:
    """One index per process; the first request of each process reconciles it with the database, so a
    crash between a commit and its index update, or a lost index directory, heals on restart."""
    app.extensions["search_index"] = SearchIndex(app.config["SEARCH_INDEX_DIR"])
    state = {"reconciled": False}
    lock = threading.Lock()

    @app.before_request
    def _reconcile_once() -> None:
        if state["reconciled"]:
            return
        with lock:
            if not state["reconciled"]:
                try:
                    report = reconcile(search_index())
                    if report.written or report.removed:
                        app.logger.warning("search index reconciled on start-up: %s", report)
                except Exception:
                    app.logger.exception("search index reconcile on start-up failed")
                state["reconciled"] = True
