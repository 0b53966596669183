"""Keep the search index in step with committed listings.

Services mark the listings they change; once the transaction commits, published ones are written to
the index and all others removed from it. A rollback discards the marks, so uncommitted changes never
reach the index. The database stays the source of truth: `flask search rebuild` recreates the index.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from portal.catalogue.models import Listing
from portal.search.documents import listing_document
from search_index import SearchIndex

_CHANGED = "search_changed_listing_ids"
_PENDING = "search_pending_documents"


def search_index() -> SearchIndex:
    return current_app.extensions["search_index"]


def listing_changed(listing: Listing) -> None:
    """Mark `listing` for re-indexing after the current transaction commits."""
    session = Session.object_session(listing)
    session.info.setdefault(_CHANGED, set()).add(listing)


def published_documents(session: Session, ids=None):
    query = select(Listing).where(Listing.status == "published").options(
        selectinload(Listing.locations), selectinload(Listing.organisation)
    )
    if ids is not None:
        query = query.where(Listing.id.in_(ids))
    for listing in session.scalars(query.execution_options(yield_per=500)):
        yield listing_document(listing)


@event.listens_for(Session, "before_commit")
def _prepare(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if not changed:
        return
    session.flush()  # ids exist and the state is final
    ids = [listing.id for listing in changed]
    documents = list(published_documents(session, ids))
    published = {document["id"] for document in documents}
    session.info[_PENDING] = (documents, [str(i) for i in ids if str(i) not in published])


@event.listens_for(Session, "after_commit")
def _apply(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    documents, removed = pending
    index = search_index()
    try:
        if documents:
            index.upsert(documents)
        if removed:
            index.delete(removed)
    except Exception:  # the commit stands; the derived index is repaired by `flask search rebuild`
        current_app.logger.exception("search index update failed for listings %s",
                                     [d["id"] for d in documents] + removed)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_PENDING, None)
