"""A sign-in does not last for ever: two hours without a request end a session without "onthoud mij", and
thirty days end any session, however busy; the remember-me cookie signs in again after an idle end."""

import time

import pytest

from portal.accounts import sessions
from tests.forms import PASSWORD, log_in, login, new_user

HOUR, DAY = 3600, 24 * 3600


@pytest.fixture
def clock(monkeypatch):
    now = [time.time()]
    monkeypatch.setattr(sessions.time, "time", lambda: now[0])
    return now


def signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_two_idle_hours_end_a_session(app, client, clock):
    log_in(client, new_user("lid@test.example"))
    clock[0] += 1.9 * HOUR
    assert signed_in(client)  # a request resets the idle time
    clock[0] += 1.9 * HOUR
    assert signed_in(client)
    clock[0] += 2.1 * HOUR
    assert not signed_in(client)
    assert not signed_in(client)


def test_thirty_days_end_even_a_busy_session(app, client, clock):
    log_in(client, new_user("lid@test.example"))
    started = clock[0]
    while signed_in(client):  # a request every 1.9 hours keeps it from idling out
        clock[0] += 1.9 * HOUR
    assert 30 * DAY < clock[0] - started <= 30 * DAY + 1.9 * HOUR


def test_the_remember_me_cookie_signs_in_again_after_an_idle_end(app, client, clock):
    new_user("lid@test.example")
    assert login(client, "lid@test.example", PASSWORD, remember="y").status_code == 302
    clock[0] += 3 * HOUR
    assert signed_in(client)
