"""The search outbox: listings whose index entry must follow a committed change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.catalogue.models import Listing
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class SearchOutboxEntry(db.Model):
    """Written in the same transaction as the change, so the index learns of every commit and of no rollback."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    listing: Mapped[Listing] = relationship()
