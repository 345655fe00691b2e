import copy

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_draws_communes_offline_and_toggles_eras(browser_page, live_server, boundaries):
    page = browser_page.page
    page.goto(f"{live_server.url}/map/")

    page.wait_for_selector("#map[data-loaded=current]")
    assert page.locator("#map").get_attribute("data-unit-count") == "124"
    assert page.locator("#map").get_attribute("data-province-count") == "34"
    # Leaflet draws each commune as an SVG path carrying the class we give it.
    assert page.locator("path.unit-commune").count() == 124
    assert page.locator("path.unit-province").count() == 34
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert (
        "sapnhap.bando.com.vn" in credits and "dvhcvn" in credits and "gis.chinhphu.vn" in credits
    )
    assert "Đang hiển thị 34 tỉnh" in page.locator("#map-status").inner_text()
    browser_page.screenshot("map-current")

    page.get_by_test_id("era-pre2025").check()
    page.wait_for_selector("#map[data-loaded=pre2025]")
    assert page.locator("path.unit-province").count() == 63
    assert page.locator("path.unit-district").count() == 9
    assert page.locator("path.unit-commune").count() == 0
    browser_page.screenshot("map-pre2025")

    # No basemap is configured: no tile layer, and nothing was requested outside the app.
    assert page.locator(".leaflet-tile").count() == 0
    assert browser_page.outside == []


def test_map_uses_the_basemap_setting_when_given(browser_page, live_server, boundaries, settings):
    settings.OCOP_BASEMAP_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    # The settings derive img-src from the basemap once, at start-up (ocop_gis/settings/base.py).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"].append("https://tiles.example.invalid")
    settings.CONTENT_SECURITY_POLICY = policy
    page = browser_page.page
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#map[data-loaded=current]")
    page.wait_for_selector(".leaflet-tile", state="attached")
    # The guard blocked the tile requests: the only outside host is the configured basemap.
    assert browser_page.outside
    assert all(url.startswith("https://tiles.example.invalid/") for url in browser_page.outside)
