"""What a caller (form, API, import, seed loader) hands to the catalogue services, and the business rules
that input must meet. Forms check shape; these rules are checked here, once, for every caller."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, make_dataclass, replace
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from portal.catalogue import fields, schedules, vocab
from portal.reference import municipalities, places
from portal.text import CONTROL_CHARACTERS

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# One address, strictly: a local part of letters, digits and RFC 5322's atext symbols (no comma, semicolon,
# quote, angle bracket or colon, which mail headers read as a list or a display name), a domain of dot-separated
# labels. "postmaster,attacker@example.org" is refused, not sent to two people.
EMAIL_PATTERN = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(\.[\w-]+)+")


@dataclass
class LocationInput:
    address: str
    postcode: str
    municipality_code: str
    name: str | None = None
    # A point the organisation (or its file) gives; without one the services look the address up.
    latitude: float | None = None
    longitude: float | None = None


def _listing_input_class() -> type:
    columns = []
    for spec in fields.LISTING_FIELDS:
        python_type = list[LocationInput] if spec.type == "locations" else fields.PYTHON_TYPES[spec.type]
        if spec.must_be_given:
            columns.append((spec.name, python_type))
        elif spec.type in fields.LIST_TYPES:
            columns.append((spec.name, python_type, field(default_factory=list)))
        else:
            columns.append((spec.name, python_type | None if spec.nullable else python_type,
                            field(default=spec.default())))
    columns += [
        ("slug", str | None, field(default=None)),  # derived from the title when not given (imports keep theirs)
        ("external_id", str | None, field(default=None)),  # the listing's id in an imported file, per organisation
    ]
    made = make_dataclass("ListingInput", columns, kw_only=True)
    made.__module__ = __name__
    return made


# What every caller hands to the listing services: one attribute per field of the registry.
ListingInput = _listing_input_class()


@dataclass
class OrganisationInput:
    name: str
    kind: str
    slug: str | None = None  # derived from the name when not given
    municipality_code: str | None = None
    website: str | None = None
    public_email: str | None = None
    description: str = ""
    charter_signed_on: date | None = None
    charter_commitment: str | None = None
    external_id: str | None = None  # the organisation's id in an imported file


class _Errors(dict):
    def add(self, field_name: str, message) -> None:
        self.setdefault(field_name, []).append(message)


# Line breaks, refused in single-line fields (names, titles, ...): these end up in mail subjects, where a
# line break makes the mail undeliverable (or injects a header), and in one-line places on the pages.
LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")


def single_line_errors(value: str | None, label) -> list:
    """The Dutch message when `value` holds a line break (for services outside the catalogue too)."""
    if value and LINE_BREAKS.search(value):
        return [_l("%(label)s moet op één regel staan; haal de regeleinden weg.", label=label)]
    return []


def control_character_errors(value: str | None, label) -> list:
    """The Dutch message when `value` holds a character nobody means to type (every text input, every form)."""
    if value and CONTROL_CHARACTERS.search(value):
        return [_l("%(label)s bevat onzichtbare stuurtekens; typ de tekst opnieuw.", label=label)]
    return []


def _check_length(errors: _Errors, name: str, value: str | None, low: int, high: int, label,
                  single_line: bool = False) -> None:
    length = len((value or "").strip())
    line_breaks = single_line_errors(value, label) if single_line else []
    invisible = control_character_errors(value, label)
    if invisible:
        errors.add(name, invisible[0])
    elif line_breaks:
        errors.add(name, line_breaks[0])
    elif length < low:
        errors.add(name, _l("%(label)s is verplicht.", label=label) if low == 1 or not length
                   else _l("%(label)s moet minstens %(n)s tekens lang zijn.", label=label, n=low))
    elif length > high:
        errors.add(name, _l("%(label)s mag hoogstens %(n)s tekens lang zijn.", label=label, n=high))


def _check_web_address(errors: _Errors, name: str, value: str | None, required: bool) -> None:
    if not value:
        if required:
            errors.add(name, _l("Geef het webadres van de aanbieder."))
        return
    parts = urlsplit(value.strip())
    # urlsplit quietly drops tabs and line breaks; a web address has no white space at all
    if (parts.scheme not in ("http", "https") or not parts.netloc or len(value) > fields.WEB_ADDRESS_LENGTH
            or re.search(r"\s", value.strip())):
        errors.add(name, _l("Geef een volledig webadres dat begint met http:// of https://."))


INVALID_EMAIL = _l("Dit is geen geldig e-mailadres.")


def is_email(value: str) -> bool:
    """The one rule for e-mail addresses, wherever one is typed: EMAIL_PATTERN, the whole value, at most 254
    characters."""
    return len(value) <= fields.EMAIL_LENGTH and EMAIL_PATTERN.fullmatch(value) is not None


def _check_email(errors: _Errors, name: str, value: str | None) -> None:
    if value and not is_email(value.strip()):
        errors.add(name, INVALID_EMAIL)


def _check_codes(errors: _Errors, name: str, codes: list[str], vocabulary: vocab.Vocabulary, required: bool) -> None:
    if required and not codes:
        errors.add(name, _l("Kies minstens één waarde."))
    unknown = [code for code in codes if code not in vocabulary]
    if unknown:
        errors.add(name, _l("Onbekende waarde: %(codes)s.", codes=", ".join(list(dict.fromkeys(unknown))[:10])))
    elif len(codes) != len(set(codes)):
        errors.add(name, _l("Elke waarde mag maar één keer voorkomen."))


def _check_slug(errors: _Errors, value: str | None, max_length: int) -> None:
    if value is not None and not (SLUG_PATTERN.match(value) and len(value) <= max_length):
        errors.add("slug", _l("Een webnaam bestaat uit kleine letters, cijfers en koppeltekens."))


def _field_errors(errors: _Errors, spec: fields.ListingField, value) -> None:
    """The rules one field's value must meet on its own, as the registry describes it."""
    if spec.type in ("text", "long_text"):
        _check_length(errors, spec.name, value, spec.min_length, spec.max_length, spec.rule_label,
                      single_line=spec.single_line)
    elif spec.type == "web_address":
        _check_web_address(errors, spec.name, value, required=spec.required)
    elif spec.type == "email":
        _check_email(errors, spec.name, value)
    elif spec.type == "age":
        if value is not None and not 0 <= value <= fields.MAX_AGE:
            errors.add(spec.name, _l("Geef een leeftijd tussen 0 en %(max)s jaar.", max=fields.MAX_AGE))
    elif spec.type == "count":
        if value is not None and not 0 <= value <= fields.MAX_PLACES:
            errors.add(spec.name, _l("Geef een aantal tussen 0 en %(max)s.", max=fields.MAX_PLACES))
    elif spec.type == "code":
        if value not in spec.vocabulary and not (value is None and spec.nullable):
            errors.add(spec.name, spec.choice_message)
    elif spec.type == "codes":
        _check_codes(errors, spec.name, value, spec.vocabulary, required=spec.required)


