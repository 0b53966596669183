"""What the request time budget (portal/request_budget.py) and the pre-ping cost a request: listing pages served
in-process by the test client, with the budget and pre-ping on (the defaults), and with both off.

    python -m bench.request_budget
    python -m bench.request_budget --database-url postgresql://postgres@127.0.0.1:5432/postgres

On PostgreSQL the budget adds one `SET LOCAL statement_timeout` a transaction and pre-ping one round trip a
checkout; on SQLite a PRAGMA a transaction. Prints the mean and median time of a page for each setting.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from pathlib import Path

from bench.http import fresh_database, load_catalogue

SETTINGS = {"budget and pre-ping on": {},
            "budget and pre-ping off": {"REQUEST_TIME_BUDGET": 0, "SQLALCHEMY_ENGINE_OPTIONS": {}}}


def measure(url: str, directory: Path, overrides: dict, rounds: int) -> list[float]:
    from sqlalchemy import select

    from portal import create_app
    from portal.catalogue.models import Listing
    from portal.extensions import db

    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "benchmark-only", "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(directory / "index"), **overrides})
    with app.app_context():
        slugs = db.session.scalars(select(Listing.slug).limit(20)).all()
        db.engine.dispose()
    client = app.test_client()
    client.get("/")  # the first request reconciles the index
    times = []
    for number in range(rounds):
        started = time.perf_counter()
        assert client.get(f"/aanbod/{slugs[number % len(slugs)]}").status_code == 200
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL server; default: SQLite in a temporary directory")
    parser.add_argument("--rounds", type=int, default=400)
    options = parser.parse_args()
    logging.disable(logging.WARNING)

    from flask_migrate import upgrade

    from portal import create_app

    directory = Path(tempfile.mkdtemp(prefix="stemwijzer-budget-"))
    url = fresh_database(options.database_url, directory)
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "benchmark-only", "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(directory / "index")})
    with app.app_context():
        upgrade()
    load_catalogue(app, 200, seed=1)
    for _ in range(2):  # twice, alternating, so that a warm cache favours neither
        for name, overrides in SETTINGS.items():
            times = measure(url, directory, overrides, options.rounds)
            print(f"{name:24} mean {statistics.mean(times) * 1000:6.2f} ms, "
                  f"median {statistics.median(times) * 1000:6.2f} ms ({options.rounds} listing pages)")


if __name__ == "__main__":
    main()
