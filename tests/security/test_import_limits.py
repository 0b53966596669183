"""The web import refuses files that would not finish before the worker timeout (issue 13, low): at most
IMPORT_MAX_RECORDS records (portal/config.py, measured with bench/imports.py), enforced by the importer for
every caller that does not lift it; the CLI, without a worker timeout, lifts it unless --max-records says. Refused whole, with a Dutch message that
points to the CLI, and nothing changes."""

import runpy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.catalogue.models import Listing, Organisation
from portal.config import WORKER_TIMEOUT, load_config
from portal.extensions import db
from tests.exchange.conftest import ADMIN, listing, organisation, run_import, write_json
from tests.exchange.test_import_page import PAGE, catalogue_file, upload
from tests.forms import log_in
from tests.world import user

pytestmark = pytest.mark.filterwarnings("ignore:Connection is already established:sqlalchemy.exc.SAWarning")
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 4


def records(listings: int) -> tuple[list[dict], list[dict]]:
    """One organisation and `listings` listings: listings + 1 records."""
    return [organisation()], [listing(id=f"club-{n}", title=f"Robotclub {n}") for n in range(listings)]


@pytest.fixture
def limited(app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_RECORDS", LIMIT)
    return app


@pytest.fixture
def admin(limited, client):
    admin = user(ADMIN, is_admin=True)
    db.session.commit()
    log_in(client, admin)
    return client


def imported() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Organisation.id))),
            db.session.scalar(select(func.count(Listing.id))))


def test_the_web_import_refuses_more_records_than_the_limit_and_points_to_the_cli(admin):
    response = upload(admin, catalogue_file(*records(LIMIT)), mode="publish")  # LIMIT + 1 records
    assert response.status_code == 400
    error = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("#file-error").get_text()
    assert "5 records (organisaties en aanbod samen) zijn te veel" in error and "hoogstens 4" in error
    assert "flask --app wsgi catalogue import" in error
    assert imported() == (0, 0)


def test_a_file_within_the_limit_is_imported(admin):
    response = upload(admin, catalogue_file(*records(LIMIT - 1)), mode="publish")
    assert response.status_code == 200 and imported() == (1, LIMIT - 1)


def test_the_page_says_the_limit(admin):
    assert "hoogstens 2 MB en 4 records" in admin.get(PAGE).get_data(as_text=True)


def test_the_cli_reads_large_files_and_keeps_a_limit_when_told(limited, tmp_path):
    """The command has no worker timeout: no limit unless --max-records sets one, enforced the same way."""
    user(ADMIN, is_admin=True)
    db.session.commit()
    path = write_json(tmp_path / "groot.json", *records(LIMIT))
    refused = run_import(limited, path, "--publish", "--max-records", str(LIMIT))
    assert refused.exit_code != 0 and "te veel voor één import" in refused.output and imported() == (0, 0)
    assert run_import(limited, path, "--publish").exit_code == 0
    assert imported() == (1, LIMIT)


def test_the_limit_and_the_worker_timeout_are_set_together():
    """gunicorn takes its timeout from the configuration the limit was measured against (bench/imports.py:
    about 9 s for 200 published listings here)."""
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"] == WORKER_TIMEOUT == 30
    assert load_config("/tmp", {"SECRET_KEY": "x", "PORTAL_ENV": "testing"})["IMPORT_MAX_RECORDS"] == 200
