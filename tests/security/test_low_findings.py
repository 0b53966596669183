"""Regression tests for the low findings of the security assessment (issue 13): forged Host headers, cookie
prefixes, caching of signed-in pages, the demo accounts in production, strict addresses, mail files."""

from datetime import UTC, datetime

import pytest
from flask import session
from sqlalchemy import func, select

from portal import create_app
from portal.accounts.password_rules import password_problems
from portal.catalogue import services as catalogue
from portal.catalogue.inputs import is_email
from portal.catalogue.models import Organisation
from portal.config import load_config
from portal.domain import ValidationFailed
from portal.extensions import db
from portal.mail.delivery import FileDelivery
from portal.mail.models import OutboxMail
from portal.organisations import services as organisations
from tests.factories import ListingInputFactory, OrganisationInputFactory
from tests.forms import log_in, new_user

SITE = "https://stem-wijzer.example"
PRODUCTION = {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 32, "SITE_URL": SITE,
              "SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.fixture
def published(app):
    admin = new_user("moderator@test.example", is_admin=True)
    organisation = catalogue.create_organisation(admin, OrganisationInputFactory(name="Robotclub Genk"))
    catalogue.verify_organisation(admin, organisation)
    listing = catalogue.create_listing(admin, organisation, ListingInputFactory(title="Robotclub voor kinderen"))
    catalogue.submit_listing(admin, listing)
    catalogue.publish_listing(admin, listing)
    db.session.commit()
    return listing


@pytest.fixture
def site_url(app):
    app.config["SITE_URL"] = SITE
    yield SITE
    app.config["SITE_URL"] = None


@pytest.mark.parametrize("path", ["/sitemap.xml", "/aanbod/{slug}", "/api/v1/listings?q=robot",
                                  "/zoeken.atom?q=robot", "/api/v1/listings/{slug}"])
def test_absolute_links_name_the_site_whatever_the_host_header(client, published, site_url, path):
    response = client.get(path.format(slug=published.slug), headers={"Host": "kwaad.example"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f"{SITE}/aanbod/{published.slug}" in body and "kwaad.example" not in body


def test_production_cookies_carry_the_host_prefix():
    config = load_config("/tmp", PRODUCTION)
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["REMEMBER_COOKIE_NAME"] == "__Host-remember_token"
    app = create_app(PRODUCTION)
    with app.test_request_context("/"):
        session["x"] = 1
        response = app.make_response("")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_signed_in_pages_are_not_cached_and_public_ones_may_be(client, published):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    log_in(client, new_user("lid@test.example"))
    for path in ("/", f"/aanbod/{published.slug}", "/zoeken?q=robot"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path
    assert "no-store" not in client.get("/static/css/site.css").headers.get("Cache-Control", "")


def test_the_demo_catalogue_is_refused_in_production(app):
    app.config["PORTAL_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["PORTAL_ENV"] = "testing"
    assert result.exit_code != 0 and "not for production" in result.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


@pytest.mark.parametrize("address", ["postmaster,kwaad@test.example", "a;b@test.example", "An <an@test.example>",
                                     "\"an\"@test.example", "an@test.example\n", "an@test", "an@@test.example"])
def test_an_address_is_one_address_strictly(address):
    assert not is_email(address)


def test_an_invitation_goes_to_one_address(app):
    with app.test_request_context():
        owner = new_user("eigenaar@test.example")
        organisation = catalogue.create_organisation(owner, OrganisationInputFactory())
        db.session.flush()
        with pytest.raises(ValidationFailed):
            organisations.invite(owner, organisation, "postmaster,kwaad@test.example")


def test_two_mail_files_in_the_same_second_are_both_kept(tmp_path):
    delivery = FileDelivery({"MAIL_FILE_DIR": str(tmp_path), "MAIL_DEFAULT_SENDER": "STEM-wijzer <n@x.example>"})
    at = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)
    with delivery:
        for subject in ("Een", "Twee"):
            delivery.send(OutboxMail(id=1, recipient="ouder@test.example", subject=subject, body="Tekst",
                                     created_at=at))
    assert len(list(tmp_path.glob("*.eml"))) == 2


@pytest.mark.parametrize("password, email, name", [
    ("an.peeters@test.example", "an.peeters@test.example", "An Peeters"), ("anpeeters", "a@test.example", "An Peeters"),
    ("Peeters123", "a@test.example", "An Peeters"), ("stemwijzer2026", "a@test.example", "An"),
    ("STEM-wijzer!", "a@test.example", "An"),
])
def test_a_password_like_the_address_the_name_or_the_site_is_refused(password, email, name):
    assert "lijkt te veel op" in str(password_problems(password, email, name)[0])


def test_a_passphrase_that_only_shares_a_few_letters_with_the_name_is_fine():
    assert password_problems("robots bouwen op woensdag", "an.peeters@test.example", "An Peeters") == []


def test_an_unverified_organisation_is_as_unknown_to_outsiders_as_a_name_nobody_took(app, client):
    member = new_user("lid@test.example")
    unverified = catalogue.create_organisation(member, OrganisationInputFactory(name="Nog niet geverifieerd"))
    db.session.commit()
    log_in(client, new_user("buiten@test.example"))
    for path in ("/mijn/organisaties/{}", "/mijn/organisaties/{}/gegevens", "/organisaties/{}/lid-worden"):
        assert client.get(path.format(unverified.slug)).status_code == 404, path
        assert client.get(path.format("bestaat-niet")).status_code == 404, path