def listing_errors(data: ListingInput) -> dict[str, list]:
    """Every rule the listing input breaks, as {field: [Dutch message, ...]}; empty when valid."""
    errors = _Errors()
    _check_slug(errors, data.slug, 220)
    _check_length(errors, "external_id", data.external_id, 0, 200, _l("De externe id"))
    for spec in fields.LISTING_FIELDS:
        _field_errors(errors, spec, getattr(data, spec.name))
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        errors.add("max_age", _l("De maximumleeftijd mag niet lager zijn dan de minimumleeftijd."))
    if data.schedule in vocab.SCHEDULES:  # an unknown schedule has its own message, and no date rules
        if data.schedule != "permanent" and data.start_date is None:
            errors.add("start_date", _l("Geef de (eerste) datum."))
        elif data.schedule == "series" and data.end_date is None:
            errors.add("end_date", _l("Geef de laatste datum van de reeks."))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors.add("end_date", _l("De einddatum mag niet voor de begindatum liggen."))
    for name in ("start_time", "end_time"):
        if getattr(data, name) and schedules.parse_time(getattr(data, name)) is None:
            errors.add(name, _l("Geef een uur als uu:mm, bv. 14:00."))
    if data.end_time and not data.start_time:
        errors.add("start_time", _l("Geef ook het beginuur."))
    _availability_errors(errors, data)
    if not (data.locations or data.flanders_wide or data.online):
        errors.add("locations",
                   _l("Geef minstens één locatie, of duid aan dat het aanbod Vlaanderenbreed of online is."))
    if len(data.locations) > fields.MAX_LOCATIONS:
        errors.add("locations", _l("Je kunt hoogstens %(n)s locaties opgeven.", n=fields.MAX_LOCATIONS))
        return dict(errors)  # a flood of locations: no message per location
    for index, location in enumerate(data.locations):
        name = f"locations-{index}"
        municipality = municipalities.get(location.municipality_code)
        if municipality is None:
            errors.add(name, _l("Kies een Vlaamse of Brusselse gemeente."))
        elif location.postcode not in municipality.postcodes:
            errors.add(name, _l("Postcode %(postcode)s hoort niet bij %(name)s.",
                                postcode=location.postcode, name=municipality.name))
        _check_length(errors, name, location.address, 1, 200, _l("Het adres"), single_line=True)
        _check_length(errors, name, location.name, 0, 200, _l("De naam van de plek"), single_line=True)
        _check_point(errors, name, location.latitude, location.longitude)
    return dict(errors)


