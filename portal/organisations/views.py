"""Organisation workplaces: register, join, invite, members, details, charter (/mijn/organisaties/...), the invitation
link, and the admins' verification page (/beheer/organisaties).
Thin: parse, call one service in a unit of work (portal/transactions.py), render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from portal.accounts.tokens import TokenRefused
from portal.catalogue import services as catalogue
from portal.catalogue import vocab
from portal.clock import today
from portal.domain import DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from portal.freshness import services as freshness
from portal.limits import mail_queued, user_mail
from portal.moderation import diff
from portal.organisations import forms, policy, services
from portal.security import no_store
from portal.text import whole_number
from portal.transactions import service_call

blueprint = Blueprint("organisations", __name__, template_folder="templates")


blueprint.after_request(no_store)


@blueprint.app_context_processor
def _organisation_policy() -> dict:
    return {"organisation_policy": policy}


@blueprint.app_template_filter("recorded_diff")
def recorded_diff(changes: dict) -> list:
    """The details an organisation's history entry changed, in words (organisations/_history.html)."""
    return diff.recorded_diff(changes)


def _actor():
    return current_user._get_current_object()


@blueprint.get("/mijn/organisaties")
@login_required
def mine():
    return render_template("organisations/mine.html", organisations=services.organisations_of(_actor()))


@blueprint.route("/mijn/organisaties/nieuw", methods=["GET", "POST"])
@login_required
def register():
    form = forms.OrganisationForm()
    if form.validate_on_submit():
        with service_call(form, "name") as work:
            organisation = catalogue.create_organisation(_actor(), form.to_input())
        if work.ok:
            flash(gettext("%(name)s is geregistreerd. Een moderator verifieert de organisatie; tot dan is ze "
                          "niet openbaar.", name=organisation.name), "success")
            return redirect(url_for("organisations.dashboard", slug=organisation.slug))
    return render_template("organisations/register.html", form=form)


@blueprint.get("/mijn/organisaties/<slug>")
@login_required
def dashboard(slug: str):
    return _render_dashboard(slug)


def _render_dashboard(slug: str, status: int = 200, invite_form=None, token_form=None, **shown):
    try:
        page = services.dashboard(_actor(), slug)
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    return render_template("organisations/dashboard.html", page=page, invite_form=invite_form or forms.InviteForm(),
                           token_form=token_form or forms.ApiTokenForm(),
                           freshness=freshness.overview(page.organisation, today()), **shown), status


def _flash_refusal(refusal: DomainError) -> None:
    messages = ([str(m) for found in refusal.errors.values() for m in found]
                if isinstance(refusal, ValidationFailed) else [str(refusal)])
    flash(" ".join(messages), "error")


def _members_of(organisation):
    return redirect(url_for("organisations.dashboard", slug=organisation.slug) + "#leden")


def _organisation_for(slug: str):
    try:
        return services.organisation_by_slug(slug, _actor())
    except NotFound:
        abort(404)


