"""The yearly re-confirmation's date rules (portal/catalogue/freshness.py), one by one."""

from datetime import date

import pytest

from portal.catalogue import freshness


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2027, 1, 20), 11, date(2027, 12, 20)),
    (date(2027, 1, 20), 13, date(2028, 2, 20)),
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2027, 3, 31), 11, date(2028, 2, 29)),  # a leap year
    (date(2026, 12, 15), 15, date(2028, 3, 15)),
])
def test_months_after_counts_calendar_months(day, months, expected):
    assert freshness.months_after(day, months) == expected


def test_the_cycle_from_a_confirmation():
    confirmed = date(2027, 1, 20)
    cases = [
        (date(2027, 12, 19), 0, "confirmed", False, False),
        (date(2027, 12, 20), 1, "due", False, False),
        (date(2028, 1, 20), 2, "due", False, False),
        (date(2028, 2, 19), 2, "due", False, False),
        (date(2028, 2, 20), 2, "overdue", True, False),
        (date(2028, 4, 19), 2, "overdue", True, False),
        (date(2028, 4, 20), 2, "overdue", True, True),
    ]
    for today, reminders, state, overdue, expired in cases:
        assert freshness.reminders_due(confirmed, today) == reminders, today
        assert freshness.freshness_state(confirmed, today) == state, today
        assert freshness.is_overdue(confirmed, today) is overdue, today
        assert freshness.is_expired(confirmed, today) is expired, today
    assert freshness.confirm_by(confirmed) == date(2028, 2, 19)


def test_only_running_offers_are_confirmed_yearly_and_dated_ones_end_by_themselves():
    assert freshness.needs_yearly_confirmation("permanent") and freshness.needs_yearly_confirmation("periodic")
    assert not freshness.needs_yearly_confirmation("once") and not freshness.needs_yearly_confirmation("series")
    last = date(2027, 2, 10)
    assert not freshness.is_long_past(last, date(2027, 3, 12))
    assert freshness.is_long_past(last, date(2027, 3, 13))
    assert not freshness.is_long_past(None, date(2030, 1, 1))
