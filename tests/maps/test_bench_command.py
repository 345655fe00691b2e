"""The benchmark command runs end to end on a tiny data set and leaves nothing behind (the real
numbers come from `manage.py bench_gis` with the national sizes; see README)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.producers.models import Producer

pytestmark = pytest.mark.django_db


def test_bench_gis_reports_ratios_and_rolls_back():
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostGIS"):
            call_command("bench_gis", producers=10, products=10, runs=1)
        return
    out = StringIO()
    call_command("bench_gis", producers=60, products=90, runs=1, stdout=out)
    text = out.getvalue()
    assert "data: 34 provinces" in text and "90 products" in text
    for row in (
        "products (public)",
        "dossiers",
        "admin-units",
        "products 12/",
        "/dashboards/api/summary",
    ):
        assert row in text, text
    assert "synthetic data rolled back" in text
    assert not Producer.objects.filter(name__startswith="BENCH").exists()
