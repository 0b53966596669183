"""Queue flooding (issue 13, item 4): /moderatie and the admin lists show one page at a time, with counts per
section, in a stable order, and take the same number of SQL statements with 50,000 location rows as with a
handful (counted, not timed: before, the queue loaded every waiting listing with all its locations)."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, insert

from portal.accounts.models import Membership, User
from portal.catalogue.models import Listing, Location, Organisation
from portal.database import utcnow
from portal.extensions import db
from portal.pagination import PAGE_SIZE
from tests.forms import log_in, new_user

LOCATIONS_PER_LISTING = 20  # the most a listing may have
GENK = ("71016", "3600")


@contextmanager
def counted():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def flood(listings: int, organisations: int = 1, first_id: int = 1) -> None:
    """`listings` pending listings of verified organisations with 20 locations each, and as many unverified
    organisations with a member each as `organisations`, inserted in bulk (the services would take minutes)."""
    start = utcnow() - timedelta(days=30)
    org_rows = [{"id": first_id + n, "name": f"Organisatie {n}", "slug": f"organisatie-{first_id + n}",
                 "kind": "nonprofit", "verified_at": start if n % 2 else None,
                 "created_at": start + timedelta(minutes=n)} for n in range(max(2, organisations))]
    db.session.execute(insert(Organisation), org_rows)
    verified = [row["id"] for row in org_rows if row["verified_at"]]
    db.session.execute(insert(Listing), [
        {"id": first_id + n, "organisation_id": verified[n % len(verified)], "kind": "activity",
         "title": f"Aanbod {n}", "slug": f"aanbod-{first_id + n}", "summary": "Samenvatting.", "description": "",
         "provider_url": "https://aanbieder.example", "cost": "free", "schedule": "permanent", "status": "pending",
         "updated_at": start + timedelta(seconds=n)} for n in range(listings)])
    db.session.execute(insert(Location), [
        {"listing_id": first_id + n, "address": f"Straat {m}", "postcode": GENK[1], "municipality_code": GENK[0]}
        for n in range(listings) for m in range(LOCATIONS_PER_LISTING)])
    members = [User(email=f"lid{row['id']}@test.example", display_name=f"Lid {row['id']}")
               for row in org_rows if not row["verified_at"]]
    db.session.add_all(members)
    db.session.flush()
    db.session.add_all([Membership(user_id=member.id, organisation_id=row["id"]) for member, row in
                        zip(members, (row for row in org_rows if not row["verified_at"]), strict=True)])
    db.session.commit()


@pytest.fixture
def admin(app, client):
    log_in(client, new_user("moderator@test.example", is_admin=True))
    return client


def statements_for(client, path: str) -> tuple[list[str], BeautifulSoup]:
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements, BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_queue_takes_as_many_statements_with_50000_locations_as_with_60(admin):
    flood(3, first_id=1)
    small, _ = statements_for(admin, "/moderatie")
    flood(2500, organisations=40, first_id=1000)  # 2,500 listings, 50,000 locations
    assert db.session.query(Location).count() > 50_000
    large, page = statements_for(admin, "/moderatie")
    assert len(large) == len(small) <= 20
    rows = page.select("table.queue tbody tr")
    assert len(rows) == PAGE_SIZE
    waiting_organisations = 1 + 20  # of the small flood and of the large one
    assert f"{2503 + waiting_organisations} items wachten" in page.select_one("table.queue caption").get_text()
    counts = page.select_one(".queue-counts").get_text(" ", strip=True)
    assert "Nieuw aanbod (2503)" in counts and f"Organisatie ({waiting_organisations})" in counts


def test_the_queue_pages_are_stable_and_oldest_first(admin):
    flood(120, first_id=1)
    seen = []
    for number in (1, 2, 3):
        _, page = statements_for(admin, f"/moderatie?wat=listing&pagina={number}")
        seen += [row.select("td")[2].get_text(strip=True) for row in page.select("table.queue tbody tr")]
    assert seen == [f"Aanbod {n}" for n in range(120)]  # each once, oldest first
    _, last = statements_for(admin, "/moderatie?wat=listing&pagina=3")
    links = {a["rel"][0]: a["href"] for a in last.select(".pagination a")}
    assert links == {"prev": "/moderatie?wat=listing&pagina=2"}


def test_the_admin_lists_are_paged_in_a_constant_number_of_statements(admin):
    flood(3, organisations=4, first_id=1)
    small_users, _ = statements_for(admin, "/beheer/gebruikers/")
    small_review, _ = statements_for(admin, "/beheer/organisaties")
    flood(3, organisations=300, first_id=1000)
    large_users, users = statements_for(admin, "/beheer/gebruikers/")
    large_review, review = statements_for(admin, "/beheer/organisaties")
    assert len(large_users) == len(small_users) and len(large_review) == len(small_review)
    assert len(users.select("table tbody tr")) == PAGE_SIZE
    assert "153 gebruikers" in users.select_one("table caption").get_text()
    assert len(review.select(".request")) == PAGE_SIZE and "152 organisaties wachten" in review.get_text()
    _, last_users = statements_for(admin, "/beheer/gebruikers/?pagina=4")
    assert len(last_users.select("table tbody tr")) == 153 - 3 * PAGE_SIZE
