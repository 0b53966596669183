"""Organisation API keys (made and revoked in the dashboard) and writing listings through /api/v1 with them:
the same services and moderation as the HTML forms, and nothing for a session cookie without a key."""

from __future__ import annotations

import hashlib

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing, ListingStatusChange
from portal.extensions import db
from portal.organisations import services as organisations
from portal.organisations.models import ApiToken
from portal.submissions.models import ListingRevision
from tests.forms import csrf_token, log_in
from tests.world import build_world

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")

RECORD = {
    "id": "sterren-1", "kind": "activity", "title": "Sterrenkijkers junior",
    "summary": "Elke maand samen naar sterren en planeten kijken met een echte telescoop.",
    "provider_url": "https://sterren.example/junior", "min_age": 8, "max_age": 12,
    "target_groups": ["everyone"], "disciplines": ["science"], "formats": ["club"], "cost": "free",
    "schedule": "periodic", "start_date": "2026-09-16", "end_date": "2027-06-30",
    "locations": [{"address": "Kattevennen 19", "postcode": "3600", "municipality": "Genk"}],
}


@pytest.fixture
def world(app):
    return build_world()


def key_for(user, organisation) -> str:
    _token, raw = organisations.create_api_token(user, organisation, "test")
    db.session.commit()
    return raw


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def search_slugs(client, q: str) -> list[str]:
    return [card["slug"] for card in client.get(f"/api/v1/listings?q={q}").get_json()["results"]]


def state() -> tuple:
    return (db.session.execute(select(Listing.id, Listing.status, Listing.title).order_by(Listing.id)).all(),
            db.session.scalar(select(func.count(ListingRevision.id))),
            db.session.scalar(select(func.count(ListingStatusChange.id))))


# Keys in the dashboard

def test_a_member_makes_a_key_that_is_shown_once_and_stored_as_a_hash(app, client, world):
    log_in(client, world.member_a)
    path = f"/mijn/organisaties/{world.org_a.slug}"
    response = client.post(f"{path}/api-sleutels", data={"csrf_token": csrf_token(client, path),
                                                         "name": "Koppeling website"})
    assert response.status_code == 200
    shown = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("code.api-token").get_text()
    assert shown.startswith("stemw_") and len(shown) > 40
    token = db.session.scalar(select(ApiToken))
    assert token.name == "Koppeling website" and token.created_by_id == world.member_a.id
    assert token.token_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in {str(value) for value in db.session.execute(select(ApiToken.__table__)).one()}
    again = client.get(path).get_data(as_text=True)
    assert "Koppeling website" in again and shown not in again and "nog niet" in again


