"""The certificate tests run with the recognition chain's settings (tests/fixtures/recognition.py,
which also provides `people`, `client_for`, `chain` and `decide`)."""

import pytest


@pytest.fixture(autouse=True)
def _recognition_settings(media_in_tmp):
    """MEDIA_ROOT in tmp_path and the public product URL, for every certificate test."""
