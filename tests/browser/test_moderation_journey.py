"""A moderator and a member at work in Chromium: review and approve a submission, which the public search
then finds; a member's edit of the published listing stays invisible until its revision is approved.
axe-core checks the submission form and the moderation pages on the way."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from portal.catalogue import services as catalogue
from portal.extensions import db
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import migrated_app
from tests.factories import ListingInputFactory
from tests.forms import PASSWORD
from tests.world import build_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def workplace(databases, tmp_path_factory):
    """A portal of its own (this journey changes data), with A's member, an admin and a pending submission."""
    app = migrated_app(databases.fresh("stemwijzer_moderation_journey"), tmp_path_factory.mktemp("journey-index"))
    with app.app_context():
        world = build_world()
        listing = catalogue.create_listing(world.member_a, world.org_a, ListingInputFactory(
            title="Sterrenkijkavond in Genk", summary="Kijk met echte telescopen naar de maan en de planeten."))
        catalogue.submit_listing(world.member_a, listing)
        db.session.commit()
        emails = {"admin": world.admin.email, "member": world.member_a.email}
        listing_id, organisation = listing.id, {"slug": world.org_a.slug, "name": world.org_a.name}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "emails": emails, "listing_id": listing_id,
           "organisation": organisation}
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def page_as(chromium, workplace, who: str | None):
    context = chromium.new_context(locale="nl-BE", bypass_csp=True)  # bypass_csp lets the test inject axe-core
    page = context.new_page()
    if who:
        log_in(page, workplace["url"], workplace["emails"][who], PASSWORD)
    return context, page


def search_titles(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}/zoeken?q={query}")
    return [title.inner_text() for title in page.locator(".card-title a").all()]


def test_approve_then_revise_with_the_live_version_kept_until_approval(chromium, workplace):
    base = workplace["url"]
    admin_context, admin = page_as(chromium, workplace, "admin")
    member_context, member = page_as(chromium, workplace, "member")
    public_context, public = page_as(chromium, workplace, None)

    assert search_titles(public, base, "sterrenkijkavond") == []  # pending: not public yet

    admin.goto(f"{base}/moderatie")
    assert axe_violations(admin) == []
    admin.get_by_role("link", name="Sterrenkijkavond in Genk").click()
    admin.wait_for_url(re.compile(r"/moderatie/aanbod/\d+$"))
    assert axe_violations(admin) == []
    admin.get_by_label("STEM-integratie").check()
    admin.get_by_label("Inclusie").check()
    admin.get_by_role("button", name="Goedkeuren en publiceren").click()
    admin.wait_for_url(re.compile(r"/moderatie$"))
    assert "Goedgekeurd" in admin.locator(".flashes").inner_text()

    assert search_titles(public, base, "sterrenkijkavond") == ["Sterrenkijkavond in Genk"]

    member.goto(f"{base}/mijn/aanbod/{workplace['listing_id']}/bewerken")
    assert member.locator(".notice").first.inner_text().startswith("Dit aanbod is gepubliceerd")
    assert axe_violations(member) == []
    member.get_by_label("Titel").fill("Planetenavond in Genk")
    member.get_by_role("button", name="Wijziging voorstellen").click()
    member.wait_for_url(re.compile(r"/mijn/aanbod/\d+$"))
    assert "wacht op goedkeuring" in member.locator(".notice").inner_text()

    public.goto(f"{base}/zoeken?q=sterrenkijkavond")
    public.locator(".card-title a").first.click()
    assert public.locator("h1").inner_text() == "Sterrenkijkavond in Genk"  # the live version stays
    # the proposed title is not searchable yet (its parts, planeet + avond, may find the live version)
    assert "Planetenavond in Genk" not in search_titles(public, base, "planetenavond")

    admin.goto(f"{base}/moderatie")
    admin.locator("a[href*='/moderatie/wijzigingen/']").click()
    admin.wait_for_url(re.compile(r"/moderatie/wijzigingen/\d+$"))
    title_row = admin.locator("table.diff tbody tr", has_text="Titel")
    assert title_row.locator(".old").inner_text() == "Sterrenkijkavond in Genk"
    assert title_row.locator(".new").inner_text() == "Planetenavond in Genk"
    assert axe_violations(admin) == []
    admin.get_by_role("button", name="Goedkeuren en publiceren").click()
    admin.wait_for_url(re.compile(r"/moderatie$"))

    assert search_titles(public, base, "planetenavond") == ["Planetenavond in Genk"]
    assert "Sterrenkijkavond in Genk" not in search_titles(public, base, "sterrenkijkavond")  # the old title is gone

    admin.goto(f"{base}/moderatie/logboek")
    assert "Wijziging: Wacht op goedkeuring → Goedgekeurd" in admin.locator("table.history").inner_text()
    assert axe_violations(admin) == []
    for context in (admin_context, member_context, public_context):
        context.close()


