"""The public pages' tests run with their settings (tests/fixtures/public.py, which also provides
`recognised`) and the recognition chain's (tests/fixtures/recognition.py: `chain`, `decide` ...)."""

import pytest


@pytest.fixture(autouse=True)
def _public_pages(public_settings, media_in_tmp):
    """The public pages' settings and the recognition chain's, for every public test."""
