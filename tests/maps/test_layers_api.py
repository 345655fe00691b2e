"""The GeoJSON layer API: public variants show recognised, non-revoked products only and no
personal data; signed-in variants follow the jurisdiction; filters, paging and caching behave
the same on every layer; bad input is a 400 that names the parameter."""

import base64
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.services import api_token_create
from apps.certificates.models import Certificate
from apps.certificates.services import certificate_revoke
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/layers/"
SCOPED = "/api/v1/layers/"


@pytest.fixture
def world(chain, decide, people):
    """A: 4★ recognised in An Hội (28777); C: 3★ recognised then revoked, same producer;
    B: a dossier of producer2 in Phú Khương (28756) accepted, not yet evaluated."""
    a = chain.evaluated(4, name="Kẹo dừa A")
    c = chain.evaluated(3, name="Bánh tráng C")
    decide([a.pk, c.pk])
    revoked = Certificate.objects.get(result=c)
    certificate_revoke(
        certificate_id=revoked.pk,
        ground="b",
        decision_number="9/QĐ-UBND",
        decided_on=timezone.localdate(),
        actor=people["leader"],
        note="Hậu kiểm",
    )
    product_b = chain.product("Mứt dừa B", commune="28756")
    chain.accepted_dossier(product_b, commune="28756")
    return {
        "a": Certificate.objects.get(result=a),
        "c": revoked,
        "b": product_b,
    }


def names(response, key="name"):
    assert response.status_code == 200, response.content[:400]
    return sorted(f["properties"][key] for f in response.json()["features"])


