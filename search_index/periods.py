"""Which documents take place in a period of days: "in de krokusvakantie", "dit weekend", "van 3 tot 9 maart".

A document takes place in a period when its dates overlap it and, if it keeps a weekly schedule (session weekdays,
or pausing in the holidays), one of its sessions falls in it: a day of the period, within the document's own dates,
on one of its weekdays and, for a document that pauses in the holidays, outside every holiday the query names.
A weekly Wednesday club that pauses in the holidays does not take place in the krokusvakantie.

The check is vectorised: a document with a week or more of days in the period, none of them a holiday it pauses
in, has a session; for the others, per weekday and per pausing-or-not, the period's candidate days are one sorted
array, and each document's first candidate day on or after its own first day is found with one `searchsorted`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np

ALL_WEEKDAYS = 0  # the `weekdays` column's value for a document without weekdays: any day may do


def weekday_mask(days: Iterable[int]) -> int:
    """Weekday numbers (Monday 0) as the `weekdays` column's bits."""
    return sum(1 << day for day in set(days))


def in_period(numbers: dict[str, np.ndarray], first: date, last: date,
              holidays: Iterable[tuple[date, date]] = ()) -> np.ndarray:
    """A mask of the documents that take place between `first` and `last` (inclusive)."""
    low, high = first.toordinal(), last.toordinal()
    start, end = numbers["start"], numbers["last_day"]
    doc_first = np.maximum(np.where(start > 0, start, low), low)  # 0: no first day
    doc_last = np.minimum(end, high)
    found = doc_first <= doc_last
    weekdays, skips = numbers["weekdays"], numbers["skips_holidays"] != 0
    scheduled = found & ((weekdays != ALL_WEEKDAYS) | skips)
    if not scheduled.any():
        return found
    days = np.arange(low, high + 1, dtype=np.int64)
    day_weekday = (days - 1) % 7  # date.fromordinal(1) is a Monday
    holiday = np.zeros(len(days), dtype=bool)
    for holiday_first, holiday_last in holidays:
        holiday |= (days >= holiday_first.toordinal()) & (days <= holiday_last.toordinal())
    docs = np.flatnonzero(scheduled)
    doc_first, doc_last, weekdays, skips = doc_first[docs], doc_last[docs], weekdays[docs], skips[docs]
    # A week of days without a pause holds every weekday: only the other documents need their days looked up.
    counted = np.concatenate([[0], np.cumsum(holiday)])
    holiday_days = counted[doc_last - low + 1] - counted[doc_first - low]
    has_session = (doc_last - doc_first >= 6) & (~skips | (holiday_days == 0))
    open_docs = np.flatnonzero(~has_session)
    open_weekdays, open_skips = weekdays[open_docs], skips[open_docs]
    for weekday in range(7):
        on_weekday = ((open_weekdays >> weekday) & 1).astype(bool) | (open_weekdays == ALL_WEEKDAYS)
        for pausing in (False, True):
            candidates = days[(day_weekday == weekday) & ~(holiday & pausing)]
            chosen = open_docs[on_weekday & (open_skips == pausing)]
            if not len(candidates) or not len(chosen):
                continue
            position = np.searchsorted(candidates, doc_first[chosen])
            inside = position < len(candidates)
            inside[inside] = candidates[position[inside]] <= doc_last[chosen[inside]]
            has_session[chosen[inside]] = True
    found[docs] = has_session
    return found
