"""The admin's geometry widget (apps/geo/widgets.py) works offline and under the strict
Content-Security-Policy: OpenLayers comes from the vendored static files, the map starts from a
static script reading JSON options (no inline script), there are no OpenStreetMap tiles, and a
producer can be placed and moved, and a production area drawn, on the admin map and saved."""

import json
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import Point
from django.test import Client

from apps.geo.models import AdminUnit
from apps.geo.widgets import OfflineMapWidget
from apps.producers.models import Producer, ProductionArea
from tests.factories.accounts import PASSWORD
from tests.factories.places import AN_HOI
from tests.factories.producers import ProducerFactory

# Inline script that is not JSON data would be blocked by `script-src 'self'`.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
SOURCES = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)\"""", re.I)
OPTIONS = re.compile(r'<script id="(id_\w+_options)" type="application/json">(.*?)</script>', re.S)


@pytest.fixture
def admin_client_(django_user_model):
    user = django_user_model.objects.create_superuser("map-admin", "a@example.test", PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def _admin_pages() -> list[str]:
    unit = AdminUnit.objects.filter(geom__isnull=False).order_by("pk").first()
    producer = ProducerFactory()
    return [
        "/admin/producers/producer/add/",
        f"/admin/producers/producer/{producer.pk}/change/",
        "/admin/producers/productionarea/add/",
        f"/admin/geo/adminunit/{unit.pk}/change/",  # read-only: no widget, still no CDN
    ]


def test_widget_media_is_the_vendored_openlayers_only():
    media = OfflineMapWidget().media
    # OpenLayers before Django's MapWidget, which the start-up script then uses.
    assert media._js == ["vendor/ol/ol.js", "gis/js/OLMapWidget.js", "geo/admin-map.js"]
    assert media._css == {"all": ["vendor/ol/ol.css", "gis/css/ol3.css"]}


@pytest.mark.django_db
def test_admin_geometry_pages_have_no_inline_script_and_only_local_files(admin_client_, settings):
    settings.OCOP_BASEMAP_URL = ""
    for path in _admin_pages():
        response = admin_client_.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group(0))
        sources = SOURCES.findall(html)
        assert sources, path
        for source in sources:
            assert source.startswith("/") and not source.startswith("//"), (path, source)
            if source.startswith(django_settings.STATIC_URL):
                assert admin_client_.get(source).status_code == 200, (path, source)
        assert "cdn.jsdelivr.net" not in html and "openstreetmap" not in html.lower(), path
        if "/adminunit/" in path:
            continue
        assert "/static/vendor/ol/ol.js" in html and "/static/geo/admin-map.js" in html, path
        (options_id, raw), *_ = OPTIONS.findall(html)
        options = json.loads(raw)
        assert options["id"] + "_options" == options_id
        assert options["map_srid"] == 3857 and options["basemap"] == ""
        assert options["units_url"].startswith("/") and options["pilot"]


@pytest.mark.django_db
def test_the_basemap_setting_reaches_the_widget(admin_client_, settings):
    settings.OCOP_BASEMAP_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.OCOP_BASEMAP_ATTRIBUTION = "© Example"
    html = admin_client_.get("/admin/producers/producer/add/").content.decode()
    (_, raw), *_ = OPTIONS.findall(html)
    options = json.loads(raw)
    assert options["basemap"] == "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    assert options["basemap_attribution"] == "© Example"


# --- in the browser -------------------------------------------------------------------------
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""

# Viewport pixels of a lon/lat (the map's own transform, the map scrolled into view), and
# whether the map's canvas has anything drawn on it.
PIXEL = """([mapId, lon, lat]) => {
  const el = document.getElementById(mapId);
  el.scrollIntoView({block: 'center'});
  const map = el.mapWidget.map;
  const [x, y] = map.getPixelFromCoordinate(ol.proj.fromLonLat([lon, lat]));
  const box = el.getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""
INKED = """(mapId) => {
  const canvases = document.querySelectorAll('#' + mapId + ' canvas');
  for (const c of canvases) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; }
  }
  return false;
}"""


class AdminVisitor:
    def __init__(self, browser_page, live_server):
        self.page = browser_page.page
        self.live_server = live_server
        self.problems: list[str] = []
        self.page.add_init_script(LISTEN)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.page.url}: {exc}"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def login(self, username: str):
        """Signs in through the admin's own login page."""
        self.page.goto(f"{self.live_server.url}/admin/login/?next=/admin/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("input[type=submit]")
        assert self.page.url.endswith("/admin/"), self.page.url

    def save(self, changelist: str):
        """Saves the admin form; back on the change list, or the form's errors."""
        with self.page.expect_navigation():
            self.page.click("input[name=_save]")
        errors = self.page.locator(".errorlist").all_inner_texts()
        assert self.page.url.endswith(changelist), errors

    def check(self, where: str):
        assert self.page.evaluate("window.__csp") == [], where
        assert self.problems == [], self.problems

    def open_map(self, path: str, map_id: str = "id_location_map"):
        response = self.page.goto(f"{self.live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        self.page.wait_for_selector(f"#{map_id}[data-ready='boundaries']", state="attached")
        self.page.wait_for_selector(f"#{map_id} canvas", state="attached")
        self.page.wait_for_function(f"() => ({INKED})('{map_id}')")  # the boundaries were drawn
        self.page.wait_for_load_state("networkidle")
        self.check(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_producer_is_placed_and_moved_on_the_admin_map(
    browser_page, live_server, boundaries, django_user_model, settings
):
    settings.OCOP_BASEMAP_URL = ""
    django_user_model.objects.create_superuser("map-admin", "a@example.test", PASSWORD)
    target = Point(*AN_HOI, srid=4326)  # Phường An Hội (28777) in the pilot province
    v = AdminVisitor(browser_page, live_server)
    page = v.page

    v.login("map-admin")

    # Add: the map shows the pilot's communes; a click places the point.
    v.open_map("/admin/producers/producer/add/")
    x, y = page.evaluate(PIXEL, ["id_location_map", target.x, target.y])
    page.mouse.click(x, y)
    page.wait_for_function("() => document.getElementById('id_location').value !== ''")
    drawn = json.loads(page.input_value("#id_location"))
    assert drawn["type"] == "Point"
    page.fill("#id_name", "HTX bản đồ quản trị")
    page.select_option("#id_legal_type", "cooperative")
    page.fill("#id_registration_number", "ADM-MAP-1")
    page.fill("#id_registration_date", "2024-01-15")
    page.fill("#id_address", "Ấp 1")
    page.fill("#id_representative_name", "Nguyễn Văn A")
    v.save(changelist="/admin/producers/producer/")
    v.check("after add")
    producer = Producer.objects.get(registration_number="ADM-MAP-1")
    # Within a pixel at the fitted zoom (a few hundred metres) of the point clicked.
    assert producer.location.srid == 4326
    assert abs(producer.location.x - target.x) < 0.01 and abs(producer.location.y - target.y) < 0.01
    assert producer.commune.code == "28777"
    assert producer.province.code == django_settings.OCOP_PILOT_PROVINCE_CODE
    before = producer.location

    # Change: the saved point is shown (zoomed in); dragging it moves the producer.
    v.open_map(f"/admin/producers/producer/{producer.pk}/change/")
    shown = json.loads(page.input_value("#id_location"))["coordinates"]
    x, y = page.evaluate(PIXEL, ["id_location_map", before.x, before.y])
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=5)
    page.mouse.move(x + 40, y, steps=5)
    page.mouse.up()
    # The widget writes the dragged point (web-mercator metres) back into the textarea.
    page.wait_for_function(
        "(x) => JSON.parse(document.getElementById('id_location').value).coordinates[0] > x + 20",
        arg=shown[0],
    )
    v.save(changelist="/admin/producers/producer/")
    v.check("after move")
    producer.refresh_from_db()
    # 40 px east at ~1 m per pixel (MapWidget fits a point at minResolution 1).
    assert producer.location.x > before.x + 0.0001, (producer.location.x, before.x)
    assert abs(producer.location.y - before.y) < 0.0001
    assert producer.commune.geom.contains(producer.location)
    assert browser_page.outside == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_production_area_is_drawn_over_the_configured_basemap(
    browser_page, live_server, boundaries, django_user_model, settings
):
    # The basemap is an XYZ layer: any image of this site stands in for a tile server here.
    tile = "/static/gis/img/draw_point_on.svg"
    settings.OCOP_BASEMAP_URL = f"{live_server.url}{tile}?{{z}}/{{x}}/{{y}}"
    django_user_model.objects.create_superuser("map-admin", "a@example.test", PASSWORD)
    producer = ProducerFactory()
    v = AdminVisitor(browser_page, live_server)
    page = v.page
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if f"{tile}?" in r.url else None)
    v.login("map-admin")

    v.open_map("/admin/producers/productionarea/add/", map_id="id_geom_map")
    assert tiles, "the basemap's tiles were not asked for"
    # A square of 40 px around Phường An Hội, closed by clicking its first corner again.
    x, y = page.evaluate(PIXEL, ["id_geom_map", *AN_HOI])
    for dx, dy in ((-20, -20), (20, -20), (20, 20), (-20, 20), (-20, -20)):
        page.mouse.click(x + dx, y + dy)
    page.wait_for_function("() => document.getElementById('id_geom').value !== ''")
    assert json.loads(page.input_value("#id_geom"))["type"] == "MultiPolygon"
    page.fill("#id_producer", str(producer.pk))
    page.select_option("#id_kind", "raw_material")
    page.fill("#id_name", "Vườn dừa bản đồ")
    v.save(changelist="/admin/producers/productionarea/")
    v.check("after save")
    area = ProductionArea.objects.get(name="Vườn dừa bản đồ")
    assert area.geom.srid == 4326 and area.geom.valid and len(area.geom) == 1
    assert area.geom.contains(Point(*AN_HOI, srid=4326))
    assert area.area_ha > 0
    assert browser_page.outside == []
