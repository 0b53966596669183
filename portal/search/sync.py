"""Keep every node's search index in step with the database, the source of truth.

Services call `listing_changed` in their transaction; just before the commit the transaction appends the
listings to the change log (changelog.py: positions committed in their order, a rollback leaves nothing). Each
index generation records the position it has applied. Every process follows the log: after its own commits,
and before answering a search when it has not looked for `CHECK_INTERVAL` (a query of one row), it applies
the changes after its generation's position under the index's write lock, reading the listings' committed
state then, so a change applied twice is harmless and none is skipped. A process that cannot get the lock
within its budget leaves the changes for whoever holds it, or for its next look.

A node without a usable generation (none yet, lost, corrupt), whose index is ahead of the log (another
database) or behind what the log still keeps (pruned) builds one in a background thread, never in a request;
the last good generation serves meanwhile, and without one searches answer a Dutch 503 (never an empty result).
`reconcile` is the safety net: it compares each document's content version with the database's.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import ServiceUnavailable

from portal.catalogue import policy
from portal.catalogue.models import Listing, listing_details
from portal.extensions import db
from portal.search import changelog
from portal.search.documents import listing_document
from search_index import IndexBusy, IndexUnavailable, SearchIndex

CHECK_INTERVAL = 0.25  # seconds between a process's looks at the log
SEARCH_LOCK_WAIT = 0.2  # a search waits this long for the write lock, then answers from what the index holds
COMMIT_LOCK_WAIT = 2.0  # after a commit, within a request's budget; the change stays in the log for the rest
COMMAND_LOCK_WAIT = 60.0  # commands (rebuild, reconcile) have time
APPLY_BATCH = 500  # changes read and applied at a time
APPLY_PER_CALL = 5000  # changes one catch-up applies at most, so a request stays short; the next call goes on
_CHANGED = "search_listings_changed"
_LOGGED = "search_changes_logged"


class SearchUnavailable(ServiceUnavailable):
    description = _l("Zoeken lukt even niet: de zoekindex wordt opnieuw opgebouwd. Probeer het binnen een "
                     "minuut opnieuw.")

    def __init__(self):
        super().__init__(retry_after=15)  # seconds; a catalogue of thousands builds in about a minute


def search_index() -> SearchIndex:
    return current_app.extensions["search_index"]


def listing_changed(listing: Listing) -> None:
    """Record, in the current transaction, that `listing`'s index entry must follow this change."""
    Session.object_session(listing).info.setdefault(_CHANGED, []).append(listing)


