"""When a failed mail is tried again: exponential backoff with jitter, up to the mail's retry window."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)


def next_attempt(attempts: int, now: datetime, retry_until: datetime) -> datetime | None:
    """When to try again after the `attempts`-th failed attempt, or None when the retry window is over. The
    last try falls at the end of the window, so a mail is given up only after the whole window."""
    if now >= retry_until:
        return None
    delay = min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)
    # Jitter: the workers of several nodes, and a pile of mails from one outage, do not all come back at once.
    delay *= random.uniform(0.5, 1.0)
    return min(now + delay, retry_until)
