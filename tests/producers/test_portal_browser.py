"""The producer places itself on the map and draws a production area, in headless Chromium."""

import pytest

from apps.accounts.choices import Role
from apps.geo.selectors import units_at
from apps.producers.models import Producer, ProductionArea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mật-khẩu-bản-đồ-1"


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/?next=/producers/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def _draw(page, points):
    """Draw a polygon with Leaflet.draw by clicking map pixels, closing on the first point."""
    page.click(".leaflet-draw-draw-polygon")
    box = page.locator("#producer-map").bounding_box()
    for x, y in [*points, points[0]]:
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(150)


def test_register_place_and_draw_areas(browser_page, live_server, boundaries, make_user, unit):
    make_user(Role.PRODUCER, [unit("28777")], username="chuthe_map", password=PASSWORD)
    page = browser_page.page
    _login(page, live_server, "chuthe_map")

    page.wait_for_selector("#pick-map[data-ready='1']")
    page.fill("#id_name", "HTX Bản Đồ")
    page.select_option("#id_legal_type", "cooperative")
    page.fill("#id_registration_number", "MAP-1")
    page.fill("#id_registration_date", "2019-05-01")
    page.fill("#id_address", "An Hội")
    page.fill("#id_representative_name", "Chị Bản Đồ")
    # Click the map where Bến Tre's city centre is (pixel from the map's own projection).
    pixel = page.evaluate(
        "() => document.getElementById('pick-map').ocopMap"
        ".latLngToContainerPoint([10.2415, 106.3756])"
    )
    page.locator("#pick-map").click(position={"x": pixel["x"], "y": pixel["y"]})
    assert page.input_value("#id_lon") and page.input_value("#id_lat")
    page.click("[data-testid=register]")
    page.wait_for_selector("[data-testid=producer-map][data-ready='1']")
    producer = Producer.objects.get(registration_number="MAP-1")
    assert abs(producer.location.x - 106.3756) < 0.01 and abs(producer.location.y - 10.2415) < 0.01
    assert producer.province.code == "86"
    assert producer.commune == units_at(lon=producer.location.x, lat=producer.location.y).commune
    assert producer.commune.full_name in page.get_by_test_id("producer-units").inner_text()

    # Drag the marker: the location is saved and the commune derived again by the server.
    marker = page.locator(".leaflet-marker-icon").bounding_box()
    x, y = marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=map-status]').textContent.length > 0"
    )
    moved = Producer.objects.get(pk=producer.pk)
    assert moved.location != producer.location
    assert moved.commune == units_at(lon=moved.location.x, lat=moved.location.y).commune

    # A proper square, about 100 px wide at zoom 13.
    _draw(page, [(300, 150), (400, 150), (400, 250), (300, 250)])
    page.fill("#area-name", "Vườn dừa")
    page.click("[data-testid=save-area]")
    page.wait_for_selector("[data-testid=area-table] tbody tr")
    assert "Vườn dừa" in page.get_by_test_id("area-table").inner_text()
    area = ProductionArea.objects.get(producer=producer)
    assert area.area_ha > 0 and area.geom.valid

    # A self-intersecting "bow tie" is refused with the reason, and nothing is stored.
    _draw(page, [(200, 300), (300, 400), (300, 300), (200, 400)])
    page.fill("#area-name", "Hình nơ")
    page.click("[data-testid=save-area]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=map-error]').textContent.length > 0"
    )
    assert ProductionArea.objects.filter(producer=producer).count() == 1
    browser_page.screenshot("producer-profile-areas")
    assert browser_page.outside == []
