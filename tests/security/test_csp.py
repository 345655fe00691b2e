"""Content-Security-Policy: every kind of page carries the enforced policy (scripts from this site
only, no plugins, no <base> elsewhere, no framing), no page needs inline script or event-handler
attributes to work, the optional basemap's origin is allowed for images, and in headless Chromium
no major page raises a single violation (moving scripts out of pages can silently break them)."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client, TestCase
from django.utils import timezone

from apps.evaluation.services import assignment_create
from apps.traceability import services as trace_services
from apps.traceability.models import Lot
from ocop_gis.settings.base import _csp_origin
from tests.factories.accounts import PASSWORD

# The recognition chain's settings (tests/fixtures/recognition.py), as in tests/dashboards,
# whose `province` (tests/fixtures/dashboards.py) these tests use.
pytestmark = pytest.mark.usefixtures("media_in_tmp")

QD26_SLUG = "QD26-2026"


def policy(response, header: str = "Content-Security-Policy") -> dict[str, list[str]]:
    assert header in response, f"no {header} on {response.request['PATH_INFO']}"
    directives = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(directives: dict[str, list[str]], where: str) -> None:
    assert directives.get("script-src") == ["'self'"], (where, directives.get("script-src"))
    assert directives.get("object-src") == ["'none'"], where
    assert directives.get("base-uri") == ["'self'"], where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert directives.get("default-src") == ["'self'"], where
    for name, values in directives.items():
        if name != "style-src":  # Leaflet's style attributes (see settings)
            assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, (where, name)


# Inline script that is not JSON data, or an event-handler attribute, would be blocked.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


@pytest.fixture
def pages(province, people, django_user_model):
    """(user or None, path) of every kind of page."""
    member = province.members[1]
    admin = django_user_model.objects.create_superuser("csp-admin", "a@example.test", PASSWORD)
    return [
        (None, "/accounts/login/"),
        (None, "/"),
        (None, "/map/"),
        (None, "/criteria/"),
        (None, f"/criteria/{QD26_SLUG}/sheets/7/"),
        (None, f"/p/{province.certificate.product_code}"),
        (None, f"/p/{province.certificate.product_code}/certificate"),
        (None, "/ogc/?f=html"),
        (None, "/ogc/collections?f=html"),
        (None, "/api/v1/docs/"),
        (people["producer"], "/producers/"),
        (people["producer"], f"/producers/{province.recognised.producer_id}/"),
        (people["producer"], "/dossiers/"),
        (people["producer"], "/trace/"),
        (people["producer"], f"/product-pages/{province.recognised.pk}/"),
        (people["province"], "/dashboards/"),
        (people["province"], f"/dashboards/products/{province.recognised.pk}/"),
        (people["province"], "/dashboards/communes/28756/"),
        (people["province"], "/dossiers/inbox/"),
        (people["province"], f"/dossiers/{province.late.pk}/review/"),
        (people["province"], "/product-pages/scans/"),
        (people["province"], "/accounts/api-token/"),
        (member, "/evaluation/"),
        (member, f"/evaluation/assignments/{province.assignment.pk}/score/"),
        (None, "/admin/login/"),
        (admin, "/admin/"),
        (admin, "/admin/producers/producer/"),
    ]


@pytest.mark.django_db
def test_every_page_kind_has_the_strict_policy_and_no_inline_script(pages):
    client = Client()
    for user, path in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_strict(policy(response), path)
        assert "Content-Security-Policy-Report-Only" not in response, path
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group(0))
        assert not HANDLER_ATTRIBUTE.search(html), (path, HANDLER_ATTRIBUTE.search(html).group(0))
        assert not JAVASCRIPT_URL.search(html), path


@pytest.mark.django_db
def test_errors_api_answers_and_the_docs_script_carry_the_policy_too(client):
    for path, status in (
        ("/no-such-page/", 404),
        ("/api/v1/dossiers/", None),  # 401 or 403: not signed in
        ("/api/v1/schema/", 200),
        ("/ogc/", 200),
        ("/api/v1/docs/?script", 200),
    ):
        response = client.get(path)
        assert response.status_code == status or status is None, (path, response.status_code)
        assert_strict(policy(response), path)
    # The docs' start-up script is a file of this site, served as JavaScript.
    script = client.get("/api/v1/docs/?script")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


@pytest.mark.django_db
def test_api_docs_load_swagger_ui_from_the_project(client):
    html = client.get("/api/v1/docs/").content.decode()
    sources = re.findall(r"""<(?:script|link)[^>]+(?:src|href)="([^"]+)\"""", html)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in s for s in sources)
    for source in sources:
        if source.startswith(django_settings.STATIC_URL):
            assert client.get(source).status_code == 200, source


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png?key=abc", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
    ],
)
def test_basemap_origin_from_the_tile_template(template, origin):
    assert _csp_origin(template) == origin


@pytest.mark.parametrize(
    "template", ["ftp://tiles.example.org/{z}/{x}/{y}.png", "https://a.{s}.example.org/{z}", "{z}"]
)
def test_a_basemap_that_csp_cannot_express_is_refused(template):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        _csp_origin(template)


def _settings_in_subprocess(module: str, **env) -> dict:
    """CONTENT_SECURITY_POLICY(_REPORT_ONLY) as a fresh process with `env` builds them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CONTENT_SECURITY_POLICY, s.CONTENT_SECURITY_POLICY_REPORT_ONLY]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=django_settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    enforced, report_only = json.loads(done.stdout.strip().splitlines()[-1])
    return {"enforced": enforced, "report_only": report_only}


