"""The JSON API on the demo catalogue: the same search as the HTML page, strict parameters, JSON errors, CORS."""

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.catalogue import services, vocab
from portal.catalogue.models import Listing
from portal.extensions import db
from tests.conftest import migrated_app
from tests.factories import OrganisationInputFactory, make_user


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def html_slugs(client, url):
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    total = int(re.search(r"\d+", soup.select_one(".result-count").get_text()).group())
    return [a["href"].removeprefix("/aanbod/") for a in soup.select(".card-title a")], total


@pytest.mark.parametrize("query", [
    "q=robot", "q=robot&region=limburg&age_group=primary", "kind=activity&sort=name&page=2",
    "theme=climate&theme=energy&cost=free", "age=9&sort=newest", "region=limburg&municipality=71016",
])
def test_search_answers_what_the_search_page_shows(demo_client, query):
    slugs, total = html_slugs(demo_client, f"/zoeken?{query}")
    data = get_json(demo_client, f"/api/v1/listings?{query}")
    assert [result["slug"] for result in data["results"]] == slugs
    assert data["total"] == total
    assert all("<" not in result["title"] for result in data["results"])


def test_facets_are_the_search_pages_counts(demo_client):
    soup = BeautifulSoup(demo_client.get("/zoeken?q=robot&region=limburg").get_data(as_text=True), "html.parser")
    data = get_json(demo_client, "/api/v1/listings?q=robot&region=limburg")
    for value in data["facets"]["kind"]:
        label = soup.select_one(f"label[for=f-kind-{value['code']}]").get_text()
        assert f"({value['count']})" in label
    assert {v["code"] for v in data["facets"]["region"] if v["selected"]} == {"limburg"}
    assert data["facets"]["municipality"], "a single province offers its municipalities"


