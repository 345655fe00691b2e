"""Services: who may write, validation at the boundary, warnings, audit trail, missing items."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ErrorCode
from apps.traceability import selectors, services
from apps.traceability.models import Lot, TraceChange, TraceEvent
from tests.factories.places import AT_SEA, HA_NOI

from .helpers import BA_TRI, at, record

pytestmark = pytest.mark.django_db


def _code(excinfo) -> str:
    return excinfo.value.code


# --- permissions -----------------------------------------------------------------------------
def test_owner_creates_lot_and_event_with_commune_from_point(lot, people):
    event, warnings = record(lot, people["owner"], "harvesting", 2)
    assert event.commune.code == "28777" and event.province.code == "86"
    assert event.time_zone_offset == "+07:00"
    assert warnings == []


@pytest.mark.parametrize("who", ["stranger", "other_commune", "other_province"])
def test_out_of_scope_write_is_404(lot, people, who):
    with pytest.raises(ApplicationError) as exc:
        record(lot, people[who], "harvesting", 2)
    assert _code(exc) == ErrorCode.NOT_FOUND
    with pytest.raises(ApplicationError) as exc:
        services.lot_update(actor=people[who], lot_id=lot.pk, brand="X")
    assert _code(exc) == ErrorCode.NOT_FOUND
    with pytest.raises(ApplicationError) as exc:
        services.lot_create(actor=people[who], product_id=lot.product_id, lot_number="X1")
    assert _code(exc) == ErrorCode.NOT_FOUND
    assert not TraceEvent.objects.exists()


@pytest.mark.parametrize("who", ["commune", "province", "ministry"])
def test_officers_in_scope_read_but_do_not_write(lot, people, who):
    assert selectors.lot_get(user=people[who], lot_id=lot.pk) == lot
    with pytest.raises(ApplicationError) as exc:
        record(lot, people[who], "harvesting", 2)
    assert _code(exc) == ErrorCode.PERMISSION_DENIED
    with pytest.raises(ApplicationError) as exc:
        services.lot_delete(actor=people[who], lot_id=lot.pk)
    assert _code(exc) == ErrorCode.PERMISSION_DENIED


@pytest.mark.parametrize("who", ["stranger", "other_commune", "other_province"])
def test_out_of_scope_read_is_404(lot, people, who):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.lot_get(user=people[who], lot_id=lot.pk)
    assert not selectors.lot_list(user=people[who]).filter(pk=lot.pk).exists()


def test_event_of_another_producers_lot_cannot_be_changed_or_deleted(chain, people):
    event = chain.events.first()
    for call in (
        lambda: services.trace_event_update(
            actor=people["stranger"], event_id=event.pk, party_name="X"
        ),
        lambda: services.trace_event_delete(actor=people["stranger"], event_id=event.pk),
    ):
        with pytest.raises(ApplicationError) as exc:
            call()
        assert _code(exc) == ErrorCode.NOT_FOUND
    assert TraceEvent.objects.filter(pk=event.pk, party_name="HTX Dừa Xanh Truy Xuất").exists()


# --- validation ----------------------------------------------------------------------------------
def test_lot_dates_must_be_ordered_and_not_future(product, people):
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as exc:
        services.lot_create(
            actor=people["owner"],
            product_id=product.pk,
            lot_number="A1",
            production_date=today,
            expiry_date=today - timedelta(days=1),
        )
    assert exc.value.extra["key"] == "expiry_date"
    assert (
        "trước ngày sản xuất" in exc.value.message
        or "before the production date" in exc.value.message
    )
    with pytest.raises(ApplicationError) as exc:
        services.lot_create(
            actor=people["owner"],
            product_id=product.pk,
            lot_number="A1",
            production_date=today + timedelta(days=2),
        )
    assert exc.value.extra["key"] == "production_date"
    assert not Lot.objects.exists()


def test_lot_number_is_unique_per_product_and_gs1_shaped(lot, people):
    with pytest.raises(ApplicationError) as exc:
        services.lot_create(
            actor=people["owner"], product_id=lot.product_id, lot_number=lot.lot_number
        )
    assert exc.value.extra["key"] == "lot_number"
    with pytest.raises(ApplicationError) as exc:
        services.lot_create(
            actor=people["owner"], product_id=lot.product_id, lot_number="lô có dấu cách"
        )
    assert exc.value.extra["key"] == "lot_number"


def test_event_time_must_carry_offset_and_not_be_future(lot, people):
    naive = timezone.now().replace(tzinfo=None) - timedelta(days=1)
    with pytest.raises(ApplicationError) as exc:
        record(lot, people["owner"], "harvesting", 0, event_time=naive)
    assert exc.value.extra["key"] == "event_time"
    with pytest.raises(ApplicationError) as exc:
        record(lot, people["owner"], "harvesting", 0, event_time=at(-1))
    assert exc.value.extra["key"] == "event_time"


@pytest.mark.parametrize("where", [AT_SEA, (100.5, 13.75)])  # South China Sea, Bangkok
def test_point_outside_viet_nam_is_refused(lot, people, where):
    with pytest.raises(ApplicationError) as exc:
        record(lot, people["owner"], "harvesting", 1, where=where)
    assert exc.value.extra["key"] == "location"


def test_point_elsewhere_in_viet_nam_gets_its_province(lot, people):
    event, _ = record(
        lot, people["owner"], "receiving", 1, where=HA_NOI, party_name="Đại lý Hà Nội"
    )
    assert event.province.code == "01"


def test_offset_is_kept_as_recorded(lot, people):
    event, _ = record(lot, people["owner"], "harvesting", 1, event_time=at(1, offset_hours=9))
    assert event.time_zone_offset == "+09:00"


def test_bad_gln_quantity_and_parties(lot, people):
    cases = [
        ({"party_gln": "8931234000012"}, "party_gln"),  # wrong check digit
        ({"quantity": Decimal("0"), "unit": "KGM"}, "quantity"),
        ({"quantity": Decimal("5")}, "unit"),
    ]
    for fields, key in cases:
        with pytest.raises(ApplicationError) as exc:
            record(lot, people["owner"], "harvesting", 1, **fields)
        assert exc.value.extra["key"] == key, fields
    with pytest.raises(ApplicationError) as exc:
        record(lot, people["owner"], "packing", 1, destination_party_name="Ai đó")
    assert exc.value.extra["key"] == "destination_party_name"


def test_step_order_oddities_warn_but_do_not_block(lot, people):
    _, warnings = record(lot, people["owner"], "receiving", 3, party_name="Cửa hàng")
    assert any(
        "shipping" in w.lower() or "vận chuyển" in w.lower() or "xuất" in w.lower()
        for w in warnings
    )
    _, warnings = record(lot, people["owner"], "harvesting", 1)
    assert warnings  # harvesting recorded after receiving: out of the usual order
    assert lot.events.count() == 2


# --- audit trail ---------------------------------------------------------------------------------
def test_every_change_is_audited(lot, people):
    owner = people["owner"]
    event, _ = record(lot, owner, "harvesting", 2)
    services.trace_event_update(
        actor=owner,
        event_id=event.pk,
        party_name="Tổ hợp tác Cồn Phụng",
        location=Point(*BA_TRI, srid=4326),
    )
    event.refresh_from_db()
    assert event.commune.code != "28777"  # re-derived from the new point
    services.lot_update(actor=owner, lot_id=lot.pk, applied_standards="TCVN 12850:2019")
    services.trace_event_delete(actor=owner, event_id=event.pk)
    services.lot_delete(actor=owner, lot_id=lot.pk)

    actions = list(TraceChange.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        "lot_created",
        "event_created",
        "event_updated",
        "lot_updated",
        "event_deleted",
        "lot_deleted",
    ]
    updated = TraceChange.objects.get(action="event_updated")
    assert updated.actor == owner and updated.event_id == event.pk
    assert updated.changes["party_name"] == ["HTX Dừa Xanh Truy Xuất", "Tổ hợp tác Cồn Phụng"]
    assert "location" in updated.changes
    assert TraceChange.objects.get(action="lot_updated").changes == {
        "applied_standards": ["", "TCVN 12850:2019"]
    }
    deleted = TraceChange.objects.get(action="event_deleted")
    assert deleted.changes["biz_step"] == ["harvesting", None]
    # The trail outlives the lot.
    assert TraceChange.objects.filter(lot__isnull=True).count() == 6


def test_no_change_writes_no_audit_row(lot, people):
    services.lot_update(actor=people["owner"], lot_id=lot.pk, lot_number=lot.lot_number)
    assert TraceChange.objects.filter(action="lot_updated").count() == 0


def test_lot_with_events_is_not_deleted(chain, people):
    with pytest.raises(ApplicationError) as exc:
        services.lot_delete(actor=people["owner"], lot_id=chain.pk)
    assert _code(exc) == ErrorCode.BAD_TRANSITION
    assert Lot.objects.filter(pk=chain.pk).exists()


def test_audit_trail_is_scoped(chain, people):
    assert selectors.lot_changes(user=people["commune"], lot_id=chain.pk).count() == 6
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.lot_changes(user=people["other_commune"], lot_id=chain.pk)


# --- Circular 02/2024 minimum items ---------------------------------------------------------
def test_missing_items_named_then_complete(product, people):
    lot = services.lot_create(actor=people["owner"], product_id=product.pk, lot_number="M1")
    missing = {i["code"] for i in selectors.lot_missing_items(lot)}
    assert missing == {
        "product_image",
        "production_date",
        "production_stages",
        "stage_places",
        "expiry_date",
        "applied_standards",
    }
    services.lot_update(
        actor=people["owner"],
        lot_id=lot.pk,
        production_date=timezone.localdate(),
        expiry_not_applicable=True,
        applied_standards="TCCS 01:2026",
    )
    record(lot, people["owner"], "packing", 0.5)
    lot.refresh_from_db()
    missing = {i["code"] for i in selectors.lot_missing_items(lot)}
    assert missing == {"product_image", "production_stages"}
    record(lot, people["owner"], "processing", 1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.traceability.demo import _demo_png

    services.lot_image_set(
        actor=people["owner"],
        lot_id=lot.pk,
        file=SimpleUploadedFile("anh.png", _demo_png(), "image/png"),
    )
    lot.refresh_from_db()
    assert selectors.lot_missing_items(lot) == []


def test_image_must_be_a_picture(lot, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile(
        "anh.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    with pytest.raises(ApplicationError) as exc:
        services.lot_image_set(actor=people["owner"], lot_id=lot.pk, file=pdf)
    assert _code(exc) == ErrorCode.INVALID_FILE


# --- the public chain ---------------------------------------------------------------------------
def test_public_chain_is_plain_time_ordered_and_personal_data_free(chain, producer):
    rows = selectors.lot_public_chain(chain)
    assert [r["biz_step"] for r in rows] == [
        "harvesting",
        "processing",
        "packing",
        "shipping",
        "receiving",
    ]
    assert rows[0]["event_time"].endswith("+07:00") and rows[0]["commune_code"] == "28777"
    assert rows[0]["quantity"] == "1200" and rows[0]["unit"] == "KGM"
    import json

    text = json.dumps(rows, ensure_ascii=False)
    assert producer.phone not in text and producer.representative_name not in text
    assert "owner" not in text  # no user names
