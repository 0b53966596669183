"""The index directory heals at open: a garbage or dangling CURRENT, a corrupt segment and a killed build never
make a search answer from an empty or half-built index; each generation keeps the position it has applied."""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from search_index import IndexBusy, IndexUnavailable, SearchIndex, SearchQuery

ROOT = Path(__file__).resolve().parents[2]


def docs(count, word="Robot"):
    return [{"id": str(n), "title": f"{word} {n}", "body": "lego bouwen " * 30} for n in range(count)]


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild(docs(40), position=3, processes=1)
    index.rebuild(docs(50), position=5, processes=1)
    return index


def total(index):
    return index.search(SearchQuery(text="robot", page_size=1)).total


def test_each_generation_records_its_position_and_a_batch_advances_it(index):
    assert index.position() == 5
    with index.batch() as batch:
        assert batch.position == 5
        batch.upsert([{"id": "99", "title": "Robot extra"}])
        batch.position = 6
    assert index.position() == 6 and total(index) == 51
    with index.batch() as batch:  # only the position moves: the changes' listings were already as they are
        batch.position = 8
    assert SearchIndex(index.directory).position() == 8


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff garbage", b"gen-999999", b"../../etc"])
def test_a_garbage_or_dangling_current_falls_back_to_the_last_good_generation(index, garbage):
    Path(index.directory, "CURRENT").write_bytes(garbage)
    fresh = SearchIndex(index.directory)
    assert total(fresh) == 50 and fresh.position() == 5
    assert Path(index.directory, "CURRENT").read_text() == "gen-000002"  # pointed at it again


@pytest.mark.parametrize("damage", ["overwrite", "truncate", "zero"])
def test_a_corrupt_segment_is_set_aside_for_the_previous_generation(index, damage):
    live = Path(index.directory, "gen-000002")
    for segment in live.glob("*.seg"):
        size = segment.stat().st_size
        with open(segment, "r+b") as handle:
            if damage == "truncate":
                handle.truncate(size // 2)
            else:
                handle.seek(0 if damage == "zero" else size // 3)
                handle.write(b"\0" * size if damage == "zero" else os.urandom(size // 3))
    fresh = SearchIndex(index.directory)
    assert total(fresh) == 40 and fresh.position() == 3  # the caller follows its log from there
    assert not live.exists() and Path(index.directory, "CURRENT").read_text() == "gen-000001"


def test_a_segment_corrupted_under_an_open_index_is_found_on_error(index):
    assert total(index) == 50  # opened and cached
    for segment in Path(index.directory, "gen-000002").glob("*.seg"):
        segment.write_bytes(b"\0" * segment.stat().st_size)
    index._snapshot = index._index = None  # as after a new Whoosh commit by another process
    assert total(index) == 40


def test_no_complete_generation_is_unavailable_not_empty(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild(docs(5), processes=1)
    shutil.rmtree(tmp_path / "index")
    with pytest.raises(IndexUnavailable):
        index.search(SearchQuery())
    with pytest.raises(IndexUnavailable):
        index.upsert(docs(1))
    assert not index.exists() and index.position() is None


def test_a_killed_build_is_never_used_and_removed_by_the_next(index):
    code = ("import os, sys; from search_index import SearchIndex\n"
            "def documents():\n"
            "    for n in range(10_000):\n"
            "        if n == 300: os.kill(os.getpid(), 9)\n"
            "        yield {'id': str(n), 'title': 'Half'}\n"
            f"SearchIndex({index.directory!r}).rebuild(documents(), position=9, processes=1)\n")
    killed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert killed.returncode == -9
    assert Path(index.directory, "gen-000003").exists()  # left behind, without a STATE
    fresh = SearchIndex(index.directory)
    assert total(fresh) == 50 and fresh.position() == 5
    fresh.rebuild(docs(7), position=10, processes=1)  # takes the killed build's place
    assert sorted(p.name for p in Path(index.directory).glob("gen-*")) == ["gen-000002", "gen-000003"]
    assert total(fresh) == 7 and fresh.position() == 10


def test_a_writer_waits_for_the_lock_no_longer_than_its_budget(index):
    held, release = threading.Event(), threading.Event()

    def hold():
        with SearchIndex(index.directory).batch():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    started = time.monotonic()
    with pytest.raises(IndexBusy):
        with index.batch(timeout=0.3):
            pass
    assert time.monotonic() - started < 1.0
    release.set()
    thread.join()


def test_a_second_build_does_not_wait_when_asked_not_to(index):
    with index.generations.exclusive():
        assert index.rebuild(docs(3), blocking=False) is None
    assert total(index) == 50


def test_a_missing_segment_file_is_set_aside_too(index):
    for segment in Path(index.directory, "gen-000002").glob("*.seg"):
        segment.unlink()
    assert total(SearchIndex(index.directory)) == 40


def test_a_generation_that_cannot_be_set_aside_raises_instead_of_looping(index, monkeypatch):
    for segment in Path(index.directory, "gen-000002").glob("*.seg"):
        segment.write_bytes(b"\0" * 64)
    fresh = SearchIndex(index.directory)
    monkeypatch.setattr(fresh.generations, "set_aside", lambda name: None)  # e.g. a read-only directory
    with pytest.raises(Exception):  # noqa: B017 (whatever Whoosh raises for the broken file)
        fresh.search(SearchQuery(text="robot"))
