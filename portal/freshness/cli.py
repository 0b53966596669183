"""`flask --app wsgi catalogue freshness`: the daily run of the yearly re-confirmation (docs/freshness.md has a
systemd timer). One unit of work under the write lock: it commits once, then the mails and index follow."""

from __future__ import annotations

from datetime import date

import click

from portal.clock import today
from portal.transactions import unit_of_work


@click.command("freshness")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as of this day (YYYY-MM-DD) instead of today, e.g. to catch up after an outage.")
def freshness(on) -> None:
    """Send the re-confirmation reminders that are due, take listings unconfirmed for 13 months out of the
    search, archive those unconfirmed for 15 months and past one-off activities. Running it again sends nothing
    twice."""
    from portal.freshness.services import run

    day: date = on.date() if on else today()
    with unit_of_work(write_lock=True):
        report = run(day)
    click.echo(f"Freshness {day.isoformat()}: {report.reminded} listings reminded, {report.stale} stale, "
               f"{report.archived} archived unconfirmed, {report.past} past archived, "
               f"{report.organisations_reminded} organisations reminded; {report.mails} mails queued.")
