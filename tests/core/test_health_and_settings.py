import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_backend_and_a_working_spatial_extension(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["spatial_extension"] is True
    assert body["database"]["backend"] == connection.settings_dict["ENGINE"].rsplit(".", 1)[-1]
    assert body["database"]["backend"] in {"postgis", "spatialite"}
    assert body["database"]["writable"] is True
    assert "spatial_version" not in body["database"]  # no version for anyone to read
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_get_only(client):
    assert client.post("/healthz").status_code == 405


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="ocop_gis.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_debug():
    result = _import_production(DEBUG="true", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_production_refuses_a_missing_secret():
    result = _import_production()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret():
    result = _import_production(
        SECRET_KEY="a-real-secret-" + "x" * 40,
        ALLOWED_HOSTS="ocop.example.gov.vn",
        EMAIL_HOST="smtp.example.gov.vn",
    )
    assert result.returncode == 0, result.stderr


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "vi"
