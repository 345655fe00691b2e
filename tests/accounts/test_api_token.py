"""The API token page: create, replace, revoke; the token works on a scoped layer and dies with
revocation."""

import pytest
from rest_framework.authtoken.models import Token

from apps.accounts.choices import Role

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/accounts/api-token/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_replace_and_revoke(client, make_user, unit):
    user = make_user(Role.COMMUNE_OFFICER, [unit("28777")], username="xa_token")
    client.force_login(user)
    page = client.get("/accounts/api-token/")
    assert page.status_code == 200 and 'data-testid="no-token"' in page.content.decode()
    assert page["Cache-Control"] == "no-store"

    client.post("/accounts/api-token/", {"action": "create"})
    first = Token.objects.get(user=user).key
    assert first in client.get("/accounts/api-token/").content.decode()
    layer = "/api/v1/layers/dossiers/"
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {first}").status_code == 200

    client.post("/accounts/api-token/", {"action": "create"})
    second = Token.objects.get(user=user).key
    assert second != first
    client.logout()
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {second}").status_code == 200

    client.force_login(user)
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()
    client.logout()
    assert client.get(layer, HTTP_AUTHORIZATION=f"Token {second}").status_code == 401


def test_bad_action_is_refused_and_changes_nothing(client, make_user):
    user = make_user(Role.PROVINCE_OFFICER, [], username="tinh_token")
    client.force_login(user)
    assert client.post("/accounts/api-token/", {"action": "steal"}).status_code == 400
    assert client.put("/accounts/api-token/").status_code == 405
    assert not Token.objects.filter(user=user).exists()
