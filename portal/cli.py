"""Command-line tasks (`flask --app wsgi ...`). A command that writes is one unit of work
(portal/transactions.py): it commits once, or rolls back."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.clock import today
from portal.extensions import db
from portal.transactions import unit_of_work

demo = AppGroup("demo", help="The demo catalogue.")
search = AppGroup("search", help="The search index.")
mail = AppGroup("mail", help="The mail outbox.")


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has organisations.")
def load_demo(if_empty: bool) -> None:
    """Load the demo catalogue and the demo accounts (not in production: their passwords are published)."""
    from seeds import loader

    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("The demo catalogue and its accounts with published passwords are not for "
                                   "production (PORTAL_ENV=production).")

    started = time.perf_counter()
    try:
        with unit_of_work(write_lock=True) as work:
            if if_empty and not loader.catalogue_is_empty():
                work.discard()
                click.echo("Database is not empty: demo catalogue not loaded.")
                return
            report = loader.load(today())
    except loader.SeedError as error:
        raise click.ClickException(str(error)) from error
    statuses = ", ".join(f"{count} {status}" for status, count in sorted(report.statuses.items()))
    click.echo(f"Loaded {report.organisations} organisations, listings: {statuses}; "
               f"{report.accounts} demo accounts ({time.perf_counter() - started:.1f} s).")


@search.command("rebuild")
def rebuild_index() -> None:
    """Build the index from the database into a fresh generation, bring it up to the change log and swap it in."""
    from portal.metrics import index_rebuilt
    from portal.search.sync import COMMAND_LOCK_WAIT, build, follow, search_index

    started = time.perf_counter()
    count = build(search_index())
    index_rebuilt(time.perf_counter() - started)
    applied = follow(search_index(), COMMAND_LOCK_WAIT)
    click.echo(f"Indexed {count} published listings ({time.perf_counter() - started:.1f} s); "
               f"afterwards {applied} changes applied.")


@search.command("prepare")
def prepare_index() -> None:
    """Make this node's index usable and current: follow the change log, or build when it cannot (start-up)."""
    from portal.search.sync import prepare_index, search_index

    count = prepare_index(search_index())
    click.echo(f"Index built: {count} published listings." if count is not None else "Index follows the change log.")


@search.command("reconcile")
def reconcile_index() -> None:
    """Apply the change log, then add missing, refresh stale and remove unpublished listings in the index."""
    from portal.search.sync import reconcile, search_index

    report = reconcile(search_index())
    click.echo(f"Change log: {report.applied} applied; index: {report.written} written, {report.removed} removed.")


@search.command("prune-log")
@click.option("--days", type=click.IntRange(min=1),
              help="Keep this many days (default: SEARCH_LOG_RETENTION_DAYS). A node further behind rebuilds.")
def prune_change_log(days: int | None) -> None:
    """Delete the listing changes older than the retention period from the change log."""
    from portal.search import changelog

    with unit_of_work(write_lock=True):
        removed = changelog.prune(db.session, days or current_app.config["SEARCH_LOG_RETENTION_DAYS"])
    click.echo(f"Removed {removed} changes from the change log.")


@mail.command("work")
@click.option("--once", is_flag=True, help="One pass over the due mails, then stop (for a systemd timer or cron).")
@click.option("--interval", type=float, default=None,
              help="Seconds between passes (default MAIL_WORKER_INTERVAL).")
def work_mail(once: bool, interval: float | None) -> None:
    """Deliver due mails from the outbox: retried with backoff, a dead letter after MAIL_RETRY_HOURS. Any number
    of workers may run at once (one per node): each mail is delivered by one of them. Stops on SIGTERM or Ctrl-C
    after the batch in hand."""
    import signal
    import threading

    from portal.mail.outbox import queue_health
    from portal.mail.worker import deliver_due, work

    app = current_app._get_current_object()
    if once:
        report = deliver_due(app)
        health = queue_health()
        click.echo(f"Delivered {report.delivered} mails, {report.reissued} written anew with a fresh link; "
                   f"{report.retrying} failed and wait for a retry, {report.dead} became dead letters. "
                   f"Waiting: {health.depth} ({health.due} due), dead letters: {health.dead}.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    config = app.config
    interval = interval or config["MAIL_WORKER_INTERVAL"]
    target = f"SMTP {config['MAIL_SERVER']}" if config["MAIL_SERVER"] else f"files in {config['MAIL_FILE_DIR']}"
    click.echo(f"Mail worker: a pass every {interval:g} s, to {target}.")
    work(app, stop, interval)
    click.echo("Mail worker stopped.")


def register_commands(app: Flask) -> None:
    from portal.exchange.cli import catalogue
    from portal.freshness.cli import freshness
    from portal.security_log.cli import security_log

    catalogue.add_command(freshness)
    app.cli.add_command(catalogue)
    app.cli.add_command(security_log)
    app.cli.add_command(demo)
    app.cli.add_command(search)
    app.cli.add_command(mail)
