"""Mail to organisations about moderators' decisions: the one place where a rejection reaches the organisation.
The reason itself is always kept in the listing's audit trail, or the organisation's history, as well."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from portal.catalogue import policy
from portal.catalogue.models import Listing, Organisation
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
    _mail(listing.organisation, subject, text)


def notify_organisation_rejection(organisation: Organisation, reason: str) -> None:
    """Queue the Dutch mail for the organisation's owners (who edit its details) when a moderator rejects a change
    of its details."""
    with force_locale("nl"):
        subject = gettext("Je wijziging aan de gegevens van %(name)s is niet goedgekeurd", name=organisation.name)
        text = gettext(
            "Een moderator van STEM-wijzer keurde deze wijziging aan de gegevens van %(name)s niet goed:\n\n"
            "%(reason)s\n\nDe openbare pagina toont de vorige gegevens. Pas ze aan bij 'Gegevens wijzigen' op de "
            "pagina van je organisatie.", name=organisation.name, reason=reason,
        )
    _mail(organisation, subject, text, roles={policy.OWNER})


def members_to_mail(organisation: Organisation, roles: set[str] | None = None) -> list:
    """The active members of `organisation` (with one of `roles`, when given), once per address, by address."""
    users = {m.user.email: m.user for m in organisation.memberships
             if m.user.is_active and (roles is None or m.role in roles)}
    return [users[email] for email in sorted(users)]


def _mail(organisation: Organisation, subject: str, text: str, roles: set[str] | None = None) -> None:
    """To every active member of `organisation` (with one of `roles`, when given), once per address."""
    for user in members_to_mail(organisation, roles):
        queue_mail(user.email, subject, text)
