"""Queue mail in the transaction of the change; deliver it after that transaction commits.

In a request the delivery waits until the response has been sent: an answer that mails someone (a reset
link for a known address) then takes as long as one that mails nobody, so timing does not tell which
addresses have an account. Outside a request (CLI) the mail leaves right after the commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.extensions import db
from portal.mail.delivery import delivery
from portal.mail.models import OutboxMail

_QUEUED = "mail_outbox_written"
MAX_ATTEMPTS = 5
BATCH = 50


def queue_mail(to: str, subject: str, text: str) -> OutboxMail:
    """Record a plain-text mail to `to` in the current transaction; it is sent only if that transaction commits."""
    # A subject is one header line: a line break (from a name or title typed before the single-line rules,
    # portal/catalogue/inputs.py) would make the mail undeliverable for ever, so white space is folded.
    mail = OutboxMail(recipient=to, subject=" ".join(str(subject).split()), body=str(text))
    db.session.add(mail)
    db.session.info[_QUEUED] = True
    return mail


def deliver_outbox() -> int:
    """Send the waiting mails; returns how many were delivered. Rows are locked while they are sent
    (skipped by a concurrent delivery on PostgreSQL; SQLite has one writer), then deleted."""
    config = current_app.config
    sent = 0
    with Session(db.engine) as session:
        session.connection(execution_options={"sqlite_immediate": True})
        mails = session.scalars(
            select(OutboxMail).where(OutboxMail.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMail.id).limit(BATCH).with_for_update(skip_locked=True)
        ).all()
        if not mails:
            return 0
        delivered, failed = [], []
        try:
            with delivery(config) as channel:
                for mail in mails:
                    try:
                        channel.send(mail)
                        delivered.append(mail.id)
                    except Exception:
                        current_app.logger.exception("mail %s to %s not delivered", mail.id, mail.recipient)
                        failed.append(mail.id)
        except Exception:  # no connection at all: every mail waits for the next try
            current_app.logger.exception("mail server unreachable; %s mails wait in the outbox", len(mails))
            failed = [mail.id for mail in mails if mail.id not in delivered]
        if delivered:
            session.execute(delete(OutboxMail).where(OutboxMail.id.in_(delivered)))
        if failed:
            session.execute(update(OutboxMail).where(OutboxMail.id.in_(failed))
                            .values(attempts=OutboxMail.attempts + 1))
        session.commit()
        sent = len(delivered)
    return sent


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    if not session.info.pop(_QUEUED, False):
        return
    if has_request_context():
        g.mail_waiting = True  # see init_app
        return
    _deliver(current_app._get_current_object())


def _deliver(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_outbox()
        except Exception:  # the commit stands; the mail waits in the outbox
            app.logger.exception("mail delivery failed; the outbox keeps the mails")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if session.in_nested_transaction():
        return  # only a savepoint rolled back; mails the outer transaction queued before it still wait
    session.info.pop(_QUEUED, None)


def init_app(app: Flask) -> None:
    @app.after_request
    def _deliver_after_the_response(response):
        if g.pop("mail_waiting", False):
            response.call_on_close(lambda: _deliver(app))
        return response


@dataclass(frozen=True)
class QueueHealth:
    """The outbox at a glance, for the readiness check and the metrics."""

    depth: int  # mails waiting
    due: int  # of which still tried on every delivery
    oldest_due_seconds: float  # how long the oldest of those has waited
    dead: int  # mails given up after MAX_ATTEMPTS

    def as_dict(self) -> dict:
        return asdict(self)


def queue_health() -> QueueHealth:
    due = OutboxMail.attempts < MAX_ATTEMPTS
    depth, waiting, oldest = db.session.execute(select(
        func.count(OutboxMail.id), func.count(OutboxMail.id).filter(due),
        func.min(OutboxMail.created_at).filter(due))).one()
    if oldest is not None and oldest.tzinfo is None:  # an aggregate comes back without the column's type on SQLite
        oldest = OutboxMail.created_at.type.process_result_value(oldest, db.engine.dialect)
    return QueueHealth(depth=depth, due=waiting, dead=depth - waiting,
                       oldest_due_seconds=max(0.0, (utcnow() - oldest).total_seconds()) if oldest else 0.0)
