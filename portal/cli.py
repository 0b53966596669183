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
    """Rebuild the index from the database into a fresh generation, swap it in, then reconcile the changes
    that were committed while it was being built."""
    from portal.metrics import index_rebuilt
    from portal.search.sync import published_documents, reconcile, search_index

    started = time.perf_counter()
    count = search_index().rebuild(published_documents(db.session))
    index_rebuilt(time.perf_counter() - started)
    report = reconcile(search_index())
    click.echo(f"Indexed {count} published listings ({time.perf_counter() - started:.1f} s); "
               f"afterwards {report.written} written and {report.removed} removed.")


@search.command("reconcile")
def reconcile_index() -> None:
    """Apply pending changes, then add missing, refresh stale and remove unpublished listings in the index."""
    from portal.search.sync import reconcile, search_index

    report = reconcile(search_index())
    click.echo(f"Outbox: {report.drained} applied; index: {report.written} written, {report.removed} removed.")


@mail.command("send")
def send_mail() -> None:
    """Deliver the mails still waiting in the outbox (after the mail server was unreachable)."""
    from portal.mail import deliver_outbox

    click.echo(f"Delivered {deliver_outbox()} mails.")


def register_commands(app: Flask) -> None:
    from portal.exchange.cli import catalogue
    from portal.security_log.cli import security_log

    app.cli.add_command(catalogue)
    app.cli.add_command(security_log)
    app.cli.add_command(demo)
    app.cli.add_command(search)
    app.cli.add_command(mail)
