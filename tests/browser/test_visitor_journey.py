"""A parent's journey in Chromium: home, search, filter, detail; with axe-core on every page."""

import re

import pytest
from sqlalchemy import select

from portal.catalogue.models import Listing
from portal.clock import today
from portal.extensions import db
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def result_count(page) -> int:
    return int(re.search(r"\d+", page.locator(".result-count").inner_text()).group())


def test_search_filter_and_open_a_listing_with_no_serious_accessibility_violations(browser_page, live_server):
    page = browser_page
    page.goto(live_server + "/")
    assert page.locator("h1").is_visible()
    assert axe_violations(page) == []

    page.locator("#home-q").fill("robot")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=robot"))
    all_robots = result_count(page)
    assert all_robots >= 3
    assert axe_violations(page) == []

    limburg = page.get_by_role("checkbox", name=re.compile(r"^Limburg \(\d+\)$"))
    assert limburg.is_visible()  # the province panel is open from the start, with counts
    limburg.check()
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url(re.compile(r"region=limburg"))
    in_limburg = result_count(page)
    assert 0 < in_limburg < all_robots
    assert page.locator(".active-filters .chip-remove", has_text="Limburg").is_visible()
    assert axe_violations(page) == []

    page.go_back()
    page.wait_for_url(re.compile(r"/zoeken\?q=robot$"))
    assert result_count(page) == all_robots
    page.go_forward()

    first = page.locator(".card-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/aanbod/"))
    assert page.locator("h1").inner_text() == title
    provider = page.locator("a.provider-link")
    assert provider.is_visible() and provider.get_attribute("href").startswith("http")
    assert axe_violations(page) == []

    page.locator(".key-facts a[href^='/organisaties/']").click()  # the organisation's page (its map has links too)
    page.wait_for_url(re.compile(r"/organisaties/"))
    assert axe_violations(page) == []


def test_keyboard_skip_link_and_phone_layout(chromium, live_server):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                   bypass_csp=True)
    page = context.new_page()
    for path in ("/", "/zoeken?q=kamp&age_group=primary", "/zoeken?q=zzzz"):
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone"
    assert axe_violations(page) == []  # the empty result page too

    # The results come first on a phone, and the filters fold behind one control: tests/browser/test_phone.py.
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    context.close()


def test_the_axe_check_does_catch_violations(browser_page):
    browser_page.set_content('<html lang="nl"><title>x</title><body><main><img src="a.png">'
                             '<button></button></main></body></html>')
    found = {violation["id"] for violation in axe_violations(browser_page)}
    assert {"image-alt", "button-name"} <= found


@pytest.mark.parametrize("path", ["/bestaat-niet", "/zoeken?q=robot&kind=charter_signatory&age_group=toddler",
                                  "/zoeken?q=robto", "/zoeken?region=limburg&age=9&sort=name", "/api/v1/docs"])
def test_other_pages_have_no_serious_accessibility_violations(browser_page, live_server, path):
    browser_page.goto(live_server + path)
    assert axe_violations(browser_page) == []


def test_a_past_listing_page_has_no_serious_accessibility_violations(browser_page, live_server, demo_app):
    with demo_app.app_context():
        past = next(listing for listing in db.session.scalars(select(Listing).where(Listing.status == "published"))
                    if listing.is_past(today()))
        slug = past.slug
    browser_page.goto(f"{live_server}/aanbod/{slug}")
    assert "afgelopen" in browser_page.locator(".notice").inner_text()
    assert axe_violations(browser_page) == []
