"""The change log: every committed change of a listing, numbered in commit order, for every node's index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class ListingChange(db.Model):
    """One listing changed in the transaction that wrote this row. Append-only (until pruned after the
    retention). No foreign key: the log keeps a listing's last change after the listing is deleted."""

    __tablename__ = "listing_changes"

    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    listing_id: Mapped[int] = mapped_column(index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ListingChangeCounter(db.Model):
    """The log's last position, one row. Its row lock, held from taking positions until the commit, makes
    transactions take positions in the order they commit (changelog.py)."""

    __tablename__ = "listing_change_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int]
