"""The details of an organisation that its owners edit, written once: the attribute, the word an owner and a
moderator read for it in a diff and in the history, and the kind of value (how portal.moderation.diff shows it).

Every one of them is public: the organisation page, its JSON-LD, the API, the open data and the listings that
name the organisation show them. So all of them are the organisation's public identity, and once it is
verified a change to any of them waits for a moderator as a revision (services.update_organisation); none
applies directly. Owners do not edit the slug, the charter fields or the verification."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.catalogue.inputs import OrganisationInput


@dataclass(frozen=True)
class Detail:
    name: str  # of the Organisation column and the OrganisationInput attribute
    label: object
    type: str  # "text", "long_text", "web_address", "email", "organisation_kind" or "municipality"


DETAILS = (
    Detail("name", _l("Naam"), "text"),
    Detail("kind", _l("Soort organisatie"), "organisation_kind"),
    Detail("municipality_code", _l("Gemeente"), "municipality"),
    Detail("website", _l("Website"), "web_address"),
    Detail("public_email", _l("Publiek e-mailadres"), "email"),
    Detail("description", _l("Beschrijving"), "long_text"),
)
NAMES = tuple(detail.name for detail in DETAILS)

Values = dict[str, str | None]  # detail name -> the value as stored


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def stored(data: OrganisationInput) -> Values:
    """The values the organisation would store for `data` (checked by catalogue.inputs.organisation_errors)."""
    return {"name": data.name.strip(), "kind": data.kind, "municipality_code": data.municipality_code or None,
            "website": _clean(data.website), "public_email": _clean(data.public_email),
            "description": (data.description or "").strip()}


def current(organisation) -> Values:
    return {name: getattr(organisation, name) for name in NAMES}


def changed(old: Values, new: Values) -> dict[str, list]:
    """The details that differ (an empty text is none), as the history keeps them: name -> [old, new]."""
    return {name: [old.get(name), new.get(name)] for name in NAMES
            if (old.get(name) or None) != (new.get(name) or None)}


def as_input(values: Values) -> OrganisationInput:
    """What the edit form starts from."""
    return OrganisationInput(**{**values, "description": values.get("description") or ""})
