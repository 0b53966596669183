"""Health: `/healthz` says the process answers (and touches nothing else); `/readyz` says whether this node can
serve: the database answers, its schema is at the migrations' head, the search index is there and follows the
database (its lag), and mail is not stuck. JSON, 200 or 503, without secrets (no addresses, names or error
texts, which can carry a host or a user name). The same numbers feed the metrics (portal/metrics.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, jsonify
from sqlalchemy import text

from portal import MIGRATIONS_DIR
from portal.extensions import db
from portal.mail.outbox import queue_health
from portal.search.sync import index_status, search_index


@dataclass
class IndexLag:
    ready: bool  # a usable generation that follows the change log
    pending: int | None  # changes in the log this node has not applied (None: unknown, the database is down)
    oldest_seconds: float  # how long the first of them has waited


def index_lag() -> IndexLag:
    """How far this node's search index is behind the database's change log (portal/search/sync.py)."""
    status = index_status()
    return IndexLag(ready=status.ready, pending=status.lag, oldest_seconds=status.oldest_pending_seconds or 0.0)


@cache
def migration_heads(directory: str) -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory(directory).get_heads()))


@dataclass
class Readiness:
    checks: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(check["ok"] for check in self.checks.values())

    def as_dict(self) -> dict:
        return {"status": "ready" if self.ready else "unready", "checks": self.checks, "warnings": self.warnings}


def readiness() -> Readiness:
    config = current_app.config
    report = Readiness()
    index = search_index()
    report.checks["search_index"] = {"ok": index.exists(), "ready": index.exists()}
    started = time.monotonic()
    try:
        connection = db.session.connection()
        connection.execute(text("SELECT 1"))
    except Exception:
        current_app.logger.warning("readiness: the database does not answer", exc_info=True)
        report.checks["database"] = {"ok": False, "error": "unreachable"}
        db.session.rollback()
        return report
    report.checks["database"] = {"ok": True, "seconds": round(time.monotonic() - started, 4)}
    current = sorted(MigrationContext.configure(connection).get_current_heads())
    head = migration_heads(str(MIGRATIONS_DIR))
    report.checks["migrations"] = {"ok": tuple(current) == head, "current": current, "head": list(head)}
    if not report.checks["migrations"]["ok"]:
        db.session.rollback()
        return report  # the tables below may not be there (yet)

    lag, lag_limit = index_lag(), config["INDEX_LAG_LIMIT"]
    report.checks["search_index"].update(ready=lag.ready, pending=lag.pending, lag_limit_seconds=lag_limit,
                                         oldest_pending_seconds=round(lag.oldest_seconds, 1))
    report.checks["search_index"]["ok"] &= lag.ready and lag.oldest_seconds <= lag_limit

    mail, stuck_after = queue_health(), config["MAIL_STUCK_AFTER"]
    report.checks["mail"] = {"ok": mail.oldest_due_seconds <= stuck_after, **mail.as_dict(),
                             "stuck_after_seconds": stuck_after}
    if mail.dead:
        report.warnings.append(f"{mail.dead} mail(s) given up (dead letters): resend them from the admin area")
    db.session.rollback()
    return report


def register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        return _no_store(jsonify(status="ok")), 200

    @app.get("/readyz")
    def readyz():
        report = readiness()
        return _no_store(jsonify(report.as_dict())), 200 if report.ready else 503


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


