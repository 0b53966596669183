"""The filters of the admins' security log page: a GET form, so a filtered page is a link (no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from portal.forms import DutchDateField, PortalForm
from portal.security_log import events
from portal.security_log.services import Filters


class SecurityLogFilterForm(PortalForm):
    class Meta:
        csrf = False

    soort = SelectField(_l("Soort gebeurtenis"), validate_choice=False)
    gebruiker = StringField(_l("Gebruiker"), validators=[Optional(), Length(max=254)],
                            description=_l("Een gebruikersnummer, een volledig e-mailadres of een gemaskeerd "
                                           "(j***@voorbeeld.be); door of over die gebruiker."))
    adres = StringField(_l("IP-adres"), validators=[Optional(), Length(max=45)],
                        description=_l("Het hele adres, of het begin ervan (bv. 198.51.100.)."))
    van = DutchDateField(_l("Van (datum)"), validators=[Optional()])
    tot = DutchDateField(_l("Tot en met (datum)"), validators=[Optional()])

    def __init__(self, formdata):
        super().__init__(formdata)
        self.soort.choices = [("", _l("Alle gebeurtenissen")), *events.LABELS.items()]

    def filters(self) -> Filters:
        """What the valid fields ask for; a field with an error filters nothing (it is shown with its error)."""
        def value(field):
            return None if field.errors else (field.data or None)
        event = value(self.soort)
        return Filters(event=event if event in events.LABELS else None, user=value(self.gebruiker),
                       address=value(self.adres), date_from=value(self.van), date_to=value(self.tot))
