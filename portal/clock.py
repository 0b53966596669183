"""The portal's clock: today's date as Flemish users see it (Europe/Brussels), whatever the server's time zone,
and the current moment for work that is scheduled (mail retries). Tests move time by replacing `now`."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def today() -> date:
    return datetime.now(BRUSSELS).date()


def now() -> datetime:
    """This moment, timezone-aware UTC."""
    return datetime.now(UTC)
