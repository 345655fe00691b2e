"""Schemathesis against the OpenAPI schema (/api/v1/schema/), in process through the WSGI app:
every operation in the schema (101: the API under /api/v1/ with its paged and GeoJSON lists,
layers, PDFs and uploads; /dashboards/api/summary, /tiles/, /exports/, /ogc/token/), generated
inputs (valid and not), each sent as every role with HTTP Basic and anonymously. No answer may be
a 5xx, and each answer's status code and body must match the schema (errors: the `Error`
envelope, apps/core/api/schema.py). Not covered: views outside the schema (HTML pages, the OGC API
– Features tree under /ogc/), and state reached only by a chain of calls (no stateful phase: a
generated id rarely names a row, so most detail operations answer 404 and only their input
validation and scope are exercised).

Bounded for CI: OCOP_SCHEMATHESIS_EXAMPLES generated examples per operation (default 15, each
sent as the 9 identities), about 3 minutes per database on a loaded 2-core machine. Schemathesis's
coverage phase (boundary and invalid values of every parameter) is not bounded by that number and
adds ~5 minutes per database: OCOP_SCHEMATHESIS_COVERAGE=1 turns it on. A deeper run:
    export OCOP_SCHEMATHESIS_EXAMPLES=200 OCOP_SCHEMATHESIS_COVERAGE=1
    pytest tests/security/test_schemathesis.py
"""

import base64
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from apps.accounts.choices import NATIONAL_ROLES, PROVINCIAL_ROLES, Role
from tests.factories.accounts import PASSWORD

EXAMPLES = int(os.environ.get("OCOP_SCHEMATHESIS_EXAMPLES", "15"))
# Schemathesis's coverage phase runs as explicit examples, outside max_examples (see above).
COVERAGE = os.environ.get("OCOP_SCHEMATHESIS_COVERAGE", "") == "1"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def role_headers(make_user, unit):
    """One signed-in user per role, each in the jurisdiction its role has; plus anonymous."""
    headers = {"anonymous": {}}
    for role in Role:
        if role in NATIONAL_ROLES:
            units = []
        elif role in PROVINCIAL_ROLES:
            units = [unit("86", "province")]
        else:
            units = [unit("28777")]
        user = make_user(role, units, username=f"st-{role.value}")
        token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
        headers[role.value] = {"Authorization": f"Basic {token}"}
    return headers


# Loaded once at collection (the schema is generated from the code; no database is read).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.phases.coverage.enabled = COVERAGE


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """As Django's test client does: a request's start and end must not close the connection
    that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_server_error_and_answers_match_the_schema(case, role_headers):
    for headers in role_headers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
