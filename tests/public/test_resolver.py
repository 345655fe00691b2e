"""The resolver: GS1 Digital Link paths, the OCOP product code paths, link types, linksets and
errors; the certificate's live status after a revocation through the real service."""

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.certificates.services import certificate_revoke, public_url
from apps.public import services
from tests.factories.public import gtin13

pytestmark = pytest.mark.django_db

GTIN = gtin13("893458806305")  # 8934588063053


def _with_gtin(cert, people, gtin=GTIN):
    services.product_gtin_set(product_id=cert.product_id, actor=people["producer"], gtin=gtin)
    return "0" + gtin


def _lot(cert, people, number="L2026-01"):
    from apps.traceability.models import Lot

    return Lot.objects.create(
        product=cert.product,
        lot_number=number,
        created_by=people["producer"],
        production_date=timezone.localdate(),
        published=True,  # an unpublished lot is a 404 (tests/security/test_lots_public_id.py)
    )


def test_the_certificate_qr_url_opens_the_page_with_the_live_status(recognised, people, client):
    path = urlsplit(public_url(recognised.product_code)).path
    assert path == f"/p/{recognised.product_code}"
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert recognised.product.name in html and recognised.product_code in html
    assert "★★★★" in html and "★★★★★" not in html
    assert 'data-status="valid"' in html
    assert recognised.decision.number in html
    assert recognised.valid_until.strftime("%d/%m/%Y") in html
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert "Accept" in response["Vary"]
    assert not response.cookies, "a public page sets no cookie (cacheable for everyone)"
    assert 'rel="linkset"' in response["Link"]


def test_revocation_shows_at_the_next_request(recognised, people, client):
    path = f"/p/{recognised.product_code}"
    assert 'data-status="valid"' in client.get(path).content.decode()  # content now cached
    certificate_revoke(
        certificate_id=recognised.pk,
        ground="b",
        decision_number="99/QĐ-UBND",
        decided_on=timezone.localdate(),
        actor=people["leader"],
        note="Hậu kiểm",
    )
    html = client.get(path).content.decode()
    assert 'data-status="revoked"' in html
    assert "99/QĐ-UBND" in html
    assert "không còn đáp ứng các tiêu chí" in html  # the legal ground of Đ8.1.b
    gtin = _with_gtin(recognised, people)
    assert 'data-status="revoked"' in client.get(f"/01/{gtin}").content.decode()
    cert_page = client.get(f"/p/{recognised.product_code}/certificate").content.decode()
    assert 'data-status="revoked"' in cert_page


def test_an_expired_certificate_says_so(recognised, client):
    today = timezone.localdate()
    Certificate.objects.filter(pk=recognised.pk).update(
        valid_from=today - timedelta(days=1200), valid_until=today - timedelta(days=200)
    )
    html = client.get(f"/p/{recognised.product_code}?lang=en").content.decode()
    assert 'data-status="expired"' in html
    assert "old stock" in html


def test_gtin_paths_in_every_length(recognised, people, client):
    gtin14 = _with_gtin(recognised, people)
    for form in (gtin14, GTIN):
        response = client.get(f"/01/{form}")
        assert response.status_code == 200, form
        assert recognised.product.name in response.content.decode()
    html = client.get(f"/01/{gtin14}").content.decode()
    assert f"GTIN {GTIN}" in html


@pytest.mark.parametrize(
    ("gtin", "words"),
    [
        ("8934588063054", ("check digit",)),
        ("89345880630x3", ("digits only",)),
        ("893458806", ("8, 12, 13 or 14 digits",)),
    ],
)
def test_malformed_gtin_is_a_clear_400(gtin, words, client):
    response = client.get(f"/01/{gtin}?lang=en")
    assert response.status_code == 400
    html = response.content.decode()
    assert gtin in html and any(w in html for w in words), html[:2000]


