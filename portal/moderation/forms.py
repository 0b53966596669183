"""Moderators' and visitors' forms: shape only; the services check the rules (a reason to reject, ...)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from portal.catalogue import vocab
from portal.forms import CheckboxGroupField, PortalForm


class DecisionForm(PortalForm):
    """Approve or reject what waits for a moderator (a change of an organisation's details, say)."""

    reason = TextAreaField(_l("Reden (verplicht bij afwijzen; de organisatie krijgt ze te lezen)"))
    approve = SubmitField(_l("Goedkeuren en publiceren"))
    reject = SubmitField(_l("Afwijzen"))
    version = HiddenField()  # the version the moderator reviewed (services.version_of); the page always sends it


class ReviewForm(DecisionForm):
    """Approve or reject a pending listing or revision, with the quality checklist."""

    quality_checks = CheckboxGroupField(_l("Kwaliteitscriteria waaraan het aanbod voldoet"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quality_checks.choices = list(vocab.QUALITY_PRINCIPLES.labels().items())


class ReasonForm(PortalForm):
    """Unpublish or archive a listing."""

    reason = TextAreaField(_l("Reden"))


class BulkApproveForm(PortalForm):
    items = CheckboxGroupField(_l("Selecteer"))


class ReportForm(PortalForm):
    message = TextAreaField(_l("Wat klopt er niet?"))
    email = StringField(_l("Je e-mailadres (niet verplicht, als we je iets willen vragen)"))


class HandleReportForm(PortalForm):
    note = TextAreaField(_l("Wat heb je gedaan? (niet verplicht)"))
    resolve = SubmitField(_l("Opgelost"))
    dismiss = SubmitField(_l("Niet weerhouden"))
