"""The admins' outbox page: mails being retried and dead letters, with what went wrong, and resending one."""

from sqlalchemy import select, update

from portal.extensions import db
from portal.mail import queue_mail
from portal.mail.models import DEAD, WAITING, OutboxMail
from portal.security_log.models import SecurityEvent
from tests.forms import csrf_token, link_in, log_in, new_user, text_of

PAGE = "/beheer/mail/"


def dead_letter(to: str, subject: str, text: str = "Tekst", **kind) -> int:
    """A mail the worker gave up on (tests/db/test_mail_worker.py shows how it gets there)."""
    mail = queue_mail(to, subject, text, **kind)
    db.session.flush()
    db.session.execute(update(OutboxMail).where(OutboxMail.id == mail.id).values(
        status=DEAD, attempts=17, last_error="ConnectionRefusedError: [Errno 111] Connection refused"))
    db.session.commit()
    return mail.id


def admin_client(app):
    client = app.test_client()
    log_in(client, new_user("beheerder@test.example", is_admin=True))
    return client


def resend(client, mail_id: int):
    return client.post(f"{PAGE}{mail_id}/opnieuw", data={"csrf_token": csrf_token(client, PAGE)})


def test_admins_see_dead_letters_and_retries_with_their_error_but_not_their_text(app):
    dead_letter("ouder@test.example", "Je verzoek bij Robotclub", text="Geheime link https://x.example/token")
    retrying = queue_mail("ander@test.example", "Nog onderweg", "Tekst")
    db.session.flush()
    db.session.execute(update(OutboxMail).where(OutboxMail.id == retrying.id).values(
        attempts=3, last_error="SMTPServerDisconnected: Connection unexpectedly closed: timed out"))
    db.session.commit()
    page = admin_client(app).get(PAGE)
    assert page.status_code == 200
    shown = text_of(page)
    assert "ouder@test.example" in shown and "Je verzoek bij Robotclub" in shown and "Connection refused" in shown
    assert "Nog onderweg" in shown and "timed out" in shown and "Volgende poging" in shown
    assert "Geheime link" not in page.get_data(as_text=True)
    assert "1 mail niet bezorgd" in shown and "1 mail wacht op verzending" in shown


def test_only_admins_see_the_page(app, client):
    assert client.get(PAGE).status_code == 302  # to the login page
    member = app.test_client()
    log_in(member, new_user("lid@test.example"))
    assert member.get(PAGE).status_code == 403
    mail_id = dead_letter("ouder@test.example", "Onderwerp")
    assert member.post(f"{PAGE}{mail_id}/opnieuw", data={"csrf_token": csrf_token(member, "/account/")}
                       ).status_code == 403
    assert db.session.get(OutboxMail, mail_id).status == DEAD


def test_a_resent_dead_letter_is_delivered_and_the_resend_is_logged(app, mailbox):
    mail_id = dead_letter("ouder@test.example", "Onderwerp")
    admin = admin_client(app)
    assert admin.post(f"{PAGE}{mail_id}/opnieuw").status_code == 400  # no CSRF token: refused
    answer = resend(admin, mail_id)
    assert answer.status_code == 302 and "wordt opnieuw verstuurd" in text_of(admin.get(PAGE))
    db.session.rollback()
    mail = db.session.get(OutboxMail, mail_id)
    assert (mail.status, mail.attempts, mail.last_error) == (WAITING, 0, None)
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "mail.resent"))
    assert event.target_type == "outbox_mail" and event.target_id == mail_id and event.details["email"] != \
        "ouder@test.example"  # masked, like every address in the log
    [delivered] = mailbox.to("ouder@test.example")
    assert delivered["Subject"] == "Onderwerp"
    assert resend(admin, mail_id).status_code == 404  # delivered: nothing left to resend


def test_a_dead_reset_mail_is_resent_with_a_fresh_link(app, client, mailbox):
    user = new_user("bekend@test.example")
    client.post("/account/wachtwoord-vergeten", data={
        "csrf_token": csrf_token(client, "/account/wachtwoord-vergeten"), "email": "bekend@test.example"})
    db.session.rollback()
    first = db.session.scalar(select(OutboxMail))
    assert (first.kind, first.subject_id) == ("reset", user.id)
    db.session.execute(update(OutboxMail).values(status=DEAD, last_error="TimeoutError: timed out"))
    db.session.commit()
    assert resend(admin_client(app), first.id).status_code == 302
    db.session.rollback()
    assert db.session.get(OutboxMail, first.id) is None  # the stale mail is gone, a new one written
    [mail] = mailbox.to("bekend@test.example")
    assert "Nieuw wachtwoord kiezen" in text_of(client.get(link_in(mail, "/account/wachtwoord-herstellen/")))


def test_a_dead_confirmation_for_an_address_confirmed_meanwhile_is_cleared(app, mailbox):
    user = new_user("bevestigd@test.example")  # confirmed
    mail_id = dead_letter(user.email, "Bevestig je e-mailadres voor STEM-wijzer", kind="confirm", subject_id=user.id)
    admin = admin_client(app)
    assert resend(admin, mail_id).status_code == 302
    assert "niet meer nodig" in text_of(admin.get(PAGE))
    db.session.rollback()
    assert db.session.get(OutboxMail, mail_id) is None and mailbox.to(user.email) == []