def signed_in(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_public_products_are_standing_ones_without_personal_data(world, client):
    response = client.get(PUBLIC + "products/")
    assert names(response) == ["Kẹo dừa A"]
    body = response.content.decode()
    producer = world["a"].product.producer
    for private in (
        producer.representative_name,
        producer.registration_number,
        producer.email,
        '"status"',
    ):
        assert private not in body
    feature = response.json()["features"][0]
    assert feature["properties"]["stars"] == 4
    assert feature["properties"]["certificate_status"] == "valid"
    lon, lat = feature["geometry"]["coordinates"]
    assert 105 < lon < 107 and 9 < lat < 11
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "public, max-age=60"
    again = client.get(PUBLIC + "products/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304

    assert names(client.get(PUBLIC + "producers/")) == [producer.name]
    certificates = client.get(PUBLIC + "certificates/").json()["features"]
    assert [f["properties"]["product_code"] for f in certificates] == [world["a"].product_code]
    assert "dossier_id" not in certificates[0]["properties"]
    assert client.get(PUBLIC + "dossiers/").status_code == 404


def test_scoped_layers_follow_the_jurisdiction(world, people, make_user):
    assert names(signed_in(people["province"]).get(SCOPED + "products/")) == [
        "Bánh tráng C",
        "Kẹo dừa A",
        "Mứt dừa B",
    ]
    assert names(signed_in(people["producer"]).get(SCOPED + "products/")) == [
        "Bánh tráng C",
        "Kẹo dừa A",
    ]
    assert names(signed_in(people["commune2"]).get(SCOPED + "products/")) == ["Mứt dừa B"]
    assert names(signed_in(people["other_province"]).get(SCOPED + "products/")) == []
    assert names(signed_in(people["commune2"]).get(SCOPED + "dossiers/"), "product_name") == [
        "Mứt dừa B"
    ]
    # Revoked certificates stay visible to staff, with their status.
    statuses = {
        f["properties"]["product_code"]: f["properties"]["status"]
        for f in signed_in(people["province"]).get(SCOPED + "certificates/").json()["features"]
    }
    assert statuses == {world["a"].product_code: "valid", world["c"].product_code: "revoked"}
    response = signed_in(people["province"]).get(SCOPED + "products/")
    assert response["Cache-Control"] == "private, no-cache"


def test_council_members_see_the_dossiers_assigned_to_them(world, chain):
    _council, members = chain.council()
    response = signed_in(members[1]).get(SCOPED + "dossiers/")
    assert names(response, "product_name") == ["Bánh tráng C", "Kẹo dừa A"]
    assert response.json()["numberMatched"] == 2


def test_anonymous_gets_401_with_basic_challenge_and_basic_or_token_work(world, people, client):
    response = client.get(SCOPED + "products/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    user = people["commune2"]
    user.set_password(PASSWORD)
    user.save()
    basic = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    assert names(client.get(SCOPED + "products/", HTTP_AUTHORIZATION=f"Basic {basic}")) == [
        "Mứt dừa B"
    ]
    _token, key = api_token_create(user=user)
    assert names(client.get(SCOPED + "products/", HTTP_AUTHORIZATION=f"Token {key}")) == [
        "Mứt dừa B"
    ]
    assert client.get(SCOPED + "products/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_filters_mean_the_same_on_each_layer(world, people):
    api = signed_in(people["province"])
    assert names(api.get(SCOPED + "products/?star=4")) == ["Kẹo dừa A"]
    assert names(api.get(SCOPED + "products/?star=3")) == []  # the 3★ certificate is revoked
    assert names(api.get(SCOPED + "products/?group=I")) == [
        "Bánh tráng C",
        "Kẹo dừa A",
        "Mứt dừa B",
    ]
    assert names(api.get(SCOPED + "products/?group=II")) == []
    assert names(api.get(SCOPED + "products/?unit=28756")) == ["Mứt dừa B"]
    assert names(api.get(SCOPED + "products/?unit=86")) == [
        "Bánh tráng C",
        "Kẹo dừa A",
        "Mứt dừa B",
    ]
    # Bến Tre province before July 2025: filtered by its boundary.
    assert names(api.get(SCOPED + "products/?unit=83")) == [
        "Bánh tráng C",
        "Kẹo dừa A",
        "Mứt dừa B",
    ]
    assert names(api.get(SCOPED + "products/?unit=01")) == []
    assert names(api.get(SCOPED + "products/?bbox=105,20,106,21.5")) == []
    assert names(api.get(SCOPED + "products/?bbox=106,9.5,107,10.8")) == [
        "Bánh tráng C",
        "Kẹo dừa A",
        "Mứt dừa B",
    ]
    assert names(api.get(SCOPED + "products/?certificate_status=revoked")) == ["Bánh tráng C"]
    assert names(api.get(SCOPED + "products/?certificate_status=valid")) == ["Kẹo dừa A"]
    assert names(api.get(SCOPED + "products/?certificate_status=none")) == ["Mứt dừa B"]
    statuses = {
        f["properties"]["name"]: f["properties"]["certificate_status"]
        for f in api.get(SCOPED + "products/").json()["features"]
    }
    assert statuses == {"Kẹo dừa A": "valid", "Bánh tráng C": "revoked", "Mứt dừa B": None}
    assert names(api.get(SCOPED + "certificates/?status=revoked"), "product_name") == [
        "Bánh tráng C"
    ]
    assert names(api.get(SCOPED + "certificates/?expiring=false&star=4"), "product_name") == [
        "Kẹo dừa A"
    ]
    assert names(api.get(SCOPED + "dossiers/?status=accepted"), "product_name") == ["Mứt dừa B"]
    assert names(api.get(SCOPED + "dossiers/?open=false"), "product_name") == [
        "Bánh tráng C",
        "Kẹo dừa A",
    ]
    assert names(api.get(SCOPED + "dossiers/?overdue=true"), "product_name") == []
    assert names(api.get(SCOPED + "dossiers/?round=1999"), "product_name") == []
    today = timezone.localdate()
    before = (today - timedelta(days=400)).isoformat()
    assert names(api.get(SCOPED + f"certificates/?datetime={before}"), "product_name") == []
    assert names(
        api.get(SCOPED + f"certificates/?datetime={today.isoformat()}/.."), "product_name"
    ) == ["Bánh tráng C", "Kẹo dừa A"]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("products/?star=x", "star"),
        ("products/?star=9", "star"),
        ("products/?group=IX", "group"),
        ("products/?unit=abc", "unit"),
        ("products/?unit=99999", "unit"),
        ("products/?bbox=1,2,3", "bbox"),
        ("products/?bbox=10,10,5,5", "bbox"),
        ("products/?bbox=200,0,201,1", "bbox"),
        ("certificates/?datetime=yesterday", "datetime"),
        ("certificates/?datetime=2027-01-01/2026-01-01", "datetime"),
        ("dossiers/?round=26-1", "round"),
        ("dossiers/?overdue=maybe", "overdue"),
        ("products/?limit=0", "limit"),
        ("products/?limit=abc", "limit"),
        ("products/?offset=-1", "offset"),
        ("admin-units/?valid_on=30/06/2025", "valid_on"),
        ("admin-units/?valid_on=2025-02-30", "valid_on"),
        ("certificates/?datetime=2026-13-01", "datetime"),
        ("certificates/?datetime=2026-13-01T00:00:00Z", "datetime"),
        ("dossiers/?deadline_before=2026-02-30", "deadline_before"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(people, query, key):
    response = signed_in(people["province"]).get(SCOPED + query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["extra"]["key"] == key and body["message"]


def test_unknown_layer_is_a_404(people, client):
    assert signed_in(people["province"]).get(SCOPED + "nothing/").status_code == 404
    assert client.get(PUBLIC + "nothing/").status_code == 404


def test_paging_follows_absolute_next_links(world, people):
    api = signed_in(people["province"])
    first = api.get(SCOPED + "products/?limit=2").json()
    assert first["numberMatched"] == 3 and first["numberReturned"] == 2
    (link,) = [lk for lk in first["links"] if lk["rel"] == "next"]
    assert link["href"].startswith("http://testserver/api/v1/layers/products/?")
    second = api.get(link["href"]).json()
    assert second["numberReturned"] == 1 and not second["links"]
    seen = {f["id"] for f in first["features"]} | {f["id"] for f in second["features"]}
    assert len(seen) == 3


def test_admin_units_carry_indicators_old_and_new(world, people, client):
    communes = client.get(PUBLIC + "admin-units/?level=commune&parent=86").json()
    assert communes["numberMatched"] == 124
    by_code = {f["properties"]["code"]: f["properties"] for f in communes["features"]}
    assert by_code["28777"]["products_star_4"] == 1 and by_code["28777"]["products_recognised"] == 1
    assert (
        by_code["28777"]["products_group_I"] == 1 and by_code["28756"]["products_recognised"] == 0
    )
    assert "dossiers_open" not in by_code["28756"]  # staff-only indicator
    scoped = (
        signed_in(people["province"]).get(SCOPED + "admin-units/?level=commune&parent=86").json()
    )
    by_code = {f["properties"]["code"]: f["properties"] for f in scoped["features"]}
    assert by_code["28756"]["dossiers_open"] == 1 and by_code["28777"]["dossiers_recognised"] == 2
    # Before the reform: 9 Bến Tre districts, counted by location inside their boundary.
    districts = client.get(PUBLIC + "admin-units/?level=district&valid_on=2025-06-30").json()
    assert districts["numberMatched"] == 9
    assert sum(f["properties"]["products_star_4"] for f in districts["features"]) == 1
    provinces = client.get(PUBLIC + "admin-units/?level=province&datetime=2025-06-30").json()
    assert provinces["numberMatched"] == 63
    ring = provinces["features"][0]["geometry"]["coordinates"][0][0]
    # RFC 7946: exterior rings counter-clockwise (positive shoelace area).
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    assert area > 0


def test_layer_list_describes_filters_and_hides_private_layers(people, client):
    public = {lay["id"]: lay for lay in client.get(SCOPED).json()["layers"]}
    assert "dossiers" not in public and "products" in public
    assert "registration_number" not in public["producers"]["properties"]
    staff = {lay["id"]: lay for lay in signed_in(people["province"]).get(SCOPED).json()["layers"]}
    star = next(f for f in staff["products"]["filters"] if f["name"] == "star")
    assert (star["minimum"], star["maximum"]) == (3, 5)
    assert {f["name"] for f in staff["dossiers"]["filters"]} >= {
        "status",
        "unit",
        "round",
        "group",
        "overdue",
    }


def test_query_count_does_not_grow_with_rows(world, chain, people):
    api = signed_in(people["province"])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {
        lay: count(SCOPED + f"{lay}/?limit=1000")
        for lay in ("products", "dossiers", "certificates", "producers")
    }
    units_before = count(SCOPED + "admin-units/?level=commune")
    for i in range(3):
        chain.accepted_dossier(chain.product(f"Thêm {i}", commune="28756"), commune="28756")
    after = {lay: count(SCOPED + f"{lay}/?limit=1000") for lay in before}
    assert after == before
    assert count(SCOPED + "admin-units/?level=commune") == units_before
    # Units before the reform are counted by location: 9 districts cost what 63 provinces cost.
    old = "admin-units/?valid_on=2025-06-30&level="
    assert count(SCOPED + old + "district") == count(SCOPED + old + "province")


@pytest.mark.gis_client
@pytest.mark.django_db(transaction=True)
def test_gdal_reads_the_public_layer_from_a_live_server(boundaries, live_server, tmp_path, request):
    world_ = request.getfixturevalue("world")
    url = f"{live_server.url}{PUBLIC}products/?limit=1000"
    out = tmp_path / "products.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(out), f"GeoJSON:{url}"], check=True, timeout=60)
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(out)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "Kẹo dừa A" in info and "Bánh tráng C" not in info and "Mứt dừa B" not in info
    assert world_["a"].product_code in info
