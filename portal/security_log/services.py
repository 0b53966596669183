"""Reading and pruning the security log: the admins' search (newest first, a page at a time) and retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.database import utcnow
from portal.domain import PermissionDenied
from portal.extensions import db
from portal.pagination import Page, paginate
from portal.security_log import events
from portal.security_log.masking import email_hash, mask_email
from portal.security_log.models import SecurityEvent
from portal.security_log.policy import can_view_security_log
from portal.security_log.recorder import record


@dataclass(frozen=True)
class Filters:
    event: str | None = None
    user: str | None = None  # a user id, a full address, or a masked one (j***@example.org)
    address: str | None = None  # a client address, or the start of one (198.51.100.)
    date_from: date | None = None  # local dates (BABEL_DEFAULT_TIMEZONE), both included
    date_to: date | None = None


def _user_ids(text: str) -> list[int]:
    """The users `text` names: by id, by address, or by masked address (which several may share)."""
    if text.isdigit():
        return [int(text)]
    text = text.lower()
    local, _, domain = text.partition("@")
    if "***" in local:
        candidates = db.session.scalars(select(User).where(User.email.like(f"{local[:1]}%@{domain}"))).all()
        return [user.id for user in candidates if mask_email(user.email) == text]
    return list(db.session.scalars(select(User.id).where(User.email == text)))


def _concerning(text: str):
    """Events by, or about, the user(s) `text` names, and those about its address (failed logins, resets)."""
    ids = _user_ids(text.strip())
    conditions = [SecurityEvent.actor_id.in_(ids),
                  and_(SecurityEvent.target_type == "user", SecurityEvent.target_id.in_(ids))]
    if "@" in text and "***" not in text:
        conditions.append(SecurityEvent.email_hash == email_hash(text))
    return or_(*conditions)


def _utc_start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def search(actor: User, filters: Filters, page: int = 1) -> Page[SecurityEvent]:
    if not can_view_security_log(actor):
        raise PermissionDenied(_l("Alleen beheerders zien het beveiligingslogboek."))
    conditions = []
    if filters.event:
        conditions.append(SecurityEvent.event == filters.event)
    if filters.user:
        conditions.append(_concerning(filters.user))
    if filters.address:
        conditions.append(SecurityEvent.client_address.startswith(filters.address.strip(), autoescape=True))
    if filters.date_from:
        conditions.append(SecurityEvent.at >= _utc_start_of(filters.date_from))
    if filters.date_to:
        conditions.append(SecurityEvent.at < _utc_start_of(filters.date_to + timedelta(days=1)))
    return paginate(select(SecurityEvent).where(*conditions)
                    .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
                    .options(selectinload(SecurityEvent.actor)), page)


def prune(days: int) -> int:
    """Delete the events older than `days` days (retention); the pruning itself is recorded. Returns how many
    went."""
    if days < 1:
        raise ValueError("keep at least one day")
    before = utcnow() - timedelta(days=days)
    removed = db.session.execute(delete(SecurityEvent).where(SecurityEvent.at < before)).rowcount
    record(events.LOG_PRUNED, None, days=days, removed=removed)
    return removed
