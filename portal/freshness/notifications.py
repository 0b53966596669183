"""The freshness mails: one per member of an organisation after a run (or a moderator's reminder), saying which
listings to confirm, which left the search and which were archived, with a confirmation link of their own.
Queued in the outbox (portal/mail) in the transaction of the change; Dutch plain text."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date, gettext

from portal.catalogue import freshness
from portal.mail import queue_mail
from portal.mail.links import absolute_url


def _day(value: date) -> str:
    return format_date(value, "d MMMM y")


def _lines(listings) -> str:
    return "\n".join(gettext("- %(title)s (laatst bevestigd op %(date)s)", title=listing.title,
                             date=_day(freshness.confirmed_on(listing))) for listing in listings)


def _subject(notice) -> str:
    name = notice.organisation.name
    if notice.archived:
        return gettext("Aanbod van %(name)s gearchiveerd: het werd niet meer bevestigd", name=name)
    if notice.stale:
        return gettext("Aanbod van %(name)s staat niet meer in de zoekresultaten", name=name)
    if notice.reminded.get(len(freshness.REMINDER_MONTHS)):
        return gettext("Laatste herinnering: bevestig het aanbod van %(name)s", name=name)
    return gettext("Nog actueel? Bevestig het aanbod van %(name)s op STEM-wijzer", name=name)


def queue_notice(user, notice, token: str, today: date) -> None:
    with force_locale("nl"):
        parts = [gettext("Hallo %(name)s,", name=user.display_name), gettext(
            "STEM-wijzer vraagt organisaties één keer per schooljaar te bevestigen dat hun doorlopend aanbod nog "
            "loopt, zodat ouders en leerkrachten alleen vinden wat echt bestaat.")]
        if notice.by_moderator:
            parts.append(gettext("Een moderator van STEM-wijzer vraagt je te bevestigen dat het aanbod en de "
                                 "gegevens van %(name)s nog kloppen.", name=notice.organisation.name))
        for number in sorted(number for number, listings in notice.reminded.items() if listings):
            listings = notice.reminded[number]
            deadline = min(freshness.confirm_by(freshness.confirmed_on(listing)) for listing in listings)
            parts.append(gettext("Bevestig vóór %(date)s dat dit aanbod nog loopt; daarna verdwijnt het uit de "
                                 "zoekresultaten:", date=_day(max(deadline, today))) + "\n"
                         + _lines(listings))
        if notice.stale:
            parts.append(gettext(
                "Dit aanbod werd %(months)s maanden niet bevestigd en staat niet meer in de zoekresultaten. De pagina "
                "blijft bereikbaar met de melding \"niet meer bevestigd\". Bevestig het en het staat er meteen "
                "weer in:", months=freshness.STALE_MONTHS) + "\n" + _lines(notice.stale))
        if notice.archived:
            parts.append(gettext(
                "Dit aanbod werd %(months)s maanden niet bevestigd en is gearchiveerd. Loopt het toch nog? Voeg "
                "het opnieuw toe in 'Mijn aanbod':", months=freshness.ARCHIVE_MONTHS) + "\n"
                + _lines(notice.archived))
        if notice.details_reminder:
            parts.append(gettext("Bevestig ook dat de gegevens van %(name)s (naam, website, gemeente, beschrijving) "
                                 "nog kloppen.", name=notice.organisation.name))
        parts.append(gettext("Met één klik bevestigen:\n%(link)s", link=absolute_url("freshness.confirm", token=token)))
        parts.append(gettext("Of in het dashboard van je organisatie:\n%(link)s\n\nLoopt iets niet meer? Archiveer "
                             "het in 'Mijn aanbod', dan weten ouders dat ook.",
                             link=absolute_url("organisations.dashboard", slug=notice.organisation.slug,
                                               _anchor="actualiteit")))
        subject, text = _subject(notice), "\n\n".join(parts)
    queue_mail(user.email, subject, text)
