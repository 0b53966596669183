"""Prometheus metrics at /metrics (prometheus_client): per endpoint the request latency (histogram) and the
answers by status, unhandled exceptions by type, and at each scrape, from the database, the mail queue (depth,
oldest due mail, dead letters) and the search index's lag (portal/health.py), plus how long the last index
rebuild took.

Under gunicorn every worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (an empty directory, emptied
at each start, the same for the web workers and the commands) each process writes its values there and any worker
answers the scrape with the sum (prometheus_client's multi-process mode; gunicorn.conf.py tells it when a worker
ends). Without it, the values are this process's own (one process: `flask run`).

/metrics answers only clients in METRICS_ALLOWED_NETWORKS (by default the machine itself) or presenting
`Authorization: Bearer <METRICS_TOKEN>`; anyone else gets a 403."""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from flask import Flask, Response, abort, current_app, g, got_request_exception, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from portal.extensions import db

LATENCY = Histogram("stemwijzer_http_request_duration_seconds", "Time to answer a request, per endpoint.",
                    ["endpoint", "method"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25))
ANSWERS = Counter("stemwijzer_http_responses_total", "Answers per endpoint and status (errors: 4xx, 5xx).",
                  ["endpoint", "method", "status"])
EXCEPTIONS = Counter("stemwijzer_http_exceptions_total", "Unhandled exceptions (answered 500), per type.",
                     ["endpoint", "exception"])
REBUILD_SECONDS = Gauge("stemwijzer_search_rebuild_duration_seconds", "How long the last full index rebuild took.",
                        multiprocess_mode="mostrecent")


def endpoint() -> str:
    """The route's name, never the path: paths hold slugs and tokens, and would make a series per URL."""
    return request.url_rule.endpoint if request.url_rule is not None else "unrouted"


def index_rebuilt(seconds: float) -> None:
    REBUILD_SECONDS.set(seconds)


class QueueCollector:
    """Read at each scrape, from the database (the same numbers as /readyz)."""

    def collect(self):
        from portal.health import index_lag
        from portal.mail.outbox import queue_health

        up = GaugeMetricFamily("stemwijzer_database_up", "1 when the database answered this scrape.")
        try:
            mail, lag = queue_health(), index_lag()
        except Exception:
            current_app.logger.warning("metrics: the database does not answer", exc_info=True)
            db.session.rollback()
            up.add_metric([], 0)
            yield up
            return
        db.session.rollback()
        up.add_metric([], 1)
        yield up
        for name, documentation, value in (
            ("stemwijzer_mail_queue_depth", "Mails waiting for delivery.", mail.depth),
            ("stemwijzer_mail_queue_due", "Mails due for delivery now.", mail.due),
            ("stemwijzer_mail_oldest_due_seconds", "How long the longest-due mail waited.", mail.oldest_due_seconds),
            ("stemwijzer_mail_dead_letters", "Mails given up on (dead letters).", mail.dead),
            ("stemwijzer_search_index_pending_changes", "Committed changes not yet in the index.",
             float("nan") if lag.pending is None else lag.pending),
            ("stemwijzer_search_index_lag_seconds", "How long the oldest of them has waited.", lag.oldest_seconds),
        ):
            yield GaugeMetricFamily(name, documentation, value=value)


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    queues = CollectorRegistry(auto_describe=False)
    queues.register(QueueCollector())
    return generate_latest(processes) + generate_latest(queues)


def may_scrape() -> bool:
    config = current_app.config
    token = config["METRICS_TOKEN"]
    presented = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(presented.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network.strip(), strict=False)
               for network in config["METRICS_ALLOWED_NETWORKS"].split(",") if network.strip())


def register_metrics(app: Flask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        if "metrics_started" in g:
            name = endpoint()
            LATENCY.labels(name, request.method).observe(time.perf_counter() - g.metrics_started)
            ANSWERS.labels(name, request.method, str(response.status_code)).inc()
        return response

    def _exception(_sender, exception, **_extra):
        EXCEPTIONS.labels(endpoint(), type(exception).__name__).inc()

    got_request_exception.connect(_exception, app, weak=False)

    @app.get("/metrics")
    def metrics():
        if not may_scrape():
            abort(403)
        response = Response(exposition(), content_type=CONTENT_TYPE_LATEST)
        response.headers["Cache-Control"] = "no-store"
        return response
