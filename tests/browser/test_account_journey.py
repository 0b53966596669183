"""A new organiser in Chromium: register, confirm by the mailed link, log in, register an organisation;
axe-core finds no serious or critical violation on these pages."""

import re

import pytest

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import use_mailbox

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_mailbox(demo_app, smtp_server):
    yield use_mailbox(demo_app, smtp_server)
    demo_app.config.update(MAIL_SERVER=None, MAIL_PORT=25)


def confirmation_link(mailbox, address: str) -> str:
    [mail] = mailbox.to(address)  # after the mail worker's pass
    return re.search(r"https?://\S+/account/bevestigen/\S+", mail.get_content()).group()


def test_register_confirm_log_in_and_register_an_organisation(browser_page, live_server, demo_mailbox):
    page, email = browser_page, "an.peeters@vonk.example"
    page.goto(live_server + "/")
    page.get_by_role("link", name="Registreren").click()
    page.wait_for_url(re.compile(r"/account/registreren$"))
    assert axe_violations(page) == []

    page.get_by_label("Je naam").fill("An Peeters")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("password")  # too common: refused, next to the field
    page.get_by_role("button", name="Account maken").click()
    assert "te bekend" in page.locator(".field-error").inner_text()
    assert page.get_by_label("E-mailadres").input_value() == email  # kept
    assert axe_violations(page) == []  # the page with errors too

    page.get_by_label("Wachtwoord").fill("robots bouwen op woensdag")
    page.get_by_role("button", name="Account maken").click()
    assert page.locator("h1").inner_text() == "Bekijk je mailbox"

    page.goto(confirmation_link(demo_mailbox, email))  # the link names the host the request came to
    page.wait_for_url(re.compile(r"/account/aanmelden$"))
    assert "bevestigd" in page.locator(".flash").inner_text()
    assert axe_violations(page) == []

    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill("robots bouwen op woensdag")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/account/$"))
    assert page.locator(".account-name").inner_text() == "An Peeters"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Organisatie registreren").click()
    page.wait_for_url(re.compile(r"/mijn/organisaties/nieuw$"))
    assert axe_violations(page) == []
    page.get_by_label("Naam van de organisatie").fill("Robotclub De Vonk")
    page.get_by_label("Soort organisatie").select_option("stem_academy")
    page.get_by_label("Gemeente").select_option(label="Genk")
    page.get_by_label("Website").fill("https://vonk.example")
    page.get_by_role("button", name="Organisatie registreren").click()
    page.wait_for_url(re.compile(r"/mijn/organisaties/robotclub-de-vonk$"))
    assert "Wacht op verificatie" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url(live_server + "/")
    assert page.get_by_role("link", name="Aanmelden").is_visible()


@pytest.mark.parametrize("email, password, paths", [
    ("lid.genk@stem-wijzer.example", "demo-lid-wachtwoord", [
        "/account/wachtwoord-wijzigen", "/account/e-mailadres-wijzigen", "/account/verwijderen",
        "/mijn/organisaties", "/mijn/organisaties/lim-robotclub-schachtwiel-genk",
        "/mijn/organisaties/lim-robotclub-schachtwiel-genk/gegevens",
        "/mijn/organisaties/lim-robotclub-schachtwiel-genk/charter",
        "/organisaties/ant-robotclub-de-tandwielen/lid-worden",
    ]),
    ("admin@stem-wijzer.example", "demo-admin-wachtwoord", ["/beheer/gebruikers/", "/beheer/organisaties"]),
])
def test_workplace_pages_have_no_serious_accessibility_violations(browser_page, live_server, email, password, paths):
    log_in(browser_page, live_server, email, password)
    for path in paths:
        response = browser_page.goto(live_server + path)
        assert response.status == 200, path
        assert axe_violations(browser_page) == [], path
