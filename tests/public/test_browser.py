"""The product page on a phone (390 × 844) in headless Chromium: readable without horizontal
scrolling, the live status first, the origin map drawn from the embedded GeoJSON, the coarse
location share, and no request leaving the app."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.public import services
from apps.public.models import Scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published(boundaries, recognised, people):
    pid = recognised.product_id
    services.product_page_update(
        product_id=pid,
        actor=people["producer"],
        story="Kẹo dừa được làm thủ công từ nước cốt dừa xiêm ở Bến Tre, theo công thức ba đời.",
    )
    services.buy_link_add(
        product_id=pid,
        actor=people["producer"],
        label="Cửa hàng OCOP tỉnh",
        url="https://shop.example.test/keo-dua",
    )
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (220, 180, 90)).save(buf, format="JPEG")
    services.product_photo_add(
        product_id=pid,
        actor=people["producer"],
        file=SimpleUploadedFile("keo.jpg", buf.getvalue()),
        caption="Kẹo dừa",
    )
    return recognised


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True)
def test_product_page_on_a_phone(published, browser_page, live_server):
    page = browser_page.page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 10.24178, "longitude": 106.37561})
    page.goto(f"{live_server.url}/p/{published.product_code}")
    status = page.get_by_test_id("certificate-status")
    assert status.get_attribute("data-status") == "valid"
    assert status.is_visible()
    box = status.bounding_box()
    assert box["y"] < PHONE["height"], "the status is on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.wait_for_selector("#origin-map .leaflet-overlay-pane path")
    assert page.locator("#origin-map .leaflet-overlay-pane path").count() >= 1
    assert page.locator(".photos img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_test_id("story").is_visible()
    font = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.status-line')).fontSize)"
    )
    assert font >= 14
    page.get_by_test_id("share-location").click()
    # A function, not an expression: Playwright evals expressions, which the page's CSP forbids.
    page.wait_for_function("() => document.getElementById('share-status').textContent.length > 0")
    browser_page.screenshot("public-product-phone")
    assert browser_page.outside == []
    located = Scan.objects.get(channel="location")
    assert (located.location.x, located.location.y) == (106.4, 10.2)
    assert Scan.objects.filter(channel="page", agent="bot").exists()  # HeadlessChrome


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True)
def test_revoked_and_unknown_on_a_phone(published, people, browser_page, live_server):
    from django.utils import timezone

    from apps.certificates.services import certificate_revoke

    certificate_revoke(
        certificate_id=published.pk,
        ground="a",
        decision_number="12/QĐ-UBND",
        decided_on=timezone.localdate(),
        actor=people["leader"],
    )
    page = browser_page.page
    page.goto(f"{live_server.url}/p/{published.product_code}?lang=en")
    status = page.get_by_test_id("certificate-status")
    assert status.get_attribute("data-status") == "revoked"
    assert "12/QĐ-UBND" in status.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    browser_page.screenshot("public-product-revoked-phone")
    response = page.goto(f"{live_server.url}/01/8930000000019")
    assert response.status == 404
    assert page.get_by_test_id("problem").is_visible()
    assert browser_page.outside == []
