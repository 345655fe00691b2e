"""API: every endpoint's permissions (404 out of scope, 403 read-only in scope, 401 anonymous)
and bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.traceability.models import Lot, TraceChange, TraceEvent
from tests.factories.places import AN_HOI, AT_SEA

from .helpers import at

pytestmark = pytest.mark.django_db
LOTS = "/api/v1/lots/"


def event_body(**overrides):
    body = {
        "biz_step": "harvesting",
        "event_time": at(2, offset_hours=7).isoformat(),
        "location": {"type": "Point", "coordinates": list(AN_HOI)},
        "party_name": "HTX Dừa Xanh Truy Xuất",
        "quantity": "1200",
        "unit": "KGM",
    }
    body.update(overrides)
    return body


def urls(lot, event=None):
    base = f"{LOTS}{lot.pk}/"
    out = {
        "detail": base,
        "events": f"{base}events/",
        "changes": f"{base}changes/",
        "epcis": f"{base}epcis",
    }
    if event is not None:
        out["event"] = f"{base}events/{event.pk}/"
    return out


# --- lots ----------------------------------------------------------------------------------
def test_owner_creates_reads_updates_and_deletes_a_lot(client_for, product, people):
    api = client_for(people["owner"])
    response = api.post(
        LOTS,
        {
            "product": product.pk,
            "lot_number": "API-1",
            "production_date": str(timezone.localdate()),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["lot_number"] == "API-1" and data["product"]["id"] == product.pk
    assert data["class_uri"] == f"https://ocop.example.test/trace/p/{product.pk}/10/API-1"
    assert {i["code"] for i in data["missing_items"]} >= {"expiry_date", "production_stages"}
    lot_url = f"{LOTS}{data['id']}/"
    assert api.get(LOTS).json()["count"] == 1
    response = api.patch(lot_url, {"expiry_not_applicable": True}, format="json")
    assert response.status_code == 200 and response.json()["expiry_not_applicable"] is True
    assert "expiry_date" not in {i["code"] for i in response.json()["missing_items"]}
    assert api.delete(lot_url).status_code == 204
    assert not Lot.objects.exists()


@pytest.mark.parametrize(
    "body, key",
    [
        ({"lot_number": "X1"}, "product"),
        ({"product": 0, "lot_number": "X1"}, "product"),
        ({"lot_number": "có dấu cách"}, "lot_number"),
        ({"lot_number": "X1", "production_date": "hôm qua"}, "production_date"),
        ({"lot_number": "X1", "created_by": 1}, "created_by"),
    ],
)
def test_lot_bad_input(client_for, product, people, body, key):
    body = {"product": product.pk, **body} if "product" not in body and key != "product" else body
    response = client_for(people["owner"]).post(LOTS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["extra"]["key"] == key


def test_lot_dates_out_of_order_is_400(client_for, product, people):
    today = timezone.localdate()
    response = client_for(people["owner"]).post(
        LOTS,
        {
            "product": product.pk,
            "lot_number": "X2",
            "production_date": str(today),
            "expiry_date": str(today - timedelta(days=3)),
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["extra"]["key"] == "expiry_date"


def test_lot_of_someone_elses_product_is_404(client_for, product, people):
    response = client_for(people["stranger"]).post(
        LOTS, {"product": product.pk, "lot_number": "X3"}, format="json"
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_officer_cannot_create_a_lot(client_for, product, people):
    response = client_for(people["province"]).post(
        LOTS, {"product": product.pk, "lot_number": "X4"}, format="json"
    )
    assert response.status_code == 403


def test_anonymous_is_401(client_for, chain):
    api = client_for(None)
    for url in urls(chain).values():
        assert api.get(url).status_code in (401, 403)
    assert api.post(LOTS, {}, format="json").status_code in (401, 403)


@pytest.mark.parametrize("who", ["stranger", "other_commune", "other_province"])
def test_every_lot_endpoint_is_404_out_of_scope(client_for, chain, people, who):
    api = client_for(people[who])
    event = chain.events.first()
    u = urls(chain, event)
    for url in u.values():
        assert api.get(url).status_code == 404, url
    assert api.patch(u["detail"], {"brand": "X"}, format="json").status_code == 404
    assert api.delete(u["detail"]).status_code == 404
    assert api.post(u["events"], event_body(), format="json").status_code == 404
    assert api.patch(u["event"], {"party_name": "X"}, format="json").status_code == 404
    assert api.delete(u["event"]).status_code == 404
    assert api.get(LOTS).json()["count"] == 0
    assert chain.events.count() == 5


@pytest.mark.parametrize("who", ["commune", "province", "ministry"])
def test_officers_read_in_scope_but_cannot_write(client_for, chain, people, who):
    api = client_for(people[who])
    event = chain.events.first()
    u = urls(chain, event)
    for url in u.values():
        assert api.get(url).status_code == 200, url
    assert api.get(LOTS).json()["count"] == 1
    assert api.patch(u["detail"], {"brand": "X"}, format="json").status_code == 403
    assert api.delete(u["detail"]).status_code == 403
    assert api.post(u["events"], event_body(), format="json").status_code == 403
    assert api.patch(u["event"], {"party_name": "X"}, format="json").status_code == 403
    assert api.delete(u["event"]).status_code == 403


def test_a_lot_id_beyond_bigint_is_404(client_for, chain, people):
    """Found by schemathesis: the event lookup by `lot_id=` overflowed SQLite's INTEGER (500)."""
    api = client_for(people["owner"])
    url = f"{LOTS}{2**85}/events/{chain.events.first().pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"party_name": "X"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404


