"""HTTP throughput of the search page under gunicorn, measured with wrk on loopback.

    python -m bench.http --size 20000                  # SQLite in a temporary directory
    python -m bench.http --size 20000 --database-url postgresql://postgres@127.0.0.1:5432/postgres

Builds a catalogue of synthetic listings through the portal's own services (as the import would), indexes
it through the change log, starts gunicorn with one worker per core, warms every worker up, then lets wrk
(Debian package `wrk`) request the benchmark's query mix as search-page URLs for a fixed time. Prints
requests per second and wrk's latency distribution; everything stops by itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.generate import CatalogueGenerator
from bench.queries import query_mix

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 2000  # listings per commit while loading


def listing_input(document: dict, number: int):
    from portal.catalogue.inputs import ListingInput, LocationInput
    from portal.reference import municipalities

    locations = []
    for code in document["municipality"]:
        municipality = municipalities.get(code)
        locations.append(LocationInput(address=f"Dorpsstraat {number % 200 + 1}", postcode=municipality.postcodes[0],
                                       municipality_code=code, name=None))
    start, last = document["start"], document["last_day"]
    schedule = "permanent" if last is None else ("once" if start == last else "periodic")
    return ListingInput(
        kind=document["kind"][0], title=document["title"], summary=document["summary"],
        description=document["body"], provider_url=f"https://aanbieder-{number}.example/aanbod",
        cost=document["cost"][0], schedule=schedule,
        start_date=None if schedule == "permanent" else start, end_date=None if schedule == "permanent" else last,
        min_age=document["min_age"], max_age=document["max_age"], target_groups=document["target_group"],
        themes=document["theme"], disciplines=document["discipline"], formats=document["format"],
        online="online" in document["region"], flanders_wide=not locations and "online" not in document["region"],
        locations=locations,
    )


def load_catalogue(app, size: int, seed: int) -> int:
    """Organisations and published listings through the services; returns how many listings were refused."""
    from portal.accounts.services import create_confirmed_user
    from portal.catalogue import services
    from portal.catalogue.inputs import OrganisationInput
    from portal.domain import ValidationFailed
    from portal.extensions import db

    documents = CatalogueGenerator(seed).documents(size)
    refused = 0
    with app.app_context():
        admin = create_confirmed_user("bench@stem-wijzer.example", "Benchmark", "benchmark-wachtwoord", True)
        organisations = {}
        for number, document in enumerate(documents):
            name = document["organisation"]
            if name not in organisations:
                organisation = services.create_organisation(admin, OrganisationInput(name=name, kind="nonprofit"))
                services.verify_organisation(admin, organisation)
                organisations[name] = organisation
            try:
                listing = services.create_listing(admin, organisations[name], listing_input(document, number))
            except ValidationFailed:
                refused += 1
                continue
            services.submit_listing(admin, listing)
            services.publish_listing(admin, listing)
            if number % CHUNK == CHUNK - 1:
                db.session.commit()  # the change log is applied to the index after each commit
        db.session.commit()
    return refused


def fresh_database(url: str | None, directory: Path) -> str:
    if url is None:
        return f"sqlite:///{directory / 'bench.sqlite3'}"
    server = make_url(url)
    engine = create_engine(server.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS stemwijzer_bench WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE stemwijzer_bench"))
    engine.dispose()
    return server.set(drivername="postgresql+psycopg", database="stemwijzer_bench").render_as_string(False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def search_paths(seed: int) -> list[str]:
    paths = []
    for query in query_mix(CatalogueGenerator(seed), seed):
        args = [("q", query.text)] if query.text else []
        args += [(facet, code) for facet, codes in query.filters.items() for code in sorted(codes)]
        if query.age is not None:
            args.append(("age", query.age))
        if query.sort != "relevance":
            args.append(("sort", query.sort))
        paths.append("/zoeken?" + urlencode(args))
    return paths


def wrk_script(paths: list[str], directory: Path) -> Path:
    script = directory / "paths.lua"
    quoted = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(f"paths = {{\n{quoted}\n}}\ncounter = 0\n"
                      "request = function()\n  counter = counter + 1\n"
                      "  return wrk.format(nil, paths[(counter % #paths) + 1])\nend\n")
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server; default: SQLite in a temporary directory")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")

    from flask_migrate import upgrade

    from portal import create_app

    directory = Path(tempfile.mkdtemp(prefix="stemwijzer-http-"))
    server = None
    try:
        port = free_port()
        settings = {"DATABASE_URL": fresh_database(options.database_url, directory),
                    "SEARCH_INDEX_DIR": str(directory / "index"), "SECRET_KEY": "benchmark-only",
                    "PORTAL_ENV": "production", "SITE_URL": f"http://127.0.0.1:{port}"}
        os.environ.update(settings)
        app = create_app()
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        refused = load_catalogue(app, options.size, options.seed)
        print(f"catalogue: {options.size - refused} listings through the services and the change log "
              f"({refused} refused by validation) in {time.perf_counter() - started:.0f} s")

        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(options.workers), "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env={**os.environ, **settings})
        base = f"http://127.0.0.1:{port}"
        paths = search_paths(options.seed)
        deadline = time.time() + 60
        while True:
            try:
                urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        for path in paths * 2:  # every worker follows the change log, builds its snapshot and warms its caches
            urlopen(base + path, timeout=30).read()
        wrk = subprocess.run(
            ["wrk", "-t2", f"-c{options.connections}", f"-d{options.seconds}s", "--latency",
             "-s", str(wrk_script(paths, directory)), base],
            capture_output=True, text=True, timeout=options.seconds + 60, check=True)
        database = "PostgreSQL" if options.database_url else "SQLite"
        print(f"search page, {options.size} listings, {database}, gunicorn {options.workers} workers, "
              f"wrk 2 threads {options.connections} connections {options.seconds} s, {len(paths)} URLs:")
        print(wrk.stdout)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
