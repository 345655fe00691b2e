"""`owner`, `producer` and the officers are in tests/fixtures/producers.py; `client_for` here is a
plain API client (not the recognition chain's, tests/fixtures/recognition.py)."""

import pytest

from tests.clients import api_client_for


@pytest.fixture
def client_for():
    return api_client_for
