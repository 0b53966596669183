"""A place in what a parent types: "robot hasselt", "kamp 8000", "in de buurt van Genk", "codeerclub berchem".

`read_place` finds the municipality, deelgemeente, district or postcode a query names and returns it with the
query without those words, so that the search can look around the place instead of for the word. No Flask
here: the search service and the benchmarks call it alike.

Names that are also ordinary words or their start ("as", "mol", "boom", "bree": `places.ambiguous_names`) are
read as a place only with a clue: a postcode, or a word like "in", "te", "bij", "rond" or "in de buurt van"
before them. Without one the intent is returned as not `certain`, and the caller decides (the search service:
only when the words as text find nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from portal.reference import places
from portal.text import fold

# Words before a place that say it is one; the longest first.
CLUES = tuple(sorted((tuple(clue.split()) for clue in (
    "in de buurt van", "in de omgeving van", "in de regio", "in de regio van", "buurt van", "omgeving van",
    "omgeving", "regio", "dicht bij", "vlak bij", "vlakbij", "nabij", "rond", "rondom", "bij", "in", "te",
)), key=len, reverse=True))


@dataclass(frozen=True)
class PlaceIntent:
    place: places.Place
    written: str  # the words that named it, as typed ("Hasselt", "8000", "in de buurt van Genk")
    text: str  # the query without them
    certain: bool  # a postcode, a clue before it, or a name that is no ordinary word


@dataclass(frozen=True)
class _Candidate:
    start: int  # word positions, end exclusive
    end: int
    place: places.Place
    certain: bool


@cache
def _postcodes() -> frozenset[str]:
    return frozenset(places.postcodes())


def _clue_before(words: list[str], start: int) -> int | None:
    """Where a clue ending just before word `start` begins."""
    for clue in CLUES:
        begin = start - len(clue)
        if begin >= 0 and tuple(words[begin:start]) == clue:
            return begin
    return None


def _candidates(words: list[str]) -> list[_Candidate]:
    names, longest = places.names(), places.longest_name()
    found = []
    for start, word in enumerate(words):
        if len(word) == 4 and word.isdigit():
            if word in _postcodes():
                found.append(_Candidate(start, start + 1, places.by_postcode(word), True))
            continue
        for end in range(min(len(words), start + longest), start, -1):
            place = names.get(tuple(words[start:end]))
            if place is not None:
                plain = end - start > 1 or words[start] not in places.ambiguous_names()
                found.append(_Candidate(start, end, place, plain))
                break
    return found


def read_place(text: str) -> PlaceIntent | None:
    """The place `text` names (the most certain, then longest, then last one), or None."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    words = [fold(text[a:b]) for a, b in spans]
    candidates = _candidates(words)
    if not candidates:
        return None
    clues = {c: _clue_before(words, c.start) for c in candidates}
    best = max(candidates, key=lambda c: (c.certain or clues[c] is not None, c.end - c.start, c.start))
    start, end = best.start, best.end
    # "3500 Hasselt", "Hasselt 3500": a postcode and a name of one municipality are one place
    for other in candidates:
        if other is not best and other.place.municipality == best.place.municipality and (
                other.end == start or other.start == end):
            start, end = min(start, other.start), max(end, other.end)
    clue = _clue_before(words, start)
    certain = best.certain or clue is not None or any(
        c.place.kind == "postcode" and start <= c.start < end for c in candidates)
    if clue is not None:
        start = clue
    first, last = spans[start][0], spans[end - 1][1]
    rest = " ".join((text[:first] + " " + text[last:]).split())
    return PlaceIntent(place=best.place, written=text[first:last], text=rest, certain=certain)
