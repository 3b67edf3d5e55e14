"""What every part of the store shares: the engine (one per store), the write lock, the outage log.

SQLAlchemy 2 Core on SQLite (default, in the data directory) or PostgreSQL (postgresql+psycopg://). The
bot answers without its store when the database is down (see ``StoreBase.attempt``): the engine checks
each pooled connection before use (``pool_pre_ping``), so it reconnects by itself once the database is
back, and ``OutageLog`` logs the outage in one line when it starts and one when it ends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, overload

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from bot.config.settings import normalize_database_url

CONNECT_TIMEOUT_SECONDS = 3
"""PostgreSQL: give up connecting after this long, so a database that is down delays an answer little."""

T = TypeVar("T")


def create_store_engine(url: str) -> Engine:
    """The engine for ``url``: pooled connections checked before use; SQLite in WAL mode, its folder made."""
    url = normalize_database_url(url)
    parsed = make_url(url)
    # every pooled connection is checked before use: after an outage the pool reconnects by itself
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if database in ("", ":memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    elif "connect_timeout" not in parsed.query:
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL lets readers run during a write; synchronous=NORMAL skips an fsync per commit (WAL stays
    consistent; at worst the last commits before a power cut are lost), which keeps answers fast."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class OutageLog:
    """Logs a database outage in two short lines: when the first operation fails and when one succeeds
    again. The failures in between are logged at DEBUG only, so an outage does not flood the log."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._lock = threading.Lock()
        self._since: float | None = None
        self._failures = 0

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, what: str, error: BaseException) -> None:
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.monotonic()
                self._failures = 0
            self._failures += 1
        log = self._logger.warning if first else self._logger.debug
        log("database unavailable while %s (%s); carrying on without it", what, describe_error(error))

    def succeeded(self) -> None:
        if self._since is None:
            return
        with self._lock:
            if self._since is None:
                return
            seconds, failures = time.monotonic() - self._since, self._failures
            self._since = None
        self._logger.info("database back after %.0f s (%d operations failed meanwhile)", seconds, failures)


class StoreBase:
    """The engine, its write lock and its outage log, shared by every part of the store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite allows one writer at a time; serialising every write here avoids "database is locked".
        self._write_lock: threading.Lock | nullcontext[None] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        self.outage = OutageLog(logging.getLogger("awssec.store"))

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction, committed at the end of the block (serialised in this process on SQLite)."""
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    def attempt(self, what: str, operation: Callable[[], T], fallback: T) -> T:
        """``operation()``, or ``fallback`` if the database fails; for what the bot can do without
        (recording an answer, claiming an event). The failure goes to ``outage``, never to the caller."""
        try:
            result = operation()
        except SQLAlchemyError as err:
            self.outage.failed(what, err)
            return fallback
        self.outage.succeeded()
        return result


def describe_error(error: BaseException) -> str:
    """A database error in one short line: the driver's error type and the first line of its message."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0][:200] if lines else ''}".rstrip(": ")


def is_database_error(error: BaseException) -> bool:
    """True for any error from the database or its driver (as SQLAlchemy raises them)."""
    return isinstance(error, SQLAlchemyError)


def utc_now() -> datetime:
    return datetime.now(UTC)


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: datetime | None) -> datetime | None:
    """A moment read back from the store: SQLite hands datetimes back without a zone (they are UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
