"""The portal on a phone, in Chromium: the results come first and the filters open from one control, with and
without JavaScript, and applying them lands at the results; on a desktop the filters stay beside the results and
a keyboard user skips them; at 320 px no page of the authorisation matrices scrolls sideways (WCAG 1.4.10)."""

from __future__ import annotations

import re
import threading
from dataclasses import replace

import pytest
from werkzeug.serving import make_server

from portal.catalogue import services as catalogue
from portal.extensions import db
from portal.moderation import services as moderation
from portal.submissions import codec
from portal.submissions import services as submissions
from tests.browser.conftest import axe_violations, log_in
from tests.browser.test_structured_data_csp import RECORD_VIOLATIONS
from tests.conftest import migrated_app
from tests.factories import ListingInputFactory
from tests.forms import PASSWORD
from tests.security.test_workplace_access import EXPECTED as WORKPLACE_ROUTES
from tests.security.test_workplace_access import make_world, url_for_route
from tests.web.test_authorisation_matrix import MATRIX, build_matrix_world, ids_of

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FIRST_CARD_TOP = "document.querySelector('.card').getBoundingClientRect().top"
RESULTS_TOP = "document.getElementById('results-title').getBoundingClientRect().top"


def result_count(page) -> int:
    return int(re.search(r"\d+", page.locator(".result-count").inner_text()).group())


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(locale="nl-BE", bypass_csp=True, **PHONE)  # bypass_csp lets the test inject axe
    yield context.new_page()
    context.close()


def test_on_a_phone_the_results_come_first_and_the_filter_dialog_lands_at_the_results(phone, live_server):
    page = phone
    page.goto(live_server + "/")
    page.locator("#home-q").fill("robot")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=robot"))
    everything = result_count(page)
    assert 0 <= page.evaluate(FIRST_CARD_TOP) < 844  # the first result in the first screen
    assert axe_violations(page, impacts=None) == []

    toggle = page.locator("summary.filters-toggle")
    assert toggle.inner_text() == "Filters"  # nothing chosen yet
    toggle.click()
    dialog = page.get_by_role("dialog", name="Verfijn")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus moved into the dialog
    apply = dialog.locator("button[type=submit]")
    page.wait_for_function("b => /^Toon \\d+ resultaten$/.test(b.textContent)", arg=apply.element_handle())
    assert apply.inner_text() == f"Toon {everything} resultaten"
    assert axe_violations(page, impacts=None) == []

    dialog.get_by_role("checkbox", name=re.compile(r"^Limburg \(\d+\)$")).check()
    page.wait_for_function(f"b => b.textContent !== 'Toon {everything} resultaten'", arg=apply.element_handle())
    in_limburg = int(re.search(r"\d+", apply.inner_text()).group())
    assert 0 < in_limburg < everything  # the count of the choice, before it is applied
    apply.click()
    page.wait_for_url(re.compile(r"region=limburg.*#results-title$"))
    assert result_count(page) == in_limburg
    assert page.evaluate("window.scrollY") > 0 and -1 < page.evaluate(RESULTS_TOP) < 100  # at the results
    assert 0 <= page.evaluate(FIRST_CARD_TOP) < 844
    assert page.locator(".active-filters .chip-remove", has_text="Limburg").is_visible()
    assert " ".join(toggle.text_content().split()) == "Filters (1 actief)"  # one control, counting the chips
    assert axe_violations(page, impacts=None) == []

    toggle.click()  # closing without applying undoes the choice
    dialog.get_by_role("checkbox", name=re.compile(r"^Antwerpen \(\d+\)$")).check()
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.matches('summary.filters-toggle')")  # focus back on the control
    toggle.click()
    assert not dialog.get_by_role("checkbox", name=re.compile(r"^Antwerpen")).is_checked()
    assert dialog.get_by_role("checkbox", name=re.compile(r"^Limburg")).is_checked()


def test_the_filter_dialog_works_under_the_strict_csp(chromium, live_server):
    context = chromium.new_context(locale="nl-BE", **PHONE)  # the site's CSP applies: no bypass here
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server + "/zoeken?q=robot")
    page.locator("summary.filters-toggle").click()
    apply = page.get_by_role("dialog").locator("button[type=submit]")
    page.wait_for_function("b => /^Toon \\d+ resultaten$/.test(b.textContent)", arg=apply.element_handle())
    assert page.evaluate("window.__violations") == []
    context.close()


