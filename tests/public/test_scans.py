"""The scan log (buffered, bulk written) and the analytics the producer and the province see."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.certificates.services import certificate_revoke
from apps.public.models import Scan
from apps.public.scanlog import ScanBuffer, agent_class, coarse

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


@pytest.mark.parametrize(
    ("ua", "kind"),
    [
        (PHONE, "phone"),
        (DESKTOP, "desktop"),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", "bot"),
        ("curl/8.4.0", "bot"),
        ("", "other"),
        ("SomethingElse/1.0", "other"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Zalo iOS/472", "phone"),
    ],
)
def test_agent_class(ua, kind):
    assert agent_class(ua) == kind


def test_coarse_rounds_to_a_tenth():
    assert coarse(10.25) == 10.3 and coarse(-0.04) == 0.0 and coarse(106.349) == 106.3


def test_buffer_writes_in_bulk_at_its_size(recognised, settings):
    settings.OCOP_SCAN_BUFFER_SIZE = 3
    buffer = ScanBuffer()

    def make():
        return Scan(
            product=recognised.product,
            scanned_at=timezone.now(),
            channel="page",
            agent="phone",
            certificate_status="valid",
        )

    buffer.record(make())
    buffer.record(make())
    assert buffer.pending() == 2 and Scan.objects.count() == 0
    buffer.record(make())
    assert buffer.pending() == 0 and Scan.objects.count() == 3
    settings.OCOP_SCAN_LOG = "off"
    buffer.record(make())
    assert buffer.pending() == 0 and Scan.objects.count() == 3


def test_buffer_is_bounded_and_a_refused_batch_is_dropped(recognised, settings):
    settings.OCOP_SCAN_BUFFER_SIZE = 100
    settings.OCOP_SCAN_BUFFER_MAX = 5
    buffer = ScanBuffer()
    for _ in range(8):
        buffer.record(
            Scan(
                product_id=recognised.product_id,
                scanned_at=timezone.now(),
                channel="page",
                agent="bot",
                certificate_status="valid",
            )
        )
    assert buffer.pending() == 5 and buffer.dropped == 3
    assert buffer.flush() == 5


def test_the_writer_thread_flushes_by_age(recognised, settings):
    """In production the rows leave the request path: a background thread writes them when the
    oldest is OCOP_SCAN_FLUSH_SECONDS old. (The thread's own connection cannot see this test's
    transaction, so the batch is observed rather than inserted.)"""
    settings.OCOP_SCAN_FLUSH_SECONDS = 0.05
    settings.OCOP_SCAN_BUFFER_SIZE = 1000

    class Observed(ScanBuffer):
        batches: list = []

        def flush(self):
            with self._lock:
                rows, self._rows = self._rows, []
            if rows:
                self.batches.append((threading.current_thread().name, len(rows)))
            return len(rows)

    buffer = Observed()
    buffer.record(
        Scan(
            product_id=recognised.product_id,
            scanned_at=timezone.now(),
            channel="page",
            agent="bot",
            certificate_status="valid",
        )
    )
    assert buffer.pending() == 1  # nothing written by the request
    deadline = time.monotonic() + 5
    while not buffer.batches and time.monotonic() < deadline:
        time.sleep(0.02)
    assert buffer.batches == [("ocop-scan-writer", 1)]


def test_each_resolver_hit_is_logged_with_its_status(recognised, people, client):
    code = recognised.product_code
    client.get(f"/p/{code}", HTTP_USER_AGENT=PHONE)
    client.get(f"/p/{code}/certificate", HTTP_USER_AGENT=PHONE)  # not a scan: a page of the site
    client.get(f"/p/{code}?linkType=all", HTTP_USER_AGENT="curl/8")  # a machine's linkset
    assert list(Scan.objects.values_list("channel", "agent", "certificate_status")) == [
        ("page", "phone", "valid")
    ]
    certificate_revoke(
        certificate_id=recognised.pk,
        ground="d",
        decision_number="7/QĐ-UBND",
        decided_on=timezone.localdate(),
        actor=people["leader"],
    )
    client.get(f"/p/{code}", HTTP_USER_AGENT=DESKTOP)
    assert Scan.objects.filter(certificate_status="revoked", agent="desktop").count() == 1


def test_location_share_validation(recognised, client):
    url = "/api/v1/public/scans/location/"
    ok = client.post(
        url,
        {"code": recognised.product_code, "lat": 10.1, "lon": 106.3},
        content_type="application/json",
    )
    assert ok.status_code == 202
    bad = client.post(
        url,
        {"code": recognised.product_code, "lat": 100, "lon": 106.3},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    missing = client.post(url, {"lat": 10, "lon": 106}, content_type="application/json")
    assert missing.status_code == 400
    unknown = client.post(
        url, {"code": "86-0-0-2026", "lat": 10, "lon": 106}, content_type="application/json"
    )
    assert unknown.status_code == 404
    bad_gtin = client.post(
        url, {"gtin": "8934588063054", "lat": 10, "lon": 106}, content_type="application/json"
    )
    assert bad_gtin.status_code == 404
    assert Scan.objects.count() == 1


def _scan(cert, status, lon=None, lat=None, days_ago=0):
    from django.contrib.gis.geos import Point

    Scan.objects.create(
        product=cert.product,
        scanned_at=timezone.now() - timedelta(days=days_ago),
        channel="location" if lon is not None else "page",
        agent="phone",
        certificate_status=status,
        location=Point(lon, lat, srid=4326) if lon is not None else None,
    )


def test_summary_is_scoped_and_flags_revoked_and_expired(
    recognised, people, client_for, make_user, unit
):
    _scan(recognised, "valid")
    _scan(recognised, "valid", days_ago=2)
    _scan(recognised, "revoked")
    _scan(recognised, "revoked", 106.4, 10.2)
    _scan(recognised, "valid", 106.4, 10.2)
    _scan(recognised, "expired", days_ago=400)  # outside the window
    url = "/api/v1/scans/summary/"
    producer = client_for(people["producer"]).get(url).json()
    assert producer["total"] == 3 and producer["located"] == 2 and producer["flagged_total"] == 1
    (place,) = producer["places"]["features"]
    assert place["geometry"]["coordinates"] == [106.4, 10.2]
    assert place["properties"] == {"scans": 2, "flagged": 1, "products": [recognised.product.name]}
    (flag,) = producer["flagged"]
    assert flag["status"] == "revoked" and flag["scans"] == 2 and flag["located"] == 1
    province = client_for(people["province"]).get(url + "?days=730").json()
    assert province["total"] == 4 and province["flagged_total"] == 2
    assert client_for(people["producer2"]).get(url).json()["total"] == 0
    assert client_for(people["other_province"]).get(url).json()["total"] == 0
    assert client_for(None).get(url).status_code in (401, 403)
    assert client_for(people["province"]).get(url + "?days=0").status_code == 400
    # Found by schemathesis: a product id beyond BIGINT overflowed SQLite's INTEGER (500).
    assert client_for(people["province"]).get(url + f"?product=-{2**66}").status_code == 400
    assert client_for(people["province"]).get(url + f"?product={2**66}").status_code == 400


def test_scans_page_for_producer_and_province(recognised, people, client):
    _scan(recognised, "revoked", 106.4, 10.2)
    _scan(recognised, "revoked")
    client.force_login(people["province"])
    html = client.get("/product-pages/scans/").content.decode()
    assert "scan-map" in html and recognised.product.name in html
    assert 'class="flagged"' in html
    client.force_login(people["producer2"])
    assert recognised.product.name not in client.get("/product-pages/scans/").content.decode()
    client.logout()
    assert client.get("/product-pages/scans/").status_code == 302
