"""The yearly re-confirmation of listings and organisations, as rules about dates (no database, no Flask).

A permanent or periodic listing runs on from year to year: its organisation confirms once a school year that it
still runs (one click in the reminder mail or the dashboard, or any change). Counted in calendar months from
the last confirmation: reminders at 11 and 12 months, at 13 months the listing goes stale (out of the search,
its page says "niet meer bevestigd"), at 15 months it is archived. A dated listing (one-off or series) ends by
itself: it is archived PAST_ARCHIVE_DAYS after its last day, so its organisation's page still shows it as past
for a while. Organisations get the same reminders for their details; they never go stale.
The scheduled run that applies these rules is portal/freshness/services.py."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from portal.clock import local_date

REMINDER_MONTHS = (11, 12)
STALE_MONTHS = 13
ARCHIVE_MONTHS = 15
PAST_ARCHIVE_DAYS = 30
YEARLY_SCHEDULES = frozenset({"permanent", "periodic"})

# What the run does to a listing, by how far its confirmation lies behind.
REMIND, GO_STALE, ARCHIVE = "remind", "go_stale", "archive"


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day when it is shorter (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def confirmed_on(subject) -> date:
    """The day a listing or organisation was last confirmed; a row from before confirmations counts from its last
    change."""
    return local_date(subject.confirmed_at or subject.updated_at)


def needs_yearly_confirmation(schedule: str) -> bool:
    return schedule in YEARLY_SCHEDULES


def reminders_due(confirmed_on: date, today: date) -> int:
    """How many of the reminders (REMINDER_MONTHS) are due by `today`."""
    return sum(1 for months in REMINDER_MONTHS if today >= months_after(confirmed_on, months))


def is_overdue(confirmed_on: date, today: date) -> bool:
    """Unconfirmed for STALE_MONTHS: out of the search."""
    return today >= months_after(confirmed_on, STALE_MONTHS)


def is_expired(confirmed_on: date, today: date) -> bool:
    """Unconfirmed for ARCHIVE_MONTHS: archived."""
    return today >= months_after(confirmed_on, ARCHIVE_MONTHS)


def is_long_past(last_day: date | None, today: date) -> bool:
    """A dated listing whose last day lies PAST_ARCHIVE_DAYS behind."""
    return last_day is not None and today > last_day + timedelta(days=PAST_ARCHIVE_DAYS)


def freshness_state(confirmed_on: date | None, today: date) -> str:
    """A code of vocab.FRESHNESS_STATES: confirmed, due (a reminder went or goes out) or overdue (stale)."""
    if confirmed_on is None or is_overdue(confirmed_on, today):
        return "overdue"
    return "due" if reminders_due(confirmed_on, today) else "confirmed"


def confirm_by(confirmed_on: date) -> date:
    """The last day to confirm before the listing leaves the search."""
    return months_after(confirmed_on, STALE_MONTHS) - timedelta(days=1)
