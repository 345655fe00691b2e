import json

import pytest
from django.contrib.gis.geos import Point

from apps.producers.models import Producer
from tests.factories.places import AN_HOI, AT_SEA, HA_NOI, PHUOC_HAU
from tests.factories.producers import ProducerFactory, ProductionAreaFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/producers/"
PERSONAL = {
    "representative_name",
    "representative_gender",
    "representative_ethnicity",
    "representative_has_disability",
}


def detail(producer) -> str:
    return f"/api/v1/producers/{producer.pk}/"


def areas(producer) -> str:
    return f"/api/v1/producers/{producer.pk}/areas/"


def point(lon_lat) -> dict:
    return {"type": "Point", "coordinates": list(lon_lat)}


def new_producer(**overrides) -> dict:
    body = {
        "name": "Cơ sở Kẹo Dừa Tư Thắm",
        "legal_type": "household",
        "registration_number": "56A8001234",
        "registration_date": "2017-09-12",
        "address": "Số 12 Đồng Khởi, Phường An Hội",
        "phone": "0913 456 789",
        "email": "tutham@example.test",
        "representative_name": "Trần Thị Thắm",
        "representative_gender": "female",
        "representative_ethnicity": "Kinh",
        "location": point(AN_HOI),
    }
    return {**body, **overrides}


def assert_invalid(response, key):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["extra"]["key"] == key
    assert body["message"]
    return body


# --- GET /producers/ -----------------------------------------------------------------------
def test_list_for_province_officer_has_personal_data(client_for, province_officer, producer):
    response = client_for(province_officer).get(LIST)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["name"] == "HTX Dừa Xanh An Hội"
    assert row["commune"]["code"] == "28777" and row["province"]["code"] == "86"
    assert row["location"] == point(AN_HOI)
    assert PERSONAL <= set(row)
    assert row["representative_name"] == "Trần Thị Bích"
    assert row["qualifies_for_criterion_3_2"] is True


def test_list_for_council_member_omits_personal_data(client_for, council_member, producer):
    (row,) = client_for(council_member).get(LIST).json()["results"]
    assert not PERSONAL & set(row)
    assert row["qualifies_for_criterion_3_2"] is True  # the flag the council scores with


def test_list_for_producer_shows_only_linked(client_for, owner, producer, stranger):
    rows = client_for(owner).get(LIST).json()["results"]
    assert [r["id"] for r in rows] == [producer.pk]
    assert PERSONAL <= set(rows[0])


def test_list_outside_jurisdiction_is_empty(client_for, other_province_officer, producer):
    body = client_for(other_province_officer).get(LIST).json()
    assert body["count"] == 0 and body["results"] == []


def test_list_anonymous_is_refused(client_for, producer):
    response = client_for().get(LIST)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "params, key", [({"legal_type": "llc"}, "legal_type"), ({"commune": "An Hội"}, "commune")]
)
def test_list_bad_filters(client_for, province_officer, params, key):
    assert_invalid(client_for(province_officer).get(LIST, params), key)


def test_list_filter_by_commune(client_for, province_officer, producer):
    ProducerFactory(name="Phước Hậu", location=Point(*PHUOC_HAU, srid=4326))
    rows = client_for(province_officer).get(LIST, {"commune": "29557"}).json()["results"]
    assert [r["name"] for r in rows] == ["Phước Hậu"]