@pytest.mark.parametrize("query, parameter", [
    ("kind=museum", "kind"), ("age=negen", "age"), ("age=-1", "age"), ("age=150", "age"), ("sort=random", "sort"),
    ("page=0", "page"), ("page=twee", "page"), ("page=", "page"), ("page=99999999999", "page"), ("per_page=1000", "per_page"), ("municipality=99999", "municipality"),
    ("theme=climate&theme=weather", "theme"),
])
def test_bad_parameters_get_a_400_that_names_them_in_dutch(demo_client, query, parameter):
    error = get_json(demo_client, f"/api/v1/listings?{query}", 400)["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    assert [detail["parameter"] for detail in error["details"]] == [parameter]
    assert "ongeldig" in error["message"]


def test_a_page_past_the_end_is_empty_with_a_message(demo_client):
    data = get_json(demo_client, "/api/v1/listings?q=robot&page=999999")
    assert data["results"] == [] and data["total"] > 0
    assert "bestaat niet" in data["message"]


def test_listing_detail_and_not_found(demo_client):
    first = get_json(demo_client, "/api/v1/listings?kind=activity")["results"][0]
    detail = get_json(demo_client, first["api_url"].removeprefix("http://localhost"))
    assert detail["slug"] == first["slug"] and detail["kind"] == "activity"
    assert detail["organisation"]["verified"] is True
    error = get_json(demo_client, "/api/v1/listings/bestaat-niet", 404)["error"]
    assert error == {"status": 404, "code": "not_found", "message": "Dit aanbod bestaat niet (meer)."}
    assert get_json(demo_client, "/api/v1/nergens", 404)["error"]["code"] == "not_found"


def test_unpublished_listings_stay_hidden(demo_app, demo_client):
    with demo_app.app_context():
        pending = db.session.scalars(select(Listing.slug).where(Listing.status == "pending")).first()
    assert pending
    get_json(demo_client, f"/api/v1/listings/{pending}", 404)


def test_only_verified_organisations_are_listed(client):
    admin = make_user("moderator@test.example", is_admin=True)
    hidden = services.create_organisation(admin, OrganisationInputFactory(name="Nog niet geverifieerd"))
    for number in range(3):
        shown = services.create_organisation(admin, OrganisationInputFactory(name=f"Geverifieerd {number}"))
        services.verify_organisation(admin, shown)
    db.session.commit()
    get_json(client, f"/api/v1/organisations/{hidden.slug}", 404)
    first = get_json(client, "/api/v1/organisations?per_page=2")
    second = get_json(client, "/api/v1/organisations?per_page=2&page=2")
    assert first["total"] == 3 and first["page_count"] == 2
    assert [o["name"] for o in first["results"] + second["results"]] == [f"Geverifieerd {n}" for n in range(3)]
    assert get_json(client, "/api/v1/organisations?page=50")["results"] == []


def test_organisation_detail_lists_its_published_offers(demo_client):
    first = get_json(demo_client, "/api/v1/organisations?per_page=5")["results"][0]
    detail = get_json(demo_client, f"/api/v1/organisations/{first['slug']}")
    assert detail["name"] == first["name"]
    html = demo_client.get(f"/organisaties/{first['slug']}").get_data(as_text=True)
    assert all(f"/aanbod/{card['slug']}" in html for card in detail["listings"] + detail["past_listings"])


def test_vocabularies_have_dutch_and_english_labels(demo_client, demo_app):
    data = get_json(demo_client, "/api/v1/vocabularies")
    assert [term["code"] for term in data["theme"]] == list(vocab.THEMES.codes)
    climate = next(term for term in data["theme"] if term["code"] == "climate")
    assert climate["labels"] == {"nl": "Klimaat en duurzaamheid", "en": "Climate and sustainability"}
    assert next(term for term in data["region"] if term["code"] == "brussel")["labels"]["en"] == "Brussels"
    with demo_app.test_request_context():
        assert vocab.THEMES.label("climate") == "Klimaat en duurzaamheid"  # the site itself stays Dutch
    assert "online" in [term["code"] for term in data["region"]]
    genk = next(m for m in data["municipality"] if m["code"] == "71016")
    assert genk["labels"]["nl"] == "Genk" and "3600" in genk["postcodes"]


def test_unsupported_methods_are_refused_with_a_json_405(demo_client):
    response = demo_client.delete("/api/v1/listings/robotkamp")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    assert demo_client.post("/api/v1/organisations", json={}).status_code == 405


def test_writes_without_an_api_key_are_refused_with_a_json_401(demo_client):
    response = demo_client.post("/api/v1/listings", json={})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_cors_for_reading_and_preflight(demo_client):
    response = demo_client.get("/api/v1/vocabularies", headers={"Origin": "https://elders.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = demo_client.options("/api/v1/listings", headers={
        "Origin": "https://elders.example", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in demo_client.get("/zoeken").headers


def test_html_error_pages_stay_html_outside_the_api(demo_client):
    response = demo_client.get("/bestaat-niet")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_docs_page_renders_the_document(demo_client):
    soup = BeautifulSoup(demo_client.get("/api/v1/docs").get_data(as_text=True), "html.parser")
    headings = [h.get_text(strip=True) for h in soup.select(".api-operation h2")]
    assert "GET /api/v1/listings" in headings and "GET /api/v1/organisations/{slug}" in headings
    assert soup.select_one("a[href='/api/v1/openapi.json']")


def test_a_server_error_on_the_api_is_json_without_a_trace(databases, tmp_path):
    app = migrated_app(databases.fresh("stemwijzer_api_errors"), tmp_path / "index")
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken():
        raise RuntimeError("geheime details")

    app.add_url_rule("/api/v1/kapot", view_func=broken)
    app.add_url_rule("/kapot", endpoint="broken_page", view_func=broken)
    client = app.test_client()
    response = client.get("/api/v1/kapot")
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "server_error"
    assert "geheime" not in response.get_data(as_text=True)
    page = client.get("/kapot")
    assert page.status_code == 500 and page.mimetype == "text/html"
    with app.app_context():
        db.engine.dispose()
