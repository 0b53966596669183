"""An organisation keeps its listing's availability up to date: the quick change applies at once, also to a
published listing, without a moderator, and is in the audit trail; parents see the badge (issue 10, item 7)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.catalogue.models import Listing
from portal.clock import today
from portal.extensions import db
from portal.submissions.models import ListingRevision
from tests.forms import csrf_token, log_in
from tests.web.test_submission_pages import form_data
from tests.world import build_world

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def member(client, world):
    log_in(client, world.member_a)
    return client


def set_availability(client, listing, **values):
    url = f"/mijn/aanbod/{listing.id}/beschikbaarheid"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "save": "y", **values})


def test_marking_a_published_listing_full_applies_at_once_without_a_revision(member, world):
    listing = world.published
    detail = member.get(f"/mijn/aanbod/{listing.id}").get_data(as_text=True)
    assert f'href="/mijn/aanbod/{listing.id}/beschikbaarheid"' in detail

    response = set_availability(member, listing, availability="full", waiting_list="y")
    assert response.status_code == 302 and response.location.endswith(f"/mijn/aanbod/{listing.id}")
    db.session.expire_all()
    assert (listing.availability, listing.waiting_list, listing.status) == ("full", True, "published")
    assert db.session.scalar(select(ListingRevision).where(ListingRevision.listing_id == listing.id)) is None
    change = listing.status_changes[-1]
    assert change.actor == world.member_a and change.availability["availability"] == "full"
    history = member.get(f"/mijn/aanbod/{listing.id}").get_data(as_text=True)
    assert "Beschikbaarheid: Volzet, wachtlijst open" in history

    public = BeautifulSoup(member.get(f"/aanbod/{listing.slug}").get_data(as_text=True), "html.parser")
    assert public.select_one(".listing .availability-full").get_text() == "Volzet, wachtlijst open"
    results = BeautifulSoup(member.get("/zoeken?q=robotles").get_data(as_text=True), "html.parser")
    assert results.select_one(".card .availability").get_text() == "Volzet, wachtlijst open"


def test_a_postponement_shows_its_new_date_and_an_inconsistent_change_is_refused(member, world):
    listing = world.published
    response = set_availability(member, listing, availability="available", postponed_to="2027-03-12")
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Een nieuwe datum geef je alleen bij uitgesteld aanbod." in page.select_one("#postponed_to-error, "
                                                                                     ".field-invalid").get_text()
    db.session.expire_all()
    assert listing.availability == "available" and len(listing.status_changes) == 3  # created, submitted, published

    new_date = today() + timedelta(days=300)
    assert set_availability(member, listing, availability="postponed",
                            postponed_to=new_date.isoformat()).status_code == 302
    public = member.get(f"/aanbod/{listing.slug}").get_data(as_text=True)
    assert f"Uitgesteld naar {new_date.day} " in public


def test_a_listing_waiting_for_a_moderator_keeps_its_availability(member, world):
    response = set_availability(member, world.pending, availability="cancelled")
    assert response.status_code == 302
    db.session.expire_all()
    assert world.pending.availability == "available"
    page = member.get(response.location).get_data(as_text=True)
    assert "kun je niet wijzigen" in page


def filled_in(soup) -> MultiDict:
    """What the browser sends for the listing form as the page shows it."""
    data = MultiDict()
    form = soup.select_one("form.listing-form")
    for field in form.select("input"):
        kind = field.get("type", "text")
        if kind in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data.add(field["name"], field["value"])
        elif kind != "submit":
            data.add(field["name"], field.get("value", ""))
    for textarea in form.select("textarea"):
        data.add(textarea["name"], textarea.get_text())
    return data


def test_changing_only_the_availability_in_the_full_form_needs_no_moderator(member, world):
    listing = world.published
    url = f"/mijn/aanbod/{listing.id}/bewerken"
    data = filled_in(BeautifulSoup(member.get(url).get_data(as_text=True), "html.parser"))
    data.setlist("availability", ["few_left"])
    data.setlist("remaining_places", ["4"])
    data.add("propose", "y")
    response = member.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert (listing.availability, listing.remaining_places) == ("few_left", 4)
    assert db.session.scalar(select(ListingRevision).where(ListingRevision.listing_id == listing.id)) is None
    assert "Nog 4 plaatsen vrij" in member.get(f"/aanbod/{listing.slug}").get_data(as_text=True)


def test_the_listing_form_asks_for_whom_and_for_the_availability(member, world):
    soup = BeautifulSoup(member.get(f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}").get_data(as_text=True),
                         "html.parser")
    assert {box["value"] for box in soup.select("input[name=audience]")} == {"youth", "professionals"}
    assert {box["value"] for box in soup.select("input[name=availability]")} == {
        "available", "few_left", "full", "cancelled", "postponed"}
    url = f"/mijn/aanbod/nieuw?organisatie={world.org_a.slug}"
    response = member.post(url, data=form_data(csrf_token(member, url), audience="professionals"))
    assert response.status_code == 302
    saved = db.session.scalar(select(Listing).where(Listing.title == "Sterrenkijkers junior"))
    assert (saved.audience, saved.availability) == ("professionals", "available")
