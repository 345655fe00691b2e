import pytest
from django.contrib.gis.geos import Point

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError
from apps.producers.choices import LegalType
from apps.products.choices import CLASSIFICATION_SHEETS, ProductStatus
from apps.products.models import Product
from apps.products.services import product_create
from tests.factories.places import PHUOC_HAU
from tests.factories.producers import ProducerFactory, ProductionAreaFactory
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/products/"


@pytest.fixture
def product(producer, owner):
    return product_create(
        actor=owner, producer=producer, name="Kẹo dừa sáp", classification_code="I.3.c"
    )


def new_product(owner_producer, **overrides) -> dict:
    return {
        "producer": owner_producer.pk,
        "name": "Thạch dừa",
        "description": "Thạch dừa tươi",
        "classification_code": "I.3.c",
        "criteria_sheet": 7,
        **overrides,
    }


def assert_invalid(response, key):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["extra"]["key"] == key and body["message"]
    return body


# --- services -------------------------------------------------------------------------------
def test_create_defaults_sheet_and_draft_status(product):
    assert product.criteria_sheet == 7
    assert product.status == ProductStatus.DRAFT


def test_classification_table_covers_the_26_sheets():
    assert sorted(CLASSIFICATION_SHEETS.values()) == list(range(1, 27))


def test_tourism_only_producer_registers_only_tourism(make_user):
    user = make_user(Role.PRODUCER)
    society = ProducerFactory(users=[user], legal_type=LegalType.SOCIETY)
    with pytest.raises(ApplicationError) as caught:
        product_create(actor=user, producer=society, name="Kẹo", classification_code="I.3.c")
    assert caught.value.extra["key"] == "classification_code"
    tour = product_create(
        actor=user, producer=society, name="Du lịch vườn", classification_code="VI"
    )
    assert tour.criteria_sheet == 26


# --- GET /products/ -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who", ["owner", "commune_officer", "province_officer", "council_member", "national"]
)
def test_list_in_scope(client_for, product, request, who):
    response = client_for(request.getfixturevalue(who)).get(LIST)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["name"] == "Kẹo dừa sáp" and row["classification_code"] == "I.3.c"
    assert row["producer"] == {"id": product.producer_id, "name": "HTX Dừa Xanh An Hội"}


@pytest.mark.parametrize("who", ["stranger", "other_commune_officer", "other_province_officer"])
def test_list_out_of_scope_is_empty(client_for, product, request, who):
    assert client_for(request.getfixturevalue(who)).get(LIST).json()["results"] == []


def test_list_anonymous(client_for, product):
    assert client_for().get(LIST).status_code in (401, 403)


@pytest.mark.parametrize(
    "params, key", [({"status": "sold"}, "status"), ({"producer": "x"}, "producer")]
)
def test_list_bad_filters(client_for, owner, params, key):
    assert_invalid(client_for(owner).get(LIST, params), key)


def test_list_filters(client_for, province_officer, product):
    other = ProducerFactory(location=Point(*PHUOC_HAU, srid=4326))
    ProductFactory(producer=other, name="Bưởi", classification_code="I.1.a")
    client = client_for(province_officer)
    rows = client.get(LIST, {"producer": other.pk}).json()["results"]
    assert [r["name"] for r in rows] == ["Bưởi"]
    assert client.get(LIST, {"status": "active"}).json()["count"] == 0


def test_list_query_count_is_constant(client_for, owner, producer, django_assert_max_num_queries):
    area = ProductionAreaFactory(producer=producer)
    for i in range(10):
        ProductFactory(producer=producer, name=f"SP {i}", production_area=area if i % 2 else None)
    with django_assert_max_num_queries(2):
        response = client_for(owner).get(LIST)
    assert response.json()["count"] == 10


# --- POST /products/ ------------------------------------------------------------------------
def test_owner_registers_a_product(client_for, owner, producer):
    area = ProductionAreaFactory(producer=producer, name="Vườn dừa Bích")
    response = client_for(owner).post(
        LIST, new_product(producer, production_area=area.pk), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["criteria_sheet"] == 7
    assert body["production_area"] == {
        "id": area.pk,
        "name": "Vườn dừa Bích",
        "kind": "raw_material",
    }
    assert Product.objects.get(pk=body["id"]).created_by == owner


def test_commune_officer_registers_on_behalf(client_for, commune_officer, producer):
    response = client_for(commune_officer).post(LIST, new_product(producer), format="json")
    assert response.status_code == 201


def test_wrong_role_is_403(client_for, council_member, producer):
    response = client_for(council_member).post(LIST, new_product(producer), format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["stranger", "other_commune_officer", "other_province_officer"])
def test_create_for_an_out_of_scope_producer_is_404(client_for, producer, request, who):
    response = client_for(request.getfixturevalue(who)).post(
        LIST, new_product(producer), format="json"
    )
    assert response.status_code == 404
    assert not Product.objects.exists()


def test_create_for_a_missing_producer_is_404(client_for, owner, producer):
    body = new_product(producer, producer=999999)
    assert client_for(owner).post(LIST, body, format="json").status_code == 404


def test_create_anonymous(client_for, producer):
    assert client_for().post(LIST, new_product(producer), format="json").status_code in (401, 403)


@pytest.mark.parametrize(
    "change, key",
    [
        ({"classification_code": "I.3.z"}, "classification_code"),
        ({"classification_code": "VII"}, "classification_code"),
        ({"classification_code": "I.3"}, "classification_code"),  # a group, not a leaf
        ({"criteria_sheet": 8}, "criteria_sheet"),  # disagrees with I.3.c
        ({"criteria_sheet": 27}, "criteria_sheet"),
        ({"name": ""}, "name"),
        ({"producer": "abc"}, "producer"),
        ({"status": "active"}, "status"),
    ],
)
def test_create_bad_input(client_for, owner, producer, change, key):
    assert_invalid(
        client_for(owner).post(LIST, new_product(producer, **change), format="json"), key
    )
    assert not Product.objects.exists()


def test_create_with_an_area_of_another_producer(client_for, owner, producer):
    foreign_area = ProductionAreaFactory()
    response = client_for(owner).post(
        LIST, new_product(producer, production_area=foreign_area.pk), format="json"
    )
    assert_invalid(response, "production_area")


# --- GET /products/{id}/ --------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "commune_officer", "province_officer", "council_member"])
def test_retrieve_in_scope(client_for, product, request, who):
    response = client_for(request.getfixturevalue(who)).get(f"{LIST}{product.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == product.pk


@pytest.mark.parametrize("who", ["stranger", "other_commune_officer", "other_province_officer"])
def test_retrieve_out_of_scope_is_404(client_for, product, request, who):
    response = client_for(request.getfixturevalue(who)).get(f"{LIST}{product.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_retrieve_anonymous(client_for, product):
    assert client_for().get(f"{LIST}{product.pk}/").status_code in (401, 403)


def test_retrieve_missing(client_for, national):
    assert client_for(national).get(f"{LIST}999999/").status_code == 404
