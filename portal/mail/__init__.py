"""Mail, through one outbox.

    from portal.mail import queue_mail
    queue_mail(to, subject, text)

`queue_mail` writes the mail into the `mail_outbox` table in the current transaction, beside the change
that causes it; a rollback sends nothing. The mail worker (`flask mail work`, portal/mail/worker.py) delivers
it off the request path: by SMTP when MAIL_SERVER is set, otherwise as .eml files in MAIL_FILE_DIR
(development). A failed delivery is retried with backoff for MAIL_RETRY_HOURS, then it is a dead letter that
admins see and can resend (/beheer/mail). Subjects and texts are Dutch and plain text.
"""

from portal.mail.outbox import queue_health, queue_mail

__all__ = ["queue_health", "queue_mail"]
