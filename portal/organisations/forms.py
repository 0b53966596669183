"""Organisation forms: shape only; the rules live in the services and catalogue inputs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from portal.catalogue import policy, vocab
from portal.catalogue.inputs import OrganisationInput
from portal.forms import CheckboxGroupField, PortalForm
from portal.reference import municipalities

_required = DataRequired(message=_l("Dit veld is verplicht."))


def _vocabulary_choices(vocabulary: vocab.Vocabulary) -> list[tuple[str, str]]:
    return [(term.code, term.label) for term in vocabulary]


def _municipality_choices() -> list[tuple[str, str]]:
    return [("", _l("(geen)"))] + [(m.code, m.name) for m in municipalities.all_municipalities()]


class OrganisationForm(PortalForm):
    name = StringField(_l("Naam van de organisatie"), validators=[_required, Length(max=200)])
    kind = SelectField(_l("Soort organisatie"), validators=[_required])
    municipality_code = SelectField(_l("Gemeente"), validators=[Optional()])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)],
                       description=_l("Begint met https:// of http://"))
    public_email = EmailField(_l("Publiek e-mailadres"), validators=[Optional(), Length(max=254)])
    description = TextAreaField(_l("Wie zijn jullie en wat doen jullie rond STEM?"),
                                validators=[Optional(), Length(max=10000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Kies…"))] + _vocabulary_choices(vocab.ORGANISATION_KINDS)
        self.municipality_code.choices = _municipality_choices()

    def to_input(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.data or "", kind=self.kind.data or "",
            municipality_code=self.municipality_code.data or None, website=self.website.data or None,
            public_email=self.public_email.data or None, description=self.description.data or "",
        )


class JoinForm(PortalForm):
    message = TextAreaField(_l("Bericht aan de leden (niet verplicht)"), validators=[Optional(), Length(max=1000)],
                            description=_l("Bijvoorbeeld je functie, zodat de leden je herkennen."))


def _role_field(default: str | None = None) -> SelectField:
    """The role is checked by the service (catalogue.services.check_role), for every caller."""
    return SelectField(_l("Rol"), default=default, validate_choice=False, description=_l(
        "Een redacteur beheert het aanbod; een eigenaar ook de leden, de API-sleutels, het charter en de gegevens "
        "van de organisatie."))


class _ChoosesRole(PortalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _vocabulary_choices(vocab.MEMBERSHIP_ROLES)


class InviteForm(_ChoosesRole):
    email = EmailField(_l("E-mailadres van je collega"), validators=[_required, Length(max=254)])
    role = _role_field(default=policy.NEW_MEMBER_ROLE)


class ApprovalForm(_ChoosesRole):
    role = _role_field(default=policy.NEW_MEMBER_ROLE)


class MemberRoleForm(_ChoosesRole):
    role = _role_field()


class RemoveMemberForm(PortalForm):
    revoke_api_tokens = BooleanField(_l("ook de API-sleutels van deze persoon intrekken"), default=True)


class CharterForm(PortalForm):
    commitment = TextAreaField(_l("Ons engagement"), validators=[_required, Length(max=5000)],
                               description=_l("Wat doen jullie concreet voor STEM in Vlaanderen? (30 tot 5000 tekens)"))
    contact_name = StringField(_l("Contactpersoon"), validators=[_required, Length(max=120)])
    contact_email = EmailField(_l("E-mailadres van de contactpersoon"), validators=[_required, Length(max=254)])
    web_address = URLField(_l("Webpagina over jullie engagement"), validators=[_required, Length(max=500)],
                           description=_l("Begint met https:// of http://"))
    target_groups = CheckboxGroupField(_l("Voor wie?"), validate_choice=True)
    disciplines = CheckboxGroupField(_l("STEM-domeinen"), validate_choice=True)
    formats = CheckboxGroupField(_l("Vorm"), validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_groups.choices = _vocabulary_choices(vocab.TARGET_GROUPS)
        self.disciplines.choices = _vocabulary_choices(vocab.DISCIPLINES)
        self.formats.choices = _vocabulary_choices(vocab.FORMATS)


class ApiTokenForm(PortalForm):
    name = StringField(_l("Naam van de sleutel"), validators=[_required, Length(max=100)],
                       description=_l("Waarvoor dient ze? Bv. \"koppeling met onze website\"."))
