"""One unit of work: what a request or a CLI command changes is committed once, or rolled back whole.

Services change the session and never commit (docs/architecture.md); the view or command around them says
where the unit ends, with `service_call` (views) or `unit_of_work` (commands, and the one commit beneath
`service_call`). The search and mail outboxes deliver after that commit (session `after_commit` events).
A request that never enters one commits nothing: Flask-SQLAlchemy rolls its session back when it ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort

from portal.database import begin_write
from portal.domain import DomainError, NotFound, PermissionDenied
from portal.extensions import db
from portal.forms import show_refusal


class Work:
    """The unit of work in progress, and how it ended."""

    refusal: DomainError | None = None
    discarded = False

    @property
    def ok(self) -> bool:
        return self.refusal is None

    def discard(self) -> None:
        """Roll back instead of committing when the block ends (a dry run, a refused import)."""
        self.discarded = True


@contextmanager
def unit_of_work(write_lock: bool = False) -> Iterator[Work]:
    """Commit the session when the block ends; roll it back when the block raises or discards its work.
    With `write_lock` (commands; writing requests take it in a before_request hook) SQLite's write lock is
    taken first, so a concurrent writer is waited for instead of failing with "database is locked"; then the
    block must be the session's first use."""
    work = Work()
    if write_lock:
        begin_write(db.session)
    try:
        yield work
    except BaseException:
        db.session.rollback()
        raise
    if work.discarded:
        db.session.rollback()
    else:
        db.session.commit()


@contextmanager
def service_call(form=None, fallback: str | None = None, handled=None) -> Iterator[Work]:
    """A view's service call as one unit of work; any exception rolls it back. A missing or forbidden thing
    answers 404 or 403. A refusal of the kinds `handled` (with a `form`, by default every DomainError; without
    one, none) ends the block: it is kept in `work.refusal` and shown on `form` (next to the field `fallback`
    when it names none), and the view re-renders or redirects on `work.ok`. Other refusals propagate."""
    if handled is None:
        handled = DomainError if form is not None else ()
    try:
        with unit_of_work() as work:
            yield work
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    except handled as refusal:
        work.refusal = refusal
        if form is not None:
            show_refusal(form, refusal, fallback)