@event.listens_for(Session, "before_commit")
def _log_changes(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint is released; the outer transaction logs what it keeps
    listings = session.info.pop(_CHANGED, None)
    if not listings:
        return
    session.flush()  # new listings get their ids; every lock of the change is taken before the counter's
    changelog.append(session, sorted({listing.id for listing in listings}))
    session.info[_LOGGED] = True


@event.listens_for(Session, "after_commit")
def _follow_after_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.pop(_LOGGED, False):
        return
    try:
        follower().check(COMMIT_LOCK_WAIT, now=True)
    except Exception:  # the commit stands; the change is in the log for the next look
        current_app.logger.exception("search index update failed; the change log keeps the changes")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if session.in_nested_transaction():
        return  # only a savepoint rolled back; what the outer transaction changed before it still counts
    session.info.pop(_CHANGED, None)
    session.info.pop(_LOGGED, None)


def published_documents(session: Session, ids=None):
    query = select(Listing).where(policy.public_listing_clause()).options(*listing_details())
    if ids is not None:
        query = query.where(Listing.id.in_(ids))
    with force_locale("nl"):  # the index is Dutch whatever the visitor's language
        for listing in session.scalars(query.execution_options(yield_per=500)):
            yield listing_document(listing)


def _apply(session: Session, batch, listing_ids: set[int]) -> None:
    documents = list(published_documents(session, listing_ids))
    batch.upsert(documents)
    batch.delete({str(listing_id) for listing_id in listing_ids} - {document["id"] for document in documents})


def _catch_up(session: Session, batch, limit: int | None = None) -> int:
    """Apply the log after `batch.position` to the batch's generation; returns how many changes."""
    applied = 0
    while limit is None or applied < limit:
        changes = changelog.changes_after(session, batch.position, APPLY_BATCH)
        if not changes:
            break
        _apply(session, batch, {listing_id for _, listing_id in changes})
        batch.position = changes[-1][0]
        applied += len(changes)
    return applied


class NeedsBuild(Exception):
    """The index cannot follow the log from where it is: it needs a new generation."""


def follow(index: SearchIndex, lock_wait: float) -> int:
    """Apply what is new in the log; returns how many changes. IndexBusy when the lock stays held longer
    than `lock_wait`, NeedsBuild when the index cannot get there by following."""
    with Session(db.engine) as session:
        head = changelog.head(session)
        position = index.position()
        if position is None:
            raise NeedsBuild("no usable index generation")
        if position == head:
            return 0
        if position > head:
            raise NeedsBuild(f"the index is at position {position}, the log at {head}")
        if position + 1 < changelog.first_kept(session):
            raise NeedsBuild(f"the log no longer holds the changes after position {position}")
        session.rollback()  # the lock first, then the committed state
        with index.batch(timeout=lock_wait) as batch:
            applied = _catch_up(session, batch, APPLY_PER_CALL)
            session.rollback()  # end the read: SQLite cannot turn an old read snapshot into a write
        return applied


def build(index: SearchIndex, blocking: bool = True, processes: int | None = None) -> int | None:
    """A new generation of the published listings, brought up to the log's head before it goes live. Returns
    the count, or None when not `blocking` and another process of this node is building."""
    with Session(db.engine) as session:
        position = changelog.head(session)  # first: the documents read next hold at least this much

        def up_to_date(batch) -> None:
            session.rollback()  # a fresh read: what was committed during the build
            _catch_up(session, batch)

        options = {} if processes is None else {"processes": processes}
        return index.rebuild(published_documents(session), position=position, blocking=blocking,
                             prepare=up_to_date, **options)


class Follower:
    """One process's follower of the log: when it last looked, and its background build."""

    def __init__(self, app, index: SearchIndex):
        self.app = app
        self.index = index
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self.last_error: str | None = None

    def check(self, lock_wait: float = SEARCH_LOCK_WAIT, now: bool = False) -> None:
        """Follow the log if it is time (or `now`); start a background build when following cannot help.
        A database outage is logged and retried at the next look; the index keeps serving meanwhile."""
        if not now and time.monotonic() - self._checked_at < CHECK_INTERVAL:
            return
        self._checked_at = time.monotonic()
        try:
            follow(self.index, lock_wait)
            self.last_error = None
        except IndexBusy:
            pass  # another process of this node is writing; it applies the same log
        except NeedsBuild as reason:
            self.last_error = str(reason)
            self.start_build()
        except Exception as error:
            self.last_error = f"{type(error).__name__}: {error}"
            self.app.logger.warning("search index could not follow the change log: %s", self.last_error)

    @property
    def building(self) -> bool:
        return self._builder is not None and self._builder.is_alive()

    def start_build(self) -> None:
        with self._lock:
            if self.building:
                return
            self._builder = threading.Thread(target=self._build, name="search-index-build", daemon=True)
            self._builder.start()

    def _build(self) -> None:
        started = time.perf_counter()
        with self.app.app_context():
            try:
                # one writer process: a thread of a served process must not fork; not bounded by a request
                if build(self.index, blocking=False, processes=1) is not None:
                    self.app.logger.warning("search index built in the background in %.1f s",
                                            time.perf_counter() - started)
                    self._checked_at = float("-inf")  # follow the log again at the next search
            except Exception:
                self.app.logger.exception("search index build failed; the next look retries it")

    def wait(self, timeout: float | None = None) -> None:
        """Until the background build (if any) has ended (tests, start-up)."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)


def follower() -> Follower:
    return current_app.extensions["search_follower"]


def searchable_index() -> SearchIndex:
    """The index, caught up when it was time to look; SearchUnavailable (503) without a usable generation."""
    found = follower()
    found.check()
    if not found.index.exists():
        found.start_build()
        raise SearchUnavailable()
    return found.index


@dataclass(frozen=True)
class IndexStatus:
    ready: bool  # a usable generation, not behind the log by more than one look
    position: int | None  # what the live generation has applied
    head: int | None  # the log's last position (None while the database cannot be read)
    lag: int | None  # head - position
    oldest_pending_seconds: float | None  # how long the first change not yet applied has waited (0 when none)
    generation: str | None
    building: bool  # a build runs in this process
    last_build_seconds: float | None  # of the live generation's build
    last_error: str | None  # why the last look failed or asked for a build


def index_status() -> IndexStatus:
    """This process's index state for readiness and metrics, after looking at the log as a search would."""
    found = follower()
    found.check()
    state = found.index.state()
    position = state[1].position if state else None
    head = lag = waited = None
    try:
        with Session(db.engine) as session:
            head = changelog.head(session)
            if position is not None:
                lag = head - position
                waited = changelog.waited_seconds(session, position + 1) if lag > 0 else 0.0
    except Exception:
        pass  # the database is down: unknown, and not ready
    return IndexStatus(
        ready=state is not None and lag is not None and 0 <= lag <= APPLY_PER_CALL,
        position=position, head=head, lag=lag, oldest_pending_seconds=waited, generation=state[0] if state else None,
        building=found.building,
        last_build_seconds=state[1].build_seconds if state else None, last_error=found.last_error,
    )


def prepare_index(index: SearchIndex) -> int | None:
    """Make the index usable and current now (commands, start-up): build it when following cannot get it
    there, then follow. Returns the count when it built."""
    try:
        follow(index, COMMAND_LOCK_WAIT)
        return None
    except NeedsBuild:
        count = build(index)
        follow(index, COMMAND_LOCK_WAIT)
        return count


@dataclass
class ReconcileReport:
    applied: int  # changes from the log
    written: int  # missing or stale entries written
    removed: int  # entries of listings that are no longer published


def reconcile(index: SearchIndex) -> ReconcileReport:
    """Make the index equal to the database: follow the log, then fix missing, stale and extra entries by
    each document's content version (it changes with everything the document holds)."""
    try:
        applied = follow(index, COMMAND_LOCK_WAIT)
    except NeedsBuild:
        build(index)
        applied = follow(index, COMMAND_LOCK_WAIT)
    with Session(db.engine) as session, index.batch(timeout=COMMAND_LOCK_WAIT) as batch:
        expected = {document["id"]: document["version"] for document in published_documents(session)}
        indexed = index.document_versions()
        stale = {int(doc_id) for doc_id, version in expected.items() if indexed.get(doc_id) != version}
        extra = set(indexed) - set(expected)
        if stale:
            batch.upsert(published_documents(session, stale))
        batch.delete(extra)
    return ReconcileReport(applied=applied, written=len(stale), removed=len(extra))


def init_app(app) -> None:
    """One index and one follower per process; a request that meets an unusable index answers 503."""
    index = SearchIndex(app.config["SEARCH_INDEX_DIR"])
    app.extensions["search_index"] = index
    app.extensions["search_follower"] = Follower(app, index)

    @app.errorhandler(IndexUnavailable)
    def _unavailable(_error):  # lost between two looks: build, and say so
        follower().start_build()
        return app.handle_http_exception(SearchUnavailable())
