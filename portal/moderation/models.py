"""Reports: a visitor tells the moderators that something about a published listing is wrong."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.catalogue import vocab
from portal.catalogue.workflow import REPORT
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class ListingReport(db.Model):
    __tablename__ = "listing_reports"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(c) for c in vocab.REPORT_STATUSES.codes)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))  # optional, to ask the reporter for details
    status: Mapped[str] = mapped_column(String(20), default=REPORT.initial, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)  # what the moderator did about it

    listing: Mapped[Listing] = relationship()  # noqa: F821
    handled_by: Mapped[User | None] = relationship()  # noqa: F821
