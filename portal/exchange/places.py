"""Municipalities as people write them in files: a NIS code, a postcode or a name."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l

from portal.reference import municipalities
from portal.text import fold


class UnknownPlace(ValueError):
    """The text names no Flemish or Brussels municipality, or more than one; the message says which."""


@cache
def _by_postcode() -> dict[str, list[municipalities.Municipality]]:
    found: dict[str, list] = {}
    for municipality in municipalities.all_municipalities():
        for postcode in municipality.postcodes:
            found.setdefault(postcode, []).append(municipality)
    return found


@cache
def _by_name() -> dict[str, list[municipalities.Municipality]]:
    found: dict[str, list] = {}
    for municipality in municipalities.all_municipalities():
        found.setdefault(fold(municipality.name), []).append(municipality)
    return found


def _one(found: list, text: str) -> municipalities.Municipality:
    if not found:
        raise UnknownPlace(_l("Geen Vlaamse of Brusselse gemeente: '%(text)s'.", text=text))
    if len(found) > 1:
        raise UnknownPlace(_l("'%(text)s' is niet eenduidig: %(names)s. Geef de NIS-code.", text=text,
                              names=", ".join(f"{m.name} ({m.code})" for m in found)))
    return found[0]


def resolve(text: str) -> municipalities.Municipality:
    """The municipality a NIS code (5 digits), a postcode (4 digits) or a name stands for."""
    text = (text or "").strip()
    if text.isdigit() and len(text) == 5:
        return _one([m] if (m := municipalities.get(text)) else [], text)
    if text.isdigit() and len(text) == 4:
        return _one(_by_postcode().get(text, []), text)
    return _one(_by_name().get(fold(text), []), text)


def for_postcode(postcode: str, municipality_text: str | None) -> municipalities.Municipality:
    """A location's municipality: the one named (checked against the postcode), or the postcode's only one."""
    if municipality_text:
        return resolve(municipality_text)
    return resolve(postcode)
