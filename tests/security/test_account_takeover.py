"""Pre-registration takeover: confirming an address never activates a password its owner did not choose.
A registration of an unconfirmed address does not replace the earlier password, and opening the mailed link
confirms nothing until its holder logs in with the account's password in that browser."""

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.forms import link_in, login, submit

ADDRESS = "slachtoffer@test.example"
ATTACKER, OWNER = "het wachtwoord van de aanvaller", "mijn eigen lange wachtzin"


def register(client, password, name):
    return submit(client, "/account/registreren", {"display_name": name, "email": ADDRESS, "password": password})


def account() -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == ADDRESS))


def test_the_owner_cannot_activate_the_password_of_who_registered_first(app, mailbox):
    attacker, owner = app.test_client(), app.test_client()
    register(attacker, ATTACKER, "Eve")
    register(owner, OWNER, "Vic")
    first, latest = mailbox.to(ADDRESS)
    assert "/account/wachtwoord-vergeten" in latest.get_content()  # the way out for the real owner
    assert owner.get(link_in(latest, "/account/bevestigen/")).status_code == 302
    assert account().email_confirmed_at is None  # opening the link confirmed nothing
    refused = login(owner, ADDRESS, OWNER)
    assert refused.status_code == 200 and account().email_confirmed_at is None
    owner.get(link_in(first, "/account/bevestigen/"))
    assert login(attacker, ADDRESS, ATTACKER).status_code == 200  # the attacker has no link, so no login
    assert account().email_confirmed_at is None and account().display_name == "Eve"

    # The owner takes the account over by the reset link, which proves the inbox and sets their password.
    submit(owner, "/account/wachtwoord-vergeten", {"email": ADDRESS})
    reset = link_in(mailbox.to(ADDRESS)[-1], "/account/wachtwoord-herstellen/")
    submit(owner, reset, {"password": OWNER})
    assert account().email_confirmed_at is not None
    assert login(app.test_client(), ADDRESS, ATTACKER).status_code == 200
    assert login(app.test_client(), ADDRESS, OWNER).status_code == 302


def test_a_later_registration_keeps_the_owners_password_and_name(app, mailbox):
    owner, attacker = app.test_client(), app.test_client()
    register(owner, OWNER, "Vic")
    register(attacker, ATTACKER, "Eve")
    first, _again = mailbox.to(ADDRESS)
    owner.get(link_in(first, "/account/bevestigen/"))
    assert login(owner, ADDRESS, OWNER).status_code == 302
    assert account().email_confirmed_at is not None and account().display_name == "Vic"
    assert login(app.test_client(), ADDRESS, ATTACKER).status_code == 200


def test_the_link_confirms_only_in_the_browser_that_opened_it(app, mailbox):
    opener, other = app.test_client(), app.test_client()
    register(opener, OWNER, "Vic")
    opener.get(link_in(mailbox.to(ADDRESS)[0], "/account/bevestigen/"))
    assert login(other, ADDRESS, OWNER).status_code == 200 and account().email_confirmed_at is None
    assert login(opener, ADDRESS, OWNER).status_code == 302 and account().email_confirmed_at is not None
