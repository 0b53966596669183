"""The listing form: shape only. Business rules are checked by the services (portal.catalogue.inputs)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, StringField, SubmitField, TextAreaField

from portal.catalogue import fields, vocab
from portal.catalogue.inputs import ListingInput
from portal.catalogue.policy import RESERVED_KINDS
from portal.forms import (
    CheckboxGroupField,
    DecimalDegreesField,
    DutchDateField,
    PortalForm,
    WholeNumberField,
    attach_errors,
)
from portal.submissions.services import PlaceInput, typed_places


class LocationForm(Form):
    name = StringField(_l("Naam van de plek (niet verplicht)"))
    address = StringField(_l("Straat en huisnummer"))
    place = StringField(_l("Gemeente of postcode"))
    latitude = DecimalDegreesField(_l("Breedtegraad (niet verplicht)"))
    longitude = DecimalDegreesField(_l("Lengtegraad (niet verplicht)"))

    def is_blank(self) -> bool:
        return not any((field.data or "").strip() for field in (self.name, self.address, self.place))


def _choices(vocabulary: vocab.Vocabulary) -> list[tuple[str, str]]:
    return list(vocabulary.labels().items())


# registry type -> the form field that takes it (vocabularies get their choices per request, in __init__)
FIELD_CLASSES = {
    "text": StringField, "long_text": TextAreaField, "web_address": StringField, "email": StringField,
    "age": WholeNumberField, "count": WholeNumberField,
    "date": DutchDateField, "boolean": BooleanField, "codes": CheckboxGroupField,
}


def _form_field(spec: fields.ListingField):
    if spec.type == "code":
        return RadioField(spec.label, validate_choice=False, default=spec.blank)  # availability: "available"
    if spec.type == "locations":
        return FieldList(FormField(LocationForm), _l("Locatie %(n)s"), min_entries=1, max_entries=fields.MAX_LOCATIONS)
    return FIELD_CLASSES[spec.type](spec.label)


# Made before the class's buttons, so that a form lists its fields in the registry's form order.
_LISTING_FIELDS = {spec.name: _form_field(spec) for spec in fields.in_form_order()}


class ListingForm(PortalForm):
    add_location = SubmitField(_l("Nog een locatie toevoegen"))
    save = SubmitField(_l("Opslaan als concept"))
    send = SubmitField(_l("Opslaan en indienen ter goedkeuring"))
    propose = SubmitField(_l("Wijziging voorstellen"))

    def __init__(self, *args, current_kind: str | None = None, **kwargs):
        """`current_kind`: the kind of the listing being edited, offered even when it is a reserved one."""
        super().__init__(*args, **kwargs)
        for spec in fields.of_type("code", "codes"):
            self[spec.name].choices = _choices(spec.vocabulary)
        self.kind.choices = [(code, label) for code, label in self.kind.choices
                             if code not in RESERVED_KINDS or code == current_kind]

    def texts(self, group: str) -> list[tuple[object, fields.ListingField]]:
        """The text fields of a form group with their registry entries: the form page places them, in registry
        order, after the group's other fields."""
        return [(self[spec.name], spec) for spec in fields.of_type(*fields.TEXT_TYPES) if spec.group == group]

    def fill(self, data: ListingInput) -> None:
        """Show `data` (a listing or its pending revision) in the form."""
        for spec in fields.LISTING_FIELDS:
            if spec.type != "locations":
                self[spec.name].data = getattr(data, spec.name)
        while len(self.locations.entries):
            self.locations.pop_entry()
        for place in typed_places(data) or [PlaceInput(address="", place="")]:
            self.locations.append_entry({"name": place.name or "", "address": place.address, "place": place.place,
                                         "latitude": place.latitude, "longitude": place.longitude})

    def to_input(self) -> tuple[ListingInput, list[PlaceInput]]:
        """The typed values as service input; locations still as typed places (blank rows left out)."""
        text = lambda field: (field.data or "").strip()  # noqa: E731
        data = ListingInput(**{spec.name: _typed(spec, self[spec.name].data)
                               for spec in fields.LISTING_FIELDS if spec.type != "locations"})
        typed = [
            PlaceInput(address=text(entry.form.address), place=text(entry.form.place),
                       name=text(entry.form.name) or None, latitude=entry.form.latitude.data,
                       longitude=entry.form.longitude.data)
            for entry in self.locations.entries if not entry.form.is_blank()
        ]
        return data, typed

    location_errors: list = []  # "give at least one location": about the whole group, not one row

    def add_location_row(self) -> bool:
        """One more (empty) location row; past fields.MAX_LOCATIONS rows none, and a Dutch message about the group."""
        if len(self.locations.entries) >= fields.MAX_LOCATIONS:
            self.location_errors = [_l("Je kunt hoogstens %(n)s locaties opgeven.", n=fields.MAX_LOCATIONS)]
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


for _name, _unbound in _LISTING_FIELDS.items():
    setattr(ListingForm, _name, _unbound)  # WTForms' form class takes fields added like this


class AvailabilityForm(PortalForm):
    """The quick change of a listing's availability (fields.UNMODERATED), without the rest of the listing."""

    save = SubmitField(_l("Beschikbaarheid opslaan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.availability.choices = _choices(vocab.AVAILABILITY)

    def fill(self, listing) -> None:
        for spec in fields.UNMODERATED:
            self[spec.name].data = getattr(listing, spec.name)

    def to_values(self) -> dict:
        return {spec.name: _typed(spec, self[spec.name].data) for spec in fields.UNMODERATED}


for _spec in fields.UNMODERATED:
    setattr(AvailabilityForm, _spec.name, _form_field(_spec))

def _typed(spec: fields.ListingField, value):
    """A form field's data as service input: texts trimmed (an empty optional one as None), a missing choice
    as ""."""
    if spec.type in fields.TEXT_TYPES:
        text = (value or "").strip()
        if spec.joins_lines:
            text = re.sub(r"\s+", " ", text)
        return text or ("" if spec.must_be_given or spec.blank == "" else None)
    if spec.type == "code":  # no choice: the field's blank (availability), else None or "" for the rules to refuse
        return value or spec.blank or (None if spec.nullable else "")
    if spec.type == "codes":
        return list(value or [])
    return value
