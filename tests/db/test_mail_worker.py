"""The mail worker against a real SMTP server (aiosmtpd) that is down, then up, then a tarpit that accepts
connections and never answers: every mail arrives exactly once within its retry window, none is sent on the
request path, and the portal answers while the worker waits. Time moves with the portal's clock."""

from __future__ import annotations

import itertools
import socket
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.mail import queue_health, queue_mail, reissue
from portal.mail.models import DEAD, WAITING, OutboxMail
from portal.mail.outbox import QueueHealth
from portal.mail.worker import deliver_due
from tests.conftest import MailSink, free_port
from tests.forms import PASSWORD, csrf_token, link_in, login, new_user, submit

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def moments(monkeypatch):
    """The portal's clock, standing still until the test moves it (`moments[0] += timedelta(...)`)."""
    now = [START]
    monkeypatch.setattr(clock, "now", lambda: now[0])
    return now


@pytest.fixture
def settings(app, monkeypatch):
    """Change the app's settings for this test only."""
    def change(**values):
        for name, value in values.items():
            monkeypatch.setitem(app.config, name, value)
    return change


class Tarpit:
    """Accepts SMTP connections and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            self.accepted.set()

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


def smtp_on(port: int, sink: MailSink) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def waiting_mails() -> list[OutboxMail]:
    db.session.rollback()  # the worker commits in sessions of its own
    return db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()


def next_due(moments) -> None:
    """Move the clock to the next attempt of any waiting mail."""
    moments[0] = max(moments[0], min(mail.next_attempt_at for mail in waiting_mails() if mail.status == WAITING))


def deliver_all(app, moments) -> int:
    """Let the worker run, each pass at the next due time, until the outbox is empty; how many it delivered."""
    delivered = 0
    while waiting_mails():
        next_due(moments)
        delivered += deliver_due(app).delivered
    return delivered


def ask_reset(client, address: str) -> None:
    answer = client.post("/account/wachtwoord-vergeten",
                         data={"csrf_token": csrf_token(client, "/account/wachtwoord-vergeten"), "email": address})
    assert answer.status_code == 200


def test_every_mail_arrives_once_through_an_outage_then_a_tarpit(app, client, moments, settings):
    port, sink = free_port(), MailSink()
    settings(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=1)
    addresses = [f"ouder{n}@test.example" for n in range(4)]

    # 1. The mail server is down: requests answer, their mails wait and are retried ever later.
    for address in addresses[:2]:
        ask_reset(client, address)  # a notice for an address without an account: one mail each
    for address in addresses[2:]:
        queue_mail(address, "Onderwerp", "Tekst")
    db.session.commit()
    assert sink.messages == [] and len(waiting_mails()) == 4  # nothing on the request path
    while moments[0] < START + timedelta(hours=3):
        report = deliver_due(app)
        assert report.delivered == 0 and report.dead == 0
        next_due(moments)
    # Backoff: in three hours each mail was tried a handful of times, not every minute.
    assert all(5 <= mail.attempts <= 12 for mail in waiting_mails())
    assert all(mail.last_error and "ConnectionRefusedError" in mail.last_error for mail in waiting_mails())
    assert queue_health().depth == 4 and queue_health().dead == 0

    # 2. It is back: the next attempt delivers each mail once.
    controller = smtp_on(port, sink)
    try:
        assert deliver_all(app, moments) == 4 and waiting_mails() == []

        # 3. A tarpit: the worker waits MAIL_TIMEOUT, and meanwhile the portal answers a search.
        tarpit = Tarpit()
        settings(MAIL_PORT=tarpit.port, MAIL_TIMEOUT=5)
        late = [f"laat{n}@test.example" for n in range(3)]
        for address in late:
            queue_mail(address, "Onderwerp", "Tekst")
        db.session.commit()
        worker = threading.Thread(target=deliver_due, args=(app,))
        worker.start()
        assert tarpit.accepted.wait(5)
        search = client.get("/zoeken?q=robot")
        assert search.status_code == 200 and worker.is_alive()  # answered while the worker still waited
        worker.join(10)
        tarpit.close()
        assert all("timed out" in mail.last_error for mail in waiting_mails())

        settings(MAIL_PORT=port)
        assert deliver_all(app, moments) == 3
    finally:
        controller.stop()
    arrived = Counter(message["To"] for message in sink.messages)
    assert arrived == Counter(addresses + late)  # each exactly once
    assert moments[0] - START < timedelta(hours=48)


def test_a_mail_is_retried_for_the_whole_window_then_it_is_a_dead_letter(app, moments, settings):
    settings(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=1)  # nobody listens
    queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    db.session.commit()
    moments[0] += timedelta(minutes=10)  # no worker ran meanwhile: the readiness check sees it
    assert queue_health() == QueueHealth(depth=1, due=1, oldest_due_seconds=600.0, dead=0)
    attempts_at = []
    while waiting_mails()[0].status == WAITING:
        attempts_at.append(moments[0])
        deliver_due(app)
        if waiting_mails()[0].status == WAITING:
            next_due(moments)
    [mail] = waiting_mails()
    assert mail.status == DEAD and mail.attempts == len(attempts_at)
    assert attempts_at[-1] == START + timedelta(hours=48)  # the last try at the end of the window, not before
    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts_at)]
    assert gaps[0] <= timedelta(minutes=1) and max(gaps) <= timedelta(hours=6)
    assert 10 <= len(attempts_at) <= 40
    assert queue_health() == QueueHealth(depth=0, due=0, oldest_due_seconds=0.0, dead=1)


class RefusingSink(MailSink):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bestaat-niet@"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_mail_the_server_refuses_for_good_is_a_dead_letter_at_once(app, moments, settings):
    sink = RefusingSink()
    controller = smtp_on(free_port(), sink)
    settings(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        queue_mail("bestaat-niet@test.example", "Onderwerp", "Tekst")
        queue_mail("ouder@test.example", "Onderwerp", "Tekst")
        db.session.commit()
        report = deliver_due(app)
    finally:
        controller.stop()
    assert (report.delivered, report.dead, report.retrying) == (1, 1, 0)
    [dead] = waiting_mails()
    assert dead.status == DEAD and dead.recipient == "bestaat-niet@test.example" and "550" in dead.last_error
    assert [message["To"] for message in sink.messages] == ["ouder@test.example"]


class SenderRefusingSink(MailSink):
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        return "553 5.7.1 Sender address rejected"


def test_a_refused_sender_address_is_the_portals_trouble_and_retried(app, moments, settings):
    """A wrong MAIL_DEFAULT_SENDER must not turn every mail into a dead letter: fixing it heals the outbox."""
    controller = smtp_on(free_port(), SenderRefusingSink())
    settings(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        queue_mail("ouder@test.example", "Onderwerp", "Tekst")
        db.session.commit()
        report = deliver_due(app)
    finally:
        controller.stop()
    assert (report.retrying, report.dead) == (1, 0)
    [mail] = waiting_mails()
    assert mail.status == WAITING and "553" in mail.last_error


class SlowSink(MailSink):
    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.01)  # sending takes a moment, so the workers overlap
        return await super().handle_DATA(server, session, envelope)


def test_two_workers_at_once_deliver_each_mail_exactly_once(app, settings):
    sink = SlowSink()
    controller = smtp_on(free_port(), sink)
    settings(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_BATCH=5)
    try:
        for n in range(60):
            queue_mail(f"ouder{n}@test.example", "Onderwerp", "Tekst")
        db.session.commit()
        start, reports = threading.Barrier(2), []

        def worker():
            start.wait()
            reports.append(deliver_due(app))

        workers = [threading.Thread(target=worker) for _ in range(2)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(60)
    finally:
        controller.stop()
    arrived = Counter(message["To"] for message in sink.messages)
    assert len(arrived) == 60 and set(arrived.values()) == {1}
    assert sum(report.delivered for report in reports) == 60 and all(report.delivered for report in reports)
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 0


def test_a_reset_link_that_waited_for_the_mail_server_is_issued_anew(app, client, moments, smtp_server, settings):
    """A reset link lives an hour: after a two-hour outage the person gets a fresh one, not a dead one."""
    settings(SITE_URL="https://stem-wijzer.test", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    new_user("bekend@test.example")
    ask_reset(client, "bekend@test.example")
    [first] = waiting_mails()
    first_body = first.body
    assert first.kind == "reset" and deliver_due(app).retrying == 1
    moments[0] += timedelta(hours=2)
    sink, port = smtp_server
    sink.messages.clear()
    settings(MAIL_PORT=port)
    report = deliver_due(app)
    assert (report.reissued, report.delivered) == (1, 1) and waiting_mails() == []
    [mail] = sink.messages
    link = link_in(mail, "/account/wachtwoord-herstellen/")
    assert link not in first_body
    assert "Nieuw wachtwoord kiezen" in client.get(link).get_data(as_text=True)
    written = EmailMessage()
    written.set_content(first_body)
    stale = link_in(written, "/account/wachtwoord-herstellen/")
    assert "verlopen" in client.get(stale).get_data(as_text=True)  # what the first mail would have brought


def test_a_confirmation_that_waited_a_day_comes_with_a_link_valid_for_two_days_from_then(app, client, moments,
                                                                                        smtp_server, settings):
    settings(SITE_URL="https://stem-wijzer.test", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    assert submit(client, "/account/registreren", {"display_name": "Nieuwe Gebruiker", "email": "nieuw@test.example",
                                                   "password": PASSWORD}).status_code == 200
    assert deliver_due(app).retrying == 1
    moments[0] += timedelta(days=1, hours=12)  # the server was down a day and a half
    sink, port = smtp_server
    sink.messages.clear()
    settings(MAIL_PORT=port)
    assert deliver_due(app).reissued == 1
    [mail] = sink.messages
    link = link_in(mail, "/account/bevestigen/")
    moments[0] += timedelta(days=1)  # 2.5 days after the registration: the first link would have expired
    assert client.get(link).status_code == 302
    assert login(client, "nieuw@test.example").headers["Location"] == "/account/"  # confirmed


def test_a_mail_that_cannot_be_written_anew_is_sent_as_written(app, mailbox, moments, settings, monkeypatch):
    """One broken mail never stops the outbox behind it."""
    settings(SITE_URL="https://stem-wijzer.test")
    monkeypatch.setitem(reissue._REISSUERS, "kapot", reissue.Reissuer(timedelta(hours=1), lambda *_: 1 / 0))
    queue_mail("ouder@test.example", "Onderwerp", "De tekst zoals geschreven", kind="kapot", subject_id=1)
    queue_mail("ander@test.example", "Onderwerp", "Tekst")
    db.session.commit()
    moments[0] += timedelta(hours=1)
    [mail] = mailbox.to("ouder@test.example")
    assert "De tekst zoals geschreven" in mail.get_content() and len(mailbox.arrived) == 2
