"""Time in the words of a query: "woensdagnamiddag", "op zaterdag", "krokusvakantie", "dit weekend", "in de zomer".

Such words become the search's day, part-of-day or period filter and leave the text, so "robot woensdagnamiddag"
looks for robot offers on Wednesday afternoons instead of offers whose text says "woensdagnamiddag". Only whole
words (and the small words before them: "op", "in de", "tijdens de") are taken; "woensdagclub" stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.catalogue import vocab

DAYS = {str(term.label._args[0]): term.code for term in vocab.WEEKDAYS}  # "woensdag" -> "wo"
PARTS = {"voormiddag": "voormiddag", "ochtend": "voormiddag", "namiddag": "namiddag", "middag": "namiddag",
         "avond": "avond"}
LEAD = r"(?:\b(?:op|elke|iedere|in|tijdens|de|het)\s+)*"  # small words that go with the time word
DAY_PATTERN = re.compile(LEAD + r"\b(" + "|".join(DAYS) + r")(" + "|".join(PARTS) + r")?(?:en|s)?\b", re.I)
PART_PATTERN = re.compile(LEAD + r"(?:'s\s+)?\b(voormiddag|namiddag)(?:en|s)?\b", re.I)
PERIODS = (  # (pattern, when code): the holidays by name, and the presets as a parent says them
    (re.compile(LEAD + r"\b(herfst|kerst|krokus|paas|zomer)vakantie\b", re.I), None),
    (re.compile(LEAD + r"\bzomer\b", re.I), "zomervakantie"),
    (re.compile(r"\bdit\s+weekend\b", re.I), "weekend"),
    (re.compile(r"\bdeze\s+week\b", re.I), "week"),
    (re.compile(r"\bdeze\s+maand\b", re.I), "month"),
)
# What may be left over at either end once the time words are out ("woensdag of zaterdag" leaves "of").
_CONNECTOR = r"(?:en|of|op|in|de|het|tijdens|,)"
LEFTOVER = re.compile(rf"^(?:{_CONNECTOR}(?:\s+|$))+|(?:(?:^|\s+){_CONNECTOR})+$", re.I)
WEEKEND_PATTERN = re.compile(r"\b(?:in\s+)?het\s+weekend\b", re.I)  # on Saturday or Sunday, any week


@dataclass(frozen=True)
class TimeWords:
    text: str  # the query without its time words
    when: str | None = None  # a portal.search.when.WHEN_CHOICES code
    days: tuple[str, ...] = ()  # vocab.WEEKDAYS codes
    parts: tuple[str, ...] = ()  # vocab.DAY_PARTS codes


def read_time_words(text: str) -> TimeWords:
    original = text
    when, days, parts = None, [], []
    for pattern, code in PERIODS:
        found = pattern.search(text)
        if found and when is None:
            when = code or f"{found.group(1).lower()}vakantie"
            text = _cut(text, found)
    if (found := WEEKEND_PATTERN.search(text)) is not None:
        days += ["za", "zo"]
        text = _cut(text, found)
    while (found := DAY_PATTERN.search(text)) is not None:
        days.append(DAYS[found.group(1).lower()])
        if found.group(2):
            parts.append(PARTS[found.group(2).lower()])
        text = _cut(text, found)
    while (found := PART_PATTERN.search(text)) is not None:
        parts.append(PARTS[found.group(1).lower()])
        text = _cut(text, found)
    rest = LEFTOVER.sub("", " ".join(text.split())) if text != original else original
    return TimeWords(rest, when, tuple(dict.fromkeys(days)), tuple(dict.fromkeys(parts)))


def _cut(text: str, found: re.Match) -> str:
    return f"{text[:found.start()]} {text[found.end():]}"
