"""The mail outbox: a mail is written with its transaction and leaves with the mail worker's next pass (never
on the request path), through a real SMTP server."""

from flask import g
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from portal.catalogue import services as catalogue
from portal.catalogue.models import Listing
from portal.extensions import db
from portal.mail import queue_mail
from portal.mail.models import OutboxMail
from portal.mail.worker import deliver_due
from tests.conftest import free_port, make_app
from tests.factories import ListingInputFactory
from tests.forms import csrf_token, log_in, login, new_user, review_form, text_of
from tests.world import build_world


def waiting() -> int:
    db.session.rollback()  # a fresh read: the worker commits in a session of its own
    return db.session.scalar(select(func.count(OutboxMail.id)))


def test_a_committed_mail_is_delivered_by_smtp(app, mailbox):
    queue_mail("ouder@test.example", "Onderwerp met é", "Hallo,\n\nDit is de tekst.\n")
    assert mailbox.messages == []  # nothing before the commit
    db.session.commit()
    assert mailbox.arrived == [] and waiting() == 1  # the commit sends nothing: the worker does
    [message] = mailbox.messages
    assert message["To"] == "ouder@test.example" and message["Subject"] == "Onderwerp met é"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert "Dit is de tekst." in message.get_content()
    assert waiting() == 0


def test_a_rollback_sends_nothing(app, mailbox):
    queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    db.session.rollback()
    db.session.commit()
    assert mailbox.messages == [] and waiting() == 0


def test_a_released_savepoint_waits_for_the_outer_commit(app, mailbox):
    with db.session.begin_nested():
        queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    assert mailbox.arrived == []  # (a worker pass now would wait for this session's write lock on SQLite)
    db.session.commit()
    assert len(mailbox.messages) == 1


def test_a_savepoint_rolled_back_keeps_the_mail_queued_before_it(app, mailbox):
    queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    savepoint = db.session.begin_nested()
    queue_mail("ander@test.example", "Onderwerp", "Tekst")
    savepoint.rollback()  # e.g. a unique constraint caught by a service; the outer change goes on
    db.session.commit()
    assert [message["To"] for message in mailbox.messages] == ["ouder@test.example"]
    assert waiting() == 0


def test_an_unreachable_server_keeps_the_mail_for_a_later_pass(app, mailbox):
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "work", "--once"])
    assert result.exit_code == 0 and "Delivered 0 mails" in result.output and "1 failed" in result.output
    assert waiting() == 1 and db.session.scalar(select(OutboxMail.attempts)) == 1
    assert "ConnectionRefusedError" in db.session.scalar(select(OutboxMail.last_error))
    app.config["MAIL_PORT"] = port
    db.session.execute(update(OutboxMail).values(next_attempt_at=OutboxMail.created_at))  # its retry is due
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "work", "--once"])
    assert result.exit_code == 0 and "Delivered 1 mails" in result.output and "Waiting: 0" in result.output
    assert len(mailbox.arrived) == 1 and waiting() == 0


def test_without_a_mail_server_mails_become_files(app, tmp_path):
    app.config.update(MAIL_SERVER=None, MAIL_FILE_DIR=str(tmp_path / "mail"))
    queue_mail("ouder@test.example", "Onderwerp", "Tekst met een link")
    db.session.commit()
    assert deliver_due(app).delivered == 1
    [written] = list((tmp_path / "mail").glob("*.eml"))
    content = written.read_text()
    assert "To: ouder@test.example" in content and "Tekst met een link" in content
    assert deliver_due(app).delivered == 0


def test_a_request_never_sends_mail_itself(app, mailbox):
    """The worker does, later: the answer to a reset request takes as long whether or not the address has an
    account, and a mail server that hangs holds no web worker."""
    new_user("bekend@test.example")
    server = FlaskClient(app, app.response_class, use_cookies=True)  # leaves closing the response to us
    token = csrf_token(server, "/account/wachtwoord-vergeten")
    g.__dict__.clear()
    response = server.post("/account/wachtwoord-vergeten", data={"csrf_token": token, "email": "bekend@test.example"})
    assert response.status_code == 200 and mailbox.arrived == [] and waiting() == 1
    response.close()  # what a WSGI server does once the response is sent
    assert mailbox.arrived == [] and waiting() == 1
    assert [message["To"] for message in mailbox.messages] == ["bekend@test.example"] and waiting() == 0


def test_a_line_break_in_a_subject_does_not_block_the_mail(app, mailbox):
    """Names and titles typed before the single-line rules may hold one; the subject stays one header line."""
    queue_mail("lid@test.example", "Eve\r\nBcc: x@evil.example wil lid worden", "Tekst")
    db.session.commit()
    [message] = mailbox.messages
    assert message["Subject"] == "Eve Bcc: x@evil.example wil lid worden" and message["Bcc"] is None
    assert waiting() == 0


def test_rejecting_a_listing_with_the_longest_title_mails_the_members(app, mailbox):
    """The rejection subject holds the title (up to 200 characters) and more: once a 500 on PostgreSQL."""
    world = build_world()
    listing = catalogue.create_listing(world.member_a, world.org_a, ListingInputFactory(title="T" * 200))
    catalogue.submit_listing(world.member_a, listing)
    db.session.commit()
    admin = app.test_client()
    log_in(admin, world.admin)
    page = f"/moderatie/aanbod/{listing.id}"
    answer = admin.post(f"{page}/beslissen", data={**review_form(admin, page), "reject": "y", "reason": "Te vaag"})
    assert answer.status_code == 302
    assert db.session.get(Listing, listing.id).status == "rejected"
    [mail] = mailbox.to("lid.a@test.example")
    assert "T" * 200 in mail["Subject"] and waiting() == 0


def test_a_database_failure_shows_the_dutch_error_page(databases, tmp_path):
    """After a failed statement the session's transaction is unusable; the error page must not need it."""
    app = make_app(databases.fresh("stemwijzer_error_page"), tmp_path / "index",
                   PROPAGATE_EXCEPTIONS=False)

    @app.get("/test/databankfout")
    def failing():
        db.session.commit()  # as a view that commits once and then fails: the signed-in user is expired
        db.session.add(OutboxMail(recipient=None, subject="x", body="x"))
        db.session.flush()  # NOT NULL violated

    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        new_user("lid@test.example")
        visitor = app.test_client()
        assert login(visitor, "lid@test.example").status_code == 302
        answer = visitor.get("/test/databankfout")
        assert answer.status_code == 500 and "Er ging bij ons iets mis" in text_of(answer)
        assert "Traceback" not in answer.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
