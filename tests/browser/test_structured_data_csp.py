"""JSON-LD is data, not script: the strict Content-Security-Policy lets it be, and a real Chromium reports no
violation on listing and organisation pages (while it does report an inline script, the control)."""

import json

import pytest
from sqlalchemy import select

from portal.catalogue.models import Listing
from portal.extensions import db

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
"""


@pytest.fixture
def strict_page(chromium):
    context = chromium.new_context(locale="nl-BE")  # the site's CSP applies: no bypass here
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    yield page, messages
    context.close()


@pytest.fixture(scope="module")
def event_slug(demo_app):
    with demo_app.app_context():
        return db.session.scalars(
            select(Listing.slug).where(Listing.status == "published", Listing.schedule == "once")).first()


def test_json_ld_passes_the_strict_csp(strict_page, live_server, demo_app, event_slug):
    page, messages = strict_page
    for path in (f"/aanbod/{event_slug}", "/organisaties/lim-robotclub-schachtwiel-genk"):
        response = page.goto(live_server + path)
        assert "script-src" not in response.headers["content-security-policy"]  # default-src 'self' governs
        data = json.loads(page.eval_on_selector("script[type='application/ld+json']", "node => node.textContent"))
        assert data["@context"] == "https://schema.org"
        assert page.evaluate("window.__violations") == []
    assert not [text for text in messages if "Content Security Policy" in text]


def test_the_control_an_inline_script_is_reported(strict_page, live_server, event_slug):
    page, messages = strict_page
    page.goto(live_server + f"/aanbod/{event_slug}")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                              document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__violations").count("script-src-elem") == 1
    assert page.evaluate("window.ran") is None
