"""The listing change log: positions without gaps, visible in their order.

A transaction that changed listings takes its positions last, just before its commit, by incrementing the one
counter row. The row lock it takes then is held until the commit, so a second transaction takes its positions
only after the first committed (or rolled back, which returns the counter): positions are committed in their
order and a rollback leaves no gap. A reader that sees position n therefore sees every position below it,
on PostgreSQL as on SQLite, and a node that has applied up to n needs exactly the rows after n.
Only what the transaction wrote before is locked by then, so the counter never waits for a lock while
holding it (no deadlock).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.search.models import ListingChange, ListingChangeCounter

COUNTER = 1  # the counter row's id


def append(session: Session, listing_ids: list[int]) -> int:
    """Log that `listing_ids` changed in `session`'s transaction; returns the last position taken."""
    count = len(listing_ids)
    last = session.scalar(update(ListingChangeCounter).where(ListingChangeCounter.id == COUNTER)
                          .values(last=ListingChangeCounter.last + count).returning(ListingChangeCounter.last))
    if last is None:  # a database without the row (emptied tables): the log starts again
        session.execute(insert(ListingChangeCounter).values(id=COUNTER, last=count))
        last = count
    now = utcnow()
    session.execute(insert(ListingChange), [
        {"position": last - count + number + 1, "listing_id": listing_id, "changed_at": now}
        for number, listing_id in enumerate(listing_ids)
    ])
    return last


def head(session: Session) -> int:
    """The last committed position (0 for an empty log)."""
    return session.scalar(select(ListingChangeCounter.last).where(ListingChangeCounter.id == COUNTER)) or 0


def first_kept(session: Session) -> int:
    """The first position still in the log; a node needing an earlier one rebuilds."""
    oldest = session.scalar(select(func.min(ListingChange.position)))
    return oldest if oldest is not None else head(session) + 1


def changes_after(session: Session, position: int, limit: int) -> list[tuple[int, int]]:
    """(position, listing id) of the changes after `position`, in order, at most `limit`."""
    return [(row.position, row.listing_id) for row in session.execute(
        select(ListingChange.position, ListingChange.listing_id)
        .where(ListingChange.position > position).order_by(ListingChange.position).limit(limit)
    )]


def waited_seconds(session: Session, position: int) -> float:
    """How long ago the change at `position` was committed (0 when it is not in the log)."""
    changed_at = session.scalar(select(ListingChange.changed_at).where(ListingChange.position == position))
    return max(0.0, (utcnow() - changed_at).total_seconds()) if changed_at else 0.0


def prune(session: Session, days: int) -> int:
    """Delete the changes older than `days` days; returns how many."""
    result = session.execute(delete(ListingChange).where(ListingChange.changed_at < utcnow() - timedelta(days=days)))
    return result.rowcount
