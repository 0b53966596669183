"""A revision against the live listing, field by field, in words a moderator reads (labels, not codes)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from portal.catalogue import vocab
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


# (label, how to read the value from a ListingInput, how to show it)
FIELDS = (
    (_l("Soort aanbod"), lambda d: d.kind, _code(vocab.LISTING_KINDS)),
    (_l("Titel"), lambda d: d.title, _text),
    (_l("Korte beschrijving"), lambda d: d.summary, _text),
    (_l("Beschrijving"), lambda d: d.description, _text),
    (_l("Webadres van de aanbieder"), lambda d: d.provider_url, _text),
    (_l("Leeftijd"), lambda d: (d.min_age, d.max_age), lambda ages: age_range(*ages)),
    (_l("Doelgroepen"), lambda d: d.target_groups, _codes(vocab.TARGET_GROUPS)),
    (_l("Thema's"), lambda d: d.themes, _codes(vocab.THEMES)),
    (_l("STEM-domeinen"), lambda d: d.disciplines, _codes(vocab.DISCIPLINES)),
    (_l("Vorm"), lambda d: d.formats, _codes(vocab.FORMATS)),
    (_l("Kostprijs"), lambda d: d.cost, _code(vocab.COSTS)),
    (_l("Prijs"), lambda d: d.price_text, _text),
    (_l("Vlaanderenbreed"), lambda d: d.flanders_wide, _yes_no),
    (_l("Online"), lambda d: d.online, _yes_no),
    (_l("Planning"), lambda d: d.schedule, _code(vocab.SCHEDULES)),
    (_l("Begindatum"), lambda d: d.start_date, _date),
    (_l("Einddatum"), lambda d: d.end_date, _date),
    (_l("Uren en dagen"), lambda d: d.schedule_text, _text),
    (_l("Contactpersoon"), lambda d: d.contact_name, _text),
    (_l("E-mailadres"), lambda d: d.contact_email, _text),
    (_l("Telefoon"), lambda d: d.contact_phone, _text),
    (_l("Locaties"), lambda d: d.locations, _locations),
)


def listing_diff(live: ListingInput, proposed: ListingInput) -> list[FieldChange]:
    """The fields that differ, with the live value and the proposed one."""
    changes = []
    for label, read, show in FIELDS:
        old, new = show(read(live)), show(read(proposed))
        if old != new:
            changes.append(FieldChange(label=str(label), old=old, new=new))
    return changes
