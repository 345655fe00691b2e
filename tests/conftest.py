"""Shared fixtures: boundaries loaded once per test database, users per role, a browser page
that fails the test on any request leaving the app."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from apps.accounts.choices import Role
from apps.criteria.loading import load_all
from apps.geo.loading import load_boundaries
from apps.geo.models import AdminUnit

# Fixtures shared by several test packages (tests/fixtures/, tests/s3.py); a package's conftest.py
# or a test module may define its own of the same name, which wins. `pytest_plugins` is allowed
# only in this top-level conftest.
pytest_plugins = [
    "tests.fixtures.recognition",
    "tests.fixtures.public",
    "tests.fixtures.dashboards",
    "tests.fixtures.producers",
    "tests.s3",
]
# Modules besides the test modules that assert: pytest rewrites their asserts as it does the test
# modules' (the call must come before they are first imported, by the plugins above or by a test
# module). "tests.factories" is the package: every module in it (the dossier builders assert on
# each response, `choices_for` on the star it reaches).
pytest.register_assert_rewrite("tests.core.storage_contract", "tests.factories")

# Playwright's sync API keeps an asyncio loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
# SQLite test databases are files under var/ (apps/core/sqlite.py).
(Path(settings.BASE_DIR) / "var").mkdir(exist_ok=True)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Browser tests drive a live server and Chromium: a longer limit than pyproject.toml's `timeout`.
BROWSER_TEST_TIMEOUT = int(os.environ.get("OCOP_BROWSER_TEST_TIMEOUT", "600"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Stored files (evidence, certificates) never land in the working tree during tests."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The apps whose rows are reference data written by the loaders (boundaries, criteria sets).
REFERENCE_APPS = ("geo", "criteria")
_reference_rows: list[tuple[type[Model], list[Model]]] = []


def _snapshot_reference_data() -> None:
    """Keep the loaded reference rows in memory (once per test process / xdist worker)."""
    _reference_rows.clear()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in REFERENCE_APPS and not model._meta.proxy:
            _reference_rows.append((model, list(model._base_manager.order_by("pk"))))


def _restore_reference_data() -> None:
    """Put the reference rows back after a transactional test's flush: the same rows the loaders
    wrote, in one transaction (foreign keys are checked at commit), without reading the files
    and the criteria JSON again (~10 s on a loaded machine, ~0.5 s this way)."""
    with transaction.atomic():
        for model, rows in _reference_rows:
            model._base_manager.bulk_create(rows, batch_size=500)
        models = [model for model, _ in _reference_rows]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data every test may rely on, loaded once into the test database."""
    with django_db_blocker.unblock():
        load_boundaries(settings.OCOP_SPATIAL_DATA_DIR)
        load_all()
        _snapshot_reference_data()


@pytest.fixture
def boundaries(db):
    """Boundaries and criteria for tests that flush the database (transactional / live-server
    tests): restored from the rows loaded at the start of the session."""
    if not AdminUnit.objects.exists():
        _restore_reference_data()


@pytest.fixture
def unit():
    def get(code: str, level: str = "commune", current: bool = True) -> AdminUnit:
        qs = AdminUnit.objects.filter(code=code, level=level, valid_to__isnull=current)
        return qs.get()

    return get


@pytest.fixture
def make_user(db):
    """`make_user(role, units, ...)`: a user made by UserFactory, named after the role and a
    counter of this test ("producer-1") unless `username` is given."""
    # Imported here, not at the top: after register_assert_rewrite("tests.factories") above.
    from tests.factories.accounts import PASSWORD, UserFactory

    counter = iter(range(1, 10_000))

    def make(role: str = Role.PRODUCER, units=(), password: str = PASSWORD, **extra):
        number = next(counter)  # counts every user, named or not
        extra.setdefault("username", f"{role}-{number}")
        return UserFactory(role=role, units=units, password=password, **extra)

    return make


# --- browser -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


class BrowserPage:
    """A page plus the requests it tried to make outside the app (which the test asserts empty)."""

    def __init__(self, page, outside):
        self.page = page
        self.outside = outside

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def browser_page(browser, live_server, request):
    allowed = urlsplit(live_server.url).netloc
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if urlsplit(url).netloc == allowed or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield BrowserPage(page, outside)
    context.close()
