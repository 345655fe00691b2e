"""The full recognition chain (tests/fixtures/recognition.py, real services) for these tests: its
`people`, `client_for` and `chain` replace tests/traceability/conftest.py's of the same name, and
its settings apply."""

import pytest

from tests.clients import committing_client_for
from tests.factories.accounts import recognition_people
from tests.factories.certificates import Chain


@pytest.fixture(autouse=True)
def _recognition_settings(media_in_tmp):
    """MEDIA_ROOT in tmp_path and the public product URL, for every test here."""


@pytest.fixture
def people(make_user, unit):
    return recognition_people(make_user, unit)


@pytest.fixture
def client_for():
    return committing_client_for


@pytest.fixture
def chain(people, unit, make_user, client_for):
    return Chain(people, unit, make_user, client_for)
