"""The school holidays of Flemish primary and secondary education, computed for any school year.

The rules are those of the Besluit van de Vlaamse Regering van 17 april 1991 betreffende de organisatie van het
schooljaar (as Onderwijs Vlaanderen publishes them under "Schoolvakanties"). They are still in force: the reform
that lengthened the autumn and spring holidays from 2022-2023 is the French Community's, not Flanders', and every
Flemish calendar since (2023-2024 to 2026-2027) follows these rules:

- zomervakantie: from 1 July to 31 August;
- herfstvakantie: one week from the Monday of the week of 1 November; when 1 November is a Sunday, it starts on
  2 November;
- kerstvakantie: two weeks from the Monday of the week of Christmas; when Christmas is a Saturday or a Sunday, it
  starts on the Monday after Christmas;
- krokusvakantie: one week from the seventh Monday before Easter;
- paasvakantie: two weeks from the first Monday of April; when Easter falls in March, from the Monday after
  Easter; when Easter falls after 15 April, from the second Monday before Easter, and then Easter Monday is
  added as a holiday.

A holiday runs from its first Monday to the Sunday that ends it (zomervakantie: to 31 August), the way schools
announce them. Easter comes from `dateutil.easter` (the Western date). No Flask here: the search engine's callers,
the schedule wording and the tests use it alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter

# Codes in the order of the school year; the Dutch words are the names parents use (and type in a search).
HOLIDAYS = ("herfstvakantie", "kerstvakantie", "krokusvakantie", "paasvakantie", "zomervakantie")


@dataclass(frozen=True)
class Holiday:
    code: str  # one of HOLIDAYS
    first: date
    last: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(code: str, first: date, weeks: int) -> Holiday:
    return Holiday(code, first, first + timedelta(weeks=weeks, days=-1))


def herfstvakantie(year: int) -> Holiday:
    """The autumn holiday in the autumn of `year`."""
    all_saints = date(year, 11, 1)
    first = all_saints + timedelta(days=1) if all_saints.weekday() == 6 else _monday_of(all_saints)
    return _weeks("herfstvakantie", first, 1)


def kerstvakantie(year: int) -> Holiday:
    """The Christmas holiday that starts in December of `year`."""
    christmas = date(year, 12, 25)
    first = christmas + timedelta(days=7 - christmas.weekday()) if christmas.weekday() >= 5 else _monday_of(christmas)
    return _weeks("kerstvakantie", first, 2)


def krokusvakantie(year: int) -> Holiday:
    """The spring half-term holiday of `year`: the seventh Monday before Easter is Easter minus 48 days."""
    return _weeks("krokusvakantie", easter(year) - timedelta(days=48), 1)


def paasvakantie(year: int) -> Holiday:
    easter_day = easter(year)
    if easter_day.month == 3:
        return _weeks("paasvakantie", easter_day + timedelta(days=1), 2)
    if easter_day > date(year, 4, 15):
        holiday = _weeks("paasvakantie", easter_day - timedelta(days=13), 2)
        return Holiday(holiday.code, holiday.first, easter_day + timedelta(days=1))  # and Easter Monday
    first_of_april = date(year, 4, 1)
    return _weeks("paasvakantie", first_of_april + timedelta(days=-first_of_april.weekday() % 7), 2)


def zomervakantie(year: int) -> Holiday:
    return Holiday("zomervakantie", date(year, 7, 1), date(year, 8, 31))


def school_year(start_year: int) -> tuple[Holiday, ...]:
    """The holidays of school year `start_year`-`start_year + 1`, zomervakantie (the one that ends it) last."""
    spring = start_year + 1
    return (herfstvakantie(start_year), kerstvakantie(start_year), krokusvakantie(spring), paasvakantie(spring),
            zomervakantie(spring))


def school_year_of(day: date) -> int:
    """The first calendar year of the school year `day` belongs to (a school year runs 1 September-31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def next_holiday(code: str, today: date) -> Holiday:
    """The holiday named `code` that is not over yet on `today`: this school year's, or else next year's."""
    position = HOLIDAYS.index(code)
    year = school_year_of(today)
    holiday = school_year(year)[position]
    return holiday if holiday.last >= today else school_year(year + 1)[position]


def holidays_between(first: date, last: date) -> list[Holiday]:
    """Every holiday that overlaps the days `first` to `last`, in order."""
    found = []
    for year in range(school_year_of(first) - 1, school_year_of(last) + 1):
        found += [h for h in school_year(year) if h.first <= last and h.last >= first]
    return found


def is_school_holiday(day: date) -> bool:
    return any(day in holiday for holiday in school_year(school_year_of(day)))
