"""A real Chromium (Debian's package) driven by Playwright, against the demo portal served on loopback."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LEAFLET = Path(__file__).resolve().parents[2] / "portal" / "static" / "vendor" / "leaflet" / "leaflet.js"
# Chromium's own network chatter is refused on a closed machine; these flags keep it quiet.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    needed = (("chromium", CHROMIUM), ("axe-core (npm ci)", str(AXE)), ("the map library (make install-test)", str(LEAFLET)))
    missing = [what for what, path in needed if not os.path.exists(path)]
    if not missing:
        return
    if os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI"):
        raise pytest.UsageError(f"browser tests need {', '.join(missing)}; see the README")
    skip = pytest.mark.skip(reason=f"{', '.join(missing)} not installed (CI installs them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(demo_app):
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="nl-BE", bypass_csp=True)  # lets the test inject axe-core
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """WCAG 2.1 A/AA violations of these impacts (None: of any impact) that axe-core finds on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if impacts is None or v["impact"] in impacts
    ]


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(base_url + "/account/aanmelden")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/account/$"))
