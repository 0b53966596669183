"""The mail outbox: mails written in the transaction of the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime
from portal.extensions import db

WAITING = "waiting"  # to be delivered at `next_attempt_at` (again, after a failure)
DEAD = "dead"  # given up: the retry window passed or the server refused it for good; an admin may resend it


class OutboxMail(db.Model):
    """A mail waiting for delivery, deleted once delivered. A failed delivery is retried with backoff until
    `retry_until`, then the mail stays as a dead letter for the admins (portal/mail/worker.py)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)  # names and titles of up to 200 characters each
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retry_until: Mapped[datetime] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # A mail with a link that expires (a reset or confirmation link) names what it is for, so that it can be
    # written anew with a fresh link instead of being sent stale (portal/mail/reissue.py).
    kind: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column()
