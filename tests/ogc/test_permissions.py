"""Who sees what through /ogc/: anonymous users only the public collections (recognised,
non-revoked products, no personal data); signed-in users (HTTP Basic, API token or session) the
authenticated collections scoped to their jurisdiction; 401 with `WWW-Authenticate: Basic`
when a signed-in collection is read anonymously."""

import orjson
import pytest
from django.test import Client

from apps.accounts.choices import Role
from apps.maps.layers import REGISTRY, LayerContext

from .helpers import OGC, PASSWORD, basic

pytestmark = pytest.mark.django_db


def _items(ogc, collection, user=None, query="", status=200):
    response = ogc(f"/collections/{collection}/items?limit=1000{query}", user)
    assert response.status_code == status, (response.status_code, response.content[:300])
    return orjson.loads(response.content)


def _names(body):
    return sorted(f["properties"]["name"] for f in body["features"])


def test_product_counts_follow_the_jurisdiction(world, ogc):
    p = world.people
    all_four = sorted(["Kẹo dừa DEMO", "Bánh tráng dừa DEMO", "Mứt dừa DEMO", "Thạch dừa DEMO"])
    an_hoi = sorted(["Kẹo dừa DEMO", "Bánh tráng dừa DEMO", "Mứt dừa DEMO"])
    expected = {
        "producer": an_hoi,
        "commune": an_hoi,
        "commune2": ["Thạch dừa DEMO"],
        "province": all_four,
        "leader": all_four,
        "ministry": all_four,
        "other_province": [],
    }
    for who, names in expected.items():
        body = _items(ogc, "products", p[who])
        assert _names(body) == names, who
        assert body["numberMatched"] == len(names)
        # the same rows the registry gives for that user
        ctx = LayerContext(user=p[who])
        assert body["numberMatched"] == REGISTRY["products"].queryset(ctx).count()
    public = _items(ogc, "public-products")
    assert _names(public) == ["Kẹo dừa DEMO", "Thạch dừa DEMO"]
    # certificates: the revoked one is in the province's scope, never in the public collection
    assert _items(ogc, "certificates", p["province"])["numberMatched"] == 3
    assert _items(ogc, "certificates", p["commune2"])["numberMatched"] == 1
    assert _items(ogc, "public-certificates")["numberMatched"] == 2
    assert _items(ogc, "public-producers")["numberMatched"] == 2
    assert _items(ogc, "producers", p["producer"])["numberMatched"] == 1
    assert _items(ogc, "dossiers", p["other_province"])["numberMatched"] == 0
    assert _items(ogc, "dossiers", p["province"])["numberMatched"] == 3


def test_filters_apply_within_the_scope(world, ogc):
    p = world.people
    # never recognised, and recognised but every certificate revoked, are told apart
    none = _items(ogc, "products", p["province"], "&certificate_status=none")
    assert _names(none) == ["Mứt dừa DEMO"]
    revoked = _items(ogc, "products", p["province"], "&certificate_status=revoked")
    assert _names(revoked) == ["Bánh tráng dừa DEMO"]
    assert _names(_items(ogc, "products", p["province"], "&certificate_status=valid")) == [
        "Kẹo dừa DEMO",
        "Thạch dừa DEMO",
    ]
    assert _names(_items(ogc, "products", p["province"], "&star=4")) == ["Kẹo dừa DEMO"]
    assert _names(_items(ogc, "public-products", query="&unit=28756")) == ["Thạch dừa DEMO"]
    # a staff-only filter is not a parameter of the public collection
    body = _items(ogc, "public-products", query="&status=draft", status=400)
    assert body["extra"]["key"] == "status"
    assert (
        _items(ogc, "products", p["province"], "&status=nope", status=400)["extra"]["key"]
        == "status"
    )


def test_public_collections_never_show_personal_data_or_unrecognised_products(world, ogc):
    for layer in REGISTRY.values():
        if not layer.has_public:
            continue
        response = ogc(f"/collections/public-{layer.id}/items?limit=1000")
        assert response.status_code == 200
        text = response.content.decode()
        for secret in (
            "Nguyễn Thị Demo",
            "htx@example.test",
            "DEMO-28777",
            "DEMO-28756",
            "registration_number",
            "registration_date",
            "dossier_id",
        ):
            assert secret not in text, (layer.id, secret)
        for hidden in ("Bánh tráng dừa DEMO", "Mứt dừa DEMO"):
            assert hidden not in text, (layer.id, hidden)
    # single items: out of the public rule is 404, as is out of jurisdiction
    for product in (world.revoked, world.unrecognised):
        assert ogc(f"/collections/public-products/items/{product.pk}").status_code == 404
    assert ogc(f"/collections/public-products/items/{world.recognised.pk}").status_code == 200
    assert (
        ogc(
            f"/collections/products/items/{world.recognised.pk}", world.people["other_province"]
        ).status_code
        == 404
    )
    assert (
        ogc(
            f"/collections/products/items/{world.other_commune.pk}", world.people["commune"]
        ).status_code
        == 404
    )
    own = ogc(f"/collections/products/items/{world.revoked.pk}", world.people["producer"])
    assert own.status_code == 200 and orjson.loads(own.content)["properties"]["stars"] is None
    # the authenticated producers collection does carry the registration data
    producers = _items(ogc, "producers", world.people["producer"])
    assert producers["features"][0]["properties"]["registration_number"] == "DEMO-28777"


