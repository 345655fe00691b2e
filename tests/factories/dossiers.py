"""Dossiers, through the dossier API as the people would file and review them: the forms a
producer fills, the dossier tests' product (their `product` fixture), a dossier filed and
submitted to the commune, and one taken on to "accepted" by the province (which the council,
certificate and dashboard tests start from)."""

from datetime import date

from django.utils import timezone

from apps.producers.services import producer_create
from apps.products.services import product_create
from tests.factories.criteria import best_choices
from tests.factories.places import BEN_TRE_CITY

API = "/api/v1/dossiers/"

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
# The commune's assessment: every point met.
COMMUNE_ASSESSMENT = dict.fromkeys(
    ("raw_material", "local_labour", "product_idea", "local_identity", "proposal"), "Đạt"
)


def dossier_product(people):
    """The product "Kẹo dừa DEMO" of the producer of `dossier_people` (the `product` fixture),
    registered through the producer and product services."""
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


def _ok(response, code: int = 200) -> dict:
    assert response.status_code == code, (response.status_code, response.content[:600])
    return response.json() if response.content else {}


def submitted_dossier(
    people, product, client_for, *, by: str = "producer", kind: str = "first"
) -> int:
    """A dossier of `product` filed by `people[by]` (both forms, the best self-assessment) and
    submitted to the commune, whose clock now runs: its id."""
    producer = client_for(people[by])
    did = _ok(producer.post(API, {"product": product.pk, "kind": kind}), 201)["id"]
    _ok(producer.patch(f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"))
    _ok(producer.put(f"{API}{did}/self-assessment/", {"choices": best_choices()}, format="json"))
    _ok(producer.post(f"{API}{did}/submit/"))
    return did


def accepted_dossier(
    people,
    product,
    client_for,
    *,
    by: tuple[str, str, str] = ("producer", "commune", "province"),
    kind: str = "first",
) -> int:
    """A dossier of `product` submitted (`submitted_dossier`), reviewed, assessed, sampled and
    forwarded by the commune, and accepted by the province: its id. `by` names the keys of
    `people` who file, review and accept it."""
    producer, officer, province = by
    did = submitted_dossier(people, product, client_for, by=producer, kind=kind)
    commune, province = client_for(people[officer]), client_for(people[province])
    _ok(commune.post(f"{API}{did}/commune-start-review/"))
    _ok(commune.put(f"{API}{did}/commune-assessment/", COMMUNE_ASSESSMENT, format="json"))
    _ok(commune.post(f"{API}{did}/commune-assess/"))
    _ok(commune.post(f"{API}{did}/samples/", {"received": 5, "on": str(timezone.localdate())}))
    _ok(commune.post(f"{API}{did}/commune-forward/"))
    _ok(province.post(f"{API}{did}/province-start-check/"))
    _ok(province.post(f"{API}{did}/province-accept/"))
    return did
