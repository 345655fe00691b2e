"""Lots and events made through the real services (tests/traceability/helpers.py), people in and
out of scope."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.choices import Role
from apps.products.models import Product
from apps.products.services import product_create
from apps.traceability import services
from tests.clients import api_client_for
from tests.factories.producers import ProducerFactory

from .helpers import BA_TRI, SECRET_PHONE, SECRET_REPRESENTATIVE, gtin_for, record


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.OCOP_PUBLIC_PRODUCT_URL = "https://ocop.example.test/p/{code}"


@pytest.fixture
def people(make_user, unit):
    an_hoi, phu_khuong = unit("28777"), unit("28756")
    vinh_long, hanoi = unit("86", "province"), unit("01", "province")
    owner = make_user(Role.PRODUCER, [an_hoi], username="owner")
    stranger = make_user(Role.PRODUCER, [an_hoi], username="stranger")
    ProducerFactory(users=[stranger], name="Cơ sở khác")
    return {
        "owner": owner,
        "stranger": stranger,
        "commune": make_user(Role.COMMUNE_OFFICER, [an_hoi], username="commune"),
        "other_commune": make_user(Role.COMMUNE_OFFICER, [phu_khuong], username="other_commune"),
        "province": make_user(Role.PROVINCE_OFFICER, [vinh_long], username="province"),
        "other_province": make_user(Role.PROVINCE_OFFICER, [hanoi], username="hanoi"),
        "ministry": make_user(Role.MINISTRY_OFFICER, [], username="ministry"),
    }


@pytest.fixture
def producer(people):
    return ProducerFactory(
        users=[people["owner"]],
        name="HTX Dừa Xanh Truy Xuất",
        phone=SECRET_PHONE,
        representative_name=SECRET_REPRESENTATIVE,
        address="Ấp 1, Phường An Hội, Tỉnh Vĩnh Long",
    )


@pytest.fixture
def product(producer, people):
    return product_create(
        actor=people["owner"],
        producer=producer,
        name="Kẹo dừa truy xuất",
        classification_code="I.3.c",
    )


@pytest.fixture
def gtin_product(product):
    Product.objects.filter(pk=product.pk).update(gtin=gtin_for("893123456789"))
    product.refresh_from_db()
    return product


@pytest.fixture
def lot(product, people):
    today = timezone.localdate()
    return services.lot_create(
        actor=people["owner"],
        product_id=product.pk,
        lot_number="L2026-01",
        production_date=today - timedelta(days=10),
        expiry_date=today + timedelta(days=300),
    )


@pytest.fixture
def chain(lot, people):
    """A full chain: harvest → processing → packing → shipping → receiving."""
    owner = people["owner"]
    record(
        lot,
        owner,
        "harvesting",
        9,
        quantity=Decimal("1200"),
        unit="KGM",
        party_gln=gtin_for("893123400001")[1:],
    )
    record(
        lot, owner, "processing", 8, quantity=Decimal("400"), unit="KGM", disposition="in_progress"
    )
    record(lot, owner, "packing", 7, quantity=Decimal("2000"), unit="H87")
    record(
        lot,
        owner,
        "shipping",
        6,
        source_party_name="HTX Dừa Xanh Truy Xuất",
        destination_party_name="Cửa hàng Ba Tri",
        disposition="in_transit",
    )
    record(
        lot,
        owner,
        "receiving",
        5,
        where=BA_TRI,
        party_name="Cửa hàng Ba Tri",
        source_party_name="HTX Dừa Xanh Truy Xuất",
        destination_party_name="Cửa hàng Ba Tri",
    )
    return lot


@pytest.fixture
def client_for():
    return api_client_for