# --- events --------------------------------------------------------------------------------------
def test_owner_records_changes_and_deletes_an_event(client_for, lot, people):
    api = client_for(people["owner"])
    u = urls(lot)
    response = api.post(
        u["events"], event_body(event_time=at(2, offset_hours=9).isoformat()), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["commune"]["code"] == "28777" and data["province"]["code"] == "86"
    assert data["time_zone_offset"] == "+09:00" and data["event_time"].endswith("+09:00")
    assert data["cbv_biz_step"] == "commissioning" and data["warnings"] == []
    event_url = f"{u['events']}{data['id']}/"
    response = api.patch(event_url, {"biz_step": "receiving"}, format="json")
    assert response.status_code == 200 and response.json()["warnings"]  # receiving with no shipping
    assert api.get(u["events"]).json()["count"] == 1
    assert api.delete(event_url).status_code == 204
    assert [c["action"] for c in api.get(u["changes"]).json()["results"]] == [
        "lot_created",
        "event_created",
        "event_updated",
        "event_deleted",
    ]


@pytest.mark.parametrize(
    "override, key",
    [
        ({"biz_step": "dancing"}, "biz_step"),
        ({"event_time": "2026-03-01T08:00:00"}, "event_time"),  # no offset
        ({"event_time": "hôm qua"}, "event_time"),
        ({"location": {"type": "Point", "coordinates": [500, 10]}}, "location"),
        ({"location": {"type": "Point", "coordinates": list(AT_SEA)}}, "location"),
        ({"location": "10.2,106.3"}, "location"),
        ({"party_name": ""}, "party_name"),
        ({"unit": "kg"}, "unit"),
        ({"party_gln": "1234567890123"}, "party_gln"),
        ({"commune": "28777"}, "commune"),
        ({"disposition": "broken"}, "disposition"),
    ],
)
def test_event_bad_input(client_for, lot, people, override, key):
    response = client_for(people["owner"]).post(
        urls(lot)["events"], event_body(**override), format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["extra"]["key"] == key
    assert not TraceEvent.objects.exists()
    assert not TraceChange.objects.filter(action="event_created").exists()


def test_future_event_is_400(client_for, lot, people):
    response = client_for(people["owner"]).post(
        urls(lot)["events"],
        event_body(event_time=(timezone.now() + timedelta(days=1)).isoformat()),
        format="json",
    )
    assert response.status_code == 400 and response.json()["extra"]["key"] == "event_time"


def test_event_of_another_lot_is_404(client_for, chain, product, people):
    from apps.traceability import services

    other = services.lot_create(actor=people["owner"], product_id=product.pk, lot_number="OTHER")
    event = chain.events.first()
    api = client_for(people["owner"])
    assert api.get(f"{LOTS}{other.pk}/events/{event.pk}/").status_code == 404
    assert api.delete(f"{LOTS}{other.pk}/events/{event.pk}/").status_code == 404


def test_lot_with_events_delete_is_409(client_for, chain, people):
    response = client_for(people["owner"]).delete(urls(chain)["detail"])
    assert response.status_code == 409 and response.json()["extra"]["events"] == 5


def test_list_query_count_is_flat(client_for, chain, people, django_assert_max_num_queries):
    api = client_for(people["province"])
    with django_assert_max_num_queries(12):
        assert api.get(urls(chain)["events"]).status_code == 200


def test_lot_list_query_count_does_not_grow_with_lots(
    client_for, product, people, django_assert_max_num_queries
):
    from apps.traceability import services

    from .helpers import record

    for n in range(4):
        lot = services.lot_create(actor=people["owner"], product_id=product.pk, lot_number=f"Q{n}")
        record(lot, people["owner"], "harvesting", 1)
    api = client_for(people["owner"])
    with django_assert_max_num_queries(8):
        response = api.get(LOTS)
    assert response.status_code == 200 and response.json()["count"] == 4
    assert all(
        "production_stages" not in {i["code"] for i in r["missing_items"]}
        for r in response.json()["results"]
    )


def test_openapi_schema_lists_the_endpoints(client_for, people):
    response = client_for(people["owner"]).get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/lots/{lot_id}/epcis" in text and "/api/v1/lots/{lot_id}/events/" in text
