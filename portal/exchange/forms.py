"""The admins' import form: shape only; the importer (portal/exchange/importer.py) checks the file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectChoice

from portal.forms import PortalForm

MODE_CHOICES = [
    SelectChoice("dry_run", _l("Proefdraai: alles controleren en rapporteren, niets veranderen")),
    SelectChoice("queue", _l("Inlezen ter moderatie: aanbod wacht op goedkeuring")),
    SelectChoice("publish", _l("Meteen publiceren (en de organisaties verifiëren)")),
]


class ImportForm(PortalForm):
    file = FileField(_l("Bestand (JSON of CSV, UTF-8)"), validators=[FileRequired(_l("Kies een bestand."))])
    mode = RadioField(_l("Wat moet er gebeuren?"), choices=MODE_CHOICES, default="dry_run",
                      validate_choice=True)
    skip_invalid = BooleanField(_l("Ongeldige records overslaan en de geldige inlezen"),
                                description=_l("Zonder dit vinkje wordt niets ingelezen zodra één record fout is."))

    def __init__(self, *args, max_records: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.file.description = _l("In het formaat van de importdocumentatie; hoogstens 2 MB en %(n)s records. "
                                   "Grotere bestanden lees je in met het commando flask catalogue import.",
                                   n=max_records)
