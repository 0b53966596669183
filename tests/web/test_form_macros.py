"""The one form macro library (portal/templates/_forms.html): every form shows the linked error summary, and
the templates leave the choice of renderer to the caller, not to the field's class name."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.forms import csrf_token, log_in
from tests.world import build_world

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")
TEMPLATES = Path(__file__).resolve().parents[2] / "portal"


def soup_of(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def summary_links(response) -> list[str]:
    summary = soup_of(response).select_one("#fouten.error-summary[role=alert][tabindex='-1']")
    return [link["href"] for link in summary.select("li a")]


def test_the_login_and_registration_forms_link_their_errors_from_the_summary(client):
    page = "/account/aanmelden"
    response = client.post(page, data={"csrf_token": csrf_token(client, page), "email": "iemand@test.example"})
    assert summary_links(response) == ["#password"]
    page = "/account/registreren"
    response = client.post(page, data={"csrf_token": csrf_token(client, page), "email": "nieuw@test.example"})
    assert "#display_name" in summary_links(response)
    assert soup_of(response).select_one("#email")["value"] == "nieuw@test.example"  # what was typed stays


def test_the_charter_form_has_the_summary_and_the_shared_checkbox_groups(app, client):
    world = build_world()
    log_in(client, world.member_a)
    page = f"/mijn/organisaties/{world.org_a.slug}/charter"
    response = client.post(page, data={"csrf_token": csrf_token(client, page), "target_groups": "girls"})
    assert "#commitment" in summary_links(response)
    soup = soup_of(response)
    assert soup.select_one("#commitment")["aria-describedby"] == "commitment-hint commitment-error"
    boxes = soup.select("fieldset#target_groups.choices .check input[type=checkbox]")
    assert [box["value"] for box in boxes if box.has_attr("checked")] == ["girls"]


def test_no_template_picks_a_renderer_by_the_field_class_name():
    templates = list(TEMPLATES.rglob("*.html"))
    assert templates and not [path for path in templates if re.search(r"""["'][A-Z]\w*Field["']""", path.read_text())]
    assert not list(TEMPLATES.rglob("_form.html"))
