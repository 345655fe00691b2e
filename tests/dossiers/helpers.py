"""Dossier test data and builders, shared by the dossier, evaluation, certificate and dashboard
tests: the forms a producer files, the best self-assessment, the dossier tests' people and
product (the `people` and `product` fixtures of tests/dossiers and tests/evaluation), and a
dossier taken to "accepted" through the API."""

from datetime import date

from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.accounts.choices import Role
from apps.criteria.models import Sheet
from apps.producers.services import producer_create
from apps.products.services import product_create

API = "/api/v1/dossiers/"
BEN_TRE_CITY = Point(106.3756, 10.2415, srid=4326)  # Phường An Hội (28777)

FORM01 = {
    "unit_name": "DEMO HTX Dừa Xanh",
    "representative": "Nguyễn Thị Demo",
    "position": "Giám đốc",
    "address": "Phường An Hội, tỉnh Vĩnh Long",
    "phone": "0275 000 000",
    "product_name": "Kẹo dừa DEMO",
}
FORM02 = {
    "history": "Thành lập năm 2015.",
    "organisation": "Ban giám đốc, 3 tổ sản xuất.",
    "product_description": "Kẹo dừa truyền thống, hộp 400 g.",
    "raw_materials": "Dừa tươi trong tỉnh.",
    "markets": "Trong tỉnh và TP. Hồ Chí Minh.",
    "revenue_profit": "Doanh thu 2 tỷ đồng.",
    "plan": "Mở rộng xuất khẩu.",
}


def full_choices(sheet_number: int = 7) -> dict[str, int]:
    """The best option of every criterion of the sheet (5.1's best option makes 5.2 apply)."""
    sheet = Sheet.objects.get(criteria_set__slug="QD26-2026", number=sheet_number)
    return {c.code: c.options.count() for c in sheet.criteria.all()}


def dossier_people(make_user, unit) -> dict:
    """The dossier tests' people, by role (the `people` fixture of tests/dossiers and
    tests/evaluation; the recognition chain has its own, tests/certificates/helpers.py)."""
    an_hoi, phu_khuong = unit("28777"), unit("28756")
    vinh_long = unit("86", "province")
    return {
        "producer": make_user(Role.PRODUCER, [an_hoi], username="producer"),
        "other_producer": make_user(Role.PRODUCER, [an_hoi], username="other_producer"),
        "commune": make_user(
            Role.COMMUNE_OFFICER, [an_hoi], username="commune", email="xa@example.test"
        ),
        "other_commune": make_user(Role.COMMUNE_OFFICER, [phu_khuong], username="other_commune"),
        "province": make_user(
            Role.PROVINCE_OFFICER, [vinh_long], username="province", email="tinh@example.test"
        ),
        "other_province": make_user(
            Role.PROVINCE_OFFICER, [unit("01", "province")], username="hanoi"
        ),
        "council": make_user(Role.COUNCIL_MEMBER, [vinh_long], username="council"),
    }


def dossier_product(people):
    """The product "Kẹo dừa DEMO" of the producer of `dossier_people` (the `product` fixture)."""
    producer = producer_create(
        actor=people["producer"],
        name="DEMO HTX Dừa Xanh",
        legal_type="cooperative",
        registration_number="DEMO-001",
        registration_date=date(2015, 3, 1),
        address="An Hội",
        location=BEN_TRE_CITY,
        representative_name="Nguyễn Thị Demo",
        email="htx@example.test",
    )
    return product_create(
        actor=people["producer"],
        producer=producer,
        name="Kẹo dừa DEMO",
        classification_code="I.3.c",
    )


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def accepted_dossier(people, product, client_for) -> int:
    """A first dossier of `product` taken to "accepted" through the API by the producer, the
    commune and the province of `people`; its id."""
    producer, commune, province = (
        client_for(people[k]) for k in ("producer", "commune", "province")
    )
    did = _ok(producer.post(API, {"product": product.pk}), 201)["id"]
    _ok(producer.patch(f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"))
    _ok(producer.put(f"{API}{did}/self-assessment/", {"choices": full_choices()}, format="json"))
    _ok(producer.post(f"{API}{did}/submit/"))
    _ok(commune.post(f"{API}{did}/commune-start-review/"))
    _ok(
        commune.put(
            f"{API}{did}/commune-assessment/",
            {
                k: "Đạt"
                for k in (
                    "raw_material",
                    "local_labour",
                    "product_idea",
                    "local_identity",
                    "proposal",
                )
            },
            format="json",
        )
    )
    _ok(commune.post(f"{API}{did}/commune-assess/"))
    _ok(commune.post(f"{API}{did}/samples/", {"received": 5, "on": str(timezone.localdate())}))
    _ok(commune.post(f"{API}{did}/commune-forward/"))
    _ok(province.post(f"{API}{did}/province-start-check/"))
    _ok(province.post(f"{API}{did}/province-accept/"))
    return did
