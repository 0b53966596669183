"""Helpers for the import and export tests: files in the documented format, and a snapshot of the database."""

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from tests.factories import make_user

ADMIN = "moderator@test.example"


@pytest.fixture
def admin(app):
    user = make_user(ADMIN, is_admin=True)
    db.session.commit()
    return user


def snapshot() -> dict:
    """Every row of every table but the security log (which records that an import ran): what "the database is
    unchanged" compares."""
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables if table.name != "security_events"}


def organisation(**changes) -> dict:
    return {"id": "org-genk", "name": "Robotclub Genk", "kind": "stem_academy", "municipality": "Genk",
            "website": "https://robotclub-genk.example", "public_email": "info@robotclub-genk.example",
            "description": "Een STEM-academie in Genk.", **changes}


def listing(**changes) -> dict:
    return {
        "id": "club-1", "organisation": "org-genk", "kind": "activity", "title": "Robotclub voor kinderen",
        "summary": "Elke week robots bouwen en programmeren met LEGO.", "provider_url": "https://robotclub-genk.example/club",
        "min_age": 9, "max_age": 12, "target_groups": ["girls", "everyone"], "themes": ["ai"],
        "disciplines": ["technology"], "formats": ["club"], "cost": "paid", "schedule": "periodic",
        "start_date": "2026-09-16", "end_date": "2099-06-23",
        "locations": [{"name": "C-mine", "address": "C-mine 10", "postcode": "3600"}], **changes,
    }


def write_json(path, organisations=(), listings=(), **extra):
    document = {"format": "stem-wijzer-catalogus", "version": 1, "organisations": list(organisations),
                "listings": list(listings), **extra}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(app, *args):
    return app.test_cli_runner().invoke(args=["catalogue", "import", *map(str, args), "--as", ADMIN])