def test_a_key_needs_a_name(client, world):
    log_in(client, world.member_a)
    path = f"/mijn/organisaties/{world.org_a.slug}"
    response = client.post(f"{path}/api-sleutels", data={"csrf_token": csrf_token(client, path), "name": " "})
    assert response.status_code == 400 and "Dit veld is verplicht." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_a_revoked_key_gets_401_and_its_last_use_was_recorded(app, client, world):
    raw = key_for(world.member_a, world.org_a)
    assert client.post("/api/v1/listings", json=RECORD, headers=bearer(raw)).status_code == 201
    token = db.session.scalar(select(ApiToken))
    assert token.last_used_at is not None
    log_in(client, world.member_a)
    path = f"/mijn/organisaties/{world.org_a.slug}"
    response = client.post(f"{path}/api-sleutels/{token.id}/intrekken", data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.session.expire_all()
    assert token.revoked_at is not None and token.revoked_by_id == world.member_a.id
    response = app.test_client().post("/api/v1/listings", json={**RECORD, "id": "x"}, headers=bearer(raw))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_member_of_b_cannot_revoke_a_key_of_a(client, world):
    key_for(world.member_a, world.org_a)
    token = db.session.scalar(select(ApiToken))
    log_in(client, world.member_b)
    path = f"/mijn/organisaties/{world.org_b.slug}"
    response = client.post(f"/mijn/organisaties/{world.org_a.slug}/api-sleutels/{token.id}/intrekken",
                           data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 403
    db.session.expire_all()
    assert token.is_active


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer stemw_onbekend", "Basic c3RlbXc6eA==", "Token abc"])
def test_unknown_or_missing_keys_get_401(client, world, header):
    before = state()
    response = client.post("/api/v1/listings", json=RECORD, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"].startswith("Geef een geldige API-sleutel")
    assert state() == before


def test_a_key_stops_working_when_its_maker_leaves_the_organisation(client, world):
    raw = key_for(world.member_a, world.org_a)
    for membership in list(world.member_a.memberships):
        db.session.delete(membership)
    db.session.commit()
    assert client.post("/api/v1/listings", json=RECORD, headers=bearer(raw)).status_code == 401


# Writing listings

def test_a_new_listing_waits_for_moderation_and_is_not_searchable_until_approved(app, client, world):
    raw = key_for(world.member_a, world.org_a)
    response = client.post("/api/v1/listings", json=RECORD, headers=bearer(raw))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending" and body["id"] == "sterren-1" and not body["pending_revision"]
    listing = db.session.scalar(select(Listing).where(Listing.slug == body["slug"]))
    assert listing.organisation_id == world.org_a.id and listing.locations[0].municipality_code == "71016"
    assert [change.actor_id for change in listing.status_changes] == [world.member_a.id, world.member_a.id]
    assert search_slugs(client, "sterrenkijkers") == []
    assert client.get(f"/api/v1/listings/{listing.slug}").status_code == 404
    admin = app.test_client()
    log_in(admin, world.admin)
    assert "Sterrenkijkers junior" in admin.get("/moderatie").get_data(as_text=True)


def test_an_update_of_a_published_listing_is_a_revision_and_the_live_version_stays(app, client, world):
    raw = key_for(world.member_a, world.org_a)
    live = world.published
    response = client.patch(f"/api/v1/listings/{live.slug}", json={"title": "Robotles vernieuwd"},
                            headers=bearer(raw))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "published" and response.get_json()["pending_revision"]
    db.session.expire_all()
    assert live.title == "Robotles published"
    revision = db.session.scalar(select(ListingRevision))
    assert revision.status == "pending" and revision.data["title"] == "Robotles vernieuwd"
    assert revision.data["summary"] == live.summary  # PATCH kept the other fields
    assert search_slugs(client, "published") == [live.slug]
    assert client.get(f"/api/v1/listings/{live.slug}").get_json()["title"] == "Robotles published"


def test_put_replaces_a_draft_in_place_and_submit_sends_it_to_moderation(client, world):
    raw = key_for(world.member_a, world.org_a)
    draft = world.draft
    response = client.put(f"/api/v1/listings/{draft.slug}", json={**RECORD, "slug": "andere-naam"},
                          headers=bearer(raw))
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert draft.status == "draft" and draft.title == "Sterrenkijkers junior" and draft.slug != "andere-naam"
    response = client.post(f"/api/v1/listings/{draft.slug}/submit", headers=bearer(raw))
    assert response.status_code == 200 and response.get_json()["status"] == "pending"
    response = client.patch(f"/api/v1/listings/{draft.slug}", json={"title": "Nog eens"}, headers=bearer(raw))
    assert response.status_code == 409  # pending: withdraw first, as on the form


def test_a_key_of_b_cannot_touch_the_listings_of_a(client, world):
    catalogue.verify_organisation(world.admin, world.org_b)  # keys are for verified organisations only
    raw = key_for(world.member_b, world.org_b)
    before = state()
    for listing in (world.draft, world.published, world.rejected):
        assert client.patch(f"/api/v1/listings/{listing.slug}", json={"title": "Gekaapt"},
                            headers=bearer(raw)).status_code == 404
        assert client.put(f"/api/v1/listings/{listing.slug}", json=RECORD, headers=bearer(raw)).status_code == 404
        assert client.post(f"/api/v1/listings/{listing.slug}/submit", headers=bearer(raw)).status_code == 404
    db.session.expire_all()
    assert state() == before


def test_a_session_cookie_without_a_key_cannot_write(app, client, world):
    log_in(client, world.member_a)
    before = state()
    assert client.post("/api/v1/listings", json=RECORD).status_code == 401
    assert client.patch(f"/api/v1/listings/{world.draft.slug}", json={"title": "X"}).status_code == 401
    assert client.post(f"/api/v1/listings/{world.draft.slug}/submit").status_code == 401
    db.session.expire_all()
    assert state() == before


@pytest.mark.parametrize("body, field, message", [
    ({**RECORD, "themes": ["ruimtevaart"]}, "themes", "Onbekende waarde: ruimtevaart"),
    ({**RECORD, "min_age": "acht"}, "min_age", ""),
    ({**RECORD, "title": None}, "title", "Dit veld is verplicht."),
    ({**RECORD, "kleur": "blauw"}, "kleur", "Onbekend veld."),
    ({**RECORD, "min_age": 14, "max_age": 8}, "max_age", ""),
])
def test_invalid_records_get_422_with_dutch_messages_per_field(client, world, body, field, message):
    raw = key_for(world.member_a, world.org_a)
    before = state()
    response = client.post("/api/v1/listings", json=body, headers=bearer(raw))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith("Het aanbod is niet bewaard")
    assert any(d["field"] == field and message in d["message"] for d in error["details"]), error["details"]
    db.session.expire_all()
    assert state() == before


def test_a_body_that_is_no_json_object_gets_400_and_changes_nothing(client, world):
    raw = key_for(world.member_a, world.org_a)
    before = state()
    for data, content_type in (("{niet json", "application/json"), ("[1, 2]", "application/json"),
                               ("title=x", "application/x-www-form-urlencoded")):
        response = client.post("/api/v1/listings", data=data, content_type=content_type, headers=bearer(raw))
        assert response.status_code == 400 and "JSON-object" in response.get_json()["error"]["message"]
        response = client.patch(f"/api/v1/listings/{world.draft.slug}", data=data, content_type=content_type,
                                headers=bearer(raw))
        assert response.status_code == 400
    db.session.expire_all()
    assert state() == before


def test_a_member_cannot_make_a_charter_signatory_listing(client, world):
    raw = key_for(world.member_a, world.org_a)
    response = client.post("/api/v1/listings", json={**RECORD, "kind": "charter_signatory"}, headers=bearer(raw))
    assert response.status_code == 422 and response.get_json()["error"]["details"][0]["field"] == "kind"


def test_writes_are_rate_limited_per_key(app, client, world):
    raw, other = key_for(world.member_a, world.org_a), key_for(world.member_a, world.org_a)
    app.config["API_WRITE_LIMIT"] = "2 per minute"
    try:
        codes = [client.post(f"/api/v1/listings/{world.draft.slug}/submit", headers=bearer(raw)).status_code
                 for _ in range(3)]
        assert codes[:2] != [429, 429] and codes[2] == 429
        assert client.get("/api/v1/listings").status_code == 200  # reading is not limited
        assert client.post(f"/api/v1/listings/{world.rejected.slug}/submit", headers=bearer(other)).status_code == 200
    finally:
        app.config["API_WRITE_LIMIT"] = "60 per minute"


@pytest.mark.parametrize("state", ["draft", "pending", "published", "rejected", "archived"])
def test_the_write_api_and_the_edit_page_allow_changes_in_the_same_states(client, world, state):
    if state == "archived":
        listing = world.draft
        catalogue.archive_listing(world.member_a, listing)
        db.session.commit()
    else:
        listing = getattr(world, state)
    raw = key_for(world.member_a, world.org_a)
    api = client.patch(f"/api/v1/listings/{listing.slug}", json={"title": "Robotles anders"}, headers=bearer(raw))
    log_in(client, world.member_a)
    page = client.get(f"/mijn/aanbod/{listing.id}/bewerken")
    page_allows, api_allows = page.status_code == 200, api.status_code == 200
    assert page_allows == api_allows == (state in ("draft", "published", "rejected")), (page.status_code, api.status_code)
    if not api_allows:
        assert api.status_code == 409 and page.status_code == 302
