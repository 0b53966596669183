"""Accounts through the pages: registration confirmed by the mailed link, login, passwords, e-mail address,
export and deletion. Mail is delivered by SMTP to a real server on loopback."""

import json
import time
from datetime import date

from argon2 import PasswordHasher
from sqlalchemy import select

from portal.accounts import tokens
from portal.accounts.models import User
from portal.catalogue.models import ListingStatusChange
from portal.catalogue.services import create_listing, create_organisation
from portal.extensions import db
from portal.organisations.services import CharterInput, sign_charter
from tests.factories import ListingInputFactory, OrganisationInputFactory
from tests.forms import PASSWORD, link_in, login, new_user, submit, text_of


def register(client, email="nieuw@test.example", password=PASSWORD, name="Nieuwe Gebruiker"):
    return submit(client, "/account/registreren", {"display_name": name, "email": email, "password": password})


def test_register_confirm_by_the_mailed_link_and_log_in(client, mailbox):
    answer = register(client, "Nieuw@Test.example")
    assert answer.status_code == 200
    assert "Bekijk je mailbox" in text_of(answer)
    [mail] = mailbox.to("nieuw@test.example")
    assert mail["Subject"] == "Bevestig je e-mailadres voor STEM-wijzer"

    refused = login(client, "nieuw@test.example")
    assert "Bevestig eerst je e-mailadres" in text_of(refused)

    confirmed = client.get(link_in(mail, "/account/bevestigen/"))
    assert confirmed.status_code == 302
    assert login(client, "nieuw@test.example").headers["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200 and "nieuw@test.example" in text_of(page)


def test_a_confirmation_link_works_until_its_holder_confirmed_by_logging_in(client, mailbox):
    register(client)
    link = link_in(mailbox.to("nieuw@test.example")[0], "/account/bevestigen/")
    assert client.get(link).status_code == 302
    assert login(client, "nieuw@test.example").headers["Location"] == "/account/"
    again = client.get(link)
    assert again.status_code == 400 and "ongeldig of werd al gebruikt" in text_of(again)


def test_registration_answers_the_same_for_a_known_address_and_mails_its_owner(client, mailbox):
    new_user("bekend@test.example")
    known = register(client, "bekend@test.example", "een-ander-wachtwoord")
    unknown = register(client, "onbekend@test.example", "een-ander-wachtwoord")
    assert known.status_code == unknown.status_code == 200
    assert text_of(known).replace("bekend@", "X@") == text_of(unknown).replace("onbekend@", "X@")
    [owner_mail] = mailbox.to("bekend@test.example")
    assert owner_mail["Subject"] == "Je hebt al een account bij STEM-wijzer"
    assert "/account/wachtwoord-vergeten" in owner_mail.get_content()
    assert login(client, "bekend@test.example", "een-ander-wachtwoord").status_code == 200  # password unchanged
    assert db.session.scalar(select(User).where(User.email == "bekend@test.example")).display_name == "bekend"


def test_a_line_break_in_the_name_is_refused(client, mailbox):
    """A name ends up in mail subjects ("... wil lid worden van ..."): a line break would make them undeliverable."""
    refused = register(client, name="Eve\r\nBcc: x@evil.example")
    assert refused.status_code == 200 and "op één regel" in text_of(refused)
    assert mailbox.messages == [] and db.session.scalar(select(User.id)) is None


def test_login_failure_is_the_same_for_a_known_and_an_unknown_address(client):
    new_user("bekend@test.example")
    wrong_password = login(client, "bekend@test.example", "fout-wachtwoord-123")
    unknown = login(client, "onbekend@test.example", "fout-wachtwoord-123")
    assert wrong_password.status_code == unknown.status_code == 200
    assert text_of(wrong_password).replace("bekend@", "X@") == text_of(unknown).replace("onbekend@", "X@")
    assert "horen niet bij elkaar" in text_of(unknown)


def test_reset_answers_the_same_and_sends_a_link_only_to_an_existing_account(client, mailbox):
    new_user("bekend@test.example")
    known = submit(client, "/account/wachtwoord-vergeten", {"email": "bekend@test.example"})
    unknown = submit(client, "/account/wachtwoord-vergeten", {"email": "onbekend@test.example"})
    assert known.status_code == unknown.status_code == 200
    assert text_of(known).replace("bekend@", "X@") == text_of(unknown).replace("onbekend@", "X@")
    assert [m["To"] for m in mailbox.messages] == ["bekend@test.example", "onbekend@test.example"]
    link, notice = (m.get_content() for m in mailbox.messages)
    assert "/account/wachtwoord-herstellen/" in link
    assert "geen account met dit adres" in notice and "/account/wachtwoord-herstellen/" not in notice


def test_password_reset_link_works_once_and_ends_other_sessions(client, app, mailbox):
    new_user("bekend@test.example")
    other_device = app.test_client()
    login(other_device, "bekend@test.example")
    submit(client, "/account/wachtwoord-vergeten", {"email": "bekend@test.example"})
    link = link_in(mailbox.to("bekend@test.example")[0], "/account/wachtwoord-herstellen/")
    done = submit(client, link, {"password": "een gloednieuwe zin als wachtwoord"})
    assert done.status_code == 302
    reused = submit(client, link, {"password": "nog een andere zin als wachtwoord"}, form_page="/account/aanmelden")
    assert reused.status_code == 400 and "ongeldig of werd al gebruikt" in text_of(reused)
    assert login(client, "bekend@test.example", "een gloednieuwe zin als wachtwoord").status_code == 302
    assert other_device.get("/account/").status_code == 302  # logged out there


def test_an_expired_reset_link_is_refused(client):
    user = new_user("bekend@test.example")
    issued_long_ago = int(time.time()) - int(tokens.LIFETIMES["reset"].total_seconds()) - 5
    token = tokens.issue("reset", user.id, f"{user.email}|{user.password_hash}", at=issued_long_ago)
    answer = client.get(f"/account/wachtwoord-herstellen/{token}")
    assert answer.status_code == 400 and "verlopen" in text_of(answer)
    fresh = tokens.issue("reset", user.id, f"{user.email}|{user.password_hash}")
    assert client.get(f"/account/wachtwoord-herstellen/{fresh}").status_code == 200


def test_a_common_password_is_refused_and_a_long_one_accepted(client, mailbox):
    refused = register(client, "a@test.example", "iloveyou123")
    assert "te bekend" in text_of(refused)
    too_short = register(client, "a@test.example", "kort12")
    assert "minstens 8 tekens" in text_of(too_short)
    assert "a@test.example" in refused.get_data(as_text=True)  # what the user typed stays in the form
    assert mailbox.messages == [] and db.session.scalar(select(User.id)) is None

    long_password = "dit is een heel lange wachtzin van meer dan vierenzestig tekens, met spaties én accenten"
    assert len(long_password) > 64
    register(client, "a@test.example", long_password)
    client.get(link_in(mailbox.to("a@test.example")[0], "/account/bevestigen/"))
    assert login(client, "a@test.example", long_password).status_code == 302


def test_login_rehashes_a_password_hashed_with_old_parameters(client):
    user = new_user("bekend@test.example")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert login(client, "bekend@test.example").status_code == 302
    db.session.refresh(user)
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in user.password_hash


def test_change_password_needs_the_current_one(client, mailbox):
    new_user("bekend@test.example")
    login(client, "bekend@test.example")
    wrong = submit(client, "/account/wachtwoord-wijzigen",
                   {"current_password": "niet-het-wachtwoord", "new_password": "een nieuwe lange zin"})
    assert "klopt niet" in text_of(wrong)
    done = submit(client, "/account/wachtwoord-wijzigen",
                  {"current_password": PASSWORD, "new_password": "een nieuwe lange zin"})
    assert done.status_code == 302
    assert client.get("/account/").status_code == 200  # this session goes on
    assert mailbox.to("bekend@test.example")[0]["Subject"] == "Je wachtwoord voor STEM-wijzer werd gewijzigd"


def test_change_email_takes_effect_after_the_new_address_confirms(client, mailbox):
    new_user("oud@test.example")
    login(client, "oud@test.example")
    answer = submit(client, "/account/e-mailadres-wijzigen", {"new_email": "nieuw@test.example", "password": PASSWORD})
    assert answer.status_code == 200
    assert db.session.scalar(select(User.email)) == "oud@test.example"
    link = link_in(mailbox.to("nieuw@test.example")[0], "/account/e-mailadres-bevestigen/")
    assert client.get(link).status_code == 302
    assert db.session.scalar(select(User.email)) == "nieuw@test.example"
    assert mailbox.to("oud@test.example")[0]["Subject"] == "Je e-mailadres bij STEM-wijzer werd gewijzigd"
    assert client.get(link).status_code == 400  # once


def test_export_and_delete_own_account_keeps_an_anonymous_audit_trail(client):
    user = new_user("weg@test.example")
    organisation = create_organisation(user, OrganisationInputFactory())
    listing = create_listing(user, organisation, ListingInputFactory())
    sign_charter(user, organisation, CharterInput(
        commitment="Wij ontvangen elke maand een klas in onze werkplaats voor een STEM-dag.",
        contact_name="Wendy Weg", contact_email="weg@test.example", web_address="https://weg.example/charter",
        target_groups=["everyone"], disciplines=["technology"], formats=["visit"]), date(2026, 11, 30))
    db.session.commit()
    login(client, "weg@test.example")

    export = client.get("/account/mijn-gegevens.json")
    data = json.loads(export.get_data(as_text=True))
    assert data["account"]["email"] == "weg@test.example"
    assert data["memberships"][0]["slug"] == organisation.slug
    assert data["listing_status_changes"][0]["listing"] == listing.slug
    assert data["charter_signatures"] == [{"organisation": organisation.name, "signed_on": "2026-11-30",
                                           "contact_name": "Wendy Weg", "contact_email": "weg@test.example"}]

    refused = submit(client, "/account/verwijderen", {"password": "fout-wachtwoord", "confirm": "y"})
    assert "klopt niet" in text_of(refused)
    done = submit(client, "/account/verwijderen", {"password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    gone = db.session.get(User, user.id)
    assert gone.email != "weg@test.example" and gone.display_name == "Verwijderde gebruiker"
    assert gone.password_hash is None and gone.memberships == []
    change = db.session.scalar(select(ListingStatusChange))
    assert change.actor_id == user.id  # the audit trail keeps an actor, without personal data
    assert client.get("/account/").status_code == 302
    assert "horen niet bij elkaar" in text_of(login(client, "weg@test.example"))


def test_account_pages_are_not_cached(client):
    assert client.get("/account/aanmelden").headers["Cache-Control"] == "private, no-store"


def test_header_shows_login_links_or_the_users_name(client):
    anonymous = client.get("/").get_data(as_text=True)
    assert "Aanmelden" in anonymous and "Registreren" in anonymous
    new_user("bekend@test.example")
    login(client, "bekend@test.example")
    page = client.get("/").get_data(as_text=True)
    assert "Mijn account" in page and "Afmelden" in page and ">bekend<" in page
