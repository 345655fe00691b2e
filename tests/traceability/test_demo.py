"""seed_traceability(): a DEMO lot with a full chain for the demo's recognised product."""

from datetime import date

import pytest
from django.contrib.gis.geos import Point

from apps.accounts.choices import Role
from apps.traceability.demo import DEMO_LOT, DEMO_PRODUCT, seed_traceability
from apps.traceability.models import Lot
from apps.traceability.selectors import lot_missing_items

pytestmark = pytest.mark.django_db


def test_seed_makes_a_complete_demo_lot_once(make_user, unit):
    from apps.producers.services import producer_create
    from apps.products.services import product_create

    owner = make_user(Role.PRODUCER, [unit("28777")], username="demo_chuthe")
    spot = unit("28777").geom.point_on_surface
    producer = producer_create(
        actor=owner,
        name="DEMO HTX Dừa Xanh An Hội",
        legal_type="cooperative",
        registration_number="DEMO-001",
        registration_date=date(2018, 1, 1),
        address="DEMO An Hội",
        location=Point(spot.x, spot.y, srid=4326),
        representative_name="DEMO Người đại diện",
        is_demo=True,
    )
    product_create(actor=owner, producer=producer, name=DEMO_PRODUCT, classification_code="I.3.c")

    made = seed_traceability()
    assert made == {"lots": 1, "events": 5, "created": 1}
    lot = Lot.objects.get(lot_number=DEMO_LOT)
    assert lot.is_demo and all(e.is_demo for e in lot.events.all())
    assert lot.published  # the README's /01/…/10/DEMO-2026-001 resolves
    assert lot_missing_items(lot) == []
    assert seed_traceability() == {"lots": 1, "events": 5, "created": 0}


def test_seed_without_demo_dataset_says_so():
    with pytest.raises(RuntimeError):
        seed_traceability()
