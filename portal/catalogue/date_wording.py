"""When an offer takes place, in words: the one wording that cards, the detail page, the moderation page and the
feeds use.

    op 3 februari 2027
    van 15 tot 19 februari 2027 / van 28 februari tot 3 maart 2027 / van 28 december 2026 tot 3 januari 2027
    elke woensdag 14-16 u, niet in de schoolvakanties, van 16 september 2026 tot 16 juni 2027

Month and day names come from Babel in the request's locale (Dutch, English). Babel's formatting is slow, so
results are cached per locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel.lists import format_list
from flask_babel import format_date, get_locale, gettext

from portal.catalogue import schedules, vocab


@dataclass(frozen=True)
class When:
    """What the wording needs of a listing or a card (both carry these attributes)."""

    schedule: str
    start_date: date | None = None
    end_date: date | None = None
    weekdays: tuple[str, ...] = ()
    day_parts: tuple[str, ...] = ()
    start_time: str | None = None
    end_time: str | None = None
    school_holidays_off: bool = False

    @classmethod
    def of(cls, item) -> When:
        return cls(item.schedule, item.start_date, item.end_date, tuple(item.weekdays or ()),
                   tuple(item.day_parts or ()), item.start_time, item.end_time, bool(item.school_holidays_off))


def when_text(item) -> str:
    """The whole wording for a listing or a card: its weekly pattern, times and dates."""
    return _when_text(locale_name(), When.of(item))


def day_range(start: date | None, end: date | None) -> str:
    """ "op 3 februari 2027", "van 15 tot 19 februari 2027", "vanaf 3 februari 2027", "tot 3 maart 2027"."""
    return _day_range(locale_name(), start, end)


def locale_name() -> str:
    """The locale as a cache key (Flask-Babel keeps it on the context; force_locale changes it)."""
    return str(get_locale())


@lru_cache(maxsize=4096)
def _day_range(locale: str, start: date | None, end: date | None) -> str:
    if start is None:
        return gettext("tot %(end)s", end=format_date(end, "d MMMM y")) if end else ""
    if end is None:
        return gettext("vanaf %(start)s", start=format_date(start, "d MMMM y"))
    if end == start:
        return gettext("op %(day)s", day=format_date(start, "d MMMM y"))
    if start.year != end.year:
        start_format = "d MMMM y"
    else:
        start_format = "d" if start.month == end.month else "d MMMM"
    return gettext("van %(start)s tot %(end)s", start=format_date(start, start_format),
                   end=format_date(end, "d MMMM y"))


def _hours(locale: str, start: str | None, end: str | None) -> str:
    """ "14-16 u", "13.30-16 u", "19 u" the Dutch way; clock times ("14:00-16:00") in other languages."""
    first, last = schedules.parse_time(start), schedules.parse_time(end)
    if first is None:
        return ""
    if locale.startswith("nl"):
        shown = lambda t: f"{t.hour}" if t.minute == 0 else f"{t.hour}.{t.minute:02d}"  # noqa: E731
    else:
        shown = lambda t: t.strftime("%H:%M")  # noqa: E731
    if last is None:
        return gettext("%(start)s u", start=shown(first))
    return gettext("%(start)s-%(end)s u", start=shown(first), end=shown(last))


def _weekly(when: When, locale: str) -> str:
    """ "elke woensdag 14-16 u", "elke woensdagnamiddag", "elke dinsdag en donderdag"; "" without weekdays."""
    days = vocab.WEEKDAYS.labels()
    codes = [code for code in vocab.WEEKDAYS.codes if code in when.weekdays]
    if not codes:
        return ""
    hours = _hours(locale, when.start_time, when.end_time)
    if not hours and len(when.day_parts) == 1:  # "woensdagnamiddag"
        part = vocab.DAY_PARTS.label(when.day_parts[0])
        names = [gettext("%(day)s%(part)s", day=days[code], part=part) for code in codes]
    else:
        names = [days[code] for code in codes]
    text = gettext("elke %(days)s", days=format_list(names, locale=locale))
    return f"{text} {hours}" if hours else text


@lru_cache(maxsize=4096)
def _when_text(locale: str, when: When) -> str:
    dates = ""
    if when.schedule != "permanent" and when.start_date:
        end = when.end_date if when.end_date or when.schedule != "once" else when.start_date
        dates = _day_range(locale, when.start_date, end)
    pause = gettext("niet in de schoolvakanties") if when.school_holidays_off else ""
    weekly = _weekly(when, locale)
    parts = [weekly, pause, dates] if weekly else [dates, _hours(locale, when.start_time, when.end_time), pause]
    return ", ".join(part for part in parts if part)
