"""The admins' security log page, /beheer/beveiligingslog. Thin: read the filters, call the service, render."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from portal.domain import PermissionDenied
from portal.security import no_store
from portal.security_log import events, services
from portal.security_log.forms import SecurityLogFilterForm
from portal.security_log.policy import can_view_security_log
from portal.text import whole_number

blueprint = Blueprint("security_log", __name__, url_prefix="/beheer/beveiligingslog", template_folder="templates")
blueprint.after_request(no_store)


@blueprint.app_context_processor
def _security_log_policy() -> dict:
    return {"can_view_security_log": can_view_security_log}


@blueprint.get("/")
@login_required
def index():
    form = SecurityLogFilterForm(request.args)
    form.validate()
    try:
        found = services.search(current_user, form.filters(), whole_number(request.args.get("pagina")) or 1)
    except PermissionDenied:
        abort(403)
    # The pages' links keep the filters.
    query = {key: value for key, value in request.args.items() if key in form.data and value}
    return render_template("security_log/index.html", form=form, log=found, query=query, labels=events.LABELS,
                           outcomes=events.OUTCOME_LABELS, targets=events.TARGET_LABELS)
