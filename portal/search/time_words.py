"""Time in the words of a query: "woensdagnamiddag", "op zaterdag", "krokusvakantie", "dit weekend", "in de zomer",
"volgend weekend", "in juli".

Such words become the search's day, part-of-day or period filter and leave the text, so "robot woensdagnamiddag"
looks for robot offers on Wednesday afternoons instead of offers whose text says "woensdagnamiddag". Only whole
words (and the small words before them: "op", "in de", "tijdens de") are taken; "woensdagclub" stays text.
Days counted from today ("morgen", "volgende week", a month's name: the next one that is not over) become the
free from-to range.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

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
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def _next_weekend(found: re.Match, today: date) -> tuple[date, date]:
    """The weekend after the one "dit weekend" means (on a Saturday or Sunday: the one we are in)."""
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7 if today.weekday() < 5 else 12 - today.weekday())
    return saturday, saturday + timedelta(days=1)


def _next_week(found: re.Match, today: date) -> tuple[date, date]:
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)


def _month(year: int, month: int) -> tuple[date, date]:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def _next_month(found: re.Match, today: date) -> tuple[date, date]:
    return _month(today.year + today.month // 12, today.month % 12 + 1)


def _named_month(found: re.Match, today: date) -> tuple[date, date]:
    """The month of that name that is not over yet (this one from today)."""
    month = MONTHS.index(found.group(1).lower()) + 1
    first, last = _month(today.year + (month < today.month), month)
    return max(first, today), last


RANGES: tuple[tuple[re.Pattern, Callable[[re.Match, date], tuple[date, date]]], ...] = (
    (re.compile(r"\bvandaag\b", re.I), lambda found, today: (today, today)),
    (re.compile(r"\bmorgen\b", re.I), lambda found, today: (today + timedelta(days=1),) * 2),
    (re.compile(r"\b(?:het\s+)?volgende?\s+weekend\b", re.I), _next_weekend),
    (re.compile(r"\b(?:de\s+)?volgende\s+week\b", re.I), _next_week),
    (re.compile(r"\b(?:de\s+)?volgende\s+maand\b", re.I), _next_month),
    (re.compile(LEAD + r"(?:\bde\s+maand\s+)?\b(" + "|".join(MONTHS) + r")\b", re.I), _named_month),
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
    taken: int = 0  # how many time expressions left the text
    days_range: tuple[date, date] | None = None  # days counted from today, as a free range (first, last)


def read_time_words(text: str, today: date) -> TimeWords:
    original = text
    when, days, parts, taken, days_range = None, [], [], 0, None
    for pattern, days_of in RANGES:
        found = pattern.search(text)
        if found and days_range is None:
            days_range = days_of(found, today)
            text, taken = _cut(text, found), taken + 1
    for pattern, code in PERIODS:
        found = pattern.search(text)
        if found and when is None:
            when = code or f"{found.group(1).lower()}vakantie"
            text, taken = _cut(text, found), taken + 1
    if (found := WEEKEND_PATTERN.search(text)) is not None:
        days += ["za", "zo"]
        text, taken = _cut(text, found), taken + 1
    while (found := DAY_PATTERN.search(text)) is not None:
        days.append(DAYS[found.group(1).lower()])
        if found.group(2):
            parts.append(PARTS[found.group(2).lower()])
        text, taken = _cut(text, found), taken + 1
    while (found := PART_PATTERN.search(text)) is not None:
        parts.append(PARTS[found.group(1).lower()])
        text, taken = _cut(text, found), taken + 1
    rest = LEFTOVER.sub("", " ".join(text.split())) if text != original else original
    return TimeWords(rest, when, tuple(dict.fromkeys(days)), tuple(dict.fromkeys(parts)), taken, days_range)


def _cut(text: str, found: re.Match) -> str:
    return f"{text[:found.start()]} {text[found.end():]}"
