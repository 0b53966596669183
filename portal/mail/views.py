"""The admins' outbox page, /beheer/mail: mails being retried, dead letters, and resending one. Thin: call
the service in a unit of work, render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from portal.domain import PermissionDenied
from portal.mail import services
from portal.mail.outbox import queue_health
from portal.mail.policy import can_manage_mail
from portal.security import no_store
from portal.text import whole_number
from portal.transactions import service_call

blueprint = Blueprint("mail_admin", __name__, url_prefix="/beheer/mail", template_folder="templates")
blueprint.after_request(no_store)


@blueprint.app_context_processor
def _mail_policy() -> dict:
    return {"can_manage_mail": can_manage_mail}


@blueprint.get("/")
@login_required
def outbox():
    pages = {name: whole_number(request.args.get(name)) or 1 for name in ("dood", "opnieuw")}
    try:
        dead = services.dead_letters(current_user, pages["dood"])
        retrying = services.retrying(current_user, pages["opnieuw"])
    except PermissionDenied:
        abort(403)
    return render_template("mail/outbox.html", dead=dead, retrying=retrying, health=queue_health(), pages=pages)


@blueprint.post("/<int:mail_id>/opnieuw")
@login_required
def resend(mail_id: int):
    with service_call() as work:
        applies = services.resend(current_user._get_current_object(), mail_id)
    if work.ok:
        flash(gettext("De mail wordt opnieuw verstuurd.") if applies else gettext(
            "Deze mail is niet meer nodig (het adres werd intussen bevestigd of het account bestaat niet meer); "
            "hij is weggehaald."), "success")
    return redirect(url_for("mail_admin.outbox"))
