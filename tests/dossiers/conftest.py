from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.test import TestCase
from rest_framework.test import APIClient

from apps.accounts.choices import Role
from apps.criteria.models import Sheet
from apps.producers.services import producer_create
from apps.products.services import product_create

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


@pytest.fixture
def people(make_user, unit):
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


@pytest.fixture
def product(people):
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


def full_choices(sheet_number: int = 7) -> dict[str, int]:
    """The best option of every criterion of the sheet (5.1's best option makes 5.2 apply)."""
    sheet = Sheet.objects.get(criteria_set__slug="QD26-2026", number=sheet_number)
    return {c.code: c.options.count() for c in sheet.criteria.all()}


class CommittingAPIClient(APIClient):
    """Runs each request's on-commit callbacks (notifications), as a real request's commit would;
    the test's own transaction otherwise swallows them."""

    def generic(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().generic(*args, **kwargs)


@pytest.fixture
def client_for():
    def make(user):
        api = CommittingAPIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make
