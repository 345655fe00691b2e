"""The cached public pages (product page by code and by GTIN, certificate page, lot trace page)
set no cookie — no session, no csrftoken — for anonymous and for signed-in visitors alike, and
stay `Cache-Control: public`: a shared cache must never store one visitor's cookie and hand it to
the next."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.products.models import Product
from tests.factories.public import gtin13

# The public pages' settings and the recognition chain's (tests/fixtures/), as in tests/public.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("public_settings", "media_in_tmp"),
]


@pytest.fixture
def public_urls(recognised):
    from apps.traceability.models import Lot
    from apps.traceability.services import lot_create

    product = recognised.product
    gtin = gtin13("893123456700")
    Product.objects.filter(pk=product.pk).update(gtin=gtin.zfill(14))
    today = timezone.localdate()
    lot = lot_create(
        actor=product.producer.users.first(),
        product_id=product.pk,
        lot_number="LOT-COOKIE-1",
        production_date=today - timedelta(days=3),
        expiry_date=today + timedelta(days=300),
    )
    if hasattr(Lot, "published"):  # lots are public once their producer publishes them
        Lot.objects.filter(pk=lot.pk).update(published=True)
        lot.refresh_from_db()
    trace = f"/trace/lots/{getattr(lot, 'public_id', lot.pk)}/"
    code = recognised.product_code
    return [
        f"/p/{code}",
        f"/p/{code}/certificate",
        f"/p/{code}/10/{lot.lot_number}",
        f"/01/{gtin}",
        f"/01/{gtin}/10/{lot.lot_number}",
        f"/01/{gtin}?linkType=all",
        trace,
    ]


def _assert_cacheable_without_cookies(response, url):
    assert response.status_code == 200, (url, response.status_code)
    assert not response.cookies, (url, response.cookies.output())
    assert "Set-Cookie" not in response.headers, url
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "private" not in cache_control, (url, cache_control)


def test_anonymous_visitor_gets_no_cookie(public_urls):
    client = Client()
    for url in public_urls:
        _assert_cacheable_without_cookies(client.get(url), url)
    assert not client.cookies


def test_signed_in_visitor_gets_no_new_cookie(public_urls, people):
    """A producer opens their own product's public page while signed in: the session exists but
    the response neither sets a csrftoken nor refreshes or replaces the session cookie."""
    client = Client()
    client.force_login(people["producer"])
    session_before = client.cookies["sessionid"].value
    for url in public_urls:
        response = client.get(url)
        _assert_cacheable_without_cookies(response, url)
        assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies
    assert client.cookies["sessionid"].value == session_before


def test_a_signed_in_visitor_s_name_and_csrf_token_never_enter_a_public_page(
    public_urls, make_user
):
    """What a shared cache stores must not depend on who asked: no user name, no CSRF token (a
    token cached for everyone would be valid against that visitor's cookie)."""
    cache.clear()
    visitor = make_user(username="khach-rieng-tu", full_name="Khách Riêng Tư")
    client = Client()
    client.force_login(visitor)
    client.cookies["csrftoken"] = "x" * 32
    for url in public_urls:
        body = client.get(url).content.decode()
        assert "khach-rieng-tu" not in body and "Khách Riêng Tư" not in body, url
        assert "csrfmiddlewaretoken" not in body, url
