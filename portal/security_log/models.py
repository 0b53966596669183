"""The security event log's table: one row per event, searchable by the admins (/beheer/beveiligingslog)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.database import UTCDateTime
from portal.extensions import db


class SecurityEvent(db.Model):
    """What happened, to what, by whom, from where. Never a secret or a full e-mail address: an address the
    event concerns is kept masked in `details` and as a keyed hash in `email_hash` (portal/security_log/masking.py)."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target_type: Mapped[str | None] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column(Integer)
    client_address: Mapped[str | None] = mapped_column(String(45), index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    email_hash: Mapped[str | None] = mapped_column(String(32), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
