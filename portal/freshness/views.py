"""Re-confirmation pages: the reminder's confirmation link (/nog-actueel/<token>: a page with one POST button,
nothing changes on GET), the dashboard's confirm buttons, and the moderators' freshness report (/moderatie/
actualiteit) with its reminder button. Thin: parse, call one service in a unit of work, render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from portal.accounts.tokens import TokenRefused
from portal.catalogue import policy
from portal.catalogue import services as catalogue
from portal.clock import today
from portal.domain import InvalidTransition, ValidationFailed
from portal.freshness import services
from portal.organisations.services import organisation_by_slug
from portal.security import no_store
from portal.submissions.services import listing_for_editor
from portal.text import whole_number
from portal.transactions import service_call

blueprint = Blueprint("freshness", __name__, template_folder="templates")
blueprint.after_request(no_store)


def _actor():
    return current_user._get_current_object()


@blueprint.get("/nog-actueel/<token>")
def confirm(token: str):
    try:
        user, organisation = services.read_link(token)
    except TokenRefused as refusal:
        return render_template("freshness/link_refused.html", message=str(refusal)), 400
    return render_template("freshness/confirm.html", organisation=organisation, user=user,
                           rows=services.overview(organisation, today()))


@blueprint.post("/nog-actueel/<token>")
def confirm_post(token: str):
    with service_call(handled=TokenRefused) as work:
        user, organisation = services.read_link(token)
        count = services.confirm_all(user, organisation)
    if not work.ok:
        return render_template("freshness/link_refused.html", message=str(work.refusal)), 400
    return render_template("freshness/confirmed.html", organisation=organisation, count=count)


@blueprint.post("/mijn/organisaties/<slug>/bevestigen")
@login_required
def confirm_organisation(slug: str):
    with service_call() as work:
        count = services.confirm_all(_actor(), organisation_by_slug(slug, _actor()))
    if work.ok:
        flash(gettext("Bedankt: %(count)s aanbod bevestigd als nog actueel.", count=count), "success")
    return redirect(url_for("organisations.dashboard", slug=slug, _anchor="actualiteit"))


@blueprint.post("/mijn/aanbod/<int:listing_id>/bevestigen")
@login_required
def confirm_listing(listing_id: int):
    with service_call(handled=InvalidTransition) as work:
        listing = listing_for_editor(_actor(), listing_id)
        catalogue.confirm_listing(_actor(), listing)
    if work.ok:
        flash(gettext("'%(title)s' is bevestigd als nog actueel.", title=listing.title), "success")
    else:
        flash(str(work.refusal), "error")
    return redirect(url_for("organisations.dashboard", slug=listing.organisation.slug, _anchor="actualiteit"))


# The moderators' report

admin = Blueprint("freshness_admin", __name__, template_folder="templates", url_prefix="/moderatie/actualiteit")
admin.after_request(no_store)


@admin.before_request
@login_required
def _moderators_only() -> None:
    if not policy.can_moderate(current_user):
        abort(403)


@admin.get("")
def report():
    found = services.report(_actor(), today(), whole_number(request.args.get("pagina")))
    return render_template("freshness/report.html", report=found)


@admin.post("/<int:organisation_id>/herinneren")
def remind(organisation_id: int):
    with service_call(handled=ValidationFailed) as work:
        organisation = services.organisation_by_id(organisation_id)
        mailed = services.send_reminder(_actor(), organisation, today())
    if work.ok:
        flash(gettext("Herinnering verstuurd naar %(count)s leden van %(name)s.", count=mailed,
                      name=organisation.name), "success")
    else:
        flash(" ".join(str(message) for message in work.refusal.errors["form"]), "error")
    return redirect(url_for("freshness_admin.report", pagina=request.args.get("pagina")))
