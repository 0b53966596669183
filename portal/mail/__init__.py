"""Mail, through one outbox.

    from portal.mail import queue_mail
    queue_mail(to, subject, text)

`queue_mail` writes the mail into the `mail_outbox` table in the current transaction, beside the change
that causes it. After the commit the outbox is delivered: by SMTP when MAIL_SERVER is set, otherwise as
.eml files in MAIL_FILE_DIR (development). A rollback sends nothing; a failed delivery keeps the mail in
the outbox for the next commit or `flask mail send`. Subjects and texts are Dutch and plain text.
"""

from portal.mail.outbox import deliver_outbox, queue_mail

__all__ = ["deliver_outbox", "queue_mail"]
