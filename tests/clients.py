"""The API clients behind the tests' `client_for` fixtures: `client_for(user)` is a DRF test
client authenticated as `user` (anonymous for None)."""

from django.test import TestCase
from rest_framework.test import APIClient


class CommittingAPIClient(APIClient):
    """Runs each request's on-commit callbacks (notifications), as a real request's commit would;
    the test's own transaction otherwise swallows them."""

    def generic(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().generic(*args, **kwargs)


def committing_client_for(user) -> CommittingAPIClient:
    """The dossier and recognition tests' client: on-commit callbacks run after each request."""
    api = CommittingAPIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def api_client_for(user=None) -> APIClient:
    """A plain client (the producer, product and traceability tests)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
