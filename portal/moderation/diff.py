"""A revision against the live listing, field by field, in words a moderator reads (labels, not codes)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, gettext

from portal.catalogue import fields
from portal.catalogue.inputs import ListingInput
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


# registry type -> how a moderator reads its value
SHOWN_AS = {"text": _text, "long_text": _text, "web_address": _text, "email": _text, "boolean": _yes_no,
            "count": lambda n: "" if n is None else str(n),
            "date": _date, "locations": _locations}


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


def listing_diff(live: ListingInput, proposed: ListingInput) -> list[FieldChange]:
    """The fields that differ, with the live value and the proposed one."""
    changes = []
    for label, read, show in FIELDS:
        old, new = show(read(live)), show(read(proposed))
        if old != new:
            changes.append(FieldChange(label=str(label), old=old, new=new))
    return changes
