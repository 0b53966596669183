"""The request is the unit of work (portal/transactions.py): a refused service call leaves nothing behind, even
what it changed before it was refused; a successful one is committed and its outbox delivers; a page that only
reads commits nothing."""

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.accounts import services
from portal.accounts.models import User
from portal.domain import ValidationFailed
from portal.extensions import db
from portal.mail.models import OutboxMail
from tests.forms import PASSWORD, submit, text_of

FORM = {"display_name": "Nieuwe Gebruiker", "email": "nieuw@test.example", "password": PASSWORD}


def _committed_count(model) -> int:
    with Session(db.engine) as session:  # the database itself, not the test's session
        return session.scalar(select(func.count()).select_from(model))


def test_a_refusal_after_a_change_rolls_the_whole_service_call_back(client, mailbox, monkeypatch):
    register = services.register

    def register_then_refuse(*args):
        register(*args)  # adds the account and queues its confirmation mail
        raise ValidationFailed({"email": ["Geweigerd na de wijziging."]})

    monkeypatch.setattr(services, "register", register_then_refuse)
    answer = submit(client, "/account/registreren", FORM)
    assert answer.status_code == 200
    assert "Geweigerd na de wijziging." in text_of(answer)
    assert _committed_count(User) == 0
    assert _committed_count(OutboxMail) == 0
    assert mailbox.to("nieuw@test.example") == []


def test_a_successful_post_is_committed_and_its_mail_delivered(client, mailbox):
    answer = submit(client, "/account/registreren", FORM)
    assert answer.status_code == 200
    assert _committed_count(User) == 1
    [mail] = mailbox.to("nieuw@test.example")
    assert mail["Subject"] == "Bevestig je e-mailadres voor STEM-wijzer"
    assert _committed_count(OutboxMail) == 0  # delivered, so taken out of the outbox


def test_a_page_that_only_reads_commits_nothing(client):
    commits = []
    listener = lambda session: commits.append(session)  # noqa: E731
    event.listen(Session, "after_commit", listener)
    try:
        assert client.get("/").status_code == 200
        assert client.get("/account/registreren").status_code == 200
    finally:
        event.remove(Session, "after_commit", listener)
    assert commits == []
