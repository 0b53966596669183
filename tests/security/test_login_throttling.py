"""Failed-login throttling (issue 13, medium 5): failures elsewhere cannot keep the owner out, simultaneous
attempts cannot slip past the limit, the owner hears of repeated failures, and every 429 says when to retry."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.accounts import services
from portal.extensions import db
from portal.organisations import services as organisations
from tests.forms import PASSWORD, csrf_token, login, new_user, submit, text_of
from tests.world import build_world

OWNER = "lid@test.example"
WRONG = "fout-wachtwoord"


def login_from(app, address: str, email: str = OWNER, password: str = WRONG):
    """A login from a fresh browser at client address `address`."""
    return submit(app.test_client(), "/account/aanmelden", {"email": email, "password": password},
                  environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def waits(monkeypatch):
    """The seconds each login waited, recorded instead of slept."""
    waited = []
    monkeypatch.setattr("portal.accounts.throttle.sleep", waited.append)
    return waited


@pytest.fixture
def no_waiting(app):
    app.config["LOGIN_DELAY_MAX"] = 0
    yield
    app.config["LOGIN_DELAY_MAX"] = 3.0


def test_the_owner_logs_in_from_a_new_address_after_20_failures_elsewhere(app, waits):
    new_user(OWNER)
    for number in range(20):  # 5 from each of 4 addresses: each at its limit for this account
        assert login_from(app, f"198.51.100.{number // 5}").status_code == 200
    assert login_from(app, "198.51.100.0").status_code == 429  # the attacker's address is refused
    waits.clear()
    assert login_from(app, "203.0.113.9", password=PASSWORD).status_code == 302
    assert waits == [app.config["LOGIN_DELAY_MAX"]]  # the owner's answer was slowed down, not refused


def test_failures_on_an_account_slow_its_answers_down_progressively(app, waits):
    for number in range(12):
        assert login_from(app, f"198.51.100.{number}").status_code == 200
    assert len(waits) == 9  # the first three failures (typos) answer at once
    assert waits == sorted(waits) and 0 < waits[0] < waits[1] and waits[-1] == app.config["LOGIN_DELAY_MAX"]
    assert login_from(app, "198.51.100.99", email="ander@test.example").status_code == 200
    assert len(waits) == 9  # another account does not wait


def test_simultaneous_wrong_passwords_check_at_most_the_limit(app, monkeypatch, no_waiting):
    """16 wrong passwords at once from one client: each is counted before its password is checked, so only
    the 5 the limit allows are checked and the rest are refused, as one after another would be. (Counted after
    the check, all 16 were checked on PostgreSQL; on SQLite the write lock of every POST hid the race.)"""
    new_user(OWNER)
    checked = []
    authenticate = services.authenticate

    def slow_authenticate(email: str, *others):
        checked.append(email)
        time.sleep(0.05)  # a slower hash widens the window a check-after-verify race needs
        return authenticate(email, *others)

    monkeypatch.setattr(services, "authenticate", slow_authenticate)
    clients = [app.test_client() for _ in range(16)]
    tokens = [csrf_token(client, "/account/aanmelden") for client in clients]
    start = threading.Barrier(len(clients))

    def attempt(client, token) -> int:
        start.wait()
        return client.post("/account/aanmelden",
                           data={"csrf_token": token, "email": OWNER, "password": WRONG}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(attempt, clients, tokens))
    assert len(checked) == 5
    assert sorted(codes) == [200] * 5 + [429] * 11


def test_a_correct_password_does_not_count(app, no_waiting):
    new_user(OWNER)
    for _ in range(4):
        assert login_from(app, "198.51.100.1").status_code == 200
    for _ in range(3):
        assert login_from(app, "198.51.100.1", password=PASSWORD).status_code == 302
    assert login_from(app, "198.51.100.1").status_code == 200  # the fifth failure
    assert login_from(app, "198.51.100.1").status_code == 429


def test_every_429_says_when_to_try_again(app, no_waiting):
    for _ in range(5):
        assert login(app.test_client(), OWNER, WRONG).status_code == 200
    refused = login(app.test_client(), OWNER, WRONG)
    assert refused.status_code == 429 and "Te veel pogingen" in text_of(refused)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60

    world = build_world()
    app.config["REPORT_LIMIT"] = "1 per hour"  # a limit of Flask-Limiter's own
    try:
        visitor, url = app.test_client(), f"/aanbod/{world.published.slug}/melden"
        answers = [submit(visitor, url, {"message": f"Fout nummer {number}."}) for number in range(2)]
    finally:
        app.config["REPORT_LIMIT"] = "10 per hour"
    assert answers[1].status_code == 429 and 0 < int(answers[1].headers["Retry-After"]) <= 3600

    _token, raw = organisations.create_api_token(world.member_a, world.org_a, "test")
    db.session.commit()
    app.config["API_WRITE_LIMIT"] = "1 per minute"
    try:
        answers = [app.test_client().post(f"/api/v1/listings/{world.draft.slug}/submit",
                                          headers={"Authorization": f"Bearer {raw}"}) for _ in range(2)]
    finally:
        app.config["API_WRITE_LIMIT"] = "60 per minute"
    assert answers[1].status_code == 429 and answers[1].get_json()["error"]["code"] == "too_many_requests"
    assert 0 < int(answers[1].headers["Retry-After"]) <= 60


def test_the_owner_is_mailed_once_after_repeated_failures(app, mailbox, no_waiting, caplog):
    caplog.set_level(logging.INFO, logger="portal")
    caplog.set_level(logging.INFO, logger="flask-limiter")
    new_user(OWNER)
    for number in range(9):
        assert login_from(app, f"198.51.100.{number}").status_code == 200
    assert mailbox.to(OWNER) == []
    assert login_from(app, "198.51.100.9").status_code == 200  # the tenth failure within the hour
    [mail] = mailbox.to(OWNER)
    assert mail["Subject"] == "Mislukte aanmeldpogingen op je STEM-wijzer-account"
    assert "/account/wachtwoord-vergeten" in mail.get_content()
    for _ in range(5):
        assert login_from(app, "198.51.100.50").status_code == 200
    assert login_from(app, "198.51.100.50").status_code == 429
    assert len(mailbox.to(OWNER)) == 1  # once per window
    for number in range(10):
        assert login_from(app, f"198.51.100.{number}", email="onbekend@test.example").status_code == 200
    assert len(mailbox.messages) == 1  # an address without an account mails nobody
    assert "repeated failed logins on account" in caplog.text
    # No address in the log: the security log (portal/security_log/) names one only masked, as l***@test.example.
    assert OWNER not in caplog.text and "onbekend@test.example" not in caplog.text and WRONG not in caplog.text
