"""How long the web import takes for a file of N listings, to set IMPORT_MAX_RECORDS (portal/config.py) well
within the worker timeout (WORKER_TIMEOUT, gunicorn.conf.py).

    python -m bench.imports --sizes 250,500,1000,2000
    python -m bench.imports --sizes 1000 --database-url postgresql://postgres@127.0.0.1:5432/postgres

Writes synthetic listings (bench/generate.py, one organisation per ten listings) as an import file in the
documented JSON format, then posts it to /beheer/import as an admin, through the whole application as a browser
would (form, CSRF, the importer, the commit, the search index after it), once per mode. The limit is lifted for
the run so every size is measured; each size starts from an empty database.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import tempfile
import time
from pathlib import Path

from bench.generate import CatalogueGenerator
from bench.http import fresh_database, listing_input

MODES = ("dry_run", "queue", "publish")
PER_ORGANISATION = 10
ADMIN = "bench@stem-wijzer.example"
PASSWORD = "benchmark-wachtwoord"


def import_document(size: int, seed: int) -> dict:
    from portal.exchange import records

    listings = []
    for number, document in enumerate(CatalogueGenerator(seed).documents(size)):
        document = {**document, "summary": document["summary"][:300]}  # the generator's may run longer
        record = records.input_record(listing_input(document, number))
        listings.append({"id": f"listing-{number}", "organisation": f"org-{number // PER_ORGANISATION}", **record})
    organisations = [{"id": f"org-{n}", "name": f"Benchmarkorganisatie {n}", "kind": "nonprofit"}
                     for n in range(-(-size // PER_ORGANISATION))]
    return {"format": records.FORMAT, "version": records.VERSION, "organisations": organisations,
            "listings": listings}


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def time_import(url: str, index_dir: Path, file: Path, mode: str) -> tuple[float, int]:
    """Seconds for one POST of `file` in `mode` on a fresh database, and the status code."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.accounts.services import create_confirmed_user
    from portal.extensions import db

    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(index_dir), "IMPORT_MAX_RECORDS": 10**9,
                      "MAX_CONTENT_LENGTH": 64 * 1024 * 1024, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade()
        logging.getLogger("alembic").setLevel(logging.WARNING)
        create_confirmed_user(ADMIN, "Benchmark", PASSWORD, True)
        db.session.commit()
    client = app.test_client()
    client.post("/account/aanmelden", data={"csrf_token": _csrf(client.get("/account/aanmelden").text),
                                            "email": ADMIN, "password": PASSWORD})
    token = _csrf(client.get("/beheer/import").text)
    with file.open("rb") as upload:
        started = time.perf_counter()
        response = client.post("/beheer/import", data={"csrf_token": token, "mode": mode,
                                                        "file": (upload, file.name)})
        seconds = time.perf_counter() - started
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    return seconds, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000,2000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server; default SQLite in a temp dir")
    options = parser.parse_args()
    print("| listings | file (KiB) | " + " | ".join(f"{mode} (s)" for mode in MODES) + " |")
    print("|---:|---:|" + "---:|" * len(MODES))
    for size in (int(part) for part in options.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="stemwijzer-import-bench-") as directory:
            file = Path(directory) / "catalogus.json"
            file.write_text(json.dumps(import_document(size, options.seed), ensure_ascii=False), encoding="utf-8")
            cells = []
            for mode in MODES:
                url = fresh_database(options.database_url, Path(directory))
                seconds, status = time_import(url, Path(directory) / f"index-{mode}", file, mode)
                cells.append(f"{seconds:.1f}" + ("" if status == 200 else f" ({status})"))
                if url.startswith("sqlite:///"):
                    Path(url.removeprefix("sqlite:///")).unlink()
            print(f"| {size} | {file.stat().st_size // 1024} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
