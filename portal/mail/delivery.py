"""How a mail leaves the portal: SMTP when MAIL_SERVER is configured, otherwise a file per mail."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from portal.mail.models import OutboxMail

# Lines up to RFC 5322's limit: a long link stays on one line (unencoded) in a plain ASCII mail.
POLICY = SMTP.clone(max_line_length=998)


def message(mail: OutboxMail, sender: str) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(mail.body)
    return msg


class SmtpDelivery:
    def __init__(self, config: dict):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def __enter__(self):
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        self.connection = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                                     timeout=config["MAIL_TIMEOUT"])
        if config["MAIL_USE_TLS"]:
            self.connection.starttls()
        if config["MAIL_USERNAME"]:
            self.connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return self

    def send(self, mail: OutboxMail) -> None:
        self.connection.send_message(message(mail, self.config["MAIL_DEFAULT_SENDER"]))

    def __exit__(self, *exc) -> None:
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):  # the server went away or hangs: the mails were settled
            self.connection.close()


class FileDelivery:
    """Development: every mail becomes an .eml file (open it in a mail client, or read it: it is text)."""

    def __init__(self, config: dict):
        self.config = config
        self.directory = Path(config["MAIL_FILE_DIR"])

    def __enter__(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, mail: OutboxMail) -> None:
        # Outbox ids come back once delivered rows are gone (SQLite): a random part keeps every file.
        path = self.directory / f"{mail.created_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
        path.write_bytes(bytes(message(mail, self.config["MAIL_DEFAULT_SENDER"])))

    def __exit__(self, *exc) -> None:
        pass


def delivery(config: dict):
    return SmtpDelivery(config) if config.get("MAIL_SERVER") else FileDelivery(config)
