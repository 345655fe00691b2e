import pytest

from apps.accounts.choices import Role
from apps.producers.models import Producer, ProductionArea
from tests.factories.places import AN_HOI, AT_SEA
from tests.factories.producers import ProducerFactory, ProductionAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, make_user):
    user = make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _form(**overrides):
    data = {
        "name": "HTX Quản Trị",
        "legal_type": "cooperative",
        "registration_number": "1300999999",
        "registration_date": "2020-01-01",
        "address": "Phường An Hội",
        "representative_name": "Phạm Văn Tư",
        "location": f"SRID=4326;POINT({AN_HOI[0]} {AN_HOI[1]})",
    }
    return {**data, **overrides}


def test_admin_pages_open(admin_client_):
    producer = ProducerFactory()
    area = ProductionAreaFactory(producer=producer)
    for url in (
        "/admin/producers/producer/",
        "/admin/producers/producer/add/",
        f"/admin/producers/producer/{producer.pk}/change/",
        "/admin/producers/productionarea/",
        f"/admin/producers/productionarea/{area.pk}/change/",
        "/admin/products/product/",
    ):
        assert admin_client_.get(url).status_code == 200, url


def test_admin_derives_the_units_and_refuses_the_sea(admin_client_):
    response = admin_client_.post("/admin/producers/producer/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    producer = Producer.objects.get()
    assert producer.commune.code == "28777" and producer.province.code == "86"

    sea = _form(location=f"SRID=4326;POINT({AT_SEA[0]} {AT_SEA[1]})", name="Trên biển")
    response = admin_client_.post("/admin/producers/producer/add/", sea)
    assert response.status_code == 200  # the form again, with the error
    assert Producer.objects.count() == 1


def test_admin_refuses_invalid_area(admin_client_):
    producer = ProducerFactory()
    bowtie = (
        "SRID=4326;MULTIPOLYGON(((106.40 10.20,106.41 10.21,106.41 10.20,"
        "106.40 10.21,106.40 10.20)))"
    )
    data = {"producer": producer.pk, "kind": "raw_material", "name": "Sai", "geom": bowtie}
    response = admin_client_.post("/admin/producers/productionarea/add/", data)
    assert response.status_code == 200
    assert "Self-intersection" in response.content.decode()
    assert not ProductionArea.objects.exists()
