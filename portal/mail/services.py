"""The admins' view of the outbox: mails that are retried after failures, dead letters, and resending them.

Admins see who a mail is for, its subject and what went wrong, never its text: a reset or confirmation mail
holds a link that opens the recipient's account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import clock
from portal.accounts.models import User
from portal.domain import NotFound, PermissionDenied
from portal.extensions import db
from portal.mail import reissue
from portal.mail.models import DEAD, WAITING, OutboxMail
from portal.mail.outbox import retry_window
from portal.mail.policy import can_manage_mail
from portal.pagination import Page, paginate
from portal.security_log import events, record


def _check(actor: User) -> None:
    if not can_manage_mail(actor):
        raise PermissionDenied(_l("Alleen beheerders zien de mail die niet bezorgd raakt."))


def dead_letters(actor: User, page: int = 1) -> Page[OutboxMail]:
    """Mails given up on, the most recent first."""
    _check(actor)
    return paginate(select(OutboxMail).where(OutboxMail.status == DEAD)
                    .order_by(OutboxMail.last_attempt_at.desc(), OutboxMail.id.desc()), page)


def retrying(actor: User, page: int = 1) -> Page[OutboxMail]:
    """Mails that failed at least once and wait for their next attempt, the next due first."""
    _check(actor)
    return paginate(select(OutboxMail).where(OutboxMail.status == WAITING, OutboxMail.last_error.is_not(None))
                    .order_by(OutboxMail.next_attempt_at, OutboxMail.id), page)


def resend(actor: User, mail_id: int) -> bool:
    """Give a dead letter a new retry window, due now. A mail with an expiring link is written anew with a fresh
    link (portal/mail/reissue.py); returns False when it no longer applies (the address was confirmed
    meanwhile, the account is gone) and the dead letter is cleared instead."""
    _check(actor)
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.status != DEAD:
        raise NotFound(_l("Deze mail wacht niet (meer) op een beheerder."))
    record(events.MAIL_RESENT, actor, target=mail, email=mail.recipient, kind=mail.kind,
           last_error=mail.last_error)
    if reissue.can_reissue(mail.kind):
        applies = reissue.reissue(mail.kind, mail.subject_id, mail.recipient)
        db.session.delete(mail)
        return applies
    now = clock.now()
    mail.status, mail.attempts, mail.next_attempt_at, mail.retry_until = WAITING, 0, now, now + retry_window()
    mail.last_error = None  # kept in the security event; the page shows the mail again only if it fails again
    return True