def test_anonymous_gets_401_with_basic_challenge_on_signed_in_collections(ogc):
    for path in (
        "/collections/products",
        "/collections/products/items",
        "/collections/products/items/1",
        "/collections/dossiers/queryables",
    ):
        response = ogc(path)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"].startswith("Basic ")
        assert orjson.loads(response.content)["code"] == "NotAuthenticated"
    # the landing page, the collection list and the API definition are open but list only
    # the public collections
    ids = [c["id"] for c in orjson.loads(ogc("/collections").content)["collections"]]
    assert ids and all(i.startswith("public-") for i in ids)
    paths = orjson.loads(ogc("/api").content)["paths"]
    assert (
        "/collections/products/items" not in paths and "/collections/public-products/items" in paths
    )


def test_signed_in_users_see_every_collection_and_staff_filters(world, ogc):
    user = world.people["commune"]
    ids = [c["id"] for c in orjson.loads(ogc("/collections", user).content)["collections"]]
    assert {"products", "dossiers", "public-products", "admin-units"} <= set(ids)
    assert len(ids) == len(REGISTRY) + sum(1 for lay in REGISTRY.values() if lay.has_public)
    items = orjson.loads(ogc("/api", user).content)["paths"]["/collections/products/items"]["get"]
    names = {p.get("name") for p in items["parameters"]}
    assert {"status", "round", "certificate_status", "unit"} <= names
    assert items["security"]
    # the signed-in collection extent covers the user's own records
    (bbox,) = orjson.loads(ogc("/collections/products", user).content)["extent"]["spatial"]["bbox"]
    assert bbox[0] <= 106.3756 <= bbox[2] and bbox[1] <= 10.2415 <= bbox[3]
    # responses read with a login are private
    assert ogc("/collections/products/items", user)["Cache-Control"] == "private, no-cache"
    assert ogc("/collections", user)["Cache-Control"] == "private, no-cache"
    _session_sign_in_works_in_the_browser(world)


def test_wrong_credentials_are_401_never_anonymous(make_user, ogc):
    make_user(Role.COMMUNE_OFFICER, username="commune", password=PASSWORD)
    client = Client()
    for header in (
        basic("commune", "wrong"),
        basic("nobody"),
        "Basic !!!notbase64",
        "Token " + "0" * 40,
    ):
        response = client.get(f"{OGC}/collections/public-products/items", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"].startswith("Basic ")


def test_token_endpoint_and_token_authentication(make_user, unit):
    user = make_user(
        Role.PROVINCE_OFFICER, [unit("86", "province")], username="tinh", password=PASSWORD
    )
    client = Client()
    assert client.post(f"{OGC}/token").status_code == 401
    assert client.get(f"{OGC}/token")["WWW-Authenticate"].startswith("Basic")
    auth = {"HTTP_AUTHORIZATION": basic(user.username)}
    assert orjson.loads(client.get(f"{OGC}/token", **auth).content)["token"] is None
    created = client.post(f"{OGC}/token", **auth)
    assert created.status_code == 201 and created["Cache-Control"] == "no-store"
    token = orjson.loads(created.content)["key"]
    # shown once: a GET gives the prefix and dates only (tests/security/test_tokens.py)
    assert token not in client.get(f"{OGC}/token", **auth).content.decode()
    by_token = client.get(f"{OGC}/collections/products/items", HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.status_code == 200 and orjson.loads(by_token.content)["numberMatched"] == 0
    assert client.delete(f"{OGC}/token", HTTP_AUTHORIZATION=f"Token {token}").status_code == 204
    assert (
        client.get(
            f"{OGC}/collections/products/items", HTTP_AUTHORIZATION=f"Token {token}"
        ).status_code
        == 401
    )


def _session_sign_in_works_in_the_browser(world):
    client = Client()
    client.force_login(world.people["commune2"])
    page = client.get(f"{OGC}/collections/products/items", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "Thạch dừa DEMO" in page.content.decode()
    assert "Kẹo dừa DEMO" not in page.content.decode()
    body = orjson.loads(client.get(f"{OGC}/collections/products/items?f=json").content)
    assert body["numberMatched"] == 1


def test_utf8_basic_password(make_user):
    user = make_user(Role.COMMUNE_OFFICER, password="Mật-khẩu-thử-1")
    response = Client().get(
        f"{OGC}/collections/products/items",
        HTTP_AUTHORIZATION=basic(user.username, "Mật-khẩu-thử-1"),
    )
    assert response.status_code == 200 and orjson.loads(response.content)["numberMatched"] == 0
