"""The admins' import page (/beheer/import): the same importer and Dutch report as the CLI, a dry run that
changes nothing, all or nothing unless skip-invalid, and no server error on a wrong encoding or a garbage file."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.catalogue.models import Listing, Organisation
from portal.extensions import db
from tests.exchange.conftest import listing, organisation, snapshot
from tests.forms import csrf_token, log_in, new_user
from tests.world import user

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")
PAGE = "/beheer/import"


@pytest.fixture
def admin_client(app, client):
    admin = user("moderator@test.example", is_admin=True)
    db.session.commit()
    log_in(client, admin)
    return client


def catalogue_file(organisations=None, listings=None) -> bytes:
    return json.dumps({"format": "stem-wijzer-catalogus", "version": 1,
                       "organisations": organisations or [organisation()], "listings": listings or [listing()]},
                      ensure_ascii=False).encode("utf-8")


def upload(client, content: bytes, name: str = "catalogus.json", mode: str = "dry_run", skip_invalid=False,
           token: str | None = None):
    data = {"csrf_token": token if token is not None else csrf_token(client, PAGE), "mode": mode,
            "file": (io.BytesIO(content), name)}
    if skip_invalid:
        data["skip_invalid"] = "y"
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def problems(response) -> list[list[str]]:
    rows = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("table.import-problems tbody tr")
    return [[cell.get_text(strip=True) for cell in row.select("td")] for row in rows]


def test_a_dry_run_reports_and_changes_nothing(admin_client):
    before = snapshot()
    response = upload(admin_client, catalogue_file())
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Proefdraai, er werd niets veranderd." in text and "organisaties: 1 gelezen (1 nieuw" in text
    assert snapshot() == before


def test_queue_imports_pending_listings(admin_client):
    response = upload(admin_client, catalogue_file(), mode="queue")
    assert response.status_code == 200 and "Ingelezen (ter moderatie)." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Listing.status)) == "pending"


def test_publish_publishes_and_the_listing_is_searchable(admin_client):
    response = upload(admin_client, catalogue_file(), mode="publish")
    assert response.status_code == 200 and "Ingelezen (gepubliceerd)." in response.get_data(as_text=True)
    db.session.expire_all()
    found = db.session.scalar(select(Listing))
    assert found.status == "published" and db.session.scalar(select(Organisation)).is_verified
    results = admin_client.get("/api/v1/listings?q=robotclub").get_json()["results"]
    assert [card["slug"] for card in results] == [found.slug]


def test_an_invalid_record_is_reported_in_dutch_and_nothing_is_imported(admin_client):
    before = snapshot()
    bad = listing(id="club-2", title="Tweede club", themes=["ruimtevaart"], min_age="negen")
    response = upload(admin_client, catalogue_file(listings=[listing(), bad]), mode="publish")
    assert response.status_code == 400
    assert "er werd niets ingelezen" in response.get_data(as_text=True)
    found = problems(response)
    assert ["catalogus.json listings[1]", "club-2", "themes"] == found[0][:3] or any(
        row[:3] == ["catalogus.json listings[1]", "club-2", "themes"] for row in found)
    assert any(row[2] == "min_age" for row in found)
    assert any("Onbekende waarde: ruimtevaart" in row[3] for row in found)
    assert snapshot() == before


def test_skip_invalid_imports_the_valid_records(admin_client):
    bad = listing(id="club-2", title="Tweede club", cost="duur")
    response = upload(admin_client, catalogue_file(listings=[listing(), bad]), mode="queue", skip_invalid=True)
    assert response.status_code == 200 and "1 fout(en) overgeslagen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Listing.external_id)).all() == ["club-1"]


@pytest.mark.parametrize("content, name, message", [
    ("title;kind\nCafé;activity\n".encode("latin-1"), "aanbod.csv", "geen UTF-8-tekst"),
    (b"\x00\xff\xfe garbage {", "catalogus.json", "geen UTF-8-tekst"),
    (b"{ niet af", "catalogus.json", "geen geldige JSON"),
    (b"[1, 2, 3]", "catalogus.json", "geen STEM-wijzer-catalogusbestand"),
    (b"naam,soort\nx,y\n", "aanbod.csv", "de eerste regel moet de kolomnamen geven"),
    (b"%PDF-1.4", "catalogus.pdf", "alleen .json- en .csv-bestanden"),
    (b"{}", "", "alleen .json- en .csv-bestanden"),
])
def test_wrong_files_give_a_dutch_report_not_a_server_error(admin_client, content, name, message):
    before = snapshot()
    response = upload(admin_client, content, name=name or "x", mode="publish")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused(app, admin_client):
    token = csrf_token(admin_client, PAGE)
    response = upload(admin_client, b" " * (app.config["MAX_CONTENT_LENGTH"] + 1), token=token)
    assert response.status_code == 413


def test_the_form_needs_a_file_and_a_csrf_token(admin_client):
    response = admin_client.post(PAGE, data={"csrf_token": csrf_token(admin_client, PAGE), "mode": "publish"})
    assert response.status_code == 400 and "Kies een bestand." in response.get_data(as_text=True)
    before = snapshot()
    assert upload(admin_client, catalogue_file(), mode="publish", token="").status_code == 400
    assert snapshot() == before


def test_only_admins_reach_the_page(app, client):
    member = new_user("lid@test.example")
    assert client.get(PAGE).status_code == 302
    log_in(client, member)
    assert client.get(PAGE).status_code == 403
