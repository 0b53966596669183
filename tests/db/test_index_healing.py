"""The portal's index heals itself: a deleted directory, a garbage CURRENT, a corrupt segment, a killed build and
a database that is down at start. Searches answer with the full catalogue or a Dutch 503, never with an empty
result for a catalogue that is not empty, and equal the database again once the node has rebuilt or caught up."""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from whoosh import index as whoosh_index

from portal.extensions import db
from portal.search import sync
from tests.conftest import SERVER_URL, free_port, make_app
from tests.db.test_search_sync import admin, organisation, publish, published_ids  # noqa: F401 (fixtures)

HEALED_WITHIN = 30  # seconds; a few listings build in well under a second on an idle machine


def search_ids(client, q="kamp") -> tuple[int, set[str], str]:
    response = client.get(f"/api/v1/listings?q={q}&per_page=100")
    body = response.get_json() or {}
    return response.status_code, {card["slug"] for card in body.get("results", [])}, response.headers.get(
        "Retry-After", "")


def slugs_in_db() -> set[str]:
    from sqlalchemy import select

    from portal.catalogue.models import Listing
    with db.engine.connect() as connection:
        return set(connection.scalars(select(Listing.slug).where(Listing.status == "published")))


def healed(client, q="kamp", seconds=HEALED_WITHIN) -> float:
    """Seconds until the search equals the database; every answer before that is the full catalogue or a 503."""
    started, expected = time.monotonic(), slugs_in_db()
    while True:
        status, found, _ = search_ids(client, q)
        assert status in (200, 503), status
        if status == 200:
            assert found, "an empty result for a catalogue that is not empty"
            if found == expected:
                return time.monotonic() - started
        assert time.monotonic() - started < seconds, "not healed in time"
        sync.follower().wait(1)
        time.sleep(0.05)


@pytest.fixture
def catalogue(admin, organisation):  # noqa: F811
    listings = [publish(admin, organisation, f"Zomerkamp {n}") for n in range(3)]
    db.session.commit()
    return listings


def test_a_deleted_directory_answers_a_dutch_503_and_is_rebuilt_in_the_background(client, catalogue):
    assert search_ids(client)[0] == 200
    shutil.rmtree(sync.search_index().directory)
    status, found, retry_after = search_ids(client)
    assert (status, found, retry_after) == (503, set(), "15")
    page = client.get("/zoeken?q=kamp")
    assert page.status_code == 503 and "zoekindex wordt opnieuw opgebouwd" in page.get_data(as_text=True)
    assert "0 resultaten" not in page.get_data(as_text=True)
    healed(client)
    assert sync.index_status().ready


def test_a_write_to_a_lost_index_never_starts_an_index_of_one_listing(client, admin, organisation, catalogue):  # noqa: F811
    shutil.rmtree(sync.search_index().directory)
    publish(admin, organisation, "Winterkamp")
    db.session.commit()  # the commit stands; its change waits in the log for the built generation
    healed(client)
    assert len(search_ids(client)[1]) == 4


@pytest.mark.parametrize("garbage", [b"", b"gen-424242", b"\xff\xfe niet eens tekst"])
def test_a_garbage_current_keeps_serving_the_last_good_generation(client, catalogue, garbage):
    Path(sync.search_index().directory, "CURRENT").write_bytes(garbage)
    status, found, _ = search_ids(client)
    assert status == 200 and found == slugs_in_db()


def test_a_corrupt_segment_falls_back_to_the_previous_generation_which_catches_up(client, admin, organisation,  # noqa: F811
                                                                                   catalogue):
    index = sync.search_index()
    sync.build(index)  # a second generation: the previous one stays
    publish(admin, organisation, "Herfstkamp")
    db.session.commit()  # applied to the new generation only
    live = Path(index.directory, index.state()[0])
    for segment in live.glob("*.seg"):
        segment.write_bytes(os.urandom(segment.stat().st_size))
    index._snapshot = None  # as after another process's commit
    assert healed(client) < 5
    assert len(search_ids(client)[1]) == 4 and index.position() == sync.index_status().head


def test_a_killed_build_is_ignored_and_cleaned_up_by_the_next(client, catalogue):
    index = sync.search_index()
    half = Path(index.directory, "gen-000099")  # what a build killed before its STATE leaves
    half.mkdir()
    whoosh_index.create_in(half, index.schema)
    status, found, _ = search_ids(client)
    assert status == 200 and found == slugs_in_db()
    sync.build(index)
    assert not half.exists()
    assert search_ids(client)[1] == slugs_in_db()


class Outage:
    """A TCP forwarder in front of PostgreSQL that can be switched off and on: a real database outage for the
    portal behind it (connections refused, open ones cut), without stopping the shared server."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self.up = threading.Event()
        self.connections: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if not self.up.is_set():
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.close()
                except OSError:
                    pass

    def down(self) -> None:
        self.up.clear()
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connections.clear()


@pytest.mark.skipif(not SERVER_URL, reason="a database outage needs the PostgreSQL server")
def test_a_database_down_at_start_gives_503_then_the_full_catalogue_once_it_is_back(app, catalogue, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    outage = Outage(url.host or "127.0.0.1", url.port or 5432)
    node = make_app(url.set(host="127.0.0.1", port=outage.port).render_as_string(hide_password=False),
                    tmp_path / "fresh-node-index", SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True})
    with node.app_context():  # a node that starts with no index while the database is unreachable
        client = node.test_client()
        for _ in range(3):
            assert search_ids(client)[0] == 503
            node.extensions["search_follower"].wait(10)
            time.sleep(sync.CHECK_INTERVAL)
        assert not sync.index_status().ready
        outage.up.set()
        started = time.monotonic()
        while search_ids(client)[0] != 200:
            assert time.monotonic() - started < HEALED_WITHIN
            node.extensions["search_follower"].wait(1)
            time.sleep(sync.CHECK_INTERVAL)
        expected = slugs_in_db()
        assert search_ids(client)[1] == expected
        outage.down()  # down again: the index keeps serving what it has
        time.sleep(sync.CHECK_INTERVAL)
        assert search_ids(client)[1] == expected
        outage.up.set()
        db.session.remove()
        db.engine.dispose()
