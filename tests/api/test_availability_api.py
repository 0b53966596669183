"""Audience and availability through the API: read on every listing and card, written with an API key; a
published listing's availability changes at once, without a revision (issue 10, items 6-7)."""

import pytest

from portal.extensions import db
from portal.submissions.models import ListingRevision
from tests.api.test_write_api import bearer, key_for
from tests.world import build_world

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")


@pytest.fixture
def world(app):
    return build_world()


def test_patching_the_availability_of_a_published_listing_applies_at_once(client, world):
    raw = key_for(world.member_a, world.org_a)
    live = world.published
    response = client.patch(f"/api/v1/listings/{live.slug}", headers=bearer(raw),
                            json={"availability": "few_left", "remaining_places": 2})
    assert response.status_code == 200 and response.get_json()["pending_revision"] is False
    assert db.session.query(ListingRevision).count() == 0
    shown = client.get(f"/api/v1/listings/{live.slug}").get_json()
    assert (shown["availability"], shown["remaining_places"], shown["waiting_list"], shown["postponed_to"]) == (
        "few_left", 2, False, None)
    assert shown["audience"] == "youth"
    card = client.get("/api/v1/listings?q=robotles").get_json()["results"][0]
    assert (card["availability"], card["audience"]) == ("few_left", "youth")


def test_a_change_of_content_and_availability_together_splits_into_a_live_change_and_a_revision(client, world):
    raw = key_for(world.member_a, world.org_a)
    live = world.published
    response = client.patch(f"/api/v1/listings/{live.slug}", headers=bearer(raw),
                            json={"availability": "full", "title": "Robotles vernieuwd"})
    assert response.status_code == 200 and response.get_json()["pending_revision"] is True
    db.session.expire_all()
    assert (live.availability, live.title) == ("full", "Robotles published")  # the title waits for a moderator
    revision = db.session.query(ListingRevision).one()
    assert revision.data["title"] == "Robotles vernieuwd" and revision.data["availability"] == "full"


def test_inconsistent_availability_is_refused_with_a_dutch_message(client, world):
    raw = key_for(world.member_a, world.org_a)
    response = client.patch(f"/api/v1/listings/{world.published.slug}", headers=bearer(raw),
                            json={"availability": "available", "waiting_list": True})
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert {"field": "waiting_list", "message": "Een wachtlijst kan alleen bij volzet aanbod."} in details


def test_the_search_api_filters_on_audience_and_lists_the_codes(client, world):
    assert client.get("/api/v1/listings?audience=ouders").status_code == 400
    vocabularies = client.get("/api/v1/vocabularies").get_json()
    assert [term["code"] for term in vocabularies["audience"]] == ["youth", "professionals"]
    assert [term["code"] for term in vocabularies["availability"]] == [
        "available", "few_left", "full", "cancelled", "postponed"]
