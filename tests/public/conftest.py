"""Fixtures of the public pages: a recognised product made through the real services (the
certificates' `chain`), scans written in the request that records them (no background thread:
a test's rows are visible only inside its own transaction), and an empty cache per test."""

import pytest
from django.core.cache import cache

from tests.certificates.conftest import (  # noqa: F401 — fixtures re-exported for these tests
    chain,
    client_for,
    decide,
    media_in_tmp,
    people,
)


@pytest.fixture(autouse=True)
def _public_settings(settings):
    settings.OCOP_SCAN_LOG = "buffered"
    settings.OCOP_SCAN_FLUSH_SECONDS = 0  # no writer thread
    settings.OCOP_SCAN_BUFFER_SIZE = 1  # the recording request writes its row
    settings.OCOP_RESOLVER_BASE_URL = ""
    cache.clear()
    from apps.public.scanlog import buffer

    buffer.flush()
    yield
    cache.clear()


@pytest.fixture
def recognised(chain, decide):  # noqa: F811 — the imported fixtures
    """A 4★ product recognised by the provincial leader: its certificate."""
    from apps.certificates.models import Certificate

    result = chain.evaluated(4)
    decide([result.pk])
    return Certificate.objects.select_related("product__producer").get(result=result)


def gtin13(body12: str) -> str:
    from apps.products.gs1 import gtin_check_digit

    return body12 + str(gtin_check_digit(body12))