@blueprint.route("/mijn/organisaties/<slug>/gegevens", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_edit_organisation(_actor(), organisation):
        abort(403)
    form = forms.OrganisationForm(obj=services.editable_details(_actor(), organisation))
    if form.validate_on_submit():
        with service_call(form, "name") as work:
            revision = services.update_organisation(_actor(), organisation, form.to_input())
        if work.ok:
            flash(gettext("Je wijziging wacht op een moderator. Tot die ze goedkeurt, blijven de huidige gegevens "
                          "openbaar.") if revision else gettext("De gegevens zijn bewaard."), "success")
            return redirect(url_for("organisations.dashboard", slug=organisation.slug))
    return render_template("organisations/edit.html", form=form, organisation=organisation,
                           pending=services.pending_revision(organisation))


@blueprint.post("/mijn/organisaties/<slug>/gegevens/intrekken")
@login_required
def withdraw_revision(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_edit_organisation(_actor(), organisation):
        abort(403)
    with service_call(handled=InvalidTransition) as work:
        services.withdraw_revision(_actor(), organisation)
    if not work.ok:
        _flash_refusal(work.refusal)
    else:
        flash(gettext("De wijziging is ingetrokken; de openbare gegevens blijven zoals ze waren."), "success")
    return redirect(url_for("organisations.dashboard", slug=organisation.slug))


@blueprint.route("/organisaties/<slug>/lid-worden", methods=["GET", "POST"])
@login_required
@user_mail
def join(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_request_to_join(_actor(), organisation):
        abort(403 if policy.can_view_dashboard(_actor(), organisation) else 404)
    form = forms.JoinForm()
    if form.validate_on_submit():
        with service_call(form, "message") as work:
            services.request_to_join(_actor(), organisation, form.message.data)
        if work.ok:
            mail_queued()
            flash(gettext("Je verzoek is verstuurd naar de leden van %(name)s.", name=organisation.name), "success")
            return redirect(url_for("catalogue.organisation", slug=organisation.slug))
    return render_template("organisations/join.html", form=form, organisation=organisation)


@blueprint.post("/mijn/organisaties/<slug>/verzoeken/<int:request_id>/<any(goedkeuren, weigeren):decision>")
@login_required
def decide(slug: str, request_id: int, decision: str):
    organisation = _organisation_for(slug)
    form = forms.ApprovalForm()
    with service_call(handled=(InvalidTransition, ValidationFailed)) as work:
        services.decide_join_request(_actor(), organisation, request_id, approve=decision == "goedkeuren",
                                     role=form.role.data)
    if not work.ok:
        _flash_refusal(work.refusal)
    else:
        flash(gettext("Het verzoek is goedgekeurd.") if decision == "goedkeuren"
              else gettext("Het verzoek is geweigerd."), "success")
    return redirect(url_for("organisations.dashboard", slug=organisation.slug))


@blueprint.post("/mijn/organisaties/<slug>/uitnodigen")
@login_required
@user_mail
def invite(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_invite(_actor(), organisation):
        abort(403)
    form = forms.InviteForm()
    if form.validate_on_submit():
        with service_call(form, "email") as work:
            services.invite(_actor(), organisation, form.email.data, form.role.data)
        if work.ok:
            mail_queued()
            flash(gettext("De uitnodiging is verstuurd naar %(email)s.", email=form.email.data.strip()), "success")
            return redirect(url_for("organisations.dashboard", slug=organisation.slug))
    return _render_dashboard(slug, 400, invite_form=form)


@blueprint.post("/mijn/organisaties/<slug>/leden/<int:member_id>/rol")
@login_required
def change_member_role(slug: str, member_id: int):
    organisation = _organisation_for(slug)
    if not policy.can_manage_members(_actor(), organisation):
        abort(403)
    form = forms.MemberRoleForm()
    with service_call(handled=(InvalidTransition, ValidationFailed)) as work:
        membership = services.change_member_role(_actor(), organisation, member_id, form.role.data)
    if not work.ok:
        _flash_refusal(work.refusal)
    else:
        flash(gettext("%(name)s is nu %(role)s.", name=membership.user.display_name,
                      role=vocab.MEMBERSHIP_ROLES.label(membership.role).lower()), "success")
    return _members_of(organisation)


@blueprint.post("/mijn/organisaties/<slug>/leden/<int:member_id>/verwijderen")
@login_required
def remove_member(slug: str, member_id: int):
    organisation = _organisation_for(slug)
    if not policy.can_manage_members(_actor(), organisation):
        abort(403)
    form = forms.RemoveMemberForm()
    with service_call(handled=InvalidTransition) as work:
        member = services.remove_member(_actor(), organisation, member_id, form.revoke_api_tokens.data)
    if not work.ok:
        _flash_refusal(work.refusal)
        return _members_of(organisation)
    flash(gettext("%(name)s is geen lid meer van %(organisation)s.", name=member.display_name,
                  organisation=organisation.name), "success")
    if member.id == current_user.id:
        return redirect(url_for("organisations.mine"))
    return _members_of(organisation)


@blueprint.post("/mijn/organisaties/<slug>/verlaten")
@login_required
def leave(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_leave(_actor(), organisation):
        abort(403)
    form = forms.RemoveMemberForm()
    with service_call(handled=InvalidTransition) as work:
        services.remove_member(_actor(), organisation, current_user.id, form.revoke_api_tokens.data)
    if not work.ok:
        _flash_refusal(work.refusal)
        return _members_of(organisation)
    flash(gettext("Je bent geen lid meer van %(organisation)s.", organisation=organisation.name), "success")
    return redirect(url_for("organisations.mine"))


@blueprint.post("/mijn/organisaties/<slug>/api-sleutels")
@login_required
def create_api_token(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_manage_api_tokens(_actor(), organisation):
        abort(403)
    form = forms.ApiTokenForm()
    if form.validate_on_submit():
        with service_call(form, "name") as work:
            token, raw = services.create_api_token(_actor(), organisation, form.name.data)
        if work.ok:
            # Shown once, on this page (not through a redirect): only its hash is kept.
            return _render_dashboard(slug, token_form=forms.ApiTokenForm(formdata=None), new_token=raw,
                                     new_token_name=token.name)
    return _render_dashboard(slug, 400, token_form=form)


@blueprint.post("/mijn/organisaties/<slug>/api-sleutels/<int:token_id>/intrekken")
@login_required
def revoke_api_token(slug: str, token_id: int):
    organisation = _organisation_for(slug)
    if not policy.can_manage_api_tokens(_actor(), organisation):
        abort(403)
    with service_call():
        token = services.revoke_api_token(_actor(), organisation, token_id)
    flash(gettext("De sleutel \"%(name)s\" is ingetrokken; ze werkt niet meer.", name=token.name), "success")
    return redirect(url_for("organisations.dashboard", slug=organisation.slug) + "#api-sleutels")


@blueprint.route("/uitnodiging/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        found = services.invitation_for(token)
    except TokenRefused as error:
        return render_template("accounts/token_refused.html", message=str(error)), 400
    if current_user.is_authenticated and request.method == "POST":
        with service_call(handled=(TokenRefused, InvalidTransition)) as work:
            organisation = services.accept_invitation(_actor(), token)
        if not work.ok:
            return render_template("accounts/token_refused.html", message=str(work.refusal)), 400
        flash(gettext("Welkom bij %(name)s.", name=organisation.name), "success")
        return redirect(url_for("organisations.dashboard", slug=organisation.slug))
    return render_template("organisations/invitation.html", invitation=found, token=token,
                           wrong_invitee=services.WRONG_INVITEE)


@blueprint.route("/mijn/organisaties/<slug>/charter", methods=["GET", "POST"])
@login_required
def sign_charter(slug: str):
    organisation = _organisation_for(slug)
    if not policy.can_sign_charter(_actor(), organisation):
        abort(403)
    form = forms.CharterForm()
    if request.method == "GET":
        form.web_address.data = organisation.website
        form.contact_name.data = current_user.display_name
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        data = services.CharterInput(**{name: form[name].data for name in (
            "commitment", "contact_name", "contact_email", "web_address", "target_groups", "disciplines",
            "formats")})
        with service_call(form, "commitment") as work:
            services.sign_charter(_actor(), organisation, data, today())
        if work.ok:
            flash(gettext("Bedankt! Jullie ondertekening wacht op verificatie door een moderator."), "success")
            return redirect(url_for("organisations.dashboard", slug=organisation.slug))
    return render_template("organisations/charter.html", form=form, organisation=organisation)


# Administration

@blueprint.get("/beheer/organisaties")
@login_required
def review():
    try:
        queue = services.review_queue(_actor(), whole_number(request.args.get("pagina")) or 1,
                                      whole_number(request.args.get("charters")) or 1)
    except PermissionDenied:
        abort(403)
    return render_template("organisations/review.html", queue=queue)


@blueprint.post("/beheer/organisaties/<slug>/verifieren")
@login_required
def verify(slug: str):
    organisation = _organisation_for(slug)
    with service_call():
        services.verify_organisation(_actor(), organisation)
    flash(gettext("%(name)s is geverifieerd.", name=organisation.name), "success")
    if request.form.get("back") == "organisation":
        return redirect(url_for("catalogue.organisation", slug=organisation.slug))
    return redirect(url_for("organisations.review"))


@blueprint.post("/beheer/charter/<int:signature_id>/verifieren")
@login_required
def verify_charter(signature_id: int):
    """From /beheer/organisaties, or from the moderation queue (back=moderation), where it then returns."""
    from_queue = request.form.get("back") == "moderation"
    with service_call(handled=InvalidTransition) as work:
        listing = services.verify_charter(_actor(), signature_id)
    if not work.ok:
        flash(str(work.refusal), "error")
        return redirect(url_for("moderation.queue" if from_queue else "organisations.review"))
    flash(gettext("De ondertekening is geverifieerd en gepubliceerd."), "success")
    return redirect(url_for("moderation.queue") if from_queue else url_for("catalogue.listing", slug=listing.slug))
