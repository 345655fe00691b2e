"""API tokens: shown once when created, then only their prefix and dates; revocable; no GET and
no database row holds the key. One implementation behind the page and `/ogc/token`."""

import base64
import hashlib
import re
from types import SimpleNamespace

import orjson
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.test import Client

from apps.accounts.choices import Role
from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

OGC_TOKEN = "/ogc/token"
LAYER = "/api/v1/layers/dossiers/"


def basic(username: str, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def officer(make_user, unit):
    return make_user(Role.COMMUNE_OFFICER, [unit("28777")], username="xa_bao_mat")


def _create(client, user) -> str:
    response = client.post(OGC_TOKEN, HTTP_AUTHORIZATION=basic(user.username))
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    return orjson.loads(response.content)["key"]


def test_the_database_keeps_only_a_digest_and_a_prefix(officer):
    client = Client()
    key = _create(client, officer)
    token = ApiToken.objects.get(user=officer)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    # the key is in no column of the row
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(value) for value in row.values())
    # DRF's clear-text token store is gone
    assert not django_apps.is_installed("rest_framework.authtoken")
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_get_never_returns_the_key(officer):
    client = Client()
    key = _create(client, officer)
    auth = {"HTTP_AUTHORIZATION": basic(officer.username)}
    shown = client.get(OGC_TOKEN, **auth)
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    assert key not in shown.content.decode()
    info = orjson.loads(shown.content)["token"]
    assert info["prefix"] == key[:8] and info["created"] and info["last_used"] is None
    # nor the page, for the same user signed in
    client.force_login(officer)
    page = client.get("/accounts/api-token/").content.decode()
    assert key not in page and key[:8] in page


def test_a_second_post_makes_a_new_key_and_the_first_dies(officer):
    client = Client()
    first = _create(client, officer)
    second = _create(client, officer)
    assert first != second
    assert client.get(LAYER, HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert client.get(LAYER, HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
    assert ApiToken.objects.filter(user=officer).count() == 2
    assert ApiToken.objects.active().filter(user=officer).count() == 1


def test_revoke_by_delete_and_the_token_stops_working(officer):
    client = Client()
    key = _create(client, officer)
    token_auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/ogc/collections/products/items", **token_auth).status_code == 200
    assert client.delete(OGC_TOKEN, **token_auth).status_code == 204
    assert client.get("/ogc/collections/products/items", **token_auth).status_code == 401
    assert client.get(LAYER, **token_auth).status_code == 401
    revoked = ApiToken.objects.get(user=officer)
    assert revoked.revoked_at is not None
    body = orjson.loads(client.get(OGC_TOKEN, HTTP_AUTHORIZATION=basic(officer.username)).content)
    assert body["token"] is None


def test_a_token_cannot_create_its_successor(officer):
    client = Client()
    key = _create(client, officer)
    refused = client.post(OGC_TOKEN, HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 403
    assert client.get(LAYER, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200  # unchanged


def test_page_and_api_are_one_implementation(officer):
    client = Client()
    client.force_login(officer)
    created = client.post("/accounts/api-token/", {"action": "create"})
    key = re.search(r'data-testid="api-token">([0-9a-f]{40})<', created.content.decode()).group(1)
    api = Client()
    info = orjson.loads(api.get(OGC_TOKEN, HTTP_AUTHORIZATION=basic(officer.username)).content)
    assert info["token"]["prefix"] == key[:8]
    # made by the API, revoked by the page
    api_key = _create(api, officer)
    assert api_key[:8] in client.get("/accounts/api-token/").content.decode()
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert api.get(LAYER, HTTP_AUTHORIZATION=f"Token {api_key}").status_code == 401


def test_use_is_recorded_and_basic_auth_still_works(officer):
    _token, key = api_token_create(user=officer)
    client = Client()
    assert client.get(LAYER, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert ApiToken.objects.get(user=officer).last_used is not None
    assert client.get(LAYER, HTTP_AUTHORIZATION=basic(officer.username)).status_code == 200


def test_inactive_user_and_malformed_headers_are_refused(officer):
    _token, key = api_token_create(user=officer)
    client = Client()
    for header in ("Token", f"Token {key} extra", "Token " + "0" * 40, f"Token {key.upper()}"):
        assert client.get(LAYER, HTTP_AUTHORIZATION=header).status_code == 401, header
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert client.get(LAYER, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_the_migration_drops_drf_tokens():
    """Existing DRF tokens (clear keys) are dropped; their users make a new token."""
    from importlib import import_module

    migration = import_module("apps.accounts.migrations.0003_drop_drf_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, 1)", ["0" * 40])
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", "2026-01-01 00:00:00"],
        )
    # the function needs only the editor's connection (SQLite refuses a schema editor inside the
    # test's transaction)
    migration.drop_drf_tokens(django_apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0


def test_token_authentication_is_the_hashed_one_everywhere():
    classes = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert "rest_framework.authentication.TokenAuthentication" not in classes
    assert "apps.accounts.authentication.ApiTokenAuthentication" in classes


def test_admin_shows_prefix_only_and_can_revoke_but_not_add(officer, django_user_model):
    token, key = api_token_create(user=officer)
    admin = django_user_model.objects.create_superuser("quan_tri", "qt@example.test", PASSWORD)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert detail.status_code == 200 and key not in detail.content.decode()
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(LAYER, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