def test_basemap_origin_is_allowed_for_images_when_configured():
    built = _settings_in_subprocess(
        "ocop_gis.settings.test", OCOP_BASEMAP_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    )
    img = built["enforced"]["DIRECTIVES"]["img-src"]
    assert img == ["'self'", "data:", "blob:", "https://*.tiles.example.org"]
    assert built["enforced"]["DIRECTIVES"]["script-src"] == ["'self'"]


def test_production_enforces_the_policy_and_report_only_is_a_switch():
    # Report-only is refused in production: asked for, the policy is still enforced.
    production = _settings_in_subprocess(
        "ocop_gis.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="ocop.example.org",
        EMAIL_HOST="smtp.example.org",
        OCOP_CSP_REPORT_ONLY="true",
    )
    assert production["report_only"] is None
    assert production["enforced"]["DIRECTIVES"]["script-src"] == ["'self'"]
    trial = _settings_in_subprocess("ocop_gis.settings.local", OCOP_CSP_REPORT_ONLY="true")
    assert trial["enforced"] is None
    assert trial["report_only"]["DIRECTIVES"]["script-src"] == ["'self'"]


# --- in the browser -------------------------------------------------------------------------
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


@pytest.fixture
def published_lot(province, people):
    owner = people["producer"]
    lot = trace_services.lot_create(
        actor=owner,
        product_id=province.recognised.pk,
        lot_number="CSP-1",
        production_date=timezone.localdate() - timedelta(days=3),
    )
    producer = province.recognised.producer
    trace_services.trace_event_create(
        actor=owner,
        lot_id=lot.pk,
        biz_step="harvesting",
        event_time=timezone.now() - timedelta(days=2),
        location=producer.location,
        party_name="HTX thử",
    )
    Lot.objects.filter(pk=lot.pk).update(published=True)
    lot.refresh_from_db()
    return lot


class Visitor:
    def __init__(self, browser_page, live_server):
        self.page = browser_page.page
        self.live_server = live_server
        self.console: list[str] = []
        self.page.add_init_script(LISTEN)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console.append(f"{self.page.url}: {exc}"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def login(self, username: str):
        self.page.context.clear_cookies()
        self.page.goto(f"{self.live_server.url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")

    def visit(self, path: str, ready: str | None = None):
        response = self.page.goto(f"{self.live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        if ready:
            self.page.wait_for_selector(ready, state="attached")
        self.page.wait_for_load_state("networkidle")
        self.check(path)

    def check(self, where: str):
        violations = self.page.evaluate("window.__csp")
        assert violations == [], (where, violations)
        assert self.console == [], self.console


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_major_pages_raise_no_policy_violation(
    browser_page,
    live_server,
    boundaries,
    province,
    people,
    published_lot,
    settings,
):
    settings.OCOP_BASEMAP_URL = ""
    council, members = province.council, province.members
    with TestCase.captureOnCommitCallbacks(execute=True):
        open_assignment = assignment_create(
            council=council, dossier_id=province.accepted.pk, actor=people["province"]
        )
    v = Visitor(browser_page, live_server)
    page = v.page
    code = province.certificate.product_code

    v.visit("/accounts/login/")
    # The language menu works without its old inline handler (core/site.js).
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "vi")
    v.visit("/")
    v.visit("/map/", ready="#map[data-loaded='current']")
    v.visit(f"/criteria/{QD26_SLUG}/sheets/7/")
    page.locator("#selfcheck input[type=radio]").first.check()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=result]').dataset.version === '1'"
    )
    v.check("selfcheck")
    v.visit(f"/p/{code}", ready="#origin-map .leaflet-interactive")
    v.visit(f"/trace/lots/{published_lot.public_id}/", ready="#trace-map[data-ready='1']")
    v.visit("/ogc/?f=html")
    v.visit("/api/v1/docs/", ready=".swagger-ui .information-container")
    assert page.locator(".swagger-ui .opblock").count() > 10  # the operations were drawn

    v.login("producer")
    v.visit("/producers/")
    v.visit(f"/producers/{province.recognised.producer_id}/", ready="#producer-map[data-ready='1']")
    v.visit(f"/trace/lots/{published_lot.pk}/edit/", ready="#trace-map[data-ready='1']")
    v.visit(f"/product-pages/{province.recognised.pk}/")
    v.visit("/product-pages/scans/")

    v.login("province")
    v.visit("/dashboards/", ready="#map[data-points-loaded='1']")
    page.wait_for_function("() => document.getElementById('charts').dataset.loaded === '1'")
    v.check("dashboards")
    v.visit(f"/dashboards/products/{province.recognised.pk}/")
    v.visit("/dossiers/inbox/")
    v.visit(f"/dossiers/{province.late.pk}/review/")
    v.visit("/accounts/api-token/")

    v.login("commune2")
    v.visit("/dashboards/communes/28756/", ready="#map[data-loaded='1']")

    v.login(members[0].username)
    v.visit(f"/evaluation/assignments/{open_assignment.pk}/score/")
    page.locator("#scoring-form input[type=radio]").first.check()
    page.wait_for_function(
        "() => { const d = document.getElementById('score').dataset; "
        "return d.saved && d.pending === '0'; }"
    )
    v.check("scoring")
    assert browser_page.outside == []
