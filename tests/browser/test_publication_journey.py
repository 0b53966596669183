"""Issue 4's whole journey in Chromium, through the user interface only: a new person registers, confirms by the
link mailed to a real SMTP server, registers an organisation; a moderator verifies it; the member submits an
activity, the moderator approves it and an anonymous visitor finds it in the public search; the member's edit
of the published activity stays invisible (page and search show the old text) until the moderator approves
the revision on its diff page. axe-core checks every workplace page on the way."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from werkzeug.serving import make_server

from portal.extensions import db, limiter
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import migrated_app, use_mailbox
from tests.factories import make_user
from tests.forms import PASSWORD

pytestmark = pytest.mark.browser

ADMIN = "moderator@journey.example"
MEMBER, MEMBER_PASSWORD = "els.claes@kiewit.example", "zeepkisten bouwen met de buren"
ORGANISATION = "Technieklokaal Kiewit"  # shares no word with the titles: the search indexes it too
OLD_TITLE, OLD_SUMMARY = "Zeepkistenbouwdag in Hasselt", "Bouw samen met je ouders een zeepkist en race de heuvel af."
NEW_TITLE, NEW_SUMMARY = "Zonnebootjesdag in Hasselt", "Bouw een bootje op zonne-energie en laat het varen op de vijver."


@pytest.fixture(scope="module")
def portal(databases, tmp_path_factory, smtp_server):
    """A portal of its own on a fresh, migrated database with only an admin; mail goes to the SMTP sink."""
    app = migrated_app(databases.fresh("stemwijzer_publication_journey"), tmp_path_factory.mktemp("publication-index"))
    mailbox = use_mailbox(app, smtp_server)
    with app.app_context():
        make_user(ADMIN, is_admin=True, password=PASSWORD)
        db.session.commit()
        limiter.reset()  # registration and login counters of earlier tests on this loopback address
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "mailbox": mailbox, "app": app}
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def new_page(chromium):
    context = chromium.new_context(locale="nl-BE", bypass_csp=True)  # bypass_csp lets the test inject axe-core
    return context, context.new_page()


def received(mailbox, address: str, subject: str):
    """The one mail to `address` with this subject that the SMTP server received after the mail worker's pass
    (the mailbox reads as a person does, once the worker delivered)."""
    matching = [mail for mail in mailbox.to(address) if mail["Subject"] == subject]
    assert len(matching) == 1, [(m["To"], m["Subject"]) for m in mailbox.arrived]
    return matching[0]


def search(page, base: str, query: str) -> list[tuple[str, str]]:
    """(title, summary) of every result card of the public search. A card may show a highlighted snippet of
    the summary ("… laat het varen op de vijver."): it is given as the whole summary it was cut from."""
    page.goto(f"{base}/zoeken?q={query}")
    found = []
    for card in page.locator("article.card").all():
        snippet = card.locator("p").nth(1).inner_text().strip("… ")
        summary = next((whole for whole in (OLD_SUMMARY, NEW_SUMMARY) if snippet and snippet in whole), snippet)
        found.append((card.locator(".card-title").inner_text(), summary))
    return found


def shown(page, url: str) -> tuple[str, str]:
    response = page.goto(url)
    assert response.status == 200, url
    return page.locator("h1").inner_text(), page.locator("p.lead").inner_text()


def test_register_verify_submit_approve_find_revise_approve(chromium, portal):
    base, mailbox = portal["url"], portal["mailbox"]
    member_context, member = new_page(chromium)
    admin_context, admin = new_page(chromium)
    public_context, public = new_page(chromium)

    # 1. A new person registers, confirms by the mailed link and logs in.
    member.goto(base + "/account/registreren")
    assert axe_violations(member) == []
    member.get_by_label("Je naam").fill("Els Claes")
    member.get_by_label("E-mailadres").fill(MEMBER)
    member.get_by_label("Wachtwoord").fill(MEMBER_PASSWORD)
    member.get_by_role("button", name="Account maken").click()
    assert member.locator("h1").inner_text() == "Bekijk je mailbox"

    mail = received(mailbox, MEMBER, "Bevestig je e-mailadres voor STEM-wijzer")
    member.goto(re.search(r"https?://\S+/account/bevestigen/\S+", mail.get_content()).group())
    member.wait_for_url(re.compile(r"/account/aanmelden$"))
    assert "bevestigd" in member.locator(".flash").inner_text()
    assert axe_violations(member) == []
    member.get_by_label("E-mailadres").fill(MEMBER)
    member.get_by_label("Wachtwoord", exact=True).fill(MEMBER_PASSWORD)
    member.get_by_role("button", name="Aanmelden").click()
    member.wait_for_url(re.compile(r"/account/$"))
    assert member.locator(".account-name").inner_text() == "Els Claes"
    assert axe_violations(member) == []

    # 2. They register their organisation; it waits for verification.
    member.goto(base + "/mijn/organisaties/nieuw")
    assert axe_violations(member) == []
    member.get_by_label("Naam van de organisatie").fill(ORGANISATION)
    member.get_by_label("Soort organisatie").select_option("nonprofit")
    member.get_by_label("Gemeente").select_option(label="Hasselt")
    member.get_by_label("Website").fill("https://kiewit.example")
    member.get_by_role("button", name="Organisatie registreren").click()
    member.wait_for_url(re.compile(r"/mijn/organisaties/technieklokaal-kiewit$"))
    organisation_page = member.url
    assert "Wacht op verificatie" in member.locator("main").inner_text()

    # 3. A moderator logs in and verifies it from the moderation queue.
    log_in(admin, base, ADMIN, PASSWORD)
    admin.goto(base + "/moderatie")
    assert axe_violations(admin) == []
    row = admin.locator("table.queue tbody tr", has_text=ORGANISATION)
    row.get_by_role("button", name="Verifiëren").click()
    admin.wait_for_url(re.compile(r"/moderatie$"))
    assert f"{ORGANISATION} is geverifieerd." in admin.locator(".flashes").inner_text()
    assert admin.locator("table.queue tbody tr", has_text=ORGANISATION).count() == 0
    assert "jullie aanbod kan nu gepubliceerd worden" in received(
        mailbox, MEMBER, f"{ORGANISATION} is geverifieerd").get_content()
    member.goto(organisation_page)
    assert "Wacht op verificatie" not in member.locator("main").inner_text()

    # 4. The member submits an activity with every required field filled in.
    member.goto(base + "/mijn/aanbod/nieuw")
    assert axe_violations(member) == []
    member.get_by_label("Activiteit", exact=True).check()
    member.get_by_label("Titel").fill(OLD_TITLE)
    member.get_by_label("Korte beschrijving").fill(OLD_SUMMARY)
    member.get_by_label("Beschrijving", exact=True).fill("Hout, wieltjes en een helm: wij zorgen voor alles.")
    member.get_by_label("Webadres voor meer info en inschrijven").fill("https://kiewit.example/bouwdag")
    member.get_by_label("Vanaf leeftijd").fill("8")
    member.get_by_label("Tot en met leeftijd").fill("14")
    member.get_by_label("Ouders", exact=True).check()
    member.get_by_label("Iedereen", exact=True).check()
    member.get_by_label("Engineering", exact=True).check()
    member.get_by_label("Workshop", exact=True).check()
    member.get_by_label("Eenmalig", exact=True).check()
    member.get_by_label("(Eerste) datum").fill((date.today() + timedelta(days=40)).isoformat())
    member.get_by_label("Gratis", exact=True).check()
    member.get_by_label("Straat en huisnummer").fill("Kapermolenpark 1")
    member.get_by_label("Gemeente of postcode").fill("3500")
    member.get_by_role("button", name="Opslaan en indienen ter goedkeuring").click()
    member.wait_for_url(re.compile(r"/mijn/aanbod/\d+$"))
    assert "ingediend" in member.locator(".flashes").inner_text()
    listing_page = member.url

    assert search(public, base, "zeepkist") == []  # pending: not public yet

    # 5. The moderator approves it on its review page.
    admin.goto(base + "/moderatie")
    admin.get_by_role("link", name=OLD_TITLE).click()
    admin.wait_for_url(re.compile(r"/moderatie/aanbod/\d+$"))
    assert axe_violations(admin) == []
    for principle in ("Maatschappelijke relevantie", "STEM-integratie", "Inclusie"):
        admin.get_by_label(principle).check()
    admin.get_by_role("button", name="Goedkeuren en publiceren").click()
    admin.wait_for_url(re.compile(r"/moderatie$"))
    assert "Goedgekeurd" in admin.locator(".flashes").inner_text()

    # 6. An anonymous visitor finds it in the public search.
    assert search(public, base, "zeepkist") == [(OLD_TITLE, OLD_SUMMARY)]
    public.get_by_role("link", name=OLD_TITLE).click()
    public_url = public.url
    assert shown(public, public_url) == (OLD_TITLE, OLD_SUMMARY)

    # 7. The member edits the published activity: a revision; the old text stays live.
    member.goto(listing_page)
    member.get_by_role("link", name="Wijziging voorstellen").click()
    member.wait_for_url(re.compile(r"/mijn/aanbod/\d+/bewerken$"))
    assert axe_violations(member) == []
    member.get_by_label("Titel").fill(NEW_TITLE)
    member.get_by_label("Korte beschrijving").fill(NEW_SUMMARY)
    member.get_by_role("button", name="Wijziging voorstellen").click()
    member.wait_for_url(re.compile(r"/mijn/aanbod/\d+$"))
    assert "wacht op goedkeuring" in member.locator(".notice").inner_text()
    assert axe_violations(member) == []

    assert shown(public, public_url) == (OLD_TITLE, OLD_SUMMARY)
    assert search(public, base, "zeepkist") == [(OLD_TITLE, OLD_SUMMARY)]
    assert search(public, base, "zonnebootjesdag") == []
    assert search(public, base, "vijver") == []

    # 8. The moderator approves the revision on its diff page; now the new text is live.
    admin.goto(base + "/moderatie")
    admin.locator("table.queue tbody tr", has_text="Wijziging").get_by_role("link").click()
    admin.wait_for_url(re.compile(r"/moderatie/wijzigingen/\d+$"))
    for label, old, new in (("Titel", OLD_TITLE, NEW_TITLE), ("Korte beschrijving", OLD_SUMMARY, NEW_SUMMARY)):
        change = admin.locator("table.diff tbody tr").filter(has=admin.get_by_role("rowheader", name=label, exact=True))
        assert (change.locator(".old").inner_text(), change.locator(".new").inner_text()) == (old, new)
    assert axe_violations(admin) == []
    admin.get_by_role("button", name="Goedkeuren en publiceren").click()
    admin.wait_for_url(re.compile(r"/moderatie$"))
    assert "Goedgekeurd" in admin.locator(".flashes").inner_text()
    assert admin.locator("p.empty").inner_text() == "Niets wacht op een moderator."

    assert shown(public, public_url) == (NEW_TITLE, NEW_SUMMARY)
    assert search(public, base, "zonnebootjesdag") == [(NEW_TITLE, NEW_SUMMARY)]
    assert search(public, base, "vijver") == [(NEW_TITLE, NEW_SUMMARY)]
    assert search(public, base, "zeepkist") == []
    for context in (member_context, admin_context, public_context):
        context.close()
