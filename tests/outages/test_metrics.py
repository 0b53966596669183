"""Prometheus metrics: latency per endpoint, answers by status, the mail queue and the index lag read from the
database at each scrape, the last rebuild's duration; only for the trusted network or the token; summed over
gunicorn's worker processes in multi-process mode."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from portal.database import utcnow
from portal.extensions import db
from portal.mail.models import DEAD, OutboxMail
from portal.search.sync import search_index
from tests.conftest import free_port
from tests.outages.test_health import log_a_change_ten_minutes_ago
from tests.world import build_world

REPOSITORY = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple, float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(client, **kwargs) -> dict[tuple, float]:
    answer = client.get("/metrics", **kwargs)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    return samples(answer.get_data(as_text=True))


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_per_endpoint_with_their_latency_and_status(app, client):
    before = scrape(client)
    for _ in range(3):
        client.get("/zoeken?q=robot")
    client.get("/aanbod/bestaat-niet")
    after = scrape(client)
    count = "stemwijzer_http_request_duration_seconds_count"
    assert value(after, count, endpoint="catalogue.search", method="GET") - \
        value(before, count, endpoint="catalogue.search", method="GET") == 3
    answers = "stemwijzer_http_responses_total"
    assert value(after, answers, endpoint="catalogue.listing", method="GET", status="404") - \
        value(before, answers, endpoint="catalogue.listing", method="GET", status="404") == 1
    buckets = [key for key in after if key[0] == "stemwijzer_http_request_duration_seconds_bucket"
               and ("endpoint", "catalogue.search") in key[1]]
    assert len(buckets) >= 10


def test_mail_queue_and_index_lag_come_from_the_database(app, client):
    world = build_world()
    now = utcnow()
    db.session.add_all([OutboxMail(recipient="a@test.example", subject="s", body="b",
                                   created_at=now - timedelta(minutes=5), next_attempt_at=now - timedelta(minutes=5),
                                   retry_until=now + timedelta(hours=48)),
                        OutboxMail(recipient="c@test.example", subject="s", body="b", created_at=now,
                                   next_attempt_at=now + timedelta(minutes=10), retry_until=now + timedelta(hours=48)),
                        OutboxMail(recipient="b@test.example", subject="s", body="b", attempts=30, status=DEAD,
                                   created_at=now - timedelta(hours=48), next_attempt_at=now, retry_until=now)])
    db.session.commit()
    log_a_change_ten_minutes_ago(world.published.id)
    with search_index().batch():  # another writer holds the index: this node cannot apply the change
        found = scrape(client)
    assert value(found, "stemwijzer_database_up") == 1
    assert value(found, "stemwijzer_mail_queue_depth") == 2
    assert value(found, "stemwijzer_mail_queue_due") == 1
    assert value(found, "stemwijzer_mail_dead_letters") == 1
    assert value(found, "stemwijzer_mail_oldest_due_seconds") >= 300
    assert value(found, "stemwijzer_search_index_pending_changes") == 1
    assert value(found, "stemwijzer_search_index_lag_seconds") >= 600


def test_the_rebuild_records_its_duration(app, client):
    build_world()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert value(scrape(client), "stemwijzer_search_rebuild_duration_seconds") > 0


def test_only_the_trusted_network_or_the_token_may_scrape(app, client):
    outside = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    assert client.get("/metrics", **outside).status_code == 403
    app.config["METRICS_TOKEN"] = "geheim-token-voor-prometheus"
    try:
        assert client.get("/metrics", headers={"Authorization": "Bearer fout"}, **outside).status_code == 403
        assert scrape(client, headers={"Authorization": "Bearer geheim-token-voor-prometheus"}, **outside)
        app.config["METRICS_ALLOWED_NETWORKS"] = "203.0.113.0/24"
        assert scrape(client, **outside)
    finally:
        app.config.update(METRICS_TOKEN=None, METRICS_ALLOWED_NETWORKS="127.0.0.0/8,::1/128")


def test_gunicorn_workers_are_summed_in_multiprocess_mode(tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    environment = {**os.environ, "PORTAL_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                   "SEARCH_INDEX_DIR": str(tmp_path / "index"), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=REPOSITORY, env=environment, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "wsgi:app"], cwd=REPOSITORY, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(20):  # spread over both workers
            urllib.request.urlopen(f"{base}/healthz", timeout=10)
        text = urllib.request.urlopen(f"{base}/metrics", timeout=10).read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    found = samples(text)
    assert value(found, "stemwijzer_http_request_duration_seconds_count", endpoint="healthz", method="GET") >= 20
    assert list(metrics_dir.glob("counter_*.db"))  # each worker writes its own file; the scrape sums them
    assert value(found, "stemwijzer_database_up") == 1
