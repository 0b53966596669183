"""The map in Chromium: the parent's journey on a phone (search "robot hasselt", pick the krokusvakantie, see the
results on the map, open one from the list and one from a marker by keyboard), with axe finding nothing on the search
and listing pages with their maps; open beside the list on a desktop; under the strict CSP; no sideways scrolling at
320 px; and without JavaScript the list alone, no empty box."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_phone import PHONE
from tests.browser.test_structured_data_csp import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser

MARKERS = ".map-slot .leaflet-marker-icon[role=button]"
FOCUSED = "document.activeElement"


def markers_drawn(page) -> int:
    page.wait_for_selector(MARKERS)
    page.wait_for_function("document.querySelectorAll('.leaflet-outline-pane path').length > 300")  # the outline
    return page.locator(MARKERS).count()


def points_on_map(page) -> int:
    """The locations the markers stand for: one per pin, a group's number for a group."""
    groups = page.locator(f"{MARKERS}.map-group").all_inner_texts()
    return page.locator(f"{MARKERS}.map-pin").count() + sum(int(text) for text in groups)


def tab_to(page, predicate: str, limit: int = 40) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate (of `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})({FOCUSED})"):
            return
    raise AssertionError(f"no element with {predicate} in {limit} tabs")


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(locale="nl-BE", bypass_csp=True, **PHONE)  # bypass_csp lets the test inject axe
    yield context.new_page()
    context.close()


def test_the_parent_journey_on_a_phone_with_the_map(phone, live_server):
    page = phone
    page.goto(live_server + "/")
    page.locator("#home-q").fill("robot hasselt")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=robot\+hasselt"))
    page.locator("summary.filters-toggle").click()
    dialog = page.get_by_role("dialog", name="Verfijn")
    krokus = dialog.locator("#search-when option", has_text="Krokusvakantie").get_attribute("value")
    dialog.get_by_label("Periode").select_option(krokus)
    dialog.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"when=krokusvakantie.*#results-title$"))
    cards = page.locator(".card-title a")
    assert cards.count() >= 2
    assert page.locator(".map").count() == 0  # on a phone the results come first, the map on request

    toggle = page.locator(".map-toggle")
    assert toggle.inner_text() == "Toon op de kaart" and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "Verberg de kaart"
    assert page.get_by_role("region", name="Kaart van de resultaten").is_visible()
    assert markers_drawn(page) >= 1
    assert points_on_map(page) == cards.count()  # every result here has one location
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page, impacts=None) == []

    # a result from a marker, by keyboard: Enter opens its popup and puts the focus on its link
    toggle.focus()
    tab_to(page, "el.matches('.map-pin')")
    marker_label = page.evaluate(f"{FOCUSED}.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a[href^='/aanbod/']")
    assert link.is_visible()
    assert page.evaluate(f"{FOCUSED}.matches('.leaflet-popup a[href^=\"/aanbod/\"]')")
    title = link.inner_text()
    assert marker_label.endswith(f": {title}")
    assert axe_violations(page, impacts=None) == []
    page.keyboard.press("Escape")  # closes it, and the focus goes back to the marker
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate(f"{FOCUSED}.getAttribute('aria-label')") == marker_label
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # on the popup's link
    page.wait_for_url(re.compile(r"/aanbod/"))
    assert page.locator("h1").inner_text() == title
    detail_map = page.get_by_role("region", name="Kaart van de plaatsen van dit aanbod")
    assert detail_map.is_visible() and markers_drawn(page) >= 1
    assert axe_violations(page, impacts=None) == []

    # a result from the list
    page.go_back()
    first = page.locator(".card-title a").first
    first_title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/aanbod/"))
    assert page.locator("h1").inner_text() == first_title


@pytest.mark.parametrize("query", ["robot", "robot genk"])
def test_a_group_zooms_in_or_lists_its_offers_by_keyboard(phone, live_server, query):
    """Enter on a group zooms in and focuses the nearest marker, until a marker opens its popup or a group that no
    zoom splits (offers at one address) lists its offers; the focus is then on the popup's first link."""
    page = phone
    page.goto(live_server + "/zoeken?q=" + query.replace(" ", "+"))
    page.get_by_role("button", name="Toon op de kaart").click()
    markers_drawn(page)
    page.locator(".map-toggle").focus()
    tab_to(page, "el.matches('.map-group')")
    count = int(page.evaluate(f"{FOCUSED}.innerText"))
    label = page.evaluate(f"{FOCUSED}.getAttribute('aria-label')")
    assert label in (f"{count} resultaten hier, inzoomen", f"{count} resultaten op deze plek, toon de lijst")
    one_place = label.endswith("toon de lijst")
    zoomed = 0
    for _ in range(8):
        page.keyboard.press("Enter")
        page.wait_for_timeout(800)  # the zoom's animation
        if page.locator(".leaflet-popup").count():
            break
        zoomed += 1
        assert page.evaluate(f"{FOCUSED}.matches('.leaflet-marker-icon')")  # the focus stays on the map
    assert page.evaluate(f"{FOCUSED}.matches('.leaflet-popup a[href^=\"/aanbod/\"]')")
    if one_place:  # a group no zoom splits: its list at once ("robot genk" always starts with one)
        assert zoomed == 0 and page.locator(".leaflet-popup .map-popup-list a").count() >= 2
    else:
        assert zoomed >= 1
    assert one_place or query != "robot genk"
    assert axe_violations(page, impacts=None) == []
    page.keyboard.press("Escape")  # back to the marker that opened it, and Enter opens it again
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate(f"{FOCUSED}.matches('.leaflet-marker-icon')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup a[href^='/aanbod/']")
    assert page.evaluate(f"{FOCUSED}.matches('.leaflet-popup a[href^=\"/aanbod/\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/aanbod/"))


def test_on_a_desktop_the_map_stands_open_above_the_list(chromium, live_server):
    context = chromium.new_context(locale="nl-BE", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/zoeken?q=robot")
    toggle = page.get_by_role("button", name="Verberg de kaart")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert markers_drawn(page) >= 5
    assert points_on_map(page) >= 40  # the results of every page, not the twenty of the first
    box, card = page.locator(".map").bounding_box(), page.locator(".card").first.bounding_box()
    assert box["y"] + box["height"] <= card["y"] and box["width"] > 600
    toggle.click()
    assert not page.locator(".map").is_visible()
    assert page.locator(".map-toggle").inner_text() == "Toon op de kaart"
    context.close()


def test_the_maps_work_under_the_strict_csp(chromium, live_server):
    context = chromium.new_context(locale="nl-BE", viewport={"width": 1366, "height": 900})  # no bypass here
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server + "/zoeken?q=robot+hasselt")
    assert markers_drawn(page) >= 1
    page.locator(".card-title a").first.click()
    page.wait_for_url(re.compile(r"/aanbod/"))
    assert markers_drawn(page) >= 1
    assert page.evaluate("window.__violations") == []
    context.close()


@pytest.mark.parametrize("path", ["/zoeken?q=robot+hasselt", "/aanbod/stem-academie-robotclub-schachtwiel-genk"])
def test_no_sideways_scrolling_at_320_px_with_the_map(chromium, live_server, path):
    context = chromium.new_context(locale="nl-BE", viewport={"width": 320, "height": 640}, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    page.goto(live_server + path)
    toggle = page.get_by_role("button", name="Toon op de kaart")
    if toggle.count():
        toggle.click()
    markers_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_without_javascript_the_page_is_the_list_and_no_map_box(chromium, live_server):
    context = chromium.new_context(locale="nl-BE", java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    for path in ("/zoeken?q=robot+hasselt", "/aanbod/stem-academie-robotclub-schachtwiel-genk"):
        page.goto(live_server + path)
        slot = page.locator(".map-slot")
        assert slot.count() == 1 and slot.inner_html() == ""
        assert slot.bounding_box()["height"] == 0
        assert page.locator(".leaflet-container, .map-toggle").count() == 0
    page.goto(live_server + "/zoeken?q=robot+hasselt")
    assert page.locator(".card").count() >= 3
    context.close()
