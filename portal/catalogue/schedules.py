"""What a listing's structured schedule says, derived once for the search index, the wording and JSON-LD.

A schedule is its weekdays (vocab.WEEKDAYS codes, whose position is the datetime weekday), parts of the day
(vocab.DAY_PARTS), optional session times (HH:MM) and whether it pauses in the school holidays. Offers that
state no weekdays still have some when their dates say so: a one-day event on a Saturday takes place on a
Saturday, a five-day camp from Monday to Friday on those days.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from portal.catalogue import vocab

TIME_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")  # HH:MM, 24 hours
# The hours each part of the day covers, [from, until): a session covers every part it overlaps.
DAY_PART_HOURS = {"voormiddag": (time(0), time(12)), "namiddag": (time(12), time(18)), "avond": (time(18), None)}
WEEK = 7


def parse_time(text: str | None) -> time | None:
    """"14:00" as a time; None for an empty or malformed one."""
    found = TIME_PATTERN.fullmatch((text or "").strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def weekday_numbers(codes) -> list[int]:
    order = vocab.WEEKDAYS.codes
    return sorted(order.index(code) for code in codes if code in order)


def dated_weekdays(start: date | None, end: date | None) -> list[int]:
    """The weekdays an offer of less than a week takes place on, from its dates; none for a longer one."""
    if start is None:
        return []
    end = end or start
    if not timedelta(0) <= end - start < timedelta(days=WEEK):
        return []
    return sorted({(start + timedelta(days=n)).weekday() for n in range((end - start).days + 1)})


def day_parts_of(start: str | None, end: str | None) -> list[str]:
    """The parts of the day that session times cover (an end before the start runs past midnight)."""
    first, last = parse_time(start), parse_time(end)
    if first is None:
        return []
    if last is None or last <= first:
        last = None  # to the end of the day
    return [code for code, (since, until) in DAY_PART_HOURS.items()
            if (until is None or first < until) and (last is None or last > since)]


def listing_weekdays(listing) -> list[int]:
    """The weekday numbers of a listing's sessions: as stated, else as its dates say (permanent offers: none)."""
    stated = weekday_numbers(listing.weekdays or [])
    if stated or listing.schedule == "permanent":
        return stated
    return dated_weekdays(listing.start_date, listing.end_date)


def listing_day_parts(listing) -> list[str]:
    """The parts of the day as stated, together with those its times cover."""
    covered = set(listing.day_parts or []) | set(day_parts_of(listing.start_time, listing.end_time))
    return [code for code in vocab.DAY_PARTS.codes if code in covered]
