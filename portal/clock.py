"""Today's date as Flemish users see it (Europe/Brussels), whatever the server's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def today() -> date:
    return datetime.now(BRUSSELS).date()
