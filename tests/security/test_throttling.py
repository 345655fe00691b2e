"""Per-address throttling behind the reverse proxy: django-axes locks the client named by
X-Forwarded-For (not the proxy's address); password reset posts and scan logging are limited per
client with 429 + Retry-After."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory

from apps.accounts.choices import Role
from apps.accounts.throttling import client_ip
from apps.public.models import Scan
from tests.factories.accounts import PASSWORD

# The public pages' settings and the recognition chain's (tests/fixtures/), as in tests/public.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("public_settings", "media_in_tmp"),
]

PROXY = "10.0.0.2"  # nginx, as the app sees it
ALICE, BOB = "203.0.113.7", "198.51.100.9"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def via_proxy(address: str, sent_by_client: str = "") -> dict:
    """The request nginx forwards for a client at `address` (appending it to whatever
    X-Forwarded-For the client itself sent)."""
    forwarded = f"{sent_by_client}, {address}" if sent_by_client else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


# --- the client's address --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": ALICE}, ALICE),
        (0, via_proxy(ALICE), PROXY),  # no proxy configured: the header is ignored
        (1, via_proxy(ALICE), ALICE),
        (1, via_proxy(ALICE, sent_by_client="6.6.6.6"), ALICE),  # a forged header is ignored
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {ALICE}, 10.0.0.9"}, ALICE),
        (1, {"REMOTE_ADDR": ALICE}, ALICE),  # reached directly: no header
    ],
)
def test_client_ip(settings, count, meta, expected):
    settings.OCOP_TRUSTED_PROXY_COUNT = count
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# --- django-axes behind the proxy ------------------------------------------------------------
def _login(client, username, password, **meta):
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta)


def test_lockout_keys_on_the_forwarded_client_address(settings, make_user):
    from axes.models import AccessAttempt

    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    make_user(Role.PRODUCER, username="nong_dan", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "nong_dan", "wrong", **via_proxy(ALICE))
    # Alice is locked out, even with the right password and a forged header of her own
    assert _login(client, "nong_dan", PASSWORD, **via_proxy(ALICE)).status_code == 429
    assert (
        _login(client, "nong_dan", PASSWORD, **via_proxy(ALICE, sent_by_client=BOB)).status_code
        == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}
    # Bob, behind the same proxy, is not
    bob = _login(Client(), "nong_dan", PASSWORD, **via_proxy(BOB))
    assert bob.status_code == 302


# --- password reset --------------------------------------------------------------------------
def test_password_reset_is_limited_per_address(settings, make_user):
    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    settings.OCOP_RATE_PASSWORD_RESET = "3/3600"
    make_user(Role.PRODUCER, username="quen_mk", email="quen@example.test")
    client = Client()
    url = "/accounts/password/reset/"
    for _ in range(3):
        sent = client.post(url, {"email": "quen@example.test"}, **via_proxy(ALICE))
        assert sent.status_code == 302
    assert len(mail.outbox) == 3
    refused = client.post(url, {"email": "quen@example.test"}, **via_proxy(ALICE))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Quá nhiều yêu cầu đặt lại mật khẩu" in page  # Vietnamese, the default language
    assert 'data-testid="throttled"' in page
    assert len(mail.outbox) == 3  # nothing sent
    # the form still shows, and another client is not affected
    assert client.get(url, **via_proxy(ALICE)).status_code == 200
    assert client.post(url, {"email": "quen@example.test"}, **via_proxy(BOB)).status_code == 302


# --- scans -----------------------------------------------------------------------------------
def test_location_share_is_limited_per_address(settings, recognised):
    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    settings.OCOP_RATE_SCAN = "3/60"
    url = "/api/v1/public/scans/location/"
    body = {"code": recognised.product_code, "lat": 10.1, "lon": 106.3}
    client = Client()
    for _ in range(3):
        ok = client.post(url, body, content_type="application/json", **via_proxy(ALICE))
        assert ok.status_code == 202
    refused = client.post(url, body, content_type="application/json", **via_proxy(ALICE))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"
    other = client.post(url, body, content_type="application/json", **via_proxy(BOB))
    assert other.status_code == 202


def test_scan_logging_is_limited_per_address(settings, recognised):
    """Beyond the limit the page is still served (it may come from a shared cache anyway), but
    the scan log is not flooded by one address."""
    settings.OCOP_TRUSTED_PROXY_COUNT = 1
    settings.OCOP_RATE_SCAN = "2/60"
    client = Client()
    for _ in range(5):
        page = client.get(f"/p/{recognised.product_code}", **via_proxy(ALICE))
        assert page.status_code == 200
    assert Scan.objects.count() == 2
    client.get(f"/p/{recognised.product_code}", **via_proxy(BOB))
    assert Scan.objects.count() == 3