def test_unknown_gtin_is_a_404_saying_not_registered(client):
    response = client.get(f"/01/{gtin13('893000000001')}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "not a registered OCOP product" in html or "không phải là sản phẩm OCOP" in html
    assert client.get("/p/86-99999-001-2026").status_code == 404


def test_unknown_gtin_in_english(client):
    response = client.get(f"/01/{gtin13('893000000001')}?lang=en")
    assert "is not a registered OCOP product" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_link_types(recognised, people, client):
    gtin = _with_gtin(recognised, people)
    cert = client.get(f"/01/{gtin}?linkType=gs1:certificationInfo")
    assert cert.status_code == 200 and 'data-testid="public-certificate"' in cert.content.decode()
    full = client.get(f"/01/{gtin}?linkType=https://gs1.org/voc/certificationInfo")
    assert 'data-testid="public-certificate"' in full.content.decode()
    pip = client.get(f"/01/{gtin}?linkType=gs1:pip")
    assert 'data-testid="public-product"' in pip.content.decode()
    trace = client.get(f"/01/{gtin}?linkType=gs1:traceability")
    assert 'id="origin"' in trace.content.decode()
    unknown = client.get(f"/01/{gtin}?linkType=gs1:recipeInfo")  # not offered: the default
    assert unknown.status_code == 200 and 'data-testid="public-product"' in unknown.content.decode()


def test_linkset_on_link_type_all_and_on_accept(recognised, people, client):
    gtin = _with_gtin(recognised, people)
    response = client.get(f"/01/{gtin}?linkType=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    body = json.loads(response.content)
    (entry,) = body["linkset"]
    assert entry["anchor"].endswith(f"/01/{gtin}")
    voc = "https://gs1.org/voc/"
    for kind in ("pip", "certificationInfo", "traceability", "defaultLink"):
        (link,) = entry[voc + kind]
        assert link["href"].startswith("http") and link["type"] == "text/html"
    assert entry[voc + "certificationInfo"][0]["href"].endswith(
        f"/p/{recognised.product_code}/certificate"
    )
    negotiated = client.get(f"/01/{gtin}", HTTP_ACCEPT="application/linkset+json")
    assert negotiated["Content-Type"] == "application/linkset+json"
    assert json.loads(negotiated.content) == body
    by_code = json.loads(client.get(f"/p/{recognised.product_code}?linkType=all").content)
    assert by_code["linkset"][0]["anchor"].endswith(f"/p/{recognised.product_code}")


def test_linkset_error_is_json(client):
    response = client.get("/01/8934588063054", HTTP_ACCEPT="application/linkset+json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_lot_paths(recognised, people, client):
    gtin = _with_gtin(recognised, people)
    lot = _lot(recognised, people)
    for path in (
        f"/01/{gtin}/10/{lot.lot_number}",
        f"/p/{recognised.product_code}/10/{lot.lot_number}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'data-testid="public-lot"' in html and lot.lot_number in html  # the trace page
        assert 'rel="linkset"' in response["Link"]
    linkset = json.loads(client.get(f"/01/{gtin}/10/{lot.lot_number}?linkType=all").content)
    entry = linkset["linkset"][0]
    assert entry["anchor"].endswith(f"/01/{gtin}/10/{lot.lot_number}")
    assert entry["https://gs1.org/voc/traceability"][0]["href"].endswith(f"/10/{lot.lot_number}")
    trace = client.get(f"/01/{gtin}/10/{lot.lot_number}?linkType=gs1:traceability").content.decode()
    assert 'data-testid="public-lot"' in trace
    pip = client.get(f"/01/{gtin}/10/{lot.lot_number}?linkType=gs1:pip").content.decode()
    assert 'data-testid="public-product"' in pip
    assert client.get(f"/01/{gtin}/10/NOPE").status_code == 404
    bad = client.get(f"/01/{gtin}/10/has space")
    assert bad.status_code == 400
    assert client.get(f"/01/{gtin}/10/{'x' * 21}").status_code == 400


def test_only_get(recognised, client):
    assert client.post(f"/p/{recognised.product_code}").status_code == 405
