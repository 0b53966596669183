"""Queue mail in the transaction of the change that causes it; the mail worker (portal/mail/worker.py)
delivers it later, off the request path.

No request waits for a mail server: an answer takes as long whether or not it mails someone (a reset link
for a known address, or nothing), so timing does not tell which addresses have an account, and a mail server
that hangs holds no web worker. A rollback sends nothing: the row goes with the transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.mail.models import DEAD, WAITING, OutboxMail


def retry_window() -> timedelta:
    """How long a mail is retried before it becomes a dead letter."""
    return timedelta(hours=current_app.config["MAIL_RETRY_HOURS"])


def queue_mail(to: str, subject: str, text: str, *, kind: str | None = None,
               subject_id: int | None = None) -> OutboxMail:
    """Record a plain-text mail to `to` in the current transaction; it is sent only if that transaction commits.
    A mail with an expiring link names its `kind` and the `subject_id` it is about (portal/mail/reissue.py)."""
    # A subject is one header line: a line break (from a name or title typed before the single-line rules,
    # portal/catalogue/inputs.py) would make the mail undeliverable for ever, so white space is folded.
    now = clock.now()
    mail = OutboxMail(recipient=to, subject=" ".join(str(subject).split()), body=str(text), created_at=now,
                      status=WAITING, next_attempt_at=now, retry_until=now + retry_window(), kind=kind,
                      subject_id=subject_id)
    db.session.add(mail)
    return mail


@dataclass(frozen=True)
class QueueHealth:
    """The outbox at a glance, for the readiness check and the metrics."""

    depth: int  # mails waiting: due now, or retrying later
    due: int  # of which due now
    oldest_due_seconds: float  # how long the longest-due mail has waited past its time (grows when no worker runs)
    dead: int  # dead letters an admin has not resent

    def as_dict(self) -> dict:
        return asdict(self)


def queue_health() -> QueueHealth:
    now = clock.now()
    waiting = OutboxMail.status == WAITING
    depth, due, oldest = db.session.execute(select(
        func.count(OutboxMail.id),
        func.count(OutboxMail.id).filter(OutboxMail.next_attempt_at <= now),
        func.min(OutboxMail.next_attempt_at).filter(OutboxMail.next_attempt_at <= now),
    ).where(waiting)).one()
    dead = db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.status == DEAD))
    return QueueHealth(depth=depth, due=due, dead=dead,
                       oldest_due_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
