"""Account forms: they check shape only; the rules (password quality, addresses) live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm

_required = DataRequired(message=_l("Dit veld is verplicht."))


class RegisterForm(PortalForm):
    display_name = StringField(_l("Je naam"), validators=[_required, Length(max=120)])
    email = EmailField(_l("E-mailadres"), validators=[_required, Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[_required, Length(max=256)],
                             description=_l("Minstens 8 tekens. Een zin van een paar woorden is sterk en makkelijk "
                                            "te onthouden."))


class LoginForm(PortalForm):
    email = EmailField(_l("E-mailadres"), validators=[_required, Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[_required, Length(max=256)])
    remember = BooleanField(_l("Aangemeld blijven op dit toestel (30 dagen)"))
    next = HiddenField()


class ForgotPasswordForm(PortalForm):
    email = EmailField(_l("E-mailadres"), validators=[_required, Length(max=254)])


class ResetPasswordForm(PortalForm):
    password = PasswordField(_l("Nieuw wachtwoord"), validators=[_required, Length(max=256)],
                             description=_l("Minstens 8 tekens."))


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(_l("Huidig wachtwoord"), validators=[_required, Length(max=256)])
    new_password = PasswordField(_l("Nieuw wachtwoord"), validators=[_required, Length(max=256)],
                                 description=_l("Minstens 8 tekens."))


class ChangeEmailForm(PortalForm):
    new_email = EmailField(_l("Nieuw e-mailadres"), validators=[_required, Length(max=254)])
    password = PasswordField(_l("Je wachtwoord"), validators=[_required, Length(max=256)])


class DeleteAccountForm(PortalForm):
    password = PasswordField(_l("Je wachtwoord"), validators=[_required, Length(max=256)])
    confirm = BooleanField(_l("Ik begrijp dat mijn account en gegevens verdwijnen"), validators=[
        DataRequired(message=_l("Vink aan dat je je account wilt verwijderen."))])
