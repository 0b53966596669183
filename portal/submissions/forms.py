"""The listing form: shape only. Business rules are checked by the services (portal.catalogue.inputs)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, StringField, SubmitField, TextAreaField

from portal.catalogue import vocab
from portal.catalogue.inputs import ListingInput
from portal.catalogue.policy import RESERVED_KINDS
from portal.forms import CheckboxGroupField, DutchDateField, WholeNumberField, attach_errors
from portal.submissions.services import PlaceInput, typed_places

MAX_LOCATIONS = 20


class LocationForm(Form):
    name = StringField(_l("Naam van de plek (niet verplicht)"))
    address = StringField(_l("Straat en huisnummer"))
    place = StringField(_l("Gemeente of postcode"))

    def is_blank(self) -> bool:
        return not any((field.data or "").strip() for field in (self.name, self.address, self.place))


def _choices(vocabulary: vocab.Vocabulary) -> list[tuple[str, str]]:
    return list(vocabulary.labels().items())


class ListingForm(FlaskForm):
    kind = RadioField(_l("Soort aanbod"), validate_choice=False)
    title = StringField(_l("Titel"))
    summary = TextAreaField(_l("Korte beschrijving"))
    description = TextAreaField(_l("Beschrijving"))
    provider_url = StringField(_l("Webadres voor meer info en inschrijven"))
    min_age = WholeNumberField(_l("Vanaf leeftijd"))
    max_age = WholeNumberField(_l("Tot en met leeftijd"))
    target_groups = CheckboxGroupField(_l("Doelgroepen"))
    themes = CheckboxGroupField(_l("Thema's (niet verplicht)"))
    disciplines = CheckboxGroupField(_l("STEM-domeinen"))
    formats = CheckboxGroupField(_l("Vorm"))
    cost = RadioField(_l("Kostprijs"), validate_choice=False)
    price_text = StringField(_l("Prijs (niet verplicht)"))
    schedule = RadioField(_l("Wanneer"), validate_choice=False)
    start_date = DutchDateField(_l("(Eerste) datum"))
    end_date = DutchDateField(_l("Laatste datum"))
    schedule_text = StringField(_l("Dagen en uren (niet verplicht)"))
    flanders_wide = BooleanField(_l("In heel Vlaanderen en Brussel"))
    online = BooleanField(_l("Online"))
    locations = FieldList(FormField(LocationForm), min_entries=1, max_entries=MAX_LOCATIONS)
    contact_name = StringField(_l("Contactpersoon (niet verplicht)"))
    contact_email = StringField(_l("E-mailadres (niet verplicht)"))
    contact_phone = StringField(_l("Telefoon (niet verplicht)"))
    add_location = SubmitField(_l("Nog een locatie toevoegen"))
    save = SubmitField(_l("Opslaan als concept"))
    send = SubmitField(_l("Opslaan en indienen ter goedkeuring"))
    propose = SubmitField(_l("Wijziging voorstellen"))

    def __init__(self, *args, current_kind: str | None = None, **kwargs):
        """`current_kind`: the kind of the listing being edited, offered even when it is a reserved one."""
        super().__init__(*args, **kwargs)
        self.kind.choices = [(code, label) for code, label in _choices(vocab.LISTING_KINDS)
                             if code not in RESERVED_KINDS or code == current_kind]
        self.target_groups.choices = _choices(vocab.TARGET_GROUPS)
        self.themes.choices = _choices(vocab.THEMES)
        self.disciplines.choices = _choices(vocab.DISCIPLINES)
        self.formats.choices = _choices(vocab.FORMATS)
        self.cost.choices = _choices(vocab.COSTS)
        self.schedule.choices = _choices(vocab.SCHEDULES)

    def fill(self, data: ListingInput) -> None:
        """Show `data` (a listing or its pending revision) in the form."""
        for name in ("kind", "title", "summary", "description", "provider_url", "min_age", "max_age",
                     "target_groups", "themes", "disciplines", "formats", "cost", "price_text", "schedule",
                     "start_date", "end_date", "schedule_text", "flanders_wide", "online",
                     "contact_name", "contact_email", "contact_phone"):
            getattr(self, name).data = getattr(data, name)
        while len(self.locations.entries):
            self.locations.pop_entry()
        for place in typed_places(data) or [PlaceInput(address="", place="")]:
            self.locations.append_entry({"name": place.name or "", "address": place.address, "place": place.place})

    def to_input(self) -> tuple[ListingInput, list[PlaceInput]]:
        """The typed values as service input; locations still as typed places (blank rows left out)."""
        text = lambda field: (field.data or "").strip()  # noqa: E731
        data = ListingInput(
            kind=self.kind.data or "", title=text(self.title), summary=_one_line(text(self.summary)),
            description=text(self.description), provider_url=text(self.provider_url),
            cost=self.cost.data or "", schedule=self.schedule.data or "",
            min_age=self.min_age.data, max_age=self.max_age.data,
            target_groups=list(self.target_groups.data or []), themes=list(self.themes.data or []),
            disciplines=list(self.disciplines.data or []), formats=list(self.formats.data or []),
            price_text=text(self.price_text) or None, flanders_wide=self.flanders_wide.data,
            online=self.online.data, start_date=self.start_date.data, end_date=self.end_date.data,
            schedule_text=text(self.schedule_text) or None, contact_name=text(self.contact_name) or None,
            contact_email=text(self.contact_email) or None, contact_phone=text(self.contact_phone) or None,
        )
        typed = [
            PlaceInput(address=text(entry.form.address), place=text(entry.form.place),
                       name=text(entry.form.name) or None)
            for entry in self.locations.entries if not entry.form.is_blank()
        ]
        return data, typed

    location_errors: list = []  # "give at least one location": about the whole group, not one row

    def add_location_row(self) -> bool:
        """One more (empty) location row; past MAX_LOCATIONS rows none, and a Dutch message about the group."""
        if len(self.locations.entries) >= MAX_LOCATIONS:
            self.location_errors = [_l("Je kunt hoogstens %(n)s locaties opgeven.", n=MAX_LOCATIONS)]
            return False
        self.locations.append_entry()
        return True

    def attach(self, errors: dict[str, list], besides_shape_errors: bool = False) -> None:
        """Show the services' errors next to the fields."""
        errors = dict(errors)
        self.location_errors = errors.pop("locations", [])
        attach_errors(self, errors, self.location_error_aliases(), besides_shape_errors)

    def location_error_aliases(self) -> dict[str, str]:
        """The catalogue reports a location's problems as `locations-<i>` (of the non-blank rows): show them
        at that row's address."""
        rows = [entry for entry in self.locations.entries if not entry.form.is_blank()]
        aliases = {f"locations-{i}": f"{entry.name}-address" for i, entry in enumerate(rows)}
        aliases.update({f"locations-{i}-place": f"{entry.name}-place" for i, entry in enumerate(rows)})
        return aliases


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)
