"""The OGC API tests' world (tests/ogc/helpers.py) and client, with the recognition chain's
settings (tests/fixtures/recognition.py, which provides `chain`, `decide` and `people`)."""

import pytest
from django.test import Client

from .helpers import OGC, World, basic, build_world


@pytest.fixture(autouse=True)
def _recognition_settings(media_in_tmp):
    """MEDIA_ROOT in tmp_path and the public product URL, for every OGC test."""


@pytest.fixture
def world(chain, decide, people) -> World:
    return build_world(chain, decide, people)


@pytest.fixture
def ogc():
    """GET an /ogc/ URL as anonymous, or with HTTP Basic credentials for `user`."""

    def get(path: str, user=None, **extra):
        headers = {"HTTP_ACCEPT": "application/json", **extra}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = basic(user.username)
        return Client().get(OGC + path, **headers)

    return get
