"""The periods a visitor can search in: presets ("dit weekend", "krokusvakantie") and a free from-to range.

A preset is a code of WHEN_CHOICES (the `when` URL parameter of the search page and the API); its days follow
from today: a holiday is the next one of that name that is not over yet (portal/reference/school_calendar.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.catalogue import vocab
from portal.reference import school_calendar

WHEN_CHOICES = vocab.Vocabulary("when", [
    ("weekend", _l("Dit weekend")),
    ("week", _l("Volgende 7 dagen")),
    ("month", _l("Deze maand")),
    ("herfstvakantie", _l("Herfstvakantie")),
    ("kerstvakantie", _l("Kerstvakantie")),
    ("krokusvakantie", _l("Krokusvakantie")),
    ("paasvakantie", _l("Paasvakantie")),
    ("zomervakantie", _l("Zomervakantie")),
])
MAX_RANGE = timedelta(days=2 * 366)  # a free range is cut to two years: longer ones ask nothing more


def preset_period(code: str, today: date) -> tuple[date, date]:
    """The first and last day of a preset, seen on `today`."""
    if code == "weekend":  # on a Saturday or a Sunday: the weekend we are in
        saturday = today + timedelta(days=(5 - today.weekday()) % 7) if today.weekday() < 5 else today
        return saturday, saturday + timedelta(days=6 - saturday.weekday())
    if code == "week":
        return today, today + timedelta(days=6)
    if code == "month":
        next_month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return today, next_month - timedelta(days=1)
    holiday = school_calendar.next_holiday(code, today)
    return holiday.first, holiday.last


def search_period(when: str | None, first: date | None, last: date | None,
                  today: date) -> tuple[date, date] | None:
    """The days to search in: a preset's, a free range's (an open end: from today, or a year on), or both's
    overlap (which may be empty: then first > last)."""
    periods = []
    if when:
        periods.append(preset_period(when, today))
    if first or last:
        first = first or min(today, last)
        periods.append((first, last or first + timedelta(days=365)))
    if not periods:
        return None
    start, end = max(p[0] for p in periods), min(p[1] for p in periods)
    return start, min(end, start + MAX_RANGE)


def holidays_in(period: tuple[date, date]) -> tuple[tuple[date, date], ...]:
    """The school holidays in a period, for the offers that pause in them."""
    return tuple((h.first, h.last) for h in school_calendar.holidays_between(*period))
