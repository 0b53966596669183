"""'Gemeente of postcode': what a member types for a location, resolved to a postcode and a municipality.

Works without JavaScript: the server reads "3600", "Genk", "3600 Genk" or "Genk (3600)" and explains in
Dutch when the text is unknown or could mean several places. The form also offers every "postcode
gemeente" pair as a datalist, so browsers suggest them while typing.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import lazy_gettext as _l

from portal.reference import municipalities
from portal.reference.municipalities import Municipality
from portal.text import fold

POSTCODE = re.compile(r"\b(\d{4})\b")


class PlaceNotResolved(Exception):
    """The text names no place, or several; `message` says what to type instead."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _names(found: list[Municipality]) -> str:
    return ", ".join(m.name for m in found[:6]) + (" ..." if len(found) > 6 else "")


def _key(text: str) -> str:
    """A name for comparison: case, accents, hyphens and punctuation ignored ("Sint-Niklaas" = "sint niklaas")."""
    return " ".join(re.sub(r"[^a-z']+", " ", fold(text)).split())


def resolve(text: str) -> tuple[str, Municipality]:
    """(postcode, municipality) for a typed place."""
    match = POSTCODE.search(text or "")
    postcode = match.group(1) if match else None
    name = _key(text or "")
    if postcode is None and not name:
        raise PlaceNotResolved(_l("Geef de gemeente of de postcode."))
    if postcode is not None:
        candidates = [m for m in municipalities.all_municipalities() if postcode in m.postcodes]
        if not candidates:
            raise PlaceNotResolved(_l("Postcode %(postcode)s ligt niet in Vlaanderen of Brussel.", postcode=postcode))
        if name:
            candidates = [m for m in candidates if _key(m.name).startswith(name)]
            if not candidates:
                raise PlaceNotResolved(_l("Postcode %(postcode)s hoort niet bij die gemeente.", postcode=postcode))
        if len(candidates) > 1:
            raise PlaceNotResolved(_l(
                "Postcode %(postcode)s hoort bij meerdere gemeenten (%(names)s); typ ook de gemeente.",
                postcode=postcode, names=_names(candidates)))
        return postcode, candidates[0]
    everywhere = municipalities.all_municipalities()
    candidates = [m for m in everywhere if _key(m.name) == name] or [
        m for m in everywhere if _key(m.name).startswith(name)]
    if not candidates:
        raise PlaceNotResolved(_l("We kennen geen Vlaamse of Brusselse gemeente '%(text)s'; typ de postcode.",
                                  text=text.strip()))
    if len(candidates) > 1:
        raise PlaceNotResolved(_l("Bedoel je %(names)s? Typ de volledige naam of de postcode.",
                                  names=_names(candidates)))
    municipality = candidates[0]
    if len(municipality.postcodes) > 1:
        raise PlaceNotResolved(_l(
            "%(name)s heeft meerdere postcodes (%(postcodes)s); typ de postcode van de locatie.",
            name=municipality.name, postcodes=", ".join(municipality.postcodes)))
    return municipality.postcodes[0], municipality


def describe(postcode: str, municipality_code: str) -> str:
    """The text the form shows for a stored location: "3600 Genk"."""
    municipality = municipalities.get(municipality_code)
    return f"{postcode} {municipality.name}" if municipality else postcode


@cache
def suggestions() -> tuple[str, ...]:
    """Every "postcode gemeente" pair, for the form's datalist."""
    return tuple(sorted(
        f"{postcode} {m.name}" for m in municipalities.all_municipalities() for postcode in m.postcodes
    ))
