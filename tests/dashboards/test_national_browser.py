"""The ministry's national view in headless Chromium with no basemap: the 34 provinces drawn
from the administrative-units layer, coloured by recognised products, the indicator switched, a
province's popup. Nothing may leave the app."""

import pytest

from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ZERO = "#f4f4f2"  # the choropleth's fill for 0


def test_the_ministry_sees_the_provinces_coloured_by_their_products(
    boundaries, chain, decide, people, browser_page, live_server
):
    decide([chain.evaluated(4).pk])
    page = browser_page.page
    page.goto(f"{live_server.url}/accounts/login/?next=/dashboards/national/")
    page.fill("#id_username", "ministry")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("() => document.getElementById('map').dataset.state === 'ok'")
    assert page.get_by_test_id("national-map").get_attribute("data-count") == "34"
    assert page.locator("path.unit-86").first.get_attribute("fill") != ZERO
    assert page.locator("path.unit-01").first.get_attribute("fill") == ZERO

    page.select_option("[data-testid=indicator]", "products_star_5")
    page.wait_for_function(
        "() => document.getElementById('map').dataset.indicator === 'products_star_5'"
    )
    assert page.locator("path.unit-86").first.get_attribute("fill") == ZERO
    page.select_option("[data-testid=indicator]", "products_star_4")
    page.locator("path.unit-86").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content table")
    assert "Vĩnh Long" in page.locator(".leaflet-popup-content").inner_text()
    browser_page.screenshot("national-view")
    assert browser_page.outside == []
