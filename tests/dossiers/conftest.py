"""The dossier tests' people and product (tests/dossiers/helpers.py). `client_for` is the
recognition chain's (tests/fixtures/recognition.py): requests run their on-commit callbacks."""

import pytest

from .helpers import dossier_people, dossier_product


@pytest.fixture
def people(make_user, unit):
    return dossier_people(make_user, unit)


@pytest.fixture
def product(people):
    return dossier_product(people)
