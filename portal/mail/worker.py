"""The mail worker: delivers due mails from the outbox, off the request path (`flask mail work`).

Several workers (one per node, or a timer's `--once`) share the outbox and deliver each mail once:
1. claim: in a short transaction, take a batch of due mails, row-locked (FOR UPDATE SKIP LOCKED on
   PostgreSQL, so another worker takes other rows; SQLite's single write lock via `begin_write`), and move
   their next attempt a lease ahead, so no other worker takes them while this one sends;
2. send them, with the SMTP timeout of MAIL_TIMEOUT, outside any transaction: a hanging mail server holds
   no database lock;
3. settle each mail at once in a transaction of its own: delivered mails are deleted; a failure is retried
   with backoff (portal/mail/retries.py) until the mail's retry window ends, then the mail is a dead letter;
   a permanent refusal (5xx) is a dead letter at once.
A worker that dies between 2 and 3 leaves its claimed mails to be taken again when the lease ends: they may
then arrive twice, never not at all."""

from __future__ import annotations

import smtplib
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select, update

from portal import clock
from portal.database import begin_write
from portal.extensions import db
from portal.mail import reissue, retries
from portal.mail.delivery import delivery
from portal.mail.models import DEAD, WAITING, OutboxMail

ERROR_LENGTH = 500


@dataclass(frozen=True)
class Claimed:
    """What a worker needs of a claimed mail once its claiming transaction has ended."""

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime
    attempts: int
    retry_until: datetime


@dataclass
class PassReport:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    reissued: int = 0


def lease(config) -> timedelta:
    """Longer than a batch can take to send, each SMTP step waiting at most MAIL_TIMEOUT."""
    return timedelta(seconds=60 + config["MAIL_BATCH"] * config["MAIL_TIMEOUT"] * 4)


def _claim(now: datetime) -> tuple[list[Claimed], int]:
    """Take up to MAIL_BATCH due mails; write stale link mails anew instead (they are due at once)."""
    config = current_app.config
    begin_write(db.session)
    mails = db.session.scalars(
        select(OutboxMail).where(OutboxMail.status == WAITING, OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(config["MAIL_BATCH"])
        .with_for_update(skip_locked=True)
    ).all()
    claimed, reissued = [], 0
    for mail in mails:
        if reissue.is_stale(mail.kind, mail.created_at, now):
            try:
                with db.session.begin_nested():
                    reissued += reissue.reissue(mail.kind, mail.subject_id, mail.recipient)
                    db.session.delete(mail)
                continue
            except Exception:  # one mail that cannot be written anew must not stop the outbox
                current_app.logger.exception("mail %s could not be written anew; it is sent as written", mail.id)
        mail.attempts += 1
        mail.last_attempt_at = now
        mail.next_attempt_at = now + lease(config)
        claimed.append(Claimed(mail.id, mail.recipient, mail.subject, mail.body, mail.created_at, mail.attempts,
                               mail.retry_until))
    db.session.commit()
    return claimed, reissued


def _permanent(error: Exception) -> bool:
    """The server refused this mail itself for good (5xx for its recipient or its content). Trouble with the
    connection, the login or the sender address is the portal's or the server's, not the mail's: retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _settle(mail: Claimed, error: Exception | None, report: PassReport) -> None:
    begin_write(db.session)
    if error is None:
        db.session.execute(delete(OutboxMail).where(OutboxMail.id == mail.id))
        report.delivered += 1
    else:
        now = clock.now()
        retry = None if _permanent(error) else retries.next_attempt(mail.attempts, now, mail.retry_until)
        values = {"last_error": f"{type(error).__name__}: {error}"[:ERROR_LENGTH]}
        values.update({"status": DEAD} if retry is None else {"next_attempt_at": retry})
        db.session.execute(update(OutboxMail).where(OutboxMail.id == mail.id).values(**values))
        if retry is None:
            report.dead += 1
            current_app.logger.error("mail %s to %s is a dead letter: %s", mail.id, mail.recipient, error)
        else:
            report.retrying += 1
            current_app.logger.warning("mail %s to %s not delivered (attempt %s), again at %s: %s",
                                       mail.id, mail.recipient, mail.attempts, retry.isoformat(), error)
    db.session.commit()


def _send(batch: list[Claimed], report: PassReport) -> None:
    with ExitStack() as stack:
        try:
            channel = stack.enter_context(delivery(current_app.config))
        except Exception as error:  # no connection at all: every mail of the batch waits
            for mail in batch:
                _settle(mail, error, report)
            return
        for mail in batch:
            try:
                channel.send(mail)
            except Exception as error:  # this mail waits; a broken connection fails the rest at once
                _settle(mail, error, report)
            else:
                _settle(mail, None, report)


def deliver_due(app: Flask, stop: threading.Event | None = None) -> PassReport:
    """One pass: deliver what is due now, a batch at a time, until nothing due is left (or `stop` is set). Runs
    in an application context (and database session) of its own, so it can be called from any context."""
    report = PassReport()
    with app.app_context():
        while stop is None or not stop.is_set():
            batch, reissued = _claim(clock.now())
            report.reissued += reissued
            if not batch and not reissued:
                return report
            if batch:
                _send(batch, report)
        return report


def work(app: Flask, stop: threading.Event, interval: float) -> None:
    """Deliver due mails every `interval` seconds until `stop` is set. A pass that fails (the database is
    away) is logged and tried again at the next turn: the worker outlives outages."""
    while not stop.is_set():
        try:
            report = deliver_due(app, stop)
            if report.delivered or report.retrying or report.dead:
                app.logger.info("mail worker: %s delivered, %s to retry, %s dead letters",
                                report.delivered, report.retrying, report.dead)
        except Exception:
            app.logger.exception("mail worker pass failed; trying again in %s s", interval)
        stop.wait(interval)
