"""The portal's time: now (aware UTC) and today's date as Flemish users see it (Europe/Brussels), whatever the
server's time zone. Scheduled work (mail retries, freshness) asks this module, so a test can fix the clock in one
place (`portal.clock.now`) and drive hours of retries or a year through the catalogue."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().astimezone(BRUSSELS).date()


def local_date(moment: datetime) -> date:
    """The Brussels date of an aware moment."""
    return moment.astimezone(BRUSSELS).date()
