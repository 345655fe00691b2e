"""The producer edits the public page of their own products (page and API); officers and other
producers cannot; bad input is refused with nothing lost."""

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.public.models import BuyLink, ProductPage, ProductPhoto

pytestmark = pytest.mark.django_db
API = "/api/v1/product-pages/"


def _jpeg_with_gps(size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (10.0, 14.0, 30.0), 3: "E", 4: (106.0, 22.0, 10.0)})
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def test_story_and_buy_links_through_the_api(recognised, people, client_for, client):
    pid = recognised.product_id
    api = client_for(people["producer"])
    response = api.put(
        f"{API}{pid}/",
        {"story": "Kẹo dừa làm từ dừa xiêm Bến Tre.", "story_en": "Coconut candy from Bến Tre."},
        format="json",
    )
    assert response.status_code == 200 and response.json()["story"].startswith("Kẹo dừa")
    link = api.post(
        f"{API}{pid}/buy-links/",
        {"label": "Sàn TMĐT", "url": "https://shop.example.test/keo-dua"},
        format="json",
    )
    assert link.status_code == 201
    html = client.get(f"/p/{recognised.product_code}").content.decode()
    assert "dừa xiêm Bến Tre" in html and "https://shop.example.test/keo-dua" in html
    assert (
        "Coconut candy from" in client.get(f"/p/{recognised.product_code}?lang=en").content.decode()
    )
    for bad in (
        "javascript:alert(1)",
        "ftp://x.example.test/",
        "data:text/html,hi",
        "//evil.test/",
    ):
        refused = api.post(f"{API}{pid}/buy-links/", {"label": "X", "url": bad}, format="json")
        assert refused.status_code == 400 and refused.json()["extra"]["key"] == "url", bad
    assert BuyLink.objects.count() == 1
    assert api.delete(f"{API}{pid}/buy-links/{link.json()['id']}/").status_code == 204
    assert "shop.example.test" not in client.get(f"/p/{recognised.product_code}").content.decode()


def test_permissions(recognised, people, client_for):
    pid = recognised.product_id
    body = {"story": "x"}
    assert client_for(None).put(f"{API}{pid}/", body, format="json").status_code in (401, 403)
    assert (
        client_for(people["producer2"]).put(f"{API}{pid}/", body, format="json").status_code == 404
    )
    assert client_for(people["other_province"]).get(f"{API}{pid}/").status_code == 404
    for officer in ("province", "commune", "leader"):
        api = client_for(people[officer])
        assert api.put(f"{API}{pid}/", body, format="json").status_code == 403, officer
        assert (
            api.post(
                f"{API}{pid}/buy-links/", {"label": "a", "url": "https://a.test"}, format="json"
            ).status_code
            == 403
        )
    assert not ProductPage.objects.filter(story="x").exists()


def test_gtin_through_the_api(recognised, people, client_for, chain):
    pid = recognised.product_id
    api = client_for(people["producer"])
    assert (
        api.put(f"{API}{pid}/gtin/", {"gtin": "8934588063053"}, format="json").json()["gtin"]
        == "08934588063053"
    )
    for bad, reason in (
        ("8934588063054", "gtin_check_digit"),
        ("4006381333931", "gtin_prefix"),
        ("12345", "gtin_length"),
    ):
        response = api.put(f"{API}{pid}/gtin/", {"gtin": bad}, format="json")
        assert response.status_code == 400 and response.json()["extra"]["reason"] == reason
    other = chain.product("Thạch dừa DEMO")
    dup = api.put(f"{API}{other.pk}/gtin/", {"gtin": "8934588063053"}, format="json")
    assert dup.status_code == 400 and dup.json()["extra"]["key"] == "gtin"
    assert api.put(f"{API}{pid}/gtin/", {"gtin": ""}, format="json").json()["gtin"] is None


def test_photo_upload_strips_metadata_and_bad_uploads_lose_nothing(
    recognised, people, client_for, client, settings
):
    pid = recognised.product_id
    api = client_for(people["producer"])
    ok = api.post(
        f"{API}{pid}/photos/",
        {
            "file": SimpleUploadedFile("keo.jpg", _jpeg_with_gps(), "image/jpeg"),
            "caption": "Kẹo dừa",
        },
        format="multipart",
    )
    assert ok.status_code == 201, ok.content
    photo = ProductPhoto.objects.get()
    stored = storages["default"].open(photo.storage_name).read()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif(), "EXIF (GPS, camera) removed"
        assert max(image.size) <= 1600
    served = client.get(ok.json()["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == stored
    assert ok.json()["url"] in client.get(f"/p/{recognised.product_code}").content.decode()

    before = sorted(p.name for p in (settings.MEDIA_ROOT / "public").rglob("*") if p.is_file())
    for name, data in (
        ("fake.jpg", b"%PDF-1.4 not an image"),
        ("doc.pdf", b"%PDF-1.4\n%%EOF"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200),
    ):
        refused = api.post(
            f"{API}{pid}/photos/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
        )
        assert refused.status_code == 400, name
        assert refused.json()["code"] == "invalid_file"
    settings.OCOP_PUBLIC_PHOTO_MAX_BYTES = 1000
    big = api.post(
        f"{API}{pid}/photos/",
        {"file": SimpleUploadedFile("big.jpg", _jpeg_with_gps())},
        format="multipart",
    )
    assert big.status_code == 400
    assert ProductPhoto.objects.count() == 1
    after = sorted(p.name for p in (settings.MEDIA_ROOT / "public").rglob("*") if p.is_file())
    assert before == after, "no orphan object"
    assert (
        client_for(people["producer2"]).delete(f"{API}{pid}/photos/{photo.pk}/").status_code == 404
    )
    assert api.delete(f"{API}{pid}/photos/{photo.pk}/").status_code == 204
    assert not ProductPhoto.objects.exists() and client.get(ok.json()["url"]).status_code == 404


def test_editor_page(recognised, people, client):
    url = f"/product-pages/{recognised.product_id}/"
    client.force_login(people["producer"])
    page = client.get(url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    saved = client.post(url, {"action": "story", "story": "Chuyện sản phẩm", "story_en": ""})
    assert saved.status_code == 302
    refused = client.post(url, {"action": "link-add", "label": "X", "url": "javascript:alert(1)"})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    bad_gtin = client.post(url, {"action": "gtin", "gtin": "8934588063054"})
    assert bad_gtin.status_code == 400 and "8934588063054" in bad_gtin.content.decode()
    assert ProductPage.objects.get().story == "Chuyện sản phẩm"
    assert "/product-pages/" in client.get("/product-pages/").content.decode()
    client.force_login(people["province"])
    assert client.get(url).status_code == 404
    assert recognised.product.name in client.get("/product-pages/").content.decode()
