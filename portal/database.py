"""Database details shared by all models: aware UTC timestamps and SQLite connection settings."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from portal.request_budget import remaining


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timestamps are stored in UTC and always come back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use an aware UTC datetime")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


# How long a command (import, demo load, mail, index) waits for SQLite's write lock: web requests hold it for
# well under their time budget, so a command waits them out instead of failing with "database is locked".
COMMAND_BUSY_TIMEOUT = 120.0


def configure_sqlite(engine: Engine) -> None:
    """WAL lets readers work while a writer commits; the busy timeout waits for a lock instead of failing
    (in a request: for what is left of its time budget, portal/request_budget.py; a command longer);
    SQLite leaves foreign keys off unless asked. pysqlite's own transaction handling breaks savepoints, so
    SQLAlchemy emits BEGIN itself (the recipe in SQLAlchemy's SQLite dialect documentation), IMMEDIATE for
    transactions started with `begin_write`."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        left = remaining()
        wait = COMMAND_BUSY_TIMEOUT if left is None else max(0.001, left)
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session) -> None:
    """Start `session`'s transaction as a writer. On SQLite a transaction that reads first and writes later
    fails at once when another process committed in between; taking the write lock up front waits instead.
    Other databases ignore the option."""
    session.connection(execution_options={"sqlite_immediate": True})
