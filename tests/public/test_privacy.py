"""No personal data on the public pages and in the public JSON: the producer's business name and
commune only; no representative, phone, e-mail, street address or registration number; scans
keep no IP address and only a position rounded to 0.1°."""

import json

import pytest

from apps.public.models import Scan

pytestmark = pytest.mark.django_db


def _personal(producer) -> list[str]:
    producer.refresh_from_db()
    values = [
        producer.representative_name,
        producer.email,
        producer.address,
        producer.registration_number,
        producer.phone,
    ]
    values += [u.email for u in producer.users.all()]
    return [v for v in values if v]


def test_public_pages_and_json_hold_no_personal_data(recognised, people, client):
    from apps.producers.models import Producer

    Producer.objects.filter(pk=recognised.product.producer_id).update(phone="0909123456")
    producer = recognised.product.producer
    personal = _personal(producer)
    assert "Nguyễn Thị Demo" in personal and "0909123456" in personal
    code = recognised.product_code
    bodies = {
        "page": client.get(f"/p/{code}").content.decode(),
        "page_en": client.get(f"/p/{code}?lang=en").content.decode(),
        "certificate": client.get(f"/p/{code}/certificate").content.decode(),
        "linkset": client.get(f"/p/{code}?linkType=all").content.decode(),
        "json": client.get(f"/api/v1/public/products/{code}/").content.decode(),
    }
    for name, body in bodies.items():
        for value in personal:
            assert value not in body, (name, value)
    data = json.loads(bodies["json"])
    assert data["producer"] == {
        "name": producer.name,
        "commune": producer.commune.full_name,
        "commune_code": producer.commune.code,
        "province": producer.province.full_name,
    }
    assert data["certificate"]["status"] == "valid"
    assert data["certificate"]["decision_number"] == recognised.decision.number


def test_a_scan_keeps_no_ip_and_a_coarse_position(recognised, client):
    code = recognised.product_code
    client.get(
        f"/p/{code}",
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    )
    response = client.post(
        "/api/v1/public/scans/location/",
        {"code": code, "lat": 10.23456, "lon": 106.37891},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 202
    assert not response.cookies
    page, located = Scan.objects.order_by("pk")
    assert page.channel == "page" and page.location is None and page.agent == "phone"
    assert (located.location.x, located.location.y) == (106.4, 10.2)
    fields = {f.name for f in Scan._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "user_agent", "session", "user"}
    for row in Scan.objects.values():
        assert "203.0.113.77" not in json.dumps(row, default=str)
