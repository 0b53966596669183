"""Revisions: a proposed change to a published listing, waiting for a moderator while the live version stays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.catalogue import vocab
from portal.catalogue.workflow import REVISION
from portal.database import UTCDateTime, utcnow
from portal.extensions import db

PENDING_ONLY = text("status = 'pending'")


class ListingRevision(db.Model):
    __tablename__ = "listing_revisions"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(c) for c in vocab.REVISION_STATUSES.codes)})", name="status"),
        # At most one pending revision per listing: editing again updates it.
        Index("ix_listing_revisions_one_pending", "listing_id", unique=True,
              sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON)  # a ListingInput, see portal.submissions.codec
    status: Mapped[str] = mapped_column(String(20), default=REVISION.initial)
    reason: Mapped[str | None] = mapped_column(Text)  # why a moderator rejected it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    listing: Mapped[Listing] = relationship()  # noqa: F821
    author: Mapped[User | None] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ListingRevision {self.id} of listing {self.listing_id} {self.status}>"
