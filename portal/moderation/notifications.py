"""Mail to organisations about moderators' decisions: the one place where a rejection reaches the organisation.
The reason itself is always kept in the listing's audit trail as well."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from portal.catalogue.models import Listing
from portal.mail import queue_mail


def notify_rejection(listing: Listing, reason: str, what: str = "listing") -> None:
    """Queue the Dutch mail for every active member of the listing's organisation, in the transaction of the
    rejection (sent only if it commits). `what` is "listing" or "revision"."""
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
    for email in sorted({m.user.email for m in listing.organisation.memberships if m.user.is_active}):
        queue_mail(email, subject, text)
