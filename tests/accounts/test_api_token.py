"""The API token page: create (the key shown once), replace, revoke; the token works on a scoped
layer and dies with replacement and revocation; a GET never shows the key."""

import re

import pytest

from apps.accounts.choices import Role
from apps.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _shown_key(response) -> str:
    match = re.search(r'data-testid="api-token">([0-9a-f]{40})<', response.content.decode())
    assert match, "the new key is shown on the creation response"
    return match.group(1)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/accounts/api-token/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_replace_and_revoke(client, make_user, unit):
    user = make_user(Role.COMMUNE_OFFICER, [unit("28777")], username="xa_token")
    client.force_login(user)
    page = client.get("/accounts/api-token/")
    assert page.status_code == 200 and 'data-testid="no-token"' in page.content.decode()
    assert page["Cache-Control"] == "no-store"

    created = client.post("/accounts/api-token/", {"action": "create"})
    assert created["Cache-Control"] == "no-store"
    first = _shown_key(created)
    later = client.get("/accounts/api-token/").content.decode()
    assert first not in later and first[:8] in later  # the prefix identifies it, the key is gone
    layer = "/api/v1/layers/dossiers/"
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {first}").status_code == 200

    second = _shown_key(client.post("/accounts/api-token/", {"action": "create"}))
    assert second != first
    assert ApiToken.objects.active().get(user=user).prefix == second[:8]
    client.logout()
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {second}").status_code == 200

    client.force_login(user)
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert not ApiToken.objects.active().filter(user=user).exists()
    client.logout()
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {second}").status_code == 401


def test_bad_action_is_refused_and_changes_nothing(client, make_user):
    user = make_user(Role.PROVINCE_OFFICER, [], username="tinh_token")
    client.force_login(user)
    assert client.post("/accounts/api-token/", {"action": "steal"}).status_code == 400
    assert client.put("/accounts/api-token/").status_code == 405
    assert not ApiToken.objects.filter(user=user).exists()