def test_geojson_layer_has_no_personal_data(client_for, commune_officer, producer):
    response = client_for(commune_officer).get(LIST, {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection" and collection["numberMatched"] == 1
    (feature,) = collection["features"]
    assert feature["id"] == producer.pk
    assert feature["geometry"]["type"] == "Point"
    assert feature["geometry"]["coordinates"] == pytest.approx(list(AN_HOI), abs=1e-6)
    assert feature["properties"]["commune_code"] == "28777"
    assert not PERSONAL & set(feature["properties"])
    assert "qualifies_for_criterion_3_2" not in feature["properties"]
    assert "Trần Thị Bích" not in response.content.decode()


def test_geojson_is_scoped(client_for, other_commune_officer, producer):
    collection = json.loads(
        client_for(other_commune_officer).get(LIST, {"format": "geojson"}).content
    )
    assert collection["features"] == []


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_list_query_count_is_constant(
    client_for, owner, province_officer, fmt, django_assert_max_num_queries
):
    for _ in range(8):
        ProducerFactory(users=[owner])
    for user in (owner, province_officer):
        client = client_for(user)
        with django_assert_max_num_queries(3):
            response = client.get(LIST, {"format": fmt})
        assert response.status_code == 200


# --- POST /producers/ ----------------------------------------------------------------------
def test_producer_registers_own_entity(client_for, owner):
    response = client_for(owner).post(LIST, new_producer(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["commune"] == {"code": "28777", "name": "An Hội", "full_name": "Phường An Hội"}
    assert body["province"]["code"] == "86"
    assert body["representative_name"] == "Trần Thị Thắm"
    producer = Producer.objects.get(pk=body["id"])
    assert list(producer.users.all()) == [owner]
    assert producer.created_by == owner


def test_commune_officer_registers_on_behalf(client_for, commune_officer):
    response = client_for(commune_officer).post(LIST, new_producer(), format="json")
    assert response.status_code == 201
    assert not Producer.objects.get(pk=response.json()["id"]).users.exists()


def test_commune_officer_cannot_register_outside_jurisdiction(client_for, other_commune_officer):
    response = client_for(other_commune_officer).post(LIST, new_producer(), format="json")
    assert_invalid(response, "location")
    assert not Producer.objects.exists()


def test_wrong_role_cannot_register(client_for, council_member):
    response = client_for(council_member).post(LIST, new_producer(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_cannot_register(client_for):
    assert client_for().post(LIST, new_producer(), format="json").status_code in (401, 403)


@pytest.mark.parametrize(
    "change, key",
    [
        ({"location": None}, "location"),
        ({"location": {"type": "Point", "coordinates": [106.3]}}, "location"),
        ({"location": point((200, 10))}, "location"),
        ({"location": point(AT_SEA)}, "location"),
        ({"location": point(HA_NOI)}, "location"),
        ({"legal_type": "llc"}, "legal_type"),
        ({"email": "not-an-email"}, "email"),
        ({"registration_date": "12/09/2017"}, "registration_date"),
        ({"representative_ethnicity": "Martian"}, "representative_ethnicity"),
        ({"commune": 1}, "commune"),
        ({"province": "86"}, "province"),
        ({"name": ""}, "name"),
    ],
)
def test_register_bad_input(client_for, owner, change, key):
    body = {k: v for k, v in new_producer(**change).items() if v is not None}
    response = client_for(owner).post(LIST, body, format="json")
    assert_invalid(response, key)
    assert not Producer.objects.exists()


def test_point_at_sea_message_is_clear(client_for, owner):
    body = assert_invalid(
        client_for(owner).post(LIST, new_producer(location=point(AT_SEA)), format="json"),
        "location",
    )
    assert body["extra"]["location"] == {"lon": AT_SEA[0], "lat": AT_SEA[1]}
    assert "biển" in body["message"] or "at sea" in body["message"]


# --- GET /producers/{id}/ ------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, personal",
    [
        ("owner", True),
        ("commune_officer", True),
        ("province_officer", True),
        ("national", True),
        ("council_member", False),
    ],
)
def test_retrieve_allowed(client_for, producer, request, who, personal):
    user = request.getfixturevalue(who)
    response = client_for(user).get(detail(producer))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == producer.pk
    assert (PERSONAL <= set(body)) is personal
    if not personal:
        assert not PERSONAL & set(body)


@pytest.mark.parametrize("who", ["stranger", "other_commune_officer", "other_province_officer"])
def test_retrieve_out_of_scope_is_404(client_for, producer, request, who):
    response = client_for(request.getfixturevalue(who)).get(detail(producer))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_retrieve_missing_is_the_same_404(client_for, national):
    assert client_for(national).get("/api/v1/producers/999999/").status_code == 404


def test_retrieve_anonymous(client_for, producer):
    assert client_for().get(detail(producer)).status_code in (401, 403)


# --- PATCH /producers/{id}/ ----------------------------------------------------------------
def test_owner_moves_the_producer_and_the_commune_follows(client_for, owner, producer):
    response = client_for(owner).patch(
        detail(producer), {"location": point(PHUOC_HAU), "phone": "0270 3811 222"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["commune"]["code"] == "29557" and body["phone"] == "0270 3811 222"
    producer.refresh_from_db()
    assert producer.commune.code == "29557"


def test_commune_officer_edits_on_behalf_in_scope(client_for, commune_officer, producer):
    response = client_for(commune_officer).patch(
        detail(producer), {"name": "HTX Mới"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "HTX Mới"


def test_commune_officer_cannot_move_a_producer_out_of_scope(client_for, commune_officer, producer):
    response = client_for(commune_officer).patch(
        detail(producer), {"location": point(PHUOC_HAU)}, format="json"
    )
    assert_invalid(response, "location")


@pytest.mark.parametrize("who", ["council_member", "national"])
def test_patch_wrong_role_is_403(client_for, producer, request, who):
    response = client_for(request.getfixturevalue(who)).patch(
        detail(producer), {"name": "X"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["stranger", "other_commune_officer", "other_province_officer"])
def test_patch_out_of_scope_is_404(client_for, producer, request, who):
    response = client_for(request.getfixturevalue(who)).patch(
        detail(producer), {"name": "X"}, format="json"
    )
    assert response.status_code == 404
    producer.refresh_from_db()
    assert producer.name == "HTX Dừa Xanh An Hội"


def test_patch_anonymous(client_for, producer):
    assert client_for().patch(detail(producer), {"name": "X"}, format="json").status_code in (
        401,
        403,
    )


@pytest.mark.parametrize(
    "change, key",
    [
        ({"email": "x"}, "email"),
        ({"location": point(AT_SEA)}, "location"),
        ({"commune": 5}, "commune"),
        ({"representative_gender": "other"}, "representative_gender"),
    ],
)
def test_patch_bad_input(client_for, owner, producer, change, key):
    assert_invalid(client_for(owner).patch(detail(producer), change, format="json"), key)


# --- /producers/{id}/areas/ ----------------------------------------------------------------
def bowtie() -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[106.40, 10.20], [106.41, 10.21], [106.41, 10.20], [106.40, 10.21], [106.40, 10.20]]
        ],
    }


def square_geojson() -> dict:
    from tests.factories.places import square

    return json.loads(square(106.4, 10.2).json)


def test_owner_adds_an_area_and_gets_hectares(client_for, owner, producer):
    body = {"kind": "raw_material", "name": "Vùng dừa hữu cơ", "geometry": square_geojson()}
    response = client_for(owner).post(areas(producer), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["area_ha"] == pytest.approx(100, rel=0.01)
    assert data["geometry"]["type"] == "MultiPolygon"
    assert data["producer_id"] == producer.pk


def test_area_multipolygon_accepted(client_for, owner, producer):
    geom = square_geojson()
    multi = {"type": "MultiPolygon", "coordinates": [geom["coordinates"]]}
    response = client_for(owner).post(
        areas(producer),
        {"kind": "production_site", "name": "Xưởng", "geometry": multi},
        format="json",
    )
    assert response.status_code == 201


def test_self_intersecting_area_is_a_clear_400(client_for, owner, producer):
    response = client_for(owner).post(
        areas(producer),
        {"kind": "raw_material", "name": "Sai", "geometry": bowtie()},
        format="json",
    )
    body = assert_invalid(response, "geometry")
    assert "Self-intersection" in body["message"]
    assert body["extra"]["reason"].startswith("Self-intersection")
    assert not producer.areas.exists()


@pytest.mark.parametrize(
    "change, key",
    [
        ({"geometry": {"type": "Point", "coordinates": [106.4, 10.2]}}, "geometry"),
        ({"geometry": {"type": "Polygon", "coordinates": [[[106.4, 10.2]]]}}, "geometry"),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [500, 0], [500, 500], [0, 0]]],
                }
            },
            "geometry",
        ),
        ({"kind": "orchard"}, "kind"),
        ({"name": ""}, "name"),
        ({"area_ha": 5}, "area_ha"),
    ],
)
def test_area_bad_input(client_for, owner, producer, change, key):
    body = {"kind": "raw_material", "name": "Vùng", "geometry": square_geojson(), **change}
    assert_invalid(client_for(owner).post(areas(producer), body, format="json"), key)


def test_area_wrong_role_is_403(client_for, council_member, producer):
    body = {"kind": "raw_material", "name": "Vùng", "geometry": square_geojson()}
    assert client_for(council_member).post(areas(producer), body, format="json").status_code == 403


@pytest.mark.parametrize("who", ["stranger", "other_commune_officer"])
def test_area_out_of_scope_is_404(client_for, producer, request, who):
    client = client_for(request.getfixturevalue(who))
    body = {"kind": "raw_material", "name": "Vùng", "geometry": square_geojson()}
    assert client.post(areas(producer), body, format="json").status_code == 404
    assert client.get(areas(producer)).status_code == 404


def test_area_anonymous(client_for, producer):
    assert client_for().get(areas(producer)).status_code in (401, 403)
    body = {"kind": "raw_material", "name": "Vùng", "geometry": square_geojson()}
    assert client_for().post(areas(producer), body, format="json").status_code in (401, 403)


@pytest.mark.parametrize("who", ["owner", "council_member", "commune_officer"])
def test_area_list(client_for, producer, request, who, django_assert_max_num_queries):
    for _ in range(5):
        ProductionAreaFactory(producer=producer)
    client = client_for(request.getfixturevalue(who))
    with django_assert_max_num_queries(4):
        response = client.get(areas(producer))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    row = body["results"][0]
    assert row["geometry"]["type"] == "MultiPolygon"
    assert row["area_ha"] == pytest.approx(4, rel=0.01)  # 200 m × 200 m


def test_area_list_bad_page(client_for, owner, producer):
    response = client_for(owner).get(areas(producer), {"page": "abc"})
    # Not a number: 400 naming the parameter (apps.core.api.pagination); a page past the end is
    # still DRF's 404.
    assert response.status_code == 400 and response.json()["extra"]["key"] == "page"
    assert client_for(owner).get(areas(producer), {"page": "99"}).status_code == 404


def test_schema_documents_the_endpoints(client_for):
    response = client_for().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import yaml

    paths = (
        response.json()
        if response["Content-Type"].endswith("json")
        else yaml.safe_load(response.content)
    )["paths"]
    for path in (
        "/api/v1/producers/",
        "/api/v1/producers/{producer_id}/",
        "/api/v1/producers/{producer_id}/areas/",
    ):
        assert path in paths