def test_without_javascript_the_filters_fold_open_above_the_results_and_land_at_them(chromium, live_server):
    context = chromium.new_context(locale="nl-BE", java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(live_server + "/zoeken?q=robot")
    assert 0 <= page.evaluate(FIRST_CARD_TOP) < 844
    limburg = page.get_by_role("checkbox", name=re.compile(r"^Limburg \(\d+\)$"))
    assert not limburg.is_visible()
    page.locator("summary.filters-toggle").click()
    assert limburg.is_visible()
    limburg.check()
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url(re.compile(r"region=limburg.*#results-title$"))  # the browser keeps the action's fragment
    assert page.evaluate("window.scrollY") > 0 and -1 < page.evaluate(RESULTS_TOP) < 100
    context.close()


def test_on_a_desktop_the_filters_stay_beside_the_results_and_the_keyboard_skips_them(chromium, live_server):
    context = chromium.new_context(locale="nl-BE", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/zoeken?q=robot")
    assert not page.locator("summary.filters-toggle").is_visible()
    limburg = page.get_by_role("checkbox", name=re.compile(r"^Limburg \(\d+\)$"))
    assert limburg.is_visible()  # open in the side column, no control to open it
    filters, results = page.locator("form.filters").bounding_box(), page.locator("#results-title").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]

    jump = page.locator(".jump-to-results a")
    assert jump.bounding_box()["width"] <= 1  # out of sight until it has focus
    page.locator("#header-q").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.jump-to-results a')"):
            break
    assert re.fullmatch(r"Naar de \d+ resultaten", jump.inner_text())
    box = jump.bounding_box()
    assert box["width"] > 50 and 0 <= box["y"] < 800  # shown where it has focus
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is in the results, past every filter
    assert page.evaluate("document.activeElement.closest('.results') !== null")
    context.close()


# A listing, its revision and a report full of what does not break by itself: a long word, address and URL.
LONG_WORD = "Wetenschapstechnologieingenieurswiskundeontdekkingsnamiddagen"
LONG_URL = "https://www.robotica-en-programmeren-voor-kinderen.example/aanbod/2027/zomer/kampen?inschrijven=ja&groep=9-12"
LONG_EMAIL = "inschrijvingen.zomerkampen.robotica@robotica-en-programmeren-voor-kinderen.example"


@pytest.fixture(scope="module")
def reflow_portal(databases, tmp_path_factory):
    """A portal of its own with both authorisation matrices' worlds and the long listing, served on loopback."""
    app = migrated_app(databases.fresh("stemwijzer_reflow"), tmp_path_factory.mktemp("reflow-index"))
    with app.app_context(), app.test_request_context():
        world = build_matrix_world()
        workplace = make_world()
        long = catalogue.create_listing(world.member_a, world.org_a, ListingInputFactory(
            title=f"{LONG_WORD} in Genk", summary=f"{LONG_WORD}: robots bouwen. Mail {LONG_EMAIL}.",
            description=f"{LONG_WORD}\n\nMeer op {LONG_URL}", provider_url=LONG_URL, contact_email=LONG_EMAIL))
        catalogue.submit_listing(world.member_a, long)
        catalogue.publish_listing(world.admin, long)
        revision = submissions.propose_revision(world.member_a, long, replace(
            codec.from_listing(long), provider_url=f"{LONG_URL}&{LONG_WORD.lower()}"))
        report = moderation.report_problem(None, long, f"{LONG_WORD} {LONG_URL} {LONG_EMAIL}", LONG_EMAIL)
        db.session.commit()
        ids = ids_of(world)
        paths = {rule.path.format(**ids) for (endpoint, method), rule in MATRIX.items() if method == "GET"}
        paths |= {url_for_route(app, endpoint, workplace) for endpoint, method in WORKPLACE_ROUTES if method == "GET"}
        paths |= {f"/aanbod/{long.slug}", f"/zoeken?q={LONG_WORD}", f"/organisaties/{world.org_a.slug}",
                  f"/mijn/aanbod/{long.id}", f"/moderatie/aanbod/{long.id}", f"/moderatie/wijzigingen/{revision.id}",
                  f"/moderatie/meldingen/{report.id}"}
        admin = world.admin.email
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "paths": sorted(paths), "admin": admin}
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("who", ["visitor", "admin"])
def test_no_page_scrolls_sideways_at_320_px(chromium, reflow_portal, who):
    context = chromium.new_context(locale="nl-BE", viewport={"width": 320, "height": 640}, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    base = reflow_portal["url"]
    if who == "admin":
        log_in(page, base, reflow_portal["admin"], PASSWORD)
    checked, too_wide = [], []
    for path in reflow_portal["paths"]:
        if not page.request.get(base + path).headers["content-type"].startswith("text/html"):
            continue  # feeds, downloads, JSON and the style sheet (the request shares the page's cookies)
        page.goto(base + path)
        checked.append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append((path, width))
    assert too_wide == []
    assert len(checked) >= 20 and f"/zoeken?q={LONG_WORD}" in checked
    context.close()
