"""`flask security-log prune`: retention of the security log."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.transactions import unit_of_work

security_log = AppGroup("security-log", help="The security event log.")


@security_log.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default: SECURITY_LOG_RETENTION_DAYS, 365).")
def prune(days: int | None) -> None:
    """Delete security events older than the retention period."""
    from portal.security_log.services import prune as prune_events

    days = days or current_app.config["SECURITY_LOG_RETENTION_DAYS"]
    with unit_of_work(write_lock=True):
        removed = prune_events(days)
    click.echo(f"Removed {removed} security events older than {days} days.")
