"""An organisation member's workplace: their listings, the listing form, submit and withdraw. Thin views; each
service call is one unit of work (portal/transactions.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.catalogue import services as catalogue
from portal.domain import DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from portal.forms import attach_errors
from portal.moderation import services as moderation
from portal.security import no_store
from portal.submissions import places, services
from portal.submissions.forms import AvailabilityForm, ListingForm
from portal.transactions import service_call

blueprint = Blueprint("submissions", __name__, template_folder="templates", url_prefix="/mijn/aanbod")
blueprint.after_request(no_store)


@blueprint.before_request
@login_required
def _signed_in() -> None:
    """Every page here is for a signed-in user."""


def _listing_or_404(listing_id: int):
    try:
        return services.listing_for_editor(current_user, listing_id)
    except NotFound:
        abort(404)


@blueprint.get("")
def index():
    groups = services.listings_of_member(current_user)
    with_revision = services.pending_revision_ids([listing.id for _, listings in groups for listing in listings])
    return render_template("submissions/index.html", groups=groups, with_revision=with_revision)


def _render_form(form, organisation, listing=None, revision=None, status=200):
    return render_template("submissions/form.html", form=form, organisation=organisation, listing=listing,
                           revision=revision, place_suggestions=places.suggestions()), status


def _save(form, organisation, listing):
    """Validate shape, hand the input to the services, and show their errors next to the fields."""
    if form.add_location.data:
        added = form.add_location_row()
        return _render_form(form, organisation, listing, status=200 if added else 422)
    if form.validate():
        data, typed = form.to_input()
        with service_call(handled=DomainError) as work:
            data = services.resolve_places(data, typed)
            if listing is None:
                listing = services.create_listing(current_user, organisation, data, submit=form.send.data)
                message = gettext("Je aanbod is opgeslagen.")
            else:
                revision = services.save_listing(current_user, listing, data, submit=form.send.data)
                message = (gettext("Je wijziging is opgeslagen. De gepubliceerde versie blijft online tot een "
                                   "moderator de wijziging goedkeurt.") if revision
                           else gettext("Je aanbod is opgeslagen."))
        if isinstance(work.refusal, ValidationFailed):
            form.attach(work.refusal.errors)
        elif not work.ok:
            form.form_errors = [*form.form_errors, str(work.refusal)]
        else:
            if form.send.data:
                message = gettext("Je aanbod is ingediend; een moderator bekijkt het.")
            flash(message, "success")
            return redirect(url_for("submissions.detail", listing_id=listing.id))
    else:
        form.attach(services.input_errors(*form.to_input()), besides_shape_errors=True)  # all problems at once
    return _render_form(form, organisation, listing, status=422)


@blueprint.route("/nieuw", methods=["GET", "POST"])
def new():
    try:
        organisation = services.organisation_for_new_listing(current_user, request.args.get("organisatie"))
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    if organisation is None:
        return render_template("submissions/choose_organisation.html",
                               organisations=services.member_organisations(current_user))
    form = ListingForm()
    if request.method == "POST":
        return _save(form, organisation, None)
    return _render_form(form, organisation)


@blueprint.get("/<int:listing_id>")
def detail(listing_id: int):
    listing = _listing_or_404(listing_id)
    return render_template("submissions/detail.html", listing=listing,
                           revision=services.pending_revision(listing),
                           history=moderation.listing_history(current_user, listing), form=FlaskForm())


@blueprint.route("/<int:listing_id>/bewerken", methods=["GET", "POST"])
def edit(listing_id: int):
    listing = _listing_or_404(listing_id)
    try:
        services.require_changeable(current_user, listing)
    except InvalidTransition as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("submissions.detail", listing_id=listing.id))
    form = ListingForm(current_kind=listing.kind)
    if request.method == "POST":
        return _save(form, listing.organisation, listing)
    form.fill(services.editable_input(current_user, listing))
    return _render_form(form, listing.organisation, listing, services.pending_revision(listing))


def _act(listing_id: int, action, done: str):
    listing = _listing_or_404(listing_id)
    form = FlaskForm()
    if form.validate_on_submit():
        with service_call(handled=DomainError) as work:
            action(current_user, listing)
        if work.ok:
            flash(done, "success")
        else:
            flash(str(work.refusal), "error")
    return redirect(url_for("submissions.detail", listing_id=listing.id))


@blueprint.post("/<int:listing_id>/indienen")
def submit(listing_id: int):
    return _act(listing_id, services.submit, gettext("Je aanbod is ingediend; een moderator bekijkt het."))


@blueprint.post("/<int:listing_id>/intrekken")
def withdraw(listing_id: int):
    return _act(listing_id, services.withdraw, gettext("Ingetrokken: je kunt het opnieuw bewerken."))


@blueprint.route("/<int:listing_id>/beschikbaarheid", methods=["GET", "POST"])
def availability(listing_id: int):
    """The quick change of places left, full, cancelled or postponed: at once, also when published."""
    listing = _listing_or_404(listing_id)
    form = AvailabilityForm()
    if request.method == "GET":
        form.fill(listing)
    elif form.validate():
        with service_call(handled=DomainError) as work:
            changed = catalogue.set_availability(current_user, listing, form.to_values())
        if work.ok:
            flash(gettext("De beschikbaarheid is bijgewerkt; ze staat meteen online.") if changed
                  else gettext("De beschikbaarheid was al zo."), "success")
            return redirect(url_for("submissions.detail", listing_id=listing.id))
        if isinstance(work.refusal, ValidationFailed):
            attach_errors(form, work.refusal.errors)
        else:
            flash(str(work.refusal), "error")
            return redirect(url_for("submissions.detail", listing_id=listing.id))
    status = 422 if request.method == "POST" else 200
    return render_template("submissions/availability.html", form=form, listing=listing), status
