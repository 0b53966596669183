"""Every request has a time budget (REQUEST_TIME_BUDGET seconds) below gunicorn's worker timeout, so a slow
request ends with the portal's own Dutch 503 (portal/errors.py) instead of gunicorn killing the worker and the
visitor getting gunicorn's, or the proxy's, error page.

Three guards, as far as each reaches:
- the database: on PostgreSQL each transaction of a request gets the rest of the budget as its
  `statement_timeout` (a slow query or a lock wait is cancelled by the server); on SQLite the wait for the write
  lock is the rest of the budget too (portal/database.py);
- between statements: a request past its deadline is refused its next statement;
- everything else (templates, the index, a hanging outside service): in a gunicorn sync worker, where the
  request runs in the process's main thread, an interval timer raises OverBudget in it at the deadline.
  Threads (the development server) have no signals; there the first two guards remain."""

from __future__ import annotations

import signal
import threading
import time

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db


class OverBudget(Exception):
    """The request used up its time budget."""


def remaining() -> float | None:
    """Seconds left of the current request's budget; None outside a request."""
    if not has_request_context() or "request_deadline" not in g:
        return None
    return g.request_deadline - time.monotonic()


def _on_alarm(_signum, _frame):
    raise OverBudget("the request's time budget is used up")


def _uses_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def register_request_budget(app: Flask) -> None:
    budget = float(app.config["REQUEST_TIME_BUDGET"])
    if budget <= 0:
        return

    @app.before_request
    def _start_the_clock() -> None:
        g.request_deadline = time.monotonic() + budget
        if _uses_alarm():
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, budget)

    @app.teardown_request
    def _stop_the_clock(_error=None) -> None:
        if "request_deadline" in g and _uses_alarm():
            signal.setitimer(signal.ITIMER_REAL, 0)

    with app.app_context():
        _limit_statements(db.engine)


def _limit_statements(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        @event.listens_for(engine, "begin")
        def _budget_for_the_transaction(connection) -> None:
            left = remaining()
            if left is not None:
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(left * 1000))}")

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_past_the_deadline(*_args) -> None:
        left = remaining()
        if left is not None and left <= 0:
            raise OverBudget("the request's time budget is used up")
