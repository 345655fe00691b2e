"""Stored XSS: text that producers (and anyone else who types into the app) control reaches maps,
popups, tooltips, charts and pages, and must stay text. Every such field holds the payloads
below; each page is opened in headless Chromium, its maps' tooltips and popups are opened, and
no script may run (no `dialog`), no element with an event-handler attribute and no inline script
may appear in the document, and the payload must be shown as the literal text it is.

The Content-Security-Policy is switched off here: escaping must hold on its own (the policy is
the second line, tested in test_csp.py). The same checks run on the standalone HTML map,
opened from disk."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from apps.certificates.models import Certificate
from apps.evaluation.services import assignment_create
from apps.producers.models import Producer
from apps.producers.services import production_area_create
from apps.public import services as public_services
from apps.traceability import services as trace_services
from apps.traceability.models import Lot
from tests.factories.accounts import PASSWORD

# The recognition chain's settings (tests/fixtures/recognition.py, which provides `chain` ...).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_in_tmp"),
]

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
)
EVIL = "".join(PAYLOADS)
SHORT_EVIL = "".join(PAYLOADS[:2])  # for the 80-character buy-link label


def evil(label: str, payload: str = EVIL) -> str:
    return f"{label} {payload}"


# Installed before any page script: records every element that arrives in the document with an
# event-handler attribute, and (on the app's pages) every inline script that is not JSON data.
WATCH = """
(() => {
  const inlineAllowed = %s;
  window.__xss = [];
  const check = (node) => {
    if (node.nodeType !== 1) return;
    for (const el of [node, ...node.querySelectorAll('*')]) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) window.__xss.push(el.outerHTML.slice(0, 160));
      }
      if (!inlineAllowed && el.tagName === 'SCRIPT' && !el.src && el.type !== 'application/json') {
        window.__xss.push('inline script: ' + el.textContent.slice(0, 160));
      }
      if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') window.__xss.push(el.outerHTML);
    }
  };
  new MutationObserver((records) => {
    for (const r of records) r.addedNodes.forEach(check);
  }).observe(document, { childList: true, subtree: true });
})();
"""

# Opens what a user would open on a map: clusters are expanded (each click zooms in), then every
# interactive layer is hovered (tooltips) and clicked (popups), markers first. Returns the text of
# every tooltip and popup that was shown. The dashboards' administrative units (reference data,
# 124 of them, each click panning the map and re-clustering the markers) are left alone.
POKE = """
async () => {
  const skip = '.marker-cluster, path.unit';
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const fire = (el, type) => el.dispatchEvent(
    new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
  for (let i = 0; i < 8; i++) {
    const cluster = document.querySelector('.marker-cluster');
    if (!cluster) break;
    fire(cluster, 'click');
    await sleep(700);
  }
  const shown = [];
  const collect = () => document.querySelectorAll('.leaflet-tooltip, .leaflet-popup-content')
    .forEach((n) => shown.push(n.textContent));
  const all = [...document.querySelectorAll('.leaflet-interactive')]
    .filter((el) => !el.matches(skip));
  const markers = all.filter((el) => el.classList.contains('leaflet-marker-icon'));
  for (const el of [...markers, ...all.filter((el) => !markers.includes(el))]) {
    if (!el.isConnected) continue;
    fire(el, 'mouseover');
    await sleep(40);
    collect();
    fire(el, 'click');
    await sleep(120);
    collect();
    fire(el, 'mouseout');
  }
  return shown;
}
"""


class Watched:
    """A page whose dialogs and injected elements are recorded."""

    def __init__(self, browser_page, live_server):
        self.page = browser_page.page
        self.live_server = live_server
        self.dialogs: list[str] = []
        self.page.add_init_script(WATCH % "false")
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{self.page.url}: {dialog.message}")
        dialog.dismiss()

    def login(self, username: str):
        self.page.context.clear_cookies()
        self.page.goto(f"{self.live_server.url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert "/accounts/login/" not in self.page.url, f"{username} could not log in"

    def visit(self, path: str, ready: str | None = None) -> list[str]:
        """Open `path`, wait for `ready` (a selector), open every tooltip and popup; returns
        their texts. Fails on a dialog or an injected element."""
        response = self.page.goto(f"{self.live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        if ready:
            self.page.wait_for_selector(ready, state="attached")
        self.page.wait_for_load_state("networkidle")
        shown = self.page.evaluate(POKE)
        self.page.wait_for_timeout(300)  # an <img src=x> fails to load asynchronously
        injected = self.page.evaluate("window.__xss")
        assert injected == [], (path, injected)
        assert self.dialogs == [], self.dialogs
        return shown


def literally(text: str, label: str) -> bool:
    """`text` shows the payload after `label` as the characters typed."""
    return evil(label) in text or evil(label, SHORT_EVIL) in text


@pytest.fixture
def no_csp(settings):
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None
    settings.OCOP_BASEMAP_URL = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def poisoned(boundaries, no_csp, chain, decide, people):
    """A recognised product (An Hội) and an accepted dossier under evaluation (Phú Khương), with
    the payloads in every name, story, caption, link label, area and trace event."""
    result = chain.evaluated(4, name=evil("Kẹo"), commune="28777")
    decide([result.pk])
    certificate = Certificate.objects.select_related("product__producer").get(result=result)
    product = certificate.product
    other = chain.product(evil("Bánh"), "28756")
    dossier_id = chain.accepted_dossier(other, "28756")
    council, members = chain.council("province")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assignment = assignment_create(
            council=council, dossier_id=dossier_id, actor=people["province"]
        )
    Producer.objects.update(name=evil("HTX"), address=evil("Ấp"))
    producer = Producer.objects.get(pk=product.producer_id)
    here = producer.location
    square = Polygon.from_bbox((here.x - 0.002, here.y - 0.002, here.x + 0.002, here.y + 0.002))
    square.srid = 4326
    production_area_create(
        producer=producer,
        actor=people["producer"],
        kind="production_site",
        name=evil("Vùng"),
        geom=square,
    )
    owner = people["producer"]
    public_services.product_page_update(
        product_id=product.pk, actor=owner, story=evil("Chuyện"), story_en=evil("Story")
    )
    public_services.buy_link_add(
        product_id=product.pk,
        actor=owner,
        label=evil("Shop", SHORT_EVIL),
        url="https://shop.example.test/keo",
    )
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (220, 180, 90)).save(buf, format="JPEG")
    public_services.product_photo_add(
        product_id=product.pk,
        actor=owner,
        file=SimpleUploadedFile("keo.jpg", buf.getvalue()),
        caption=evil("Ảnh"),
    )
    today = timezone.localdate()
    lot = trace_services.lot_create(
        actor=owner,
        product_id=product.pk,
        lot_number="XSS-1",
        production_date=today - timedelta(days=5),
        brand=evil("Nhãn"),
    )
    for days, step, extra in (
        (4, "harvesting", {"quantity": Decimal("10"), "unit": "KGM"}),
        (2, "shipping", {"source_party_name": evil("Từ"), "destination_party_name": evil("Đến")}),
    ):
        trace_services.trace_event_create(
            actor=owner,
            lot_id=lot.pk,
            biz_step=step,
            event_time=timezone.now() - timedelta(days=days),
            location=Point(here.x + 0.01 * days, here.y, srid=4326),
            party_name=evil("Bên"),
            **extra,
        )
    # Published: the public trace page shows published lots only, by their public id.
    Lot.objects.filter(pk=lot.pk).update(published=True)
    lot.refresh_from_db()
    public_services.scan_location_share(
        code=certificate.product_code, lon=106.37, lat=10.24, user_agent="Mozilla/5.0 test"
    )
    cache.clear()
    return {
        "certificate": certificate,
        "product": product,
        "producer": producer,
        "other": other,
        "dossier_id": dossier_id,
        "assignment": assignment,
        "member": members[0],
        "lot": lot,
    }


def test_public_pages_keep_every_text_as_text(browser_page, live_server, poisoned):
    w = Watched(browser_page, live_server)
    code = poisoned["certificate"].product_code
    shown = w.visit(f"/p/{code}", ready="#origin-map .leaflet-interactive")
    assert any(literally(s, "Vùng") for s in shown), shown  # the area's tooltip, as text
    body = w.page.inner_text("body")
    for label in ("Kẹo", "HTX", "Chuyện", "Ảnh", "Vùng"):
        assert literally(body, label), label
    assert literally(w.page.inner_text("[data-testid=buy-links]"), "Shop")
    w.visit(f"/p/{code}?lang=en", ready="#origin-map .leaflet-interactive")
    assert literally(w.page.inner_text("body"), "Story")
    w.visit(f"/p/{code}/10/{poisoned['lot'].lot_number}")
    w.visit(f"/p/{code}/certificate")
    trace = reverse("traceability:public-lot", args=[poisoned["lot"].public_id])
    shown = w.visit(trace, ready="#trace-map[data-ready='1']")
    assert any(literally(s, "Bên") for s in shown), shown  # the event's popup, as text
    assert literally(w.page.inner_text("body"), "Bên")  # the timeline


def test_producer_profile_and_pages_keep_every_text_as_text(browser_page, live_server, poisoned):
    w = Watched(browser_page, live_server)
    producer = poisoned["producer"]
    for username in ("producer", "province", "commune"):
        # The producer's own profile, and an officer opening it (the scenario).
        w.login(username)
        shown = w.visit(f"/producers/{producer.pk}/", ready="#producer-map[data-ready='1']")
        assert any(literally(s, "Vùng") for s in shown), (username, shown)
        assert literally(w.page.inner_text("[data-testid=area-table]"), "Vùng")
    w.login("producer")
    w.visit("/producers/")
    w.visit("/dossiers/")
    w.visit(f"/product-pages/{poisoned['product'].pk}/")
    w.visit("/product-pages/")
    shown = w.visit("/product-pages/scans/", ready="#scan-map .leaflet-interactive")
    assert any(literally(s, "Kẹo") for s in shown), shown
    w.visit("/trace/")
    shown = w.visit(f"/trace/lots/{poisoned['lot'].pk}/edit/", ready="#trace-map[data-ready='1']")
    assert any(literally(s, "Bên") for s in shown), shown


def test_dashboards_and_officer_pages_keep_every_text_as_text(browser_page, live_server, poisoned):
    w = Watched(browser_page, live_server)
    w.login("province")
    ready = "#map[data-points-loaded='1']"
    shown = w.visit("/dashboards/", ready=ready)
    w.page.wait_for_function("() => document.getElementById('charts').dataset.loaded === '1'")
    assert any(literally(s, "Kẹo") and literally(s, "HTX") for s in shown), shown  # product
    assert any(literally(s, "Bánh") for s in shown), shown  # the dossier's popup
    shown = w.visit("/dashboards/communes/28777/", ready="#map[data-loaded='1']")
    assert any(literally(s, "Kẹo") for s in shown), shown
    w.visit(f"/dashboards/products/{poisoned['product'].pk}/")
    assert literally(w.page.inner_text("body"), "Kẹo")
    w.visit("/dossiers/inbox/")
    assert literally(w.page.inner_text("body"), "Bánh")
    w.visit(f"/dossiers/{poisoned['dossier_id']}/review/")
    w.visit("/product-pages/scans/", ready="#scan-map .leaflet-interactive")
    w.visit("/map/", ready="#map[data-loaded='current']")
    w.login("commune2")
    w.visit("/dossiers/inbox/")
    w.visit("/dashboards/communes/28756/", ready="#map[data-loaded='1']")
    w.login(poisoned["member"].username)
    w.visit("/evaluation/")
    assert literally(w.page.inner_text("body"), "Bánh")
    w.visit(f"/evaluation/assignments/{poisoned['assignment'].pk}/score/")
    assert literally(w.page.inner_text("body"), "Bánh")
    w.visit("/dashboards/", ready="#map[data-points-loaded='1']")


@pytest.mark.parametrize("layer", ["products", "producers", "dossiers"])
def test_standalone_html_map_keeps_every_text_as_text(
    browser_page,
    poisoned,
    people,
    tmp_path,
    layer,
):
    api = APIClient()
    api.force_authenticate(people["province"])
    response = api.get(f"/exports/{layer}.html")
    assert response.status_code == 200, response.content[:300]
    html = response.content.decode()
    # The data is embedded as JSON in a script: it must not close that script.
    assert not re.search(r"</script><script>alert", html, flags=re.I)
    path = tmp_path / f"{layer}.html"
    path.write_text(html, encoding="utf-8")

    page = browser_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH % "true")  # the file is made of inline scripts
    # ... which its own <meta> policy allows by their hashes, and nothing else.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "(e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.route(lambda url: url.startswith("file:"), lambda route: route.continue_())
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    shown = page.evaluate(POKE)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") == []
    assert dialogs == []
    assert page.evaluate("window.__csp") == []
    meta = html.replace("&#x27;", "'")
    assert "Content-Security-Policy" in meta and "script-src 'sha256-" in meta
    label = {"products": "Kẹo", "producers": "HTX", "dossiers": "Bánh"}[layer]
    assert any(literally(s, label) for s in shown), shown  # tooltip and popup, as text
