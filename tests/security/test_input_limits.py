"""Every limit lives in the services, so the write API and the import meet the form's: at most
MAX_LOCATIONS locations and each code once per listing; JSON nested past what the parser takes is a
refusal, not a 500."""

import pytest
from sqlalchemy import func, select

from portal.catalogue import fields, policy
from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing, Location
from portal.domain import DomainError
from portal.exchange import reading
from portal.extensions import db
from portal.organisations import services as organisations
from tests.api.test_write_api import RECORD, bearer, key_for
from tests.factories import OrganisationInputFactory
from tests.forms import new_user
from tests.world import build_world

LOCATION = {"address": "Kattevennen 19", "postcode": "3600", "municipality": "Genk"}


@pytest.fixture
def key(app):
    world = build_world()
    return key_for(world.member_a, world.org_a)


def _post(client, key, body):
    return client.post("/api/v1/listings", json=body, headers=bearer(key))


def test_the_api_refuses_more_locations_than_the_form_offers(client, key):
    before = db.session.scalar(select(func.count(Location.id)))
    response = _post(client, key, {**RECORD, "locations": [LOCATION] * 15000})
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert [d["message"] for d in details if d["field"] == "locations"] == [
        f"Je kunt hoogstens {fields.MAX_LOCATIONS} locaties opgeven."]
    assert len(details) < 5  # one message, not one per location
    assert db.session.scalar(select(func.count(Location.id))) == before


def test_the_limit_itself_is_accepted(client, key):
    response = _post(client, key, {**RECORD, "locations": [LOCATION] * fields.MAX_LOCATIONS})
    assert response.status_code == 201, response.get_json()
    listing = db.session.scalar(select(Listing).where(Listing.external_id == RECORD["id"]))
    assert len(listing.locations) == fields.MAX_LOCATIONS


def test_a_code_given_twice_is_refused(client, key):
    response = _post(client, key, {**RECORD, "themes": ["ai"] * 5000})
    assert response.status_code == 422
    assert [d["message"] for d in response.get_json()["error"]["details"] if d["field"] == "themes"] == [
        "Elke waarde mag maar één keer voorkomen."]


DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_is_a_refusal_not_a_500(client, key):
    response = client.post("/api/v1/listings", data=DEEP, content_type="application/json", headers=bearer(key))
    assert response.status_code == 400 and "JSON-object" in response.get_json()["error"]["message"]


def test_a_deeply_nested_import_file_is_a_refusal_not_a_500(tmp_path):
    with pytest.raises(reading.FileProblem, match="te diep genest"):
        reading.read_json(tmp_path / "catalogus.json", '{"format": ' + DEEP + "}")


def test_an_organisation_has_a_quota_of_listings_waiting_for_a_moderator(app, client, monkeypatch):
    monkeypatch.setattr(policy, "MAX_PENDING_PER_ORGANISATION", 3)
    world = build_world()  # one of A's listings waits already
    key = key_for(world.member_a, world.org_a)
    answers = [client.post("/api/v1/listings", json={**RECORD, "id": f"sterren-{n}"}, headers=bearer(key))
               for n in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 409]
    assert "wacht al 3 aanbod" in answers[2].get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(Listing.id)).where(Listing.external_id == "sterren-2")) == 0
    draft = db.session.get(Listing, world.draft.id)
    with pytest.raises(DomainError):
        catalogue.submit_listing(world.member_a, draft)
    catalogue.submit_listing(world.admin, draft)  # moderators are not held back


def test_api_keys_are_for_verified_organisations_only(app, client):
    owner = new_user("eigenaar@test.example")
    with app.test_request_context():
        unverified = catalogue.create_organisation(owner, OrganisationInputFactory(name="Nog niet geverifieerd"))
        db.session.flush()
        with pytest.raises(DomainError, match="geverifieerde organisaties"):
            organisations.create_api_token(owner, unverified, "Koppeling")
    world = build_world()
    key = key_for(world.member_a, world.org_a)
    world.org_a.verified_at = None  # a key made before: it stops working with the verification
    db.session.commit()
    assert _post(client, key, RECORD).status_code in (401, 403)
