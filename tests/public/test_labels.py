"""QR codes (SVG, PNG) and printable label sheets for a product and a lot."""

import io

import pypdf
import pytest
import segno

from apps.public import services

pytestmark = pytest.mark.django_db


def test_qr_and_labels_for_product_and_lot(recognised, people, client):
    from apps.traceability.models import Lot

    pid = recognised.product_id
    client.force_login(people["producer"])
    svg = client.get(f"/product-pages/{pid}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") and b"http://www.w3.org/2000/svg" in svg.content
    assert f"https://ocop.example.test/p/{recognised.product_code}".encode() in svg.content
    png = client.get(f"/product-pages/{pid}/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")

    services.product_gtin_set(product_id=pid, actor=people["producer"], gtin="8934588063053")
    Lot.objects.create(product=recognised.product, lot_number="L01", created_by=people["producer"])
    url = "https://ocop.example.test/01/08934588063053/10/L01"
    svg = client.get(f"/product-pages/{pid}/qr.svg?lot=L01")
    assert url.encode() in svg.content
    expected = segno.make(url, error="q", micro=False, boost_error=False)
    out = io.BytesIO()
    expected.save(out, kind="png", scale=10, border=4)
    assert client.get(f"/product-pages/{pid}/qr.png?lot=L01").content == out.getvalue()

    pdf = client.get(f"/product-pages/{pid}/labels.pdf?lot=L01&count=30")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert recognised.product.name in text and "Quét để kiểm tra OCOP" in text and "…" not in text
    assert "L01" in text and "8934588063053" in text
    assert client.get(f"/product-pages/{pid}/qr.svg?lot=NOPE").status_code == 404


def test_qr_permissions(recognised, people, client):
    pid = recognised.product_id
    assert client.get(f"/product-pages/{pid}/qr.svg").status_code == 302  # to the login page
    client.force_login(people["producer2"])
    assert client.get(f"/product-pages/{pid}/labels.pdf").status_code == 404
    client.force_login(people["province"])
    assert client.get(f"/product-pages/{pid}/qr.png").status_code == 200
