"""Scan-location reports from outside Viet Nam, or arriving from one client faster than a person
scans codes, are dropped from the analytics (still a 202: the page's script learns nothing)."""

import pytest
from django.core.cache import cache

from apps.public.models import Scan

# The public pages' settings and the recognition chain's (tests/fixtures/), as in tests/public.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("public_settings", "media_in_tmp"),
]
URL = "/api/v1/public/scans/location/"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"


def report(client, recognised, lon, lat, ip="203.0.113.7"):
    return client.post(
        URL,
        {"code": recognised.product_code, "lon": lon, "lat": lat},
        content_type="application/json",
        HTTP_USER_AGENT=PHONE,
        REMOTE_ADDR=ip,
    )


def located() -> list[tuple[float, float]]:
    return [(s.location.x, s.location.y) for s in Scan.objects.filter(location__isnull=False)]


@pytest.mark.parametrize(
    "lon, lat",
    [
        (100.5, 13.7),  # Bangkok
        (2.35, 48.85),  # Paris
        (0.0, 0.0),  # "null island", a broken GPS
        (106.4, 30.0),  # north of Viet Nam
        (125.0, 10.0),  # east of the Trường Sa
        (104.0, 3.0),  # south of Cà Mau, at sea
    ],
)
def test_reports_outside_vietnam_are_dropped(client, recognised, lon, lat):
    response = report(client, recognised, lon, lat)
    assert response.status_code == 202
    assert response.json() == {"recorded": False}
    assert located() == []


@pytest.mark.parametrize(
    "lon, lat",
    [
        (106.37, 10.24),  # Vĩnh Long (Bến Tre)
        (105.85, 21.03),  # Hà Nội
        (103.97, 10.22),  # Phú Quốc
        (106.6, 8.68),  # Côn Đảo
        (112.33, 16.83),  # Hoàng Sa
        (111.92, 8.64),  # Trường Sa Lớn
        (102.15, 22.4),  # Lai Châu, the far north-west
    ],
)
def test_reports_inside_vietnam_are_kept(client, recognised, lon, lat):
    response = report(client, recognised, lon, lat)
    assert response.status_code == 202 and response.json() == {"recorded": True}
    assert len(located()) == 1


def test_the_extent_is_a_setting(client, recognised, settings):
    settings.OCOP_VIETNAM_BBOX = (105.0, 9.0, 107.0, 11.0)
    assert report(client, recognised, 105.85, 21.03).json() == {"recorded": False}
    assert report(client, recognised, 106.37, 10.24).json() == {"recorded": True}


def test_reports_faster_than_a_person_scans_are_dropped(client, recognised, settings):
    settings.OCOP_SCAN_LOCATION_PER_MINUTE = 3
    answers = [report(client, recognised, 106.37, 10.24).json()["recorded"] for _ in range(6)]
    assert answers == [True, True, True, False, False, False]
    assert len(located()) == 3
    # Another client in the same minute is counted on its own.
    assert report(client, recognised, 106.37, 10.24, ip="198.51.100.20").json()["recorded"]
    assert len(located()) == 4


def test_the_rate_filter_keeps_no_address(client, recognised, settings):
    settings.OCOP_SCAN_LOCATION_PER_MINUTE = 1
    report(client, recognised, 106.37, 10.24, ip="203.0.113.99")
    keys = [str(k) for k in getattr(cache, "_cache", {})]
    assert keys, "the filter counts in the cache"
    assert not any("203.0.113.99" in k for k in keys)


def test_bad_positions_are_still_400(client, recognised):
    for lon, lat in ((200, 10), (106, 95), ("x", 10)):
        assert report(client, recognised, lon, lat).status_code == 400
    assert located() == []


def test_the_summary_counts_only_kept_reports(client, recognised, people, client_for, settings):
    settings.OCOP_SCAN_LOCATION_PER_MINUTE = 2
    for lon, lat in ((100.5, 13.7), (106.37, 10.24), (106.37, 10.24), (106.37, 10.24)):
        report(client, recognised, lon, lat)
    summary = client_for(people["province"]).get("/api/v1/scans/summary/").json()
    assert summary["located"] == 2
    assert sum(f["properties"]["scans"] for f in summary["places"]["features"]) == 2
