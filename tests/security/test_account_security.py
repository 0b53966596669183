"""Account security (OWASP ASVS 5.0): session invalidation, session fixation, rate limiting of failed
logins (in memory and in the real Redis), open redirects, CSRF."""

import os
import socket
import time
import uuid

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal import create_app
from portal.accounts.models import User
from portal.accounts.redirects import safe_next
from portal.config import ConfigError
from portal.extensions import db, limiter
from tests.conftest import make_app, use_mailbox
from tests.forms import PASSWORD, csrf_token, login, new_user, submit, text_of

REMEMBER = "remember_token"


def cookies_of(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", REMEMBER) if client.get_cookie(name)}


def replay(app, cookies: dict[str, str]):
    """A fresh browser that presents stolen cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def logged_in_with_remember_me(client):
    new_user("lid@test.example")
    assert login(client, "lid@test.example", remember="y").status_code == 302
    cookies = cookies_of(client)
    assert set(cookies) == {"session", REMEMBER}
    return cookies


def assert_refused(app, cookies):
    session_only = replay(app, {"session": cookies["session"]})
    assert session_only.get("/account/").status_code == 302
    remember_only = replay(app, {REMEMBER: cookies[REMEMBER]})
    assert remember_only.get("/account/").status_code == 302


def test_old_cookies_work_until_logout_and_not_after(app, client):
    cookies = logged_in_with_remember_me(client)
    assert replay(app, {"session": cookies["session"]}).get("/account/").status_code == 200
    assert replay(app, {REMEMBER: cookies[REMEMBER]}).get("/account/").status_code == 200  # remember-me logs in

    assert submit(client, "/account/afmelden", {}, form_page="/account/").status_code == 302
    assert_refused(app, cookies)


def test_a_password_change_ends_every_other_session(app, client):
    cookies = logged_in_with_remember_me(client)
    other_device = replay(app, cookies)
    submit(client, "/account/wachtwoord-wijzigen",
           {"current_password": PASSWORD, "new_password": "een nieuwe lange zin"})
    assert_refused(app, cookies)
    assert other_device.get("/account/").status_code == 302
    assert client.get("/account/").status_code == 200


def test_blocking_a_user_ends_their_sessions_and_their_login(app, client):
    cookies = logged_in_with_remember_me(client)
    new_user("admin@test.example", is_admin=True)
    moderator = app.test_client()
    login(moderator, "admin@test.example")
    user_id = db.session.scalar(select(User.id).where(User.email == "lid@test.example"))
    assert submit(moderator, f"/beheer/gebruikers/{user_id}/blokkeren", {},
                  form_page="/beheer/gebruikers/").status_code == 302
    assert_refused(app, cookies)
    assert "geblokkeerd" in text_of(login(app.test_client(), "lid@test.example"))


def test_only_admins_block_and_never_themselves(app, client):
    member = new_user("lid@test.example")
    admin = new_user("admin@test.example", is_admin=True)
    member_id, admin_id = member.id, admin.id
    login(client, "lid@test.example")
    assert client.get("/beheer/gebruikers/").status_code == 403
    assert submit(client, f"/beheer/gebruikers/{admin_id}/blokkeren", {}, form_page="/account/").status_code == 403
    moderator = app.test_client()
    login(moderator, "admin@test.example")
    assert submit(moderator, f"/beheer/gebruikers/{admin_id}/blokkeren", {},
                  form_page="/beheer/gebruikers/").status_code == 403
    assert db.session.get(User, admin_id).active and db.session.get(User, member_id).active


def test_login_starts_a_new_session(client):
    new_user("lid@test.example")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    login(client, "lid@test.example")
    with client.session_transaction() as after:
        assert "planted" not in after and "_user_id" in after


def test_the_failed_login_after_the_limit_is_refused_with_429(client):
    new_user("lid@test.example")
    for _ in range(5):
        assert login(client, "lid@test.example", "fout-wachtwoord").status_code == 200
    refused = login(client, "lid@test.example", PASSWORD)  # even the right password waits now
    assert refused.status_code == 429
    assert "Te veel pogingen" in text_of(refused) and "Wacht even" in text_of(refused)
    assert login(client, "ander@test.example", "fout-wachtwoord").status_code == 200  # another account is not


def test_successful_logins_do_not_count(app, client):
    new_user("lid@test.example")
    for _ in range(7):
        assert login(app.test_client(), "lid@test.example").status_code == 302


def test_failed_logins_are_limited_per_client_address(app, client):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    try:
        for number in range(3):
            assert login(client, f"iemand{number}@test.example", "fout-wachtwoord").status_code == 200
        assert login(client, "nog-iemand@test.example", "fout-wachtwoord").status_code == 429
        elsewhere = app.test_client()
        response = submit(elsewhere, "/account/aanmelden", {"email": "x@test.example", "password": "fout-wachtwoord"},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert response.status_code == 200
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "30 per 15 minutes"


def test_a_failed_login_takes_as_long_for_an_unknown_address(app, client):
    """Timing must not tell which addresses have an account: an unknown address runs the password hash too
    (argon2 at OWASP's parameters, some 25 ms; without it the answer comes in a few ms). The fastest of
    several tries on each side keeps the machine's noise out; the margin is wide (half)."""
    new_user("bekend@test.example")
    token = csrf_token(client, "/account/aanmelden")

    def fastest(emails) -> float:
        times = []
        for email in emails:
            limiter.reset()
            started = time.perf_counter()
            answer = client.post("/account/aanmelden", data={"csrf_token": token, "email": email,
                                                             "password": "fout-wachtwoord-123"})
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200
        return min(times)

    known = fastest(["bekend@test.example"] * 5)
    unknown = fastest([f"onbekend{number}@test.example" for number in range(5)])
    assert unknown > known / 2, f"known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms"


def test_behind_a_trusted_proxy_the_limit_counts_the_visitors_address(databases, tmp_path):
    from flask_migrate import upgrade

    app = make_app(databases.fresh("stemwijzer_proxy"), tmp_path / "index", TRUSTED_PROXY_COUNT=1,
                   LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")

    def failed_login(visitor: str) -> int:
        data = {"email": f"{uuid.uuid4().hex}@test.example", "password": "fout-wachtwoord"}
        client = app.test_client()
        return submit(client, "/account/aanmelden", data, headers={"X-Forwarded-For": visitor}).status_code

    with app.app_context():
        upgrade()
        limiter.reset()
        assert [failed_login("198.51.100.1") for _ in range(3)] == [200, 200, 429]
        assert failed_login("198.51.100.2") == 200  # without ProxyFix: the proxy's address, refused too
        db.engine.dispose()


def test_production_refuses_to_start_without_site_url(monkeypatch, tmp_path):
    """Without SITE_URL the links in mails would follow the request's Host header, which anyone can forge."""
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app({"PORTAL_ENV": "production", "SECRET_KEY": "x"}, instance_path=str(tmp_path))
    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app({"PORTAL_ENV": "production", "SECRET_KEY": "x", "SITE_URL": "stem-wijzer.be"},
                   instance_path=str(tmp_path))


def test_in_production_a_forged_host_does_not_reach_the_reset_link(databases, tmp_path, smtp_server):
    from flask_migrate import upgrade

    app = make_app(databases.fresh("stemwijzer_site_url"), tmp_path / "index", PORTAL_ENV="production",
                   SITE_URL="https://stem-wijzer.example/")
    mailbox = use_mailbox(app, smtp_server)
    with app.app_context():
        upgrade()
        new_user("bekend@test.example")
        forged = {"base_url": "https://evil.example",  # as a browser sends it (Flask-WTF checks the referrer)
                  "headers": {"Referer": "https://evil.example/account/wachtwoord-vergeten"}}
        client = app.test_client()
        page = client.get("/account/wachtwoord-vergeten", **forged)
        token = BeautifulSoup(page.get_data(as_text=True), "html.parser").find("input", {"name": "csrf_token"})
        answer = client.post("/account/wachtwoord-vergeten", data={"csrf_token": token["value"],
                                                                   "email": "bekend@test.example"}, **forged)
        assert answer.status_code == 200
        [mail] = mailbox.to("bekend@test.example")
        assert "https://stem-wijzer.example/account/wachtwoord-herstellen/" in mail.get_content()
        assert "evil.example" not in mail.get_content()
        db.session.remove()
        db.engine.dispose()


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_limiter_state():
    """The Limiter instance is global: each app's init_app gives it that app's storage. Put the shared
    test app's storage back afterwards, and remove this test's keys from Redis."""
    saved = limiter._storage, limiter._limiter, dict(limiter._storage_options)
    prefix = f"stemwijzer-test-{uuid.uuid4().hex}"
    yield prefix
    client = limiter._storage.storage if limiter._storage is not saved[0] else None
    limiter._storage, limiter._limiter, limiter._storage_options = saved
    if client is not None:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)


@pytest.mark.skipif(not (redis_answers() or os.environ.get("CI")), reason="no Redis on 127.0.0.1:6379 (CI starts one)")
def test_the_limit_is_shared_through_redis(databases, tmp_path, redis_limiter_state):
    """Two application processes (here: two app instances) share the failed-login counters in Redis."""
    from flask_migrate import upgrade

    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": redis_limiter_state}
    url = databases.fresh("stemwijzer_redis")
    first = make_app(url, tmp_path / "index", **settings)
    assert type(limiter._storage).__name__ == "RedisStorage"
    with first.app_context():
        upgrade()
        for _ in range(3):
            assert login(first.test_client(), "lid@test.example", "fout-wachtwoord").status_code == 200
        db.engine.dispose()
    # A second process starts with a storage of its own (memory:// would start from zero here).
    second = make_app(url, tmp_path / "index", **settings)
    with second.app_context():
        for _ in range(2):
            assert login(second.test_client(), "lid@test.example", "fout-wachtwoord").status_code == 200
        assert login(second.test_client(), "lid@test.example", "fout-wachtwoord").status_code == 429
        db.engine.dispose()
    assert any(limiter._storage.storage.scan_iter(f"*{redis_limiter_state}*"))


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "http://evil.example/account", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "/\tevil", "/\r\nLocation: //evil.example", " //evil.example", "evil.example", "https:/evil.example",
])
def test_next_never_leaves_the_site(client, target):
    new_user("lid@test.example")
    client.get("/account/aanmelden", query_string={"next": target})
    answer = login(client, "lid@test.example", next=target)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/account/"


