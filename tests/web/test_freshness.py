"""A year and more of a listing's life on a fixed clock (portal/clock.py): reminders at 11 and 12 months, out of
the search at 13, confirmed again from the reminder's link, archived at 15; the mails arrive on a real SMTP
server, the search drops and restores the listing, every step is in the audit trail, and the daily command sends
nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal import clock
from portal.accounts.models import Membership
from portal.catalogue import freshness
from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing, ListingStatusChange
from portal.extensions import db
from portal.organisations.models import OrganisationChange
from portal.security_log.models import SecurityEvent
from tests.factories import ListingInputFactory, OrganisationInputFactory, make_user
from tests.forms import PASSWORD, csrf_token, link_in, log_in, text_of

START = date(2027, 1, 20)
TITLE = "Wekelijkse codeerclub Zonhoven"


class FixedClock:
    def __init__(self, monkeypatch):
        self.moment = datetime.combine(START, time(9), tzinfo=UTC)
        monkeypatch.setattr(clock, "now", lambda: self.moment)

    def set(self, day: date) -> None:
        self.moment = datetime.combine(day, time(9), tzinfo=UTC)

    def months_after(self, day: date, months: int, days: int = 0) -> date:
        found = freshness.months_after(day, months) + timedelta(days=days)
        self.set(found)
        return found


@pytest.fixture
def fixed(monkeypatch):
    return FixedClock(monkeypatch)


@pytest.fixture
def people(app, fixed):
    admin = make_user("moderator@test.example", is_admin=True, password=PASSWORD)
    member = make_user("lid@test.example", password=PASSWORD)
    organisation = catalogue.create_organisation(member, OrganisationInputFactory(name="Codeclub Zonhoven"))
    catalogue.verify_organisation(admin, organisation)
    db.session.commit()
    return admin, member, organisation


def _publish(admin, member, organisation, **fields) -> Listing:
    listing = catalogue.create_listing(member, organisation, ListingInputFactory(**fields))
    catalogue.submit_listing(member, listing)
    catalogue.publish_listing(admin, listing)
    db.session.commit()
    return listing


def _run(app) -> str:
    db.session.rollback()  # the command's unit of work begins the session, as in its own process
    result = app.test_cli_runner().invoke(args=["catalogue", "freshness"])
    assert result.exit_code == 0, result.output
    return result.output


def _found(client, words: str) -> bool:
    return TITLE in text_of(client.get("/zoeken", query_string={"q": words}))


def _status(listing_id: int) -> str:
    db.session.rollback()
    return db.session.get(Listing, listing_id).status


def test_a_listing_goes_through_reminders_stale_confirmation_and_archive(app, client, mailbox, fixed, people):
    admin, member, organisation = people
    listing = _publish(admin, member, organisation, title=TITLE, schedule="periodic", start_date=START,
                       end_date=None)
    listing_id, slug = listing.id, listing.slug
    assert _found(client, "codeerclub zonhoven")

    fixed.months_after(START, 11, days=-1)
    assert "0 mails" in _run(app) and mailbox.messages == []

    fixed.months_after(START, 11)
    _run(app)
    [first] = mailbox.to("lid@test.example")
    assert first["Subject"] == "Nog actueel? Bevestig het aanbod van Codeclub Zonhoven op STEM-wijzer"
    assert TITLE in first.get_content() and "20 januari 2027" in first.get_content()
    assert "één keer per schooljaar" in first.get_content()
    assert "0 mails" in _run(app) and len(mailbox.messages) == 1  # the same day again: nothing twice
    assert _found(client, "codeerclub zonhoven")

    fixed.months_after(START, 12)
    _run(app)
    _run(app)
    assert [m["Subject"] for m in mailbox.messages][1:] == ["Laatste herinnering: bevestig het aanbod van "
                                                            "Codeclub Zonhoven"]

    fixed.months_after(START, 13)
    _run(app)
    assert _status(listing_id) == "stale"
    stale_mail = mailbox.messages[-1]
    assert stale_mail["Subject"] == "Aanbod van Codeclub Zonhoven staat niet meer in de zoekresultaten"
    assert not _found(client, "codeerclub zonhoven")
    page = client.get(f"/aanbod/{slug}")
    assert page.status_code == 200 and "Niet meer bevestigd" in text_of(page)
    assert client.get(f"/api/v1/listings/{slug}").get_json()["stale"] is True
    _run(app)
    assert len(mailbox.messages) == 3

    # one click in the mail: the link opens a page and changes nothing; its button confirms
    link = link_in(stale_mail, "/nog-actueel/")
    page = client.get(link)
    assert page.status_code == 200 and TITLE in text_of(page)
    assert _status(listing_id) == "stale"
    confirmed = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert confirmed.status_code == 200 and "bevestigd" in text_of(confirmed)
    assert _status(listing_id) == "published"
    assert _found(client, "codeerclub zonhoven")
    db.session.rollback()
    restored = db.session.get(Listing, listing_id)
    assert clock.local_date(restored.confirmed_at) == freshness.months_after(START, 13)
    page = text_of(client.get(f"/aanbod/{slug}"))
    assert "Niet meer bevestigd" not in page and "Laatst bevestigd op" in page

    # a year on, unconfirmed again: stale at 13 months, archived at 15 (no reminders: the run did not run meanwhile)
    reconfirmed = freshness.months_after(START, 13)
    fixed.months_after(reconfirmed, 13)
    _run(app)
    assert _status(listing_id) == "stale" and not _found(client, "codeerclub zonhoven")
    fixed.months_after(reconfirmed, 15)
    _run(app)
    assert _status(listing_id) == "archived"
    assert mailbox.messages[-1]["Subject"] == "Aanbod van Codeclub Zonhoven gearchiveerd: het werd niet meer bevestigd"
    assert client.get(f"/aanbod/{slug}").status_code == 404
    _run(app)
    assert len(mailbox.messages) == 5

    trail = db.session.scalars(select(ListingStatusChange).where(ListingStatusChange.listing_id == listing_id)
                               .order_by(ListingStatusChange.id)).all()
    steps = [(c.from_status, c.to_status, c.freshness, c.actor_id) for c in trail][3:]  # after created, publish
    assert steps == [
        ("published", "published", "reminded", None),
        ("published", "published", "reminded", None),
        ("published", "stale", None, None),
        ("stale", "published", None, member.id),
        ("published", "stale", None, None),
        ("stale", "archived", None, None),
    ]
    assert "niet bevestigd" in trail[-1].reason


def test_an_edit_confirms_a_stale_listing_and_brings_it_back(app, client, fixed, people):
    admin, member, organisation = people
    listing = _publish(admin, member, organisation, title=TITLE, schedule="periodic", start_date=START,
                       end_date=None)
    fixed.months_after(START, 13)
    _run(app)
    assert _status(listing.id) == "stale"
    listing = db.session.get(Listing, listing.id)
    catalogue.set_availability(member, listing, {"availability": "few_left", "waiting_list": False,
                                                 "remaining_places": 3, "postponed_to": None})
    db.session.commit()
    assert _status(listing.id) == "published" and _found(client, "codeerclub zonhoven")
    assert clock.local_date(db.session.get(Listing, listing.id).confirmed_at) == clock.today()


def test_past_one_off_activities_archive_themselves_a_while_after_their_day(app, fixed, people):
    admin, member, organisation = people
    day = date(2027, 2, 10)
    listing = _publish(admin, member, organisation, schedule="once", start_date=day, end_date=None,
                       formats=["workshop"])
    fixed.set(date(2027, 3, 12))  # 30 days after
    assert "0 past archived" in _run(app) and _status(listing.id) == "published"
    fixed.set(date(2027, 3, 13))
    assert "1 past archived" in _run(app) and _status(listing.id) == "archived"
    assert "Afgelopen op 2027-02-10" in db.session.get(Listing, listing.id).status_changes[-1].reason


def test_the_dashboard_shows_and_confirms(app, client, fixed, people):
    admin, member, organisation = people
    listing = _publish(admin, member, organisation, title=TITLE, schedule="periodic", start_date=START,
                       end_date=None)
    fixed.months_after(START, 11, days=3)
    log_in(client, member)
    dashboard = f"/mijn/organisaties/{organisation.slug}"
    page = text_of(client.get(dashboard))
    assert "Laatst bevestigd op" in page and "Te bevestigen" in page and "20 januari 2027" in page
    client.post(f"{dashboard}/bevestigen", data={"csrf_token": csrf_token(client, dashboard)})
    db.session.rollback()
    assert clock.local_date(db.session.get(Listing, listing.id).confirmed_at) == clock.today()
    assert db.session.get(Listing, listing.id).reminders_sent == 0
    page = text_of(client.get(dashboard))
    assert "Te bevestigen" not in page
    actions = db.session.scalars(select(OrganisationChange.action).where(
        OrganisationChange.organisation_id == organisation.id)).all()
    assert "confirmed" in actions


def test_a_link_for_someone_who_left_the_organisation_is_refused(app, client, mailbox, fixed, people):
    admin, member, organisation = people
    _publish(admin, member, organisation, title=TITLE, schedule="permanent", start_date=None, end_date=None)
    fixed.months_after(START, 11)
    _run(app)
    link = link_in(mailbox.to("lid@test.example")[0], "/nog-actueel/")
    db.session.delete(db.session.scalar(select(Membership).where(Membership.user_id == member.id)))
    db.session.commit()
    assert client.get(link).status_code == 400
    assert client.get(link[:-3] + "abc").status_code == 400


def test_moderators_see_the_report_and_send_a_reminder(app, client, mailbox, fixed, people):
    admin, member, organisation = people
    _publish(admin, member, organisation, title=TITLE, schedule="periodic", start_date=START, end_date=None)
    _publish(admin, member, organisation, title="Makerspace elke zaterdag", schedule="permanent",
             start_date=None, end_date=None)
    fixed.months_after(START, 11)
    _run(app)
    mailbox.messages.clear()
    fixed.months_after(START, 13)
    catalogue.confirm_listing(member, db.session.scalar(select(Listing).where(Listing.title == TITLE)))
    db.session.commit()

    log_in(client, member)
    assert client.get("/moderatie/actualiteit").status_code == 403
    log_in(client, admin)
    page = client.get("/moderatie/actualiteit")
    assert page.status_code == 200
    text = text_of(page)
    assert "Codeclub Zonhoven" in text and "Limburg" in text
    assert "In totaal: 1 bevestigd, 0 te bevestigen, 1 niet meer bevestigd." in text

    remind = f"/moderatie/actualiteit/{organisation.id}/herinneren"
    assert client.post(remind).status_code == 400  # no CSRF token: refused, nothing sent
    assert mailbox.messages == []
    client.post(remind, data={"csrf_token": csrf_token(client, "/moderatie/actualiteit")})
    [mail] = mailbox.to("lid@test.example")
    assert "Een moderator van STEM-wijzer" in mail.get_content() and "/nog-actueel/" in mail.get_content()
    assert db.session.scalar(select(SecurityEvent.event).where(SecurityEvent.event == "freshness.reminder_sent"))
    assert db.session.scalar(select(OrganisationChange).where(
        OrganisationChange.organisation_id == organisation.id, OrganisationChange.action == "reminded",
        OrganisationChange.actor_id == admin.id))