def test_the_submission_form_with_errors_and_the_report_form_are_accessible(chromium, workplace):
    base = workplace["url"]
    context, member = page_as(chromium, workplace, "member")
    member.goto(f"{base}/mijn/aanbod/nieuw")
    assert axe_violations(member) == []
    member.get_by_label("Titel").fill("ab")
    member.get_by_label("Vanaf leeftijd").fill("negen")
    member.get_by_label("Gemeente of postcode").fill("Gent")
    member.get_by_role("button", name="Opslaan en indienen ter goedkeuring").click()
    assert member.locator(".error-summary").is_visible()
    assert member.get_by_label("Vanaf leeftijd").input_value() == "negen"
    assert "meerdere postcodes" in member.locator("#locations-0-place-error").inner_text()
    assert axe_violations(member) == []
    member.goto(f"{base}/mijn/aanbod")
    assert axe_violations(member) == []

    phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    for who, path in (("member", "/mijn/aanbod/nieuw"), ("admin", "/moderatie"), ("admin", "/moderatie/logboek")):
        phone.clear_cookies()
        small = phone.new_page()
        log_in(small, base, workplace["emails"][who], PASSWORD)
        small.goto(base + path)
        assert small.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path
        small.close()
    phone.close()

    public = context.new_page()
    public.goto(f"{base}/zoeken?q=robotles")
    public.locator(".card-title a").first.click()
    public.get_by_role("link", name="Meld een fout in dit aanbod").click()
    public.get_by_label("Wat klopt er niet?").fill("De link naar de inschrijving werkt niet.")
    assert axe_violations(public) == []
    public.get_by_role("button", name="Verstuur je melding").click()
    assert "Bedankt" in public.locator(".flashes").inner_text()
    context.close()


def test_a_verified_organisations_new_name_waits_for_the_moderator(chromium, workplace):
    """The owner renames the verified organisation: the public page keeps the old name, the owner sees the
    pending diff, the moderator approves it from the queue, and both read the history."""
    base, organisation = workplace["url"], workplace["organisation"]
    admin_context, admin = page_as(chromium, workplace, "admin")
    member_context, member = page_as(chromium, workplace, "member")
    public_context, public = page_as(chromium, workplace, None)
    dashboard = f"{base}/mijn/organisaties/{organisation['slug']}"

    member.goto(dashboard + "/gegevens")
    assert "een moderator bekijkt elke wijziging" in member.locator(".notice").inner_text()
    assert axe_violations(member) == []
    member.get_by_label("Naam van de organisatie").fill("Robotclub Alfa Genk")
    member.get_by_role("button", name="Bewaren").click()
    member.wait_for_url(dashboard)
    name_row = member.locator("table.diff tbody tr", has_text="Naam")
    assert name_row.locator(".old").inner_text() == organisation["name"]
    assert name_row.locator(".new").inner_text() == "Robotclub Alfa Genk"
    assert member.get_by_role("button", name="Wijziging intrekken").is_visible()
    assert axe_violations(member) == []

    public.goto(f"{base}/organisaties/{organisation['slug']}")
    assert public.locator("h1").inner_text() == organisation["name"]

    admin.goto(f"{base}/moderatie")
    admin.locator("a[href*='/moderatie/organisaties/wijzigingen/']").click()
    admin.wait_for_url(re.compile(r"/moderatie/organisaties/wijzigingen/\d+$"))
    assert admin.locator("table.diff tbody tr", has_text="Naam").locator(".new").inner_text() == "Robotclub Alfa Genk"
    assert axe_violations(admin) == []
    admin.get_by_role("button", name="Goedkeuren en publiceren").click()
    admin.wait_for_url(re.compile(r"/moderatie$"))

    public.goto(f"{base}/organisaties/{organisation['slug']}")
    assert public.locator("h1").inner_text() == "Robotclub Alfa Genk"
    member.goto(dashboard)
    assert "Wijziging goedgekeurd" in member.locator("table.history").inner_text()
    assert axe_violations(member) == []
    assert public.get_by_role("link", name="Geschiedenis").count() == 0  # moderators only
    admin.goto(f"{base}/organisaties/{organisation['slug']}")
    admin.get_by_role("link", name="Geschiedenis").click()
    assert "Naam: " + organisation["name"] in admin.locator("table.history").inner_text()
    assert axe_violations(admin) == []
    for context in (admin_context, member_context, public_context):
        context.close()


def test_the_security_log_on_a_phone_without_javascript_by_keyboard(chromium, workplace):
    """A failed login shows up on the admins' security log, found through the moderation page and filtered by
    keyboard alone; the page works without JavaScript and axe finds nothing serious."""
    base = workplace["url"]
    visitor = chromium.new_context(locale="nl-BE").new_page()
    visitor.goto(base + "/account/aanmelden")
    visitor.get_by_label("E-mailadres").fill(workplace["emails"]["member"])
    visitor.get_by_label("Wachtwoord", exact=True).fill("niet-het-goede-wachtwoord")
    visitor.get_by_role("button", name="Aanmelden").click()
    visitor.context.close()

    context = chromium.new_context(locale="nl-BE", bypass_csp=True, java_script_enabled=False,
                                   viewport={"width": 390, "height": 844})
    admin = context.new_page()
    log_in(admin, base, workplace["emails"]["admin"], PASSWORD)
    admin.goto(base + "/moderatie")
    admin.get_by_role("link", name=re.compile("Beveiligingslogboek")).click()
    admin.get_by_label("Soort gebeurtenis").focus()
    admin.keyboard.type("Aanmelden mislukt")  # a closed select picks the option whose label is typed
    admin.keyboard.press("Tab")
    admin.keyboard.type("l***@test.example")  # into "Gebruiker", the next field
    admin.keyboard.press("Enter")
    admin.wait_for_url(re.compile(r"soort=login\.failed"))
    rows = admin.locator("table.security-log tbody tr")
    assert rows.count() == 1 and "Aanmelden mislukt" in rows.first.inner_text()
    assert "l***@test.example" in rows.first.inner_text() and workplace["emails"]["member"] not in admin.content()
    context.close()
    context = chromium.new_context(locale="nl-BE", bypass_csp=True, viewport={"width": 390, "height": 844})
    admin = context.new_page()
    log_in(admin, base, workplace["emails"]["admin"], PASSWORD)
    admin.goto(base + "/beheer/beveiligingslog/?soort=login.failed")
    assert axe_violations(admin) == []
    context.close()
