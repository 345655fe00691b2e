"""The public trace page and the producer's event entry in headless Chromium: no request leaves
the app, the chain is drawn on the map in time order, and no personal data is on the page."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.traceability.models import TraceEvent
from tests.factories.accounts import PASSWORD

from .helpers import SECRET_PHONE, SECRET_REPRESENTATIVE


def open_popup(page, point):
    """Click a point of the map until its popup shows. On a loaded machine the first click can
    land while Leaflet is still fitting the map to the points, and no popup opens: the click is
    tried again, as a person would click again (as the dashboards' `open_product` does)."""
    for _attempt in range(4):
        point.click(force=True)
        try:
            page.wait_for_selector(".leaflet-popup-content", timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    page.wait_for_selector(".leaflet-popup-content")  # fails with Playwright's own message


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_chain(boundaries, chain, people):
    from apps.traceability import services

    services.lot_publish(actor=people["owner"], lot_id=chain.pk, published=True)
    chain.refresh_from_db()
    return chain


def test_public_trace_page_draws_the_chain_offline(
    browser_page, live_server, public_chain, producer
):
    page = browser_page.page
    page.goto(f"{live_server.url}/trace/lots/{public_chain.public_id}/")
    page.wait_for_selector("#trace-map[data-ready='1']")
    assert page.locator("path.trace-point").count() == 5
    assert page.locator("path.trace-line").count() == 1
    assert page.locator("[data-testid=timeline-event]").count() == 5
    # The line joins the points in time order: its first vertex is the harvest, its last the sale.
    order = page.evaluate("""() => {
        const map = document.getElementById('trace-map').ocopMap; let line = null;
        map.eachLayer(l => {
            if (l instanceof L.Polyline && !(l instanceof L.Polygon)) line = l;
        });
        const ll = line.getLatLngs(), z = ll[ll.length - 1];
        return [ll[0].lat, ll[0].lng, z.lat, z.lng];
    }""")
    events = list(public_chain.events.order_by("event_time"))
    assert (
        abs(order[0] - events[0].location.y) < 1e-5 and abs(order[3] - events[-1].location.x) < 1e-5
    )
    text = page.content()
    assert SECRET_PHONE not in text and SECRET_REPRESENTATIVE not in text
    assert "Thu hoạch" in text or "Harvesting" in text
    browser_page.screenshot("trace-public-lot")
    assert browser_page.outside == []


def test_producer_picks_the_point_on_the_map(browser_page, live_server, boundaries, lot, people):
    page = browser_page.page
    page.goto(f"{live_server.url}/accounts/login/?next=/trace/lots/{lot.pk}/edit/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#trace-map[data-ready='1']")
    page.evaluate(
        "() => document.getElementById('trace-map').ocopMap"
        ".setView([10.2415, 106.3756], 13, { animate: false })"
    )
    pixel = page.evaluate(
        "() => document.getElementById('trace-map').ocopMap"
        ".latLngToContainerPoint([10.2415, 106.3756])"
    )
    page.locator("#trace-map").click(position={"x": pixel["x"], "y": pixel["y"]})
    assert page.input_value("#id_lon") and page.input_value("#id_lat")
    page.select_option("#id_biz_step", "processing")
    page.fill("#id_quantity", "25")
    page.select_option("#id_unit", "KGM")
    page.click("[data-testid=save-event]")
    page.wait_for_selector("#trace-map[data-ready='1']")
    event = TraceEvent.objects.get(lot=lot)
    assert abs(event.location.x - 106.3756) < 0.001 and abs(event.location.y - 10.2415) < 0.001
    assert event.commune.code == "28777" and event.created_by == people["owner"]
    assert page.locator("path.trace-point").count() == 1
    browser_page.screenshot("trace-producer-event")
    assert browser_page.outside == []


def test_names_stay_text_on_the_map(browser_page, live_server, boundaries, lot, people):
    from .helpers import record

    record(
        lot,
        people["owner"],
        "harvesting",
        1,
        party_name='<img src="/x" onerror="window.__pwned=1">HTX',
    )
    from apps.traceability import services

    services.lot_publish(actor=people["owner"], lot_id=lot.pk, published=True)
    lot.refresh_from_db()
    page = browser_page.page
    page.goto(f"{live_server.url}/trace/lots/{lot.public_id}/")
    page.wait_for_selector("#trace-map[data-ready='1']")
    open_popup(page, page.locator("path.trace-point").first)
    assert "<img" in page.inner_text(".leaflet-popup-content")
    assert page.evaluate("() => window.__pwned === undefined")
    assert browser_page.outside == []
