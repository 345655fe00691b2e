"""The dossier tests' people and product (tests/factories/). `client_for` is the
recognition chain's (tests/fixtures/recognition.py): requests run their on-commit callbacks."""

import pytest

from tests.factories.accounts import dossier_people
from tests.factories.dossiers import dossier_product


@pytest.fixture
def people(make_user, unit):
    return dossier_people(make_user, unit)


@pytest.fixture
def product(people):
    return dossier_product(people)
