"""No N+1 on the list endpoints: the number of SQL queries a list makes does not grow with the
number of rows it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/producers/",
    "/api/v1/products/",
    "/api/v1/dossiers/",
    "/api/v1/certificates/",
    "/api/v1/notifications/",
    "/api/v1/councils/",
    "/api/v1/rounds/",
    "/api/v1/admin-units/?level=commune&page_size=200",
    "/api/v1/admin-units/?format=geojson&page_size=200",
    "/api/v1/producers/?format=geojson",
]


def _counts(user) -> dict[str, int]:
    api = APIClient()
    api.force_authenticate(user)
    out = {}
    for url in LISTS:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        out[url] = len(ctx.captured_queries)
    return out


@pytest.mark.parametrize("role", ["province", "producer"])
def test_list_endpoints_make_a_constant_number_of_queries(chain, decide, people, role):
    decide([chain.evaluated(4, name="Một").pk])
    # Once to warm per-process caches (e.g. units resolved once per process), whose single query
    # would otherwise depend on which test of the worker ran first; then measured.
    _counts(people[role])
    small = _counts(people[role])
    decide(
        [chain.evaluated(3, name="Hai").pk, chain.evaluated(4, name="Ba").pk],
        decision_number="2/QĐ-UBND",
    )
    for i in range(2):
        chain.accepted_dossier(chain.product(f"Thêm {i}"))
    assert _counts(people[role]) == small
