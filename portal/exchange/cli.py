"""`flask --app wsgi catalogue import|export`: bulk exchange from the command line. An import is one unit of work
(portal/transactions.py): it commits once, or rolls back."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import normalise_email
from portal.catalogue import policy
from portal.domain import DomainError
from portal.exchange.exporter import catalogue_dump
from portal.exchange.importer import import_files
from portal.exchange.report import summary as _summary
from portal.extensions import db
from portal.transactions import unit_of_work

catalogue = AppGroup("catalogue", help="Import and export the catalogue (format: docs/import-format.md).")

@catalogue.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor_email", required=True, metavar="EMAIL", help="The admin account the import acts as.")
@click.option("--publish", "mode", flag_value="publish",
              help="Publish the listings at once and verify their organisations.")
@click.option("--queue", "mode", flag_value="queue", default=True,
              help="Submit the listings for moderation (pending); the default.")
@click.option("--dry-run", is_flag=True, help="Check and report everything, then change nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid records and report the others.")
@click.option("--max-records", type=click.IntRange(min=0), default=0, metavar="N",
              help="Refuse files with more records than N (default 0: no limit; the web import's is "
                   "IMPORT_MAX_RECORDS, for the worker timeout a command does not have).")
def import_command(files: tuple[Path, ...], actor_email: str, mode: str, dry_run: bool, skip_invalid: bool,
                   max_records: int) -> None:
    """Import organisations and listings from JSON or CSV FILES: all or nothing, unless --skip-invalid."""
    started = time.perf_counter()
    with unit_of_work(write_lock=True) as work:
        actor = db.session.scalar(select(User).where(User.email == normalise_email(actor_email)))
        if actor is None or not policy.is_admin(actor):
            raise click.ClickException(gettext("%(email)s is geen actieve moderator (admin).", email=actor_email))
        try:
            report = import_files(actor, list(files), mode=mode, skip_invalid=skip_invalid, max_records=max_records)
        except DomainError as error:
            raise click.ClickException(str(error)) from error
        for problem in report.problems:
            click.echo(str(problem), err=True)
        seconds = time.perf_counter() - started
        if report.problems and not skip_invalid:
            raise click.ClickException(gettext("%(n)s fout(en): er werd niets ingelezen (%(s).1f s).",
                                               n=len(report.problems), s=seconds))
        if dry_run:
            work.discard()
            click.echo(gettext("Proefdraai, er werd niets veranderd. %(summary)s (%(s).1f s).",
                               summary=_summary(report), s=seconds))
            return
    skipped = gettext("; %(n)s fout(en) overgeslagen", n=len(report.problems)) if report.problems else ""
    done = gettext("Ingelezen (gepubliceerd).") if mode == "publish" else gettext("Ingelezen (ter moderatie).")
    click.echo(f"{done} {_summary(report)}{skipped} ({seconds:.1f} s).")


@catalogue.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(file: Path) -> None:
    """Write the published catalogue (verified organisations, published listings) to FILE in the import format."""
    document = catalogue_dump()
    file.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(gettext("%(organisations)s organisaties en %(listings)s aanbod geschreven naar %(file)s.",
                       organisations=len(document["organisations"]), listings=len(document["listings"]), file=file))
