"""The Flemish school holidays, computed from the rules, against the dates the schools and Onderwijs Vlaanderen
published ("Schoolvakanties", onderwijs.vlaanderen.be; the same dates stand on every Flemish school's calendar,
e.g. www.staproeselare.be/info/vakanties-en-vrije-dagen for 2025-2026, kunstacademieturnhout.turnhout.be for
2024-2025, www.sint-donaas.be/vakantiedagen for 2018-2022 and www.ptsmechelen.be for 2022-2024)."""

from datetime import date

import pytest

from portal.reference import school_calendar
from portal.reference.school_calendar import Holiday, holidays_between, is_school_holiday, next_holiday, school_year

D = date
OFFICIAL = {
    2018: [(D(2018, 10, 29), D(2018, 11, 4)), (D(2018, 12, 24), D(2019, 1, 6)), (D(2019, 3, 4), D(2019, 3, 10)),
           (D(2019, 4, 8), D(2019, 4, 22))],  # Easter after 15 April: Easter Monday added
    2020: [(D(2020, 11, 2), D(2020, 11, 8)),  # 1 November on a Sunday
           (D(2020, 12, 21), D(2021, 1, 3)), (D(2021, 2, 15), D(2021, 2, 21)), (D(2021, 4, 5), D(2021, 4, 18))],
    2022: [(D(2022, 10, 31), D(2022, 11, 6)),
           (D(2022, 12, 26), D(2023, 1, 8)),  # Christmas on a Sunday
           (D(2023, 2, 20), D(2023, 2, 26)), (D(2023, 4, 3), D(2023, 4, 16))],
    2023: [(D(2023, 10, 30), D(2023, 11, 5)), (D(2023, 12, 25), D(2024, 1, 7)), (D(2024, 2, 12), D(2024, 2, 18)),
           (D(2024, 4, 1), D(2024, 4, 14))],  # Easter on 31 March: from the Monday after Easter
    2024: [(D(2024, 10, 28), D(2024, 11, 3)), (D(2024, 12, 23), D(2025, 1, 5)), (D(2025, 3, 3), D(2025, 3, 9)),
           (D(2025, 4, 7), D(2025, 4, 21))],
    2025: [(D(2025, 10, 27), D(2025, 11, 2)), (D(2025, 12, 22), D(2026, 1, 4)), (D(2026, 2, 16), D(2026, 2, 22)),
           (D(2026, 4, 6), D(2026, 4, 19))],
    2026: [(D(2026, 11, 2), D(2026, 11, 8)), (D(2026, 12, 21), D(2027, 1, 3)), (D(2027, 2, 8), D(2027, 2, 14)),
           (D(2027, 3, 29), D(2027, 4, 11))],
}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_holidays_match_the_published_dates(year):
    herfst, kerst, krokus, paas, zomer = school_year(year)
    assert [(h.first, h.last) for h in (herfst, kerst, krokus, paas)] == OFFICIAL[year]
    assert (zomer.first, zomer.last) == (D(year + 1, 7, 1), D(year + 1, 8, 31))
    assert [h.code for h in school_year(year)] == list(school_calendar.HOLIDAYS)


def test_every_holiday_but_summer_starts_on_a_monday_and_ends_on_a_sunday_for_a_century():
    for year in range(2000, 2100):
        for holiday in school_year(year)[:-1]:
            assert holiday.first.weekday() == 0, holiday
            assert holiday.last.weekday() in (6, 0), holiday  # a Monday only when Easter Monday is added


def test_the_next_holiday_is_the_one_not_yet_over():
    assert next_holiday("krokusvakantie", D(2026, 12, 3)) == Holiday("krokusvakantie", D(2027, 2, 8), D(2027, 2, 14))
    assert next_holiday("krokusvakantie", D(2027, 2, 14)).first == D(2027, 2, 8)  # its last day: still this one
    assert next_holiday("krokusvakantie", D(2027, 2, 15)).first == D(2028, 2, 28)  # over: next school year's
    assert next_holiday("zomervakantie", D(2026, 8, 20)).first == D(2026, 7, 1)
    assert next_holiday("zomervakantie", D(2026, 9, 1)).first == D(2027, 7, 1)


def test_school_holiday_days():
    assert is_school_holiday(D(2027, 2, 10))
    assert not is_school_holiday(D(2027, 2, 17))
    assert is_school_holiday(D(2026, 8, 31)) and not is_school_holiday(D(2026, 9, 1))
    assert [h.code for h in holidays_between(D(2026, 12, 1), D(2027, 3, 1))] == ["kerstvakantie", "krokusvakantie"]
