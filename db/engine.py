"""Engine and session factory: one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker


def make_engine(database_url: str, *, enforce_foreign_keys: bool = True, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys.

    Errors never carry bound parameters: they would put residents' words and addresses into logs.
    """
    if database_url.startswith("sqlite"):
        # A generous timeout lets concurrent webhook threads wait for the single writer.
        engine = create_engine(database_url, connect_args={"timeout": 30}, hide_parameters=True, **kwargs)
        event.listen(engine, "connect", partial(_sqlite_pragmas, foreign_keys=enforce_foreign_keys))
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    engine = create_engine(database_url, hide_parameters=True, **kwargs)
    # Not pool_pre_ping: its SELECT 1 is a round trip on every checkout, several per webhook event.
    # A connection the server (or the network between) closed while it sat in the pool is found
    # without one: its socket is readable. One that dies after that check fails its statement with a
    # disconnect, and the pool starts afresh; the webhook retries such an event once (bot/processor.py).
    event.listen(engine, "checkout", _closed_while_idle)
    return engine


def _closed_while_idle(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled connection the server has closed (the pool then opens a fresh one).

    An idle PostgreSQL connection has nothing to read: when it does, it is the server's goodbye
    (FATAL: terminating connection) or the end of the stream.
    """
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
    except Exception as exc:  # closed already: fileno() raises
        raise DisconnectionError("connection closed") from exc
    if poller.poll(0):
        raise DisconnectionError("the server closed the connection while it was idle")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, foreign_keys: bool) -> None:
    # Let SQLAlchemy emit BEGIN itself (pysqlite's own transaction handling is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock up front: concurrent writers then queue on busy_timeout instead of failing
    # with SQLITE_BUSY when a read transaction tries to become a write transaction.
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def ping(engine: Engine) -> None:
    """Ask the database for SELECT 1 outside any transaction; SQLAlchemyError when it cannot be reached."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("SELECT 1"))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def engine_of(factory: sessionmaker[Session]) -> Engine:
    """The engine a session factory was made for: for work on one connection held across steps."""
    bind = factory.kw["bind"]
    assert isinstance(bind, Engine)
    return bind


_KEPT = "otagai.kept"


def keep(session: Session, obj: object) -> None:
    """Hold an object for the rest of the session: the identity map holds unchanged objects only
    weakly, and a later session.get of one no handler still refers to would read it again."""
    session.info.setdefault(_KEPT, []).append(obj)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
