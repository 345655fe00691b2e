"""`/healthz` answers 503 when the database is missing or read-only, and shows no version."""

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

SCRIPT = """
import json, django
django.setup()
from django.test import RequestFactory
from apps.core.views import healthz
response = healthz(RequestFactory().get("/healthz"))
print(json.dumps({"status": response.status_code, "body": json.loads(response.content)}))
"""


def _health_in_a_process_with(database_url: str) -> dict:
    """/healthz in a fresh process whose DATABASE_URL is `database_url`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop_gis.settings.test",
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthy_answer_names_no_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["writable"] is True
    assert "spatial_version" not in body["database"] and "version" not in response.content.decode()
    version = ".".join(str(part) for part in connection.ops.spatial_version)
    assert version not in response.content.decode()


def test_read_only_database_is_unhealthy(client):
    if connection.vendor == "postgresql":
        # What a database set read-only (ALTER DATABASE … SET default_transaction_read_only) or a
        # read-only role gives every new transaction; a standby is the pg_is_in_recovery() branch.
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")
        try:
            response = client.get("/healthz")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = off")
    else:
        # A connection that may not write, as a read-only file or directory would make it.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            response = client.get("/healthz")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["problem"] == "read_only"
    assert body["database"]["writable"] is False
    assert client.get("/healthz").status_code == 200  # and healthy again once writable


def test_missing_database_is_unhealthy(tmp_path):
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = (
            f"postgis://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/ocop_no_such_database"
        )
        answer = _health_in_a_process_with(url)
        assert answer["status"] == 503
        assert answer["body"]["problem"] == "database_unreachable"
    else:
        missing = tmp_path / "gone.sqlite3"
        answer = _health_in_a_process_with(f"spatialite:///{missing}")
        assert answer["status"] == 503 and answer["body"]["problem"] == "database_missing"
        assert not missing.exists()  # the check did not create an empty database in its place
        empty = tmp_path / "empty.sqlite3"
        empty.touch()
        answer = _health_in_a_process_with(f"spatialite:///{empty}")
        assert answer["status"] == 503 and answer["body"]["problem"] == "schema_missing"
    assert answer["body"]["status"] == "error"
    assert "version" not in json.dumps(answer["body"])
