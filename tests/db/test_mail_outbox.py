"""The mail outbox: a mail leaves only after its transaction commits, through a real SMTP server."""

from flask import g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.mail import deliver_outbox, queue_mail
from portal.mail.models import OutboxMail
from tests.conftest import free_port
from tests.forms import csrf_token, new_user


def waiting() -> int:
    db.session.rollback()  # a fresh read: delivery commits in a session of its own
    return db.session.scalar(select(func.count(OutboxMail.id)))


def test_a_committed_mail_is_delivered_by_smtp(app, mailbox):
    queue_mail("ouder@test.example", "Onderwerp met é", "Hallo,\n\nDit is de tekst.\n")
    assert mailbox.messages == []  # nothing before the commit
    db.session.commit()
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
    assert mailbox.messages == []
    db.session.commit()
    assert len(mailbox.messages) == 1


def test_an_unreachable_server_keeps_the_mail_for_later(app, mailbox):
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    queue_mail("ouder@test.example", "Onderwerp", "Tekst")
    db.session.commit()  # the commit stands although delivery failed
    assert waiting() == 1 and db.session.scalar(select(OutboxMail.attempts)) == 1
    app.config["MAIL_PORT"] = port
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Delivered 1 mails." in result.output
    assert len(mailbox.messages) == 1 and waiting() == 0


def test_without_a_mail_server_mails_become_files(app, tmp_path):
    app.config.update(MAIL_SERVER=None, MAIL_FILE_DIR=str(tmp_path / "mail"))
    queue_mail("ouder@test.example", "Onderwerp", "Tekst met een link")
    db.session.commit()
    [written] = list((tmp_path / "mail").glob("*.eml"))
    content = written.read_text()
    assert "To: ouder@test.example" in content and "Tekst met een link" in content
    assert deliver_outbox() == 0


def test_in_a_request_the_mail_leaves_after_the_response_was_sent(app, mailbox):
    """So the answer to a reset request takes as long whether or not the address has an account."""
    new_user("bekend@test.example")
    server = FlaskClient(app, app.response_class, use_cookies=True)  # leaves closing the response to us
    token = csrf_token(server, "/account/wachtwoord-vergeten")
    g.__dict__.clear()
    response = server.post("/account/wachtwoord-vergeten", data={"csrf_token": token, "email": "bekend@test.example"})
    assert response.status_code == 200 and mailbox.messages == [] and waiting() == 1
    response.close()  # what a WSGI server does once the response is sent
    assert [message["To"] for message in mailbox.messages] == ["bekend@test.example"] and waiting() == 0


def test_a_line_break_in_a_subject_does_not_block_the_mail(app, mailbox):
    """Names and titles typed before the single-line rules may hold one; the subject stays one header line."""
    queue_mail("lid@test.example", "Eve\r\nBcc: x@evil.example wil lid worden", "Tekst")
    db.session.commit()
    [message] = mailbox.messages
    assert message["Subject"] == "Eve Bcc: x@evil.example wil lid worden" and message["Bcc"] is None
    assert waiting() == 0
