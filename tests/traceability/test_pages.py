"""Producer pages (lot list, create, edit, event entry) and the public trace page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.traceability.models import Lot, TraceEvent
from apps.traceability.views import lot_trace_response
from tests.factories.places import AN_HOI, AT_SEA

from .helpers import SECRET_PHONE, SECRET_REPRESENTATIVE

pytestmark = pytest.mark.django_db


def test_producer_registers_a_lot_and_records_an_event(client, product, people):
    client.force_login(people["owner"])
    page = client.get("/trace/")
    assert page.status_code == 200 and 'data-testid="lot-create-form"' in page.content.decode()
    response = client.post(
        "/trace/",
        {
            "product": product.pk,
            "lot_number": "WEB-1",
            "production_date": str(timezone.localdate()),
        },
    )
    lot = Lot.objects.get(lot_number="WEB-1")
    assert response.status_code == 302 and response["Location"] == f"/trace/lots/{lot.pk}/edit/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-code="production_stages"' in page and 'data-code="expiry_date"' in page
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/trace/lots/{lot.pk}/edit/",
        {
            "action": "add_event",
            "biz_step": "processing",
            "event_time": when,
            "party_name": "HTX Dừa Xanh Truy Xuất",
            "lon": AN_HOI[0],
            "lat": AN_HOI[1],
            "quantity": "10",
            "unit": "KGM",
        },
    )
    assert response.status_code == 302
    event = TraceEvent.objects.get(lot=lot)
    assert event.time_zone_offset == "+07:00" and event.commune.code == "28777"
    page = client.get(f"/trace/lots/{lot.pk}/edit/").content.decode()
    assert 'data-code="production_stages"' not in page


def test_event_form_errors_are_shown(client, lot, people):
    client.force_login(people["owner"])
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/trace/lots/{lot.pk}/edit/",
        {
            "action": "add_event",
            "biz_step": "processing",
            "event_time": when,
            "party_name": "HTX",
            "lon": AT_SEA[0],
            "lat": AT_SEA[1],
        },
    )
    assert response.status_code == 400
    assert not TraceEvent.objects.exists()
    response = client.post(
        f"/trace/lots/{lot.pk}/edit/",
        {"action": "add_event", "biz_step": "processing", "event_time": when, "party_name": "HTX"},
    )
    assert response.status_code == 400  # no point picked


def test_lot_form_refuses_dates_out_of_order(client, lot, people):
    client.force_login(people["owner"])
    today = timezone.localdate()
    response = client.post(
        f"/trace/lots/{lot.pk}/edit/",
        {
            "action": "save_lot",
            "lot_number": lot.lot_number,
            "production_date": str(today),
            "expiry_date": str(today - timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    lot.refresh_from_db()
    assert lot.expiry_date != today - timedelta(days=1)


@pytest.mark.parametrize("who", ["stranger", "other_commune", "other_province"])
def test_lot_page_out_of_scope_is_404(client, lot, people, who):
    client.force_login(people[who])
    assert client.get(f"/trace/lots/{lot.pk}/edit/").status_code == 404
    assert client.post(f"/trace/lots/{lot.pk}/edit/", {"action": "delete_lot"}).status_code == 404
    assert Lot.objects.filter(pk=lot.pk).exists()


def test_officer_in_scope_reads_without_forms_and_cannot_post(client, chain, people):
    client.force_login(people["commune"])
    page = client.get(f"/trace/lots/{chain.pk}/edit/")
    assert page.status_code == 200 and 'data-testid="event-form"' not in page.content.decode()
    assert (
        client.post(
            f"/trace/lots/{chain.pk}/edit/",
            {"action": "delete_event", "event": chain.events.first().pk},
        ).status_code
        == 404
    )
    assert chain.events.count() == 5


def test_anonymous_is_sent_to_login(client, lot):
    assert client.get("/trace/").status_code == 302
    assert client.get(f"/trace/lots/{lot.pk}/edit/").status_code == 302


def publish(lot, people):
    """Lots start unpublished (no public page); the producer publishes."""
    from apps.traceability import services

    services.lot_publish(actor=people["owner"], lot_id=lot.pk, published=True)
    lot.refresh_from_db()
    return lot


def test_public_page_shows_the_chain_without_personal_data(client, chain, producer, people):
    publish(chain, people)
    response = client.get(f"/trace/lots/{chain.public_id}/")
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count('data-testid="timeline-event"') == 5
    assert chain.product.name in html and producer.name in html and "L2026-01" in html
    assert SECRET_PHONE not in html and SECRET_REPRESENTATIVE not in html
    # A household business's address can be a home: the page names the commune only.
    assert producer.address not in html and "Phường An Hội" in html
    assert "owner" not in html  # no user names
    # The fallback identifier of a lot of a product without GTIN resolves to the same page.
    same = client.get(f"/trace/p/{chain.product_id}/10/{chain.lot_number}")
    assert (
        same.status_code == 200 and same.content.decode().count('data-testid="timeline-event"') == 5
    )
    assert client.get(f"/trace/p/{chain.product_id}/10/NOPE").status_code == 404
    assert client.get("/trace/lots/999999/").status_code == 404
    assert client.get(f"/trace/lots/{chain.pk}/").status_code == 404  # never by the sequential id


def test_lot_trace_response_contract(rf, chain):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/01/x/10/y")
    request.user = AnonymousUser()  # as the middleware sets it for the resolver's request
    response = lot_trace_response(request, chain)
    assert response.status_code == 200 and b'data-testid="trace-map"' in response.content


def test_public_page_shows_live_certificate_status(client, chain, people):
    """No certificate, no status line (recognised: recognised/test_public_certificate.py)."""
    publish(chain, people)
    html = client.get(f"/trace/lots/{chain.public_id}/").content.decode()
    assert 'data-testid="certificate-status"' not in html


def test_public_image(client, lot, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.traceability import services
    from apps.traceability.demo import _demo_png

    publish(lot, people)
    assert client.get(f"/trace/lots/{lot.public_id}/image").status_code == 404
    services.lot_image_set(
        actor=people["owner"],
        lot_id=lot.pk,
        file=SimpleUploadedFile("a.png", _demo_png(), "image/png"),
    )
    response = client.get(f"/trace/lots/{lot.public_id}/image")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
