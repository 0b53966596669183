"""The database gone: connections the server ended are replaced unnoticed; while it cannot be reached every page
that needs it answers a Dutch 503 with Retry-After (JSON on the API), also to a signed-in user, and the portal
heals by itself when the database is back."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.organisations import services as organisations
from tests.api.test_write_api import RECORD, bearer
from tests.conftest import free_port, make_app
from tests.forms import log_in, login
from tests.world import build_world


def header_text(response) -> str:
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser").find("header").get_text(" ").split())


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert "Even niet beschikbaar" in page and "Probeer het over een halve minuut opnieuw" in page
    assert "verstuur het dan nog eens" in page
    assert 'lang="nl"' in page and "Traceback" not in page
    assert "Aanmelden" in header_text(response)  # nobody looked up who is signed in


def assert_unavailable_json(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "unavailable"
    assert "even niet bereikbaar" in response.get_json()["error"]["message"]


@pytest.fixture
def portal(databases, tmp_path, request):
    """An application on a database of its own, with organisation A's published listing and an API key."""
    url = databases.fresh(f"stemwijzer_outage_{request.node.name[5:30]}")
    app = make_app(url, tmp_path / "index")
    with app.app_context():
        upgrade()
        world = build_world()
        _token, raw = organisations.create_api_token(world.member_a, world.org_a, "test")
        db.session.commit()
        app.config["TEST_FACTS"] = {"url": url, "slug": world.published.slug, "key": raw}
        yield app
        db.session.remove()
        db.engine.dispose()


def cookie_jar(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session",) if client.get_cookie(name)}


def unreachable_url(url: str) -> str:
    """The same database behind a closed port (PostgreSQL), or in a directory that does not exist (SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return "sqlite:////nonexistent-directory/stemwijzer.sqlite3"
    return parsed.set(port=free_port()).render_as_string(hide_password=False)


def test_an_unreachable_database_answers_503_in_dutch_on_pages_and_api_also_when_signed_in(portal, tmp_path):
    facts = portal.config["TEST_FACTS"]
    member = portal.test_client()
    login(member, "lid.a@test.example")
    assert member.get("/account/").status_code == 200
    cookies = cookie_jar(member)

    # The same portal, configured the same, but its database cannot be reached.
    down = make_app(unreachable_url(facts["url"]), tmp_path / "index")
    with down.app_context():
        visitor, signed_in = down.test_client(), down.test_client()
        for name, value in cookies.items():
            signed_in.set_cookie(name, value)
        for client in (visitor, signed_in):
            assert_unavailable_page(client.get(f"/aanbod/{facts['slug']}"))
            assert_unavailable_json(client.get(f"/api/v1/listings/{facts['slug']}"))
        assert_unavailable_page(signed_in.get("/account/"))
        assert_unavailable_page(signed_in.get("/mijn/aanbod"))
        assert_unavailable_json(visitor.post("/api/v1/listings", json=RECORD, headers=bearer(facts["key"])))
        down.config["WTF_CSRF_ENABLED"] = False  # the login form's page itself needs no database
        assert_unavailable_page(visitor.post("/account/aanmelden", data={"email": "lid.a@test.example",
                                                                        "password": "een-lang-wachtwoord"}))
        db.engine.dispose()


@pytest.fixture
def server(databases):
    if databases.backend != "postgresql":
        pytest.skip("terminating connections is a PostgreSQL test (TEST_DATABASE_URL)")
    engine = create_engine(databases.server, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def terminate_connections(server, database: str) -> int:
    with server.connect() as connection:
        return len(connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"),
            {"name": database}).all())


def test_connections_ended_by_the_server_are_replaced_without_an_error(portal, server):
    facts = portal.config["TEST_FACTS"]
    database = make_url(facts["url"]).database
    client = portal.test_client()
    log_in(client, portal_user())
    pages = [f"/aanbod/{facts['slug']}", "/account/", f"/api/v1/listings/{facts['slug']}", "/mijn/aanbod"]
    for path in pages:
        assert client.get(path).status_code == 200
    assert terminate_connections(server, database) >= 1
    answers = [client.get(pages[number % len(pages)]).status_code for number in range(12)]
    assert answers == [200] * 12


def portal_user():
    from sqlalchemy import select

    from portal.accounts.models import User
    return db.session.scalar(select(User).where(User.email == "lid.a@test.example"))


def test_a_database_that_refuses_connections_answers_503_and_heals_when_it_is_back(portal, server):
    facts = portal.config["TEST_FACTS"]
    database = make_url(facts["url"]).database
    client = portal.test_client()
    log_in(client, portal_user())
    assert client.get("/account/").status_code == 200
    with server.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false'))
    try:
        terminate_connections(server, database)
        assert_unavailable_page(client.get("/account/"))
        assert_unavailable_page(client.get(f"/aanbod/{facts['slug']}"))
        assert_unavailable_json(client.get(f"/api/v1/listings/{facts['slug']}"))
        assert_unavailable_json(client.post("/api/v1/listings", json=RECORD, headers=bearer(facts["key"])))
    finally:
        with server.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true'))
    assert client.get("/account/").status_code == 200
    assert client.get(f"/aanbod/{facts['slug']}").status_code == 200
