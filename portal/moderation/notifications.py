"""Mail to organisations about moderators' decisions.

The one place where a rejection reaches the organisation. The mail outbox (`queue_mail(to, subject, text)`)
arrives with the accounts work; until the integrator hands `rejection_mails` to it here, nothing is sent.
The reason itself is always kept in the listing's audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale, gettext

from portal.catalogue.models import Listing


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


def rejection_mails(listing: Listing, reason: str, what: str = "listing") -> list[Mail]:
    """The Dutch mail for every member of the listing's organisation. `what` is "listing" or "revision"."""
    with force_locale("nl"):
        if what == "revision":
            subject = gettext("Je wijziging aan '%(title)s' is niet goedgekeurd", title=listing.title)
        else:
            subject = gettext("'%(title)s' is niet goedgekeurd", title=listing.title)
        text = gettext(
            "Een moderator van STEM-wijzer keurde dit niet goed:\n\n%(reason)s\n\n"
            "Pas het aan in 'Mijn aanbod' en dien het opnieuw in.",
            reason=reason,
        )
    recipients = sorted({membership.user.email for membership in listing.organisation.memberships})
    return [Mail(to=email, subject=subject, text=text) for email in recipients]


def notify_rejection(listing: Listing, reason: str, what: str = "listing") -> list[Mail]:
    """Called by every rejection. INTEGRATOR: pass each mail to the accounts outbox here:
    `for mail in mails: queue_mail(mail.to, mail.subject, mail.text)`."""
    mails = rejection_mails(listing, reason, what)
    return mails
