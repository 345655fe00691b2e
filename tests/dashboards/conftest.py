"""The dashboard tests run on `province` (tests/fixtures/dashboards.py), with the recognition
chain's settings (tests/fixtures/recognition.py)."""

import pytest


@pytest.fixture(autouse=True)
def _recognition_settings(media_in_tmp):
    """MEDIA_ROOT in tmp_path and the public product URL, for every dashboard test."""
