"""The moderators' workplace (/moderatie) and the public "meld een fout" form. Thin: parse, call one service
in a unit of work (portal/transactions.py), render."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.catalogue import policy, queries, vocab
from portal.catalogue.workflow import REPORT
from portal.domain import DomainError, NotFound
from portal.extensions import limiter
from portal.moderation import services
from portal.moderation.forms import (
    BulkApproveForm,
    DecisionForm,
    HandleReportForm,
    ReasonForm,
    ReportForm,
    ReviewForm,
)
from portal.security import no_store
from portal.templating import availability_text
from portal.text import whole_number
from portal.transactions import service_call

blueprint = Blueprint("moderation", __name__, template_folder="templates", url_prefix="/moderatie")
reports = Blueprint("reports", __name__, template_folder="templates")
blueprint.after_request(no_store)  # the public report form is no workplace: it may be cached like a listing page


@blueprint.before_request
@login_required
def _moderators_only() -> None:
    if not policy.can_moderate(current_user):
        abort(403)


@blueprint.app_template_filter("date_time")
def date_time(value) -> str:
    return format_datetime(value, "d MMMM y, HH:mm") if value else ""


@blueprint.app_template_filter("change_text")
def change_text(change) -> str:
    """One audit trail entry in words: "Concept → Wacht op goedkeuring", "Wijziging: ... → Goedgekeurd",
    "Wijziging bijgewerkt"."""
    if change.is_revision_update:
        return gettext("Wijziging bijgewerkt")
    if change.freshness:
        return str(vocab.FRESHNESS_EVENTS.label(change.freshness))
    if change.availability:
        state = change.availability
        postponed_to = date.fromisoformat(state["postponed_to"]) if state.get("postponed_to") else None
        text = (availability_text(state["availability"], state.get("waiting_list", False), postponed_to)
                or vocab.AVAILABILITY.label(state["availability"]))
        return gettext("Beschikbaarheid: %(text)s", text=text)
    statuses = vocab.REVISION_STATUSES if change.revision_id else vocab.LISTING_STATUSES
    to_label = statuses.label(change.to_status) if change.to_status in statuses else change.to_status
    if change.from_status is None:
        text = (gettext("Wijziging voorgesteld") if change.revision_id
                else gettext("Aangemaakt als %(status)s", status=to_label))
        return text
    from_label = statuses.label(change.from_status) if change.from_status in statuses else change.from_status
    text = f"{from_label} → {to_label}"
    return gettext("Wijziging: %(text)s", text=text) if change.revision_id else text


def _int_arg(name: str, allowed) -> int | None:
    value = whole_number(request.args.get(name))
    return value if value in allowed else None


def _page_arg() -> int:
    return whole_number(request.args.get("pagina")) or 1


@blueprint.get("")
def queue():
    kind = request.args.get("soort") if request.args.get("soort") in vocab.LISTING_KINDS else None
    region = request.args.get("provincie") if request.args.get("provincie") in vocab.REGIONS else None
    min_days = _int_arg("wacht", services.WAITING_CHOICES)
    section = request.args.get("wat") if request.args.get("wat") in services.SECTIONS else None
    found = services.queue(current_user, kind=kind, region=region, min_days=min_days, section=section,
                           page=_page_arg())
    filters = {"soort": kind, "provincie": region, "wacht": min_days}
    return render_template("moderation/queue.html", queue=found, items=found.page.items, section=section,
                           filters={name: value for name, value in filters.items() if value is not None},
                           kind=kind, region=region, min_days=min_days, sections=services.SECTIONS,
                           waiting_choices=services.WAITING_CHOICES, form=BulkApproveForm())


@blueprint.post("/goedkeuren")
def approve_many():
    form = BulkApproveForm()
    if form.validate_on_submit():
        with service_call():
            result = services.approve_many(current_user, form.items.data or [])
        if result.approved:
            flash(gettext("Goedgekeurd: %(titles)s.", titles=", ".join(result.approved)), "success")
        for title, problem in result.failed:
            flash(gettext("Niet goedgekeurd: %(title)s: %(problem)s", title=title, problem=problem), "error")
        if not (result.approved or result.failed):
            flash(gettext("Je selecteerde niets."), "error")
    return redirect(url_for("moderation.queue"))


def _listing_or_404(listing_id: int):
    try:
        return services.listing_for_review(current_user, listing_id)
    except NotFound:
        abort(404)


def _render_listing(listing, review=None, reason=None, status=200):
    return render_template(
        "moderation/listing.html", listing=listing, review=review or ReviewForm(), reason_form=reason or ReasonForm(),
        history=services.listing_history(current_user, listing), version=services.version_of(listing),
    ), status


@blueprint.get("/aanbod/<int:listing_id>")
def listing(listing_id: int):
    return _render_listing(_listing_or_404(listing_id))


def _decide(form, subject, approve, reject, render, done_url):
    """Approve or reject `subject` with the review form; errors are shown on the review page. A decision on
    another version than the one shown is refused, and the page then shows the new version."""
    if form.validate_on_submit():
        seen_version = form.version.data or ""  # a page without it saw no version: refused as changed
        checked = {"quality_checks": form.quality_checks.data} if "quality_checks" in form else {}
        with service_call(form) as work:
            if form.reject.data:
                reject(current_user, subject, form.reason.data, seen_version=seen_version, **checked)
                message = gettext("Afgewezen; de reden staat in de geschiedenis.")
            else:
                approve(current_user, subject, seen_version=seen_version, **checked)
                message = gettext("Goedgekeurd.")
        if work.ok:
            flash(message, "success")
            return redirect(done_url)
    return render(form)


@blueprint.post("/aanbod/<int:listing_id>/beslissen")
def decide_listing(listing_id: int):
    found = _listing_or_404(listing_id)
    return _decide(ReviewForm(), found, services.approve_listing, services.reject_listing,
                   lambda form: _render_listing(found, review=form, status=422), url_for("moderation.queue"))


def _with_reason(listing_id: int, action, done: str):
    found = _listing_or_404(listing_id)
    form = ReasonForm()
    if form.validate_on_submit():
        with service_call(form) as work:
            action(current_user, found, form.reason.data)
        if work.ok:
            flash(done, "success")
            return redirect(url_for("moderation.listing", listing_id=found.id))
    return _render_listing(found, reason=form, status=422)


@blueprint.post("/aanbod/<int:listing_id>/offline")
def unpublish(listing_id: int):
    return _with_reason(listing_id, services.unpublish_listing,
                        gettext("Offline gehaald: het aanbod is niet meer publiek en staat terug in concept."))


@blueprint.post("/aanbod/<int:listing_id>/archiveren")
def archive(listing_id: int):
    return _with_reason(listing_id, services.archive_listing, gettext("Gearchiveerd."))


def _revision_or_404(revision_id: int):
    try:
        return services.revision_for_review(current_user, revision_id)
    except NotFound:
        abort(404)


def _render_revision(revision, changes, review=None, status=200):
    return render_template("moderation/revision.html", revision=revision, changes=changes,
                           review=review or ReviewForm(), version=services.version_of(revision),
                           history=services.listing_history(current_user, revision.listing)), status


@blueprint.get("/wijzigingen/<int:revision_id>")
def revision(revision_id: int):
    return _render_revision(*_revision_or_404(revision_id))


@blueprint.post("/wijzigingen/<int:revision_id>/beslissen")
def decide_revision(revision_id: int):
    found, changes = _revision_or_404(revision_id)
    return _decide(ReviewForm(), found, services.approve_revision, services.reject_revision,
                   lambda form: _render_revision(found, changes, review=form, status=422),
                   url_for("moderation.queue"))


def _organisation_revision_or_404(revision_id: int):
    try:
        return services.organisation_revision_for_review(current_user, revision_id)
    except NotFound:
        abort(404)


def _render_organisation_revision(revision, changes, review=None, status=200):
    _organisation, history = services.organisation_history(current_user, revision.organisation_id)
    return render_template("moderation/organisation_revision.html", revision=revision, changes=changes,
                           review=review or DecisionForm(), version=services.version_of(revision),
                           history=history), status


@blueprint.get("/organisaties/wijzigingen/<int:revision_id>")
def organisation_revision(revision_id: int):
    return _render_organisation_revision(*_organisation_revision_or_404(revision_id))


@blueprint.post("/organisaties/wijzigingen/<int:revision_id>/beslissen")
def decide_organisation_revision(revision_id: int):
    found, changes = _organisation_revision_or_404(revision_id)
    return _decide(DecisionForm(), found, services.approve_organisation_revision,
                   services.reject_organisation_revision,
                   lambda form: _render_organisation_revision(found, changes, review=form, status=422),
                   url_for("moderation.queue"))


@blueprint.get("/organisaties/<int:organisation_id>/geschiedenis")
def organisation_history(organisation_id: int):
    try:
        organisation, history = services.organisation_history(current_user, organisation_id)
    except NotFound:
        abort(404)
    return render_template("moderation/organisation_history.html", organisation=organisation, history=history)


@blueprint.post("/organisaties/<int:organisation_id>/verifieren")
def verify_organisation(organisation_id: int):
    if FlaskForm().validate_on_submit():
        with service_call():
            organisation = services.verify_organisation(current_user, organisation_id)
        flash(gettext("%(name)s is geverifieerd.", name=organisation.name), "success")
    return redirect(url_for("moderation.queue"))


def _report_or_404(report_id: int):
    try:
        return services.report_for_review(current_user, report_id)
    except NotFound:
        abort(404)


@blueprint.get("/meldingen/<int:report_id>")
def report(report_id: int):
    return render_template("moderation/report.html", report=_report_or_404(report_id), form=HandleReportForm())


@blueprint.post("/meldingen/<int:report_id>/behandelen")
def handle_report(report_id: int):
    found = _report_or_404(report_id)
    form = HandleReportForm()
    if form.validate_on_submit():
        with service_call(handled=DomainError) as work:
            outcome = REPORT.leads_to("dismiss" if form.dismiss.data else "resolve")
            services.handle_report(current_user, found, outcome, form.note.data)
        if not work.ok:
            flash(str(work.refusal), "error")
        else:
            flash(gettext("De melding is behandeld."), "success")
    return redirect(url_for("moderation.queue"))


@blueprint.get("/logboek")
def log():
    return render_template("moderation/log.html", log=services.audit_log(current_user, _page_arg()))


@reports.route("/aanbod/<slug>/melden", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REPORT_LIMIT"], methods=["POST"])  # per client address
def report_problem(slug: str):
    """Anyone may tell the moderators that something about a public listing is wrong."""
    try:
        found = queries.listing_by_slug(current_user, slug)
    except NotFound:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        with service_call(form) as work:
            services.report_problem(current_user, found, form.message.data, form.email.data)
        if work.ok:
            flash(gettext("Bedankt voor je melding. Een moderator bekijkt ze."), "success")
            return redirect(url_for("catalogue.listing", slug=found.slug))
    status = 422 if form.errors else 200
    return render_template("moderation/report_form.html", listing=found, form=form), status
