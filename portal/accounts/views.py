"""Account pages under /account, and user administration under /beheer/gebruikers. Thin: parse a form,
call one service in a unit of work (portal/transactions.py), render."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    json,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import forms, policy, services, sessions, throttle
from portal.accounts.models import User
from portal.accounts.redirects import safe_next
from portal.accounts.tokens import TokenRefused
from portal.domain import PermissionDenied, ValidationFailed
from portal.extensions import db, limiter
from portal.limits import mail_queued, setting, user_mail
from portal.organisations.services import organisations_of
from portal.security import no_store
from portal.text import whole_number
from portal.transactions import service_call

blueprint = Blueprint("accounts", __name__, url_prefix="/account", template_folder="templates")
admin = Blueprint("account_admin", __name__, url_prefix="/beheer/gebruikers", template_folder="templates")

blueprint.after_request(no_store)  # personal data and one-time links
admin.after_request(no_store)


@blueprint.app_context_processor
def _account_policy() -> dict:
    return {"account_policy": policy}


_limit = setting


def _begin_session(user: User, remember: bool) -> None:
    session.clear()  # a new session at login: nothing from before (session fixation)
    login_user(user, remember=remember)
    sessions.mark_signed_in()


@blueprint.route("/registreren", methods=["GET", "POST"])
@limiter.limit(_limit("MAIL_REQUEST_LIMIT"), methods=["POST"])
def register():
    form = forms.RegisterForm()
    if form.validate_on_submit():
        with service_call(form) as work:
            services.register(form.email.data, form.display_name.data, form.password.data)
        if work.ok:
            return render_template("accounts/check_mail.html", email=services.normalise_email(form.email.data))
    return render_template("accounts/register.html", form=form)


# The confirmation link's token, kept in the session of the browser that opened it until its holder logs in.
CONFIRMATION = "confirmation"


@blueprint.get("/bevestigen/<token>")
def confirm(token: str):
    try:
        services.user_to_confirm(token)
    except TokenRefused as error:
        return render_template("accounts/token_refused.html", message=str(error)), 400
    session[CONFIRMATION] = token
    flash(gettext("De link klopt. Meld je nu aan met het wachtwoord dat je koos; dan is je e-mailadres "
                  "bevestigd."), "success")
    return redirect(url_for("accounts.login"))


@blueprint.route("/aanmelden", methods=["GET", "POST"])
def login():
    form = forms.LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        attempt = throttle.count_attempt(form.email.data)  # 429, or waits
        refusal = None
        with service_call():
            try:
                user = services.authenticate(form.email.data, form.password.data, session.get(CONFIRMATION))
            except (services.LoginRefused, PermissionDenied) as error:
                refusal = error  # committed all the same: a blocked account keeps its upgraded password hash
            if isinstance(refusal, services.LoginRefused) and attempt.warns_owner:
                services.warn_of_failed_logins(form.email.data)
        if not isinstance(refusal, services.LoginRefused):
            attempt.take_back()  # only a wrong password counts
        if refusal is not None:
            form.form_errors.append(str(refusal))
        else:
            _begin_session(user, form.remember.data)
            flash(gettext("Je bent aangemeld."), "success")
            return redirect(safe_next(form.next.data) or url_for("accounts.account"))
    return render_template("accounts/login.html", form=form)


@blueprint.post("/afmelden")
@login_required
def logout():
    with service_call():
        services.logout(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(gettext("Je bent afgemeld, op al je toestellen."), "success")
    return redirect(url_for("catalogue.home"))


@blueprint.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_limit("MAIL_REQUEST_LIMIT"), methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        with service_call(form) as work:
            services.request_password_reset(form.email.data)
        if work.ok:
            return render_template("accounts/check_mail.html", email=services.normalise_email(form.email.data),
                                   reset=True)
    return render_template("accounts/forgot_password.html", form=form)


@blueprint.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = forms.ResetPasswordForm()
    try:
        services.user_for_reset(token)
    except TokenRefused as error:
        return render_template("accounts/token_refused.html", message=str(error)), 400
    if form.validate_on_submit():
        with service_call(form, handled=(TokenRefused, ValidationFailed)) as work:
            services.reset_password(token, form.password.data)
        if isinstance(work.refusal, TokenRefused):
            return render_template("accounts/token_refused.html", message=str(work.refusal)), 400
        if work.ok:
            flash(gettext("Je wachtwoord is gewijzigd. Meld je aan met je nieuwe wachtwoord."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@blueprint.get("/")
@login_required
def account():
    return render_template("accounts/account.html", organisations=organisations_of(current_user))


@blueprint.route("/wachtwoord-wijzigen", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with service_call(form) as work:
            services.change_password(user, form.current_password.data, form.new_password.data)
        if work.ok:
            # Every other session ended with the old token; this one continues with the new one.
            _begin_session(user, remember=bool(request.cookies.get(current_app.config.get(
                "REMEMBER_COOKIE_NAME", "remember_token"))))
            flash(gettext("Je wachtwoord is gewijzigd. Je andere toestellen zijn afgemeld."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@blueprint.route("/e-mailadres-wijzigen", methods=["GET", "POST"])
@login_required
@user_mail
def change_email():
    form = forms.ChangeEmailForm()
    if form.validate_on_submit():
        with service_call(form) as work:
            services.request_email_change(current_user._get_current_object(), form.password.data,
                                          form.new_email.data)
        if work.ok:
            mail_queued()
            return render_template("accounts/check_mail.html",
                                   email=services.normalise_email(form.new_email.data), email_change=True)
    return render_template("accounts/change_email.html", form=form)


@blueprint.get("/e-mailadres-bevestigen/<token>")
def confirm_email_change(token: str):
    with service_call(handled=(TokenRefused, ValidationFailed)) as work:
        services.confirm_email_change(token)
    if not work.ok:
        error = work.refusal
        message = " ".join(str(m) for messages in error.errors.values() for m in messages) if isinstance(
            error, ValidationFailed) else str(error)
        return render_template("accounts/token_refused.html", message=message), 400
    flash(gettext("Je nieuwe e-mailadres is bevestigd."), "success")
    return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.login"))


@blueprint.get("/mijn-gegevens.json")
@login_required
def export_data():
    data = services.export_data(current_user._get_current_object())
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="stem-wijzer-mijn-gegevens.json"'})


@blueprint.route("/verwijderen", methods=["GET", "POST"])
@login_required
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        with service_call(form) as work:
            services.delete_account(current_user._get_current_object(), form.password.data)
        if work.ok:
            logout_user()
            session.clear()
            flash(gettext("Je account is verwijderd."), "success")
            return redirect(url_for("catalogue.home"))
    return render_template("accounts/delete_account.html", form=form)


# Administration

@admin.get("/")
@login_required
def users():
    try:
        found = services.users_for_admin(current_user, whole_number(request.args.get("pagina")) or 1)
    except PermissionDenied:
        abort(403)
    return render_template("accounts/admin_users.html", users=found, can_block=policy.can_block_user)


@admin.post("/<int:user_id>/<any(blokkeren, deblokkeren):action>")
@login_required
def block(user_id: int, action: str):
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    with service_call():
        services.set_blocked(current_user._get_current_object(), target, blocked=action == "blokkeren")
    flash(gettext("%(name)s is geblokkeerd.", name=target.display_name) if action == "blokkeren"
          else gettext("%(name)s is niet langer geblokkeerd.", name=target.display_name), "success")
    return redirect(url_for("account_admin.users"))
