"""Form pieces shared by features: the portal's base form, checkbox groups, Dutch shape messages, service
errors next to fields, and the lines of the error summary on top of a form."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, FieldList, Form, FormField, IntegerField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput

from portal.catalogue.inputs import control_character_errors
from portal.domain import DomainError, ValidationFailed


class CheckboxGroupField(SelectMultipleField):
    """A multi-valued field as a group of checkboxes (drawn by the `choices` macro of _forms.html). Unknown codes
    are left to the services' rules unless `validate_choice=True`."""

    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class WholeNumberField(IntegerField):
    """An optional whole number; what was typed comes back on the page when it is not a number."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = int(text)
            except ValueError as error:
                raise ValueError(_l("Geef een getal in cijfers, bv. 9.")) from error


class DecimalDegreesField(StringField):
    """An optional coordinate in decimal degrees, with a point or a comma (50,93); None when left empty."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_data, self.data = [text], None
        if text:
            try:
                self.data = float(text.replace(",", "."))
            except ValueError as error:
                raise ValueError(_l("Geef een getal in decimale graden, bv. 50.93.")) from error

    def _value(self):
        return self.raw_data[0] if self.raw_data else ("" if self.data is None else f"{self.data:.5f}")


class DutchDateField(DateField):
    """A date from a date picker (2026-09-16) or typed the Flemish way (16-09-2026, 16/09/2026)."""

    FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", list(self.FORMATS))
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        for date_format in self.FORMATS:
            try:
                self.data = datetime.strptime(text, date_format).date()
                return
            except ValueError:
                continue
        raise ValueError(_l("Geef een datum als dd-mm-jjjj, bv. 16-09-2026."))


def _fields_by_name(form: Form) -> dict:
    found = {}
    for field in form:
        found[field.name] = field
        if hasattr(field, "entries"):  # FieldList
            for entry in field.entries:
                found[entry.name] = entry
                if hasattr(entry, "form"):  # FormField
                    found.update(_fields_by_name(entry.form))
    return found


class PortalForm(FlaskForm):
    """Every form of the portal. No field takes a character nobody means to type (a NUL byte, a control or
    bidirectional override character): it is refused next to the field before any service or query sees it."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _fields_by_name(self).values():
            values = field.data if isinstance(field.data, list) else [field.data]
            problems = [m for v in values if isinstance(v, str) for m in control_character_errors(v, field.label.text)]
            if problems:
                field.errors = [*field.errors, problems[0]]
                valid = False
        return valid


def attach_errors(form: Form, errors: dict[str, list], aliases: dict[str, str] | None = None,
                  besides_shape_errors: bool = False, fallback: str | None = None) -> None:
    """Show a service's ValidationFailed errors next to the fields they concern (by field name; `aliases` maps
    an error key to another field); errors without a field go to the `fallback` field, or else to the top of
    the form. With `besides_shape_errors`, a field that already shows a shape error (e.g. not a date) keeps
    only that one."""
    fields = _fields_by_name(form)
    for key, messages in errors.items():
        field = fields.get((aliases or {}).get(key, key)) or fields.get(key) or fields.get(fallback or "")
        if besides_shape_errors and field is not None and field.errors:
            continue
        if field is None:
            form.form_errors = [*form.form_errors, *messages]
        else:
            field.errors = [*field.errors, *messages]


def show_refusal(form: Form, refusal: DomainError, fallback: str | None = None) -> None:
    """A service's refusal on the form: validation errors next to their fields, any other reason on top."""
    if isinstance(refusal, ValidationFailed):
        attach_errors(form, refusal.errors, fallback=fallback)
    else:
        form.form_errors = [*form.form_errors, str(refusal)]


def fields_in_error(form: Form) -> list[tuple[Field, str]]:
    """The fields the error summary links to, each with its name there: its label, or for a row of a FieldList
    the list's label (with the row number as %(n)s) and the field's label, e.g. "Locatie 2, Gemeente"."""
    found = []
    for field in form:
        if isinstance(field, FieldList):
            for n, entry in enumerate(field.entries, 1):
                row = str(field.label.text) % {"n": n}
                found += [(sub, f"{row}, {sub.label.text}")
                          for sub in (entry.form if isinstance(entry, FormField) else [entry]) if sub.errors]
        elif field.errors:
            found.append((field, str(field.label.text)))
    return found
