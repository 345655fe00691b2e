"""SQLite (SpatiaLite) under concurrent requests: one policy for the demo, tests and production.

SQLite allows one writer at a time. With Django's defaults a second writer either fails at once
("database is locked": a deferred transaction that read first cannot be upgraded while another
connection writes) or, with an in-memory test database, threads share one connection. The policy:

- every thread has its own connection to a *file* database (Django's connections are per thread;
  only an in-memory database is shared between threads, so tests use a file too);
- WAL journal: readers never wait for the writer, and the writer never waits for readers;
- write transactions start with ``BEGIN IMMEDIATE``: the write lock is taken at the start, so two
  writers queue instead of deadlocking halfway;
- a busy timeout: a writer waits at most ``timeout`` seconds for the lock, then gets
  ``OperationalError("database is locked")``, which :class:`DatabaseBusyMiddleware` answers with
  503 and ``Retry-After``: a clear, bounded error, never a wait without end.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError

# Pragmas run on every new connection. journal_mode=WAL is stored in the file (cheap to repeat);
# synchronous=NORMAL is the documented safe pairing with WAL (a commit is durable at checkpoint).
INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
LOCKED_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_sqlite(database: dict[str, Any]) -> bool:
    return database["ENGINE"].endswith(("sqlite3", "spatialite"))


def configure(database: dict[str, Any], *, timeout: float, test_name: str) -> dict[str, Any]:
    """Apply the policy to one ``DATABASES`` entry (in place) and return it.

    ``test_name`` is the file the test runner creates instead of an in-memory database, so the
    live-server tests share nothing between threads and behave as the demo does.
    """
    if not is_sqlite(database):
        return database
    options = database.setdefault("OPTIONS", {})
    options.setdefault("timeout", timeout)
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("init_command", INIT_COMMAND)
    database.setdefault("TEST", {}).setdefault("NAME", test_name)
    return database


def is_lock_timeout(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" after the busy timeout ran out."""
    return isinstance(exc, OperationalError) and any(m in str(exc) for m in LOCKED_MESSAGES)
