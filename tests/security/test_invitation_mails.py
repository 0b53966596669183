"""Invitation mails of unverified organisations (issue 13, low): until a moderator verified the organisation,
its name and the inviter's name are anyone's text, so the mail is fixed text without them, and such an
organisation sends few invitations a day (UNVERIFIED_INVITATIONS_PER_DAY)."""

import pytest

from portal.catalogue.services import create_organisation
from portal.catalogue.services import verify_organisation as verify
from portal.extensions import db
from tests.factories import OrganisationInputFactory, make_user
from tests.forms import link_in, login, submit, text_of

PHISHING_NAME = "Uw bank: account geblokkeerd, bel 0470 12 34 56"
INVITER_NAME = "Klantendienst KBC"


@pytest.fixture
def owner(app):
    """An owner (with a display name of their choosing) of an unverified organisation, logged in."""
    user = make_user("eigenaar@test.example")
    user.display_name = INVITER_NAME
    organisation = create_organisation(user, OrganisationInputFactory(name=PHISHING_NAME))
    db.session.commit()
    client = app.test_client()
    login(client, "eigenaar@test.example")
    return client, organisation


def invite(owner, address: str):
    client, organisation = owner
    dashboard = f"/mijn/organisaties/{organisation.slug}"
    return submit(client, f"{dashboard}/uitnodigen", {"email": address, "role": "editor"}, form_page=dashboard)


def test_an_unverified_organisations_invitation_carries_no_text_the_inviter_chose(owner, mailbox):
    assert invite(owner, "slachtoffer@test.example").status_code == 302
    [mail] = mailbox.to("slachtoffer@test.example")
    text = f"{mail['Subject']}\n{mail.get_content()}"
    assert PHISHING_NAME not in text and INVITER_NAME not in text and "0470" not in text
    assert mail["Subject"] == "Uitnodiging op STEM-wijzer" and "nog niet geverifieerd" in text
    # Behind the link, on the portal itself, the invitee sees who invites them, marked as not verified.
    page = owner[0].application.test_client().get(link_in(mail, "/uitnodiging/"))
    assert PHISHING_NAME in text_of(page) and "nog niet geverifieerd" in text_of(page)


def test_a_verified_organisation_is_named_in_its_invitations(owner, mailbox):
    verify(make_user("moderator@test.example", is_admin=True), owner[1])
    db.session.commit()
    assert invite(owner, "collega@test.example").status_code == 302
    [mail] = mailbox.to("collega@test.example")
    assert PHISHING_NAME in mail["Subject"] and INVITER_NAME in mail.get_content()


def test_an_unverified_organisation_sends_few_invitations_a_day(app, owner, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "UNVERIFIED_INVITATIONS_PER_DAY", 3)
    for n in range(3):
        assert invite(owner, f"collega{n}@test.example").status_code == 302
    refused = invite(owner, "collega3@test.example")
    assert refused.status_code == 400
    assert "hoogstens 3 uitnodigingen per dag" in text_of(refused)
    assert mailbox.to("collega3@test.example") == [] and len(mailbox.messages) == 3
    verify(make_user("moderator@test.example", is_admin=True), owner[1])
    db.session.commit()
    assert invite(owner, "collega3@test.example").status_code == 302  # verified: the daily cap is lifted
