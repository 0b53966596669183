"""Moving the demo catalogue's dates to the day it is loaded, its texts and school holidays included.

The seed files are written for the anchor day (loader.ANCHOR). Loading later moves a listing's dates by whole
weeks, so that weekdays stay weekdays, and:

- a listing that lies within one school holiday (a krokus camp) moves to the same week of that holiday in the
  year it lands in, so that it stays a holiday camp, and a club that runs the school year moves by whole school
  years ("listing_shift");
- the dates its "Dagen en uren" text names ("Zondag 9 mei 2027", "13 en 27 januari", "25/11") move with it
  ("shift_text"), so that the text keeps agreeing with the dates.

"mentions" reads the dates a text names; tests/seeds uses it to check that every demo text agrees with its dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from portal.reference import school_calendar

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
WEEKDAY_WORDS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_DAY_WORD = r"(?:(?:" + "|".join(WEEKDAY_WORDS) + r")\s+)?"
_LINK = r"\s*(?:,|\ben\b|\btot\b|-|–)\s*"
# A run of day numbers ending in a month ("15 tot vrijdag 19 februari 2027", "3, 17 en 24 maart"), or a d/m date.
MONTH_GROUP = re.compile(r"\b(\d{1,2}(?:" + _LINK + _DAY_WORD + r"\d{1,2})*)\s+(" + "|".join(MONTHS)
                         + r")\b(?:\s+(\d{4}))?", re.I)
SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})\b(?!/)")
NUMBER = re.compile(r"\d{1,2}")
WEEKDAY_BEFORE = re.compile(r"(" + "|".join(WEEKDAY_WORDS) + r")\s+$", re.I)


@dataclass(frozen=True)
class Mention:
    day: date
    weekday_word: str | None  # the weekday the text puts right before the number ("zondag 9 mei"), lowercase
    deadline: bool  # said as a deadline ("inschrijven tot 31 januari"), not a day the offer takes place


def _year_near(day: int, month: int, span: tuple[date, date]) -> date | None:
    """The date with this day and month within `span` (a listing's first and last day), else the nearest to its
    start: texts leave the year out when it is clear."""
    first, last = span
    candidates = []
    for year in range(first.year - 1, last.year + 2):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda found: (not first <= found <= last, abs(found - first)), default=None)


def _group_days(found: re.Match, span: tuple[date, date]) -> list[tuple[int, date | None]]:
    """(position in the text, date) of every day number of a month group."""
    month = MONTHS.index(found.group(2).lower()) + 1
    year = int(found.group(3)) if found.group(3) else None
    result = []
    for number in NUMBER.finditer(found.group(1)):
        day = int(number.group())
        try:
            value = date(year, month, day) if year else _year_near(day, month, span)
        except ValueError:
            value = None
        result.append((found.start(1) + number.start(), value))
    return result


def mentions(text: str | None, span: tuple[date, date]) -> list[Mention]:
    """The dates `text` names; a date without a year is taken in the year that puts it within `span` (or
    nearest to it)."""
    text = text or ""
    found = []
    for group in MONTH_GROUP.finditer(text):
        for position, day in _group_days(group, span):
            if day is not None:
                found.append((position, day))
    for slash in SLASH_DATE.finditer(text):
        day = _year_near(int(slash.group(1)), int(slash.group(2)), span)
        if day is not None:
            found.append((slash.start(), day))
    result = []
    for position, day in sorted(found):
        before = WEEKDAY_BEFORE.search(text[:position])
        deadline = bool(re.search(r"\binschrijven\s+(?:tot|voor)\s+$", text[:position], re.I))
        result.append(Mention(day, before.group(1).lower() if before else None, deadline))
    return result


def _render_days(days: list[date], ranged: bool, with_year: bool) -> str:
    """Days as a text names them: "15 tot 19 februari", "13 en 27 januari", "31 januari, 7 februari"."""
    def month(day: date) -> str:
        return MONTHS[day.month - 1]
    if ranged and len(days) == 2:
        first, last = days
        start = f"{first.day}" if first.month == last.month else f"{first.day} {month(first)}"
        text = f"{start} tot {last.day} {month(last)}"
    elif all(d.month == days[0].month for d in days):
        numbers = [str(d.day) for d in days]
        text = (", ".join(numbers[:-1]) + " en " + numbers[-1] if len(numbers) > 1 else numbers[0]) + \
            f" {month(days[0])}"
    else:
        parts = [f"{d.day} {month(d)}" for d in days]
        text = ", ".join(parts[:-1]) + " en " + parts[-1]
    return f"{text} {days[-1].year}" if with_year else text


def shift_text(text: str | None, delta: timedelta, span: tuple[date, date]) -> str | None:
    """`text` with every date it names moved by `delta` (`span`: the listing's first and last day, before)."""
    if not text or not delta:
        return text

    def month_group(found: re.Match) -> str:
        days = [day for _, day in _group_days(found, span)]
        if any(day is None for day in days):
            return found.group()
        ranged = bool(re.search(r"\btot\b|-|–", found.group(1)))
        weekday_words = re.findall(r"(?:" + "|".join(WEEKDAY_WORDS) + r")", found.group(1), re.I)
        rendered = _render_days([day + delta for day in days], ranged, bool(found.group(3)))
        if ranged and len(days) == 2 and weekday_words:  # "15 tot vrijdag 19 februari": keep the inner weekday
            rendered = rendered.replace(" tot ", f" tot {weekday_words[0]} ", 1)
        return rendered

    def slash(found: re.Match) -> str:
        day = _year_near(int(found.group(1)), int(found.group(2)), span)
        return found.group() if day is None else f"{(day + delta).day}/{(day + delta).month}"

    return SLASH_DATE.sub(slash, MONTH_GROUP.sub(month_group, text))


def _holiday_of(day: date) -> school_calendar.Holiday | None:
    return next((h for h in school_calendar.school_year(school_calendar.school_year_of(day)) if day in h), None)


def _first_monday(holiday: school_calendar.Holiday) -> date:
    return holiday.first + timedelta(days=-holiday.first.weekday() % 7)


def _spans_a_school_year(first: date, last: date | None) -> bool:
    """A club or course that starts with the school year and runs (most of) it."""
    return first.month in (8, 9, 10) and (last is None or last - first >= timedelta(days=150))


def listing_shift(first: date | None, last: date | None, shift: timedelta, anchor: date) -> timedelta:
    """How far a listing's dates move when the catalogue written for `anchor` loads `shift` (whole weeks) later:

    - a listing within one school holiday: the whole weeks to the same holiday nearest to where `shift` puts it;
    - a listing that runs the school year: the whole weeks nearest to the whole school years `shift` crosses,
      so that it keeps running from the start of a school year (and through the holidays it names);
    - any other listing: `shift`."""
    if first is None:
        return shift
    holiday = _holiday_of(first)
    if holiday is not None and (last or first) in holiday:
        aimed = holiday.first + shift
        year = school_calendar.school_year_of(aimed)
        position = school_calendar.HOLIDAYS.index(holiday.code)
        nearest = min((school_calendar.school_year(y)[position] for y in (year - 1, year, year + 1)),
                      key=lambda candidate: abs(candidate.first - aimed))
        return _first_monday(nearest) - _first_monday(holiday)
    if _spans_a_school_year(first, last):
        years = school_calendar.school_year_of(anchor + shift) - school_calendar.school_year_of(anchor)
        same_day = date(first.year + years, first.month, min(first.day, 28))
        return timedelta(weeks=round((same_day - first).days / 7))
    return shift