def _availability_errors(errors: _Errors, data) -> None:
    """The details of an availability belong to its state: a waiting list to a full offer, a number of free
    places to one that has places, a new date to a postponed one (after the original first day)."""
    if data.waiting_list and data.availability != "full":
        errors.add("waiting_list", _l("Een wachtlijst kan alleen bij volzet aanbod."))
    if data.remaining_places is not None and data.availability not in ("available", "few_left"):
        errors.add("remaining_places", _l("Vrije plaatsen geef je alleen als er nog plaatsen zijn."))
    if data.postponed_to is not None:
        if data.availability != "postponed":
            errors.add("postponed_to", _l("Een nieuwe datum geef je alleen bij uitgesteld aanbod."))
        elif data.start_date and data.postponed_to <= data.start_date:
            errors.add("postponed_to", _l("De nieuwe datum moet na de oorspronkelijke datum liggen."))


def with_audience(data):
    """`data` with its audience stated: input from before the field existed (old imports, API clients,
    revisions) takes vocab.default_audience."""
    if data.audience:
        return data
    return replace(data, audience=vocab.default_audience(data.kind, data.target_groups))


def availability_of(item) -> dict:
    """The availability fields (fields.UNMODERATED) of a listing or a listing input."""
    return {spec.name: getattr(item, spec.name) for spec in fields.UNMODERATED}


def availability_errors(values: Mapping, start_date: date | None) -> dict[str, list]:
    """The rules an availability change alone must meet (the quick change of a listing's availability)."""
    errors = _Errors()
    for spec in fields.UNMODERATED:
        _field_errors(errors, spec, values[spec.name])
    _availability_errors(errors, SimpleNamespace(**values, start_date=start_date))
    return dict(errors)


def _check_point(errors: _Errors, name: str, latitude: float | None, longitude: float | None) -> None:
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        errors.add(name, _l("Geef zowel de breedtegraad als de lengtegraad, of laat beide leeg."))
    elif not places.in_belgium(latitude, longitude):
        errors.add(name, _l("Dit punt ligt niet in België: geef de breedtegraad (bv. 50.93) en de lengtegraad "
                            "(bv. 5.34) in decimale graden."))


def organisation_errors(data: OrganisationInput) -> dict[str, list]:
    errors = _Errors()
    _check_length(errors, "name", data.name, 2, 200, _l("De naam"), single_line=True)
    _check_slug(errors, data.slug, 120)
    _check_length(errors, "external_id", data.external_id, 0, 200, _l("De externe id"))
    if data.kind not in vocab.ORGANISATION_KINDS:
        errors.add("kind", _l("Kies een soort organisatie."))
    if data.municipality_code is not None and municipalities.get(data.municipality_code) is None:
        errors.add("municipality_code", _l("Kies een Vlaamse of Brusselse gemeente."))
    _check_web_address(errors, "website", data.website, required=False)
    _check_email(errors, "public_email", data.public_email)
    _check_length(errors, "description", data.description, 0, 10000, _l("De beschrijving"))
    if bool(data.charter_signed_on) != bool((data.charter_commitment or "").strip()):
        errors.add("charter_commitment", _l("Geef bij een charterondertekening zowel de datum als het engagement."))
    return dict(errors)
