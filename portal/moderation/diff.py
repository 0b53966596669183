"""A revision against the live version, field by field, in words a moderator and an owner read (labels, not
codes): of a listing (its fields in the registry, catalogue/fields.py) and of an organisation (its details,
organisations/details.py, also as the history keeps them)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, gettext

from portal.catalogue import fields, vocab
from portal.catalogue.inputs import ListingInput
from portal.organisations import details
from portal.reference import municipalities
from portal.submissions import places
from portal.templating import age_range


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _codes(vocabulary):
    return lambda codes: ", ".join(vocabulary.label(code) for code in codes if code in vocabulary)


def _code(vocabulary):
    return lambda code: vocabulary.label(code) if code in vocabulary else (code or "")


def _yes_no(value) -> str:
    return gettext("ja") if value else gettext("nee")


def _date(value) -> str:
    return format_date(value, "d MMMM y") if value else ""


def _locations(locations) -> str:
    return "\n".join(
        ", ".join(part for part in (location.name, location.address,
                                    places.describe(location.postcode, location.municipality_code)) if part)
        for location in locations
    )


def _text(value) -> str:
    return (value or "").strip()


def _municipality(code) -> str:
    municipality = municipalities.get(code) if code else None
    return municipality.name if municipality else (code or "")


# registry or detail type -> how a moderator reads its value
SHOWN_AS = {"text": _text, "long_text": _text, "web_address": _text, "email": _text, "boolean": _yes_no,
            "count": lambda n: "" if n is None else str(n),
            "date": _date, "locations": _locations, "municipality": _municipality,
            "organisation_kind": _code(vocab.ORGANISATION_KINDS)}


def _row(spec: fields.ListingField):
    """(label, how to read the value from a ListingInput, how to show it); None for max_age, shown with min_age."""
    if spec.name == "min_age":
        return spec.diff, lambda d: (d.min_age, d.max_age), lambda ages: age_range(*ages)
    if spec.name == "max_age":
        return None
    if spec.type in ("code", "codes"):
        show = (_code if spec.type == "code" else _codes)(spec.vocabulary)
    else:
        show = SHOWN_AS[spec.type]
    return spec.diff, lambda d: getattr(d, spec.name), show


FIELDS = tuple(row for row in map(_row, fields.LISTING_FIELDS) if row is not None)
DETAILS = tuple((detail.label, lambda values, name=detail.name: values.get(name), SHOWN_AS[detail.type])
                for detail in details.DETAILS)


def _diff(rows, live, proposed) -> list[FieldChange]:
    changes = []
    for label, read, show in rows:
        old, new = show(read(live)), show(read(proposed))
        if old != new:
            changes.append(FieldChange(label=str(label), old=old, new=new))
    return changes


def listing_diff(live: ListingInput, proposed: ListingInput) -> list[FieldChange]:
    """The fields that differ, with the live value and the proposed one."""
    return _diff(FIELDS, live, proposed)


def organisation_diff(live: details.Values, proposed: details.Values) -> list[FieldChange]:
    """The details that differ, with the public value and the proposed one."""
    return _diff(DETAILS, live, proposed)


def recorded_diff(changes: dict[str, list]) -> list[FieldChange]:
    """An organisation's details as its history keeps them (name -> [old, new], details.changed)."""
    return organisation_diff({name: old for name, (old, _new) in changes.items()},
                             {name: new for name, (_old, new) in changes.items()})