def test_next_leads_to_a_page_of_this_site(client):
    new_user("lid@test.example")
    answer = login(client, "lid@test.example", next="/zoeken?q=robot")
    assert answer.headers["Location"] == "/zoeken?q=robot"
    assert safe_next("/mijn/organisaties") == "/mijn/organisaties"


def test_a_login_required_page_sends_to_login_and_back(client):
    new_user("lid@test.example")
    answer = client.get("/mijn/organisaties")
    assert answer.status_code == 302 and "/account/aanmelden?next=" in answer.headers["Location"]
    page = client.get(answer.headers["Location"])
    assert 'value="/mijn/organisaties"' in page.get_data(as_text=True)
    assert login(client, "lid@test.example", next="/mijn/organisaties").headers["Location"] == "/mijn/organisaties"


@pytest.mark.parametrize("path", ["/account/aanmelden", "/account/registreren", "/account/wachtwoord-vergeten"])
def test_a_post_without_csrf_token_is_refused(client, path):
    new_user("lid@test.example")
    answer = client.post(path, data={"email": "lid@test.example", "password": PASSWORD, "display_name": "Iemand"})
    assert answer.status_code == 400
    with client.session_transaction() as state:
        assert "_user_id" not in state


def test_logout_without_csrf_token_is_refused(client):
    new_user("lid@test.example")
    login(client, "lid@test.example")
    assert client.post("/account/afmelden").status_code == 400
    assert client.get("/account/").status_code == 200


def test_session_cookie_flags(app, client):
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    new_user("lid@test.example")
    response = login(client, "lid@test.example", remember="y")
    set_cookies = response.headers.getlist("Set-Cookie")
    assert all("HttpOnly" in cookie for cookie in set_cookies)
