"""The mail outbox: mails written in the transaction of the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class OutboxMail(db.Model):
    """A mail waiting for delivery. Deleted once delivered; a failed delivery stays for `flask mail send`."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)  # names and titles of up to 200 characters each
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
