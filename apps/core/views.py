import logging
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "core/home.html")


# --- /healthz ---------------------------------------------------------------------------------
# What a load balancer needs: can this instance serve and save? It answers 503 when the database
# is unreachable, missing (no file, or no schema), read-only (a PostgreSQL standby or a read-only
# session default; a SQLite file that refuses writes) or without its spatial extension. The
# body names the problem with a code, never a version or an exception's text (logged instead).


def _sqlite_file_missing() -> bool:
    """A SQLite database whose file is gone: connecting would silently create an empty one."""
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return False
    return not Path(name).exists()


def _writable() -> bool:
    """PostgreSQL: not in recovery (a standby) and transactions not read-only by default.
    SQLite: a real write, an UPDATE of one django_migrations row inside a savepoint that is
    rolled back, which fails on a read-only file, directory or connection (`PRAGMA query_only`)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), current_setting('transaction_read_only'),"
                " current_setting('default_transaction_read_only')"
            )
            recovery, read_only, default_read_only = cursor.fetchone()
        return not recovery and read_only == "off" and default_read_only == "off"
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE django_migrations SET app = app"
                    " WHERE id = (SELECT MIN(id) FROM django_migrations)"
                )
            transaction.set_rollback(True)
    except DatabaseError:
        logger.warning("healthz: the database refuses writes", exc_info=True)
        return False
    return True


def _spatial_works() -> bool:
    """Run a real spatial function so a missing or broken extension shows."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,2 0,2 2,0 2,0 0))', 4326))"
            )
            (area,) = cursor.fetchone()
        return float(area) == 4.0
    except (DatabaseError, TypeError, ValueError):
        logger.warning("healthz: the spatial extension does not work", exc_info=True)
        return False


def _database_problem() -> tuple[str | None, dict]:
    checks = {"reachable": False, "writable": False, "spatial_extension": False}
    if connection.vendor == "sqlite" and _sqlite_file_missing():
        return "database_missing", checks
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            checks["reachable"] = True
            # The schema is there (an empty database is as useless as none).
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
    except Exception:  # noqa: BLE001 — a health check answers, whatever the failure
        logger.warning("healthz: database unavailable", exc_info=True)
        return ("schema_missing" if checks["reachable"] else "database_unreachable"), checks
    try:
        checks["writable"] = _writable()
    except Exception:  # noqa: BLE001
        logger.warning("healthz: write check failed", exc_info=True)
    if not checks["writable"]:
        return "read_only", checks
    checks["spatial_extension"] = _spatial_works()
    if not checks["spatial_extension"]:
        return "spatial_extension", checks
    return None, checks


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers: 200 when the spatial database is there,
    writable and working; 503 naming the problem otherwise."""
    problem, checks = _database_problem()
    body = {
        "status": "error" if problem else "ok",
        "database": {
            "vendor": connection.vendor,
            "backend": connection.settings_dict["ENGINE"].rsplit(".", 1)[-1],
            **checks,
        },
    }
    if problem:
        body["problem"] = problem
    return JsonResponse(body, status=503 if problem else 200)
