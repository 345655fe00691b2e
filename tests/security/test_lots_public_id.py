"""Trace lots cannot be enumerated by their sequential id, and no unpublished lot is reachable.

The public trace page, its image and the QR codes use the lot's random `public_id`; a new lot is
unpublished until its producer publishes it, and until then the trace page, the GS1 Digital Link
resolver (`/01/{gtin}/10/{lot}`, `/p/{code}/10/{lot}`) and the fallback lot URI
(`/trace/p/{product}/10/{lot}`) all answer 404, exactly as for a lot that does not exist.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.public import services as public_services
from apps.traceability import services
from apps.traceability.models import Lot
from tests.factories.public import gtin13

# The public pages' settings and the recognition chain's (tests/fixtures/), as in tests/public.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("public_settings", "media_in_tmp"),
]

GTIN = gtin13("893458806305")


@pytest.fixture
def lot(recognised, people):
    public_services.product_gtin_set(
        product_id=recognised.product_id, actor=people["producer"], gtin=GTIN
    )
    return services.lot_create(
        actor=people["producer"],
        product_id=recognised.product_id,
        lot_number="SEC-2026-01",
        production_date=timezone.localdate(),
    )


def public_paths(lot: Lot, recognised) -> list[str]:
    return [
        f"/trace/lots/{lot.public_id}/",
        f"/01/0{GTIN}/10/{lot.lot_number}",
        f"/01/0{GTIN}/10/{lot.lot_number}?linkType=gs1:traceability",
        f"/p/{recognised.product_code}/10/{lot.lot_number}",
        f"/trace/p/{lot.product_id}/10/{lot.lot_number}",
    ]


def _jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 150, 80)).save(buf, format="JPEG")
    return SimpleUploadedFile("lot.jpg", buf.getvalue(), content_type="image/jpeg")


def test_lots_have_random_unique_public_ids(lot, people):
    other = services.lot_create(
        actor=people["producer"], product_id=lot.product_id, lot_number="SEC-2026-02"
    )
    for one in (lot, other):
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", one.public_id), one.public_id
        assert str(one.pk) not in (one.public_id,)
    assert lot.public_id != other.public_id


def test_a_new_lot_is_unpublished_and_not_reachable(lot, recognised, client):
    assert lot.published is False
    for path in public_paths(lot, recognised):
        assert client.get(path).status_code == 404, path


def test_the_sequential_path_is_gone(lot, recognised, people, client):
    services.lot_publish(actor=people["producer"], lot_id=lot.pk, published=True)
    assert client.get(f"/trace/lots/{lot.public_id}/").status_code == 200
    for pk in (lot.pk, lot.pk + 1, 1):
        assert client.get(f"/trace/lots/{pk}/").status_code == 404
        assert client.get(f"/trace/lots/{pk}/image").status_code == 404


def test_a_published_lot_is_reachable_by_its_public_id_and_the_resolver(
    lot, recognised, people, client
):
    services.lot_publish(actor=people["producer"], lot_id=lot.pk, published=True)
    for path in public_paths(lot, recognised):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'data-testid="public-lot"' in response.content.decode(), path
    # Taken offline again: 404 everywhere, as if it did not exist.
    services.lot_publish(actor=people["producer"], lot_id=lot.pk, published=False)
    for path in public_paths(lot, recognised):
        assert client.get(path).status_code == 404, path


def test_the_lot_image_follows_the_same_rule(lot, people, client):
    services.lot_image_set(actor=people["producer"], lot_id=lot.pk, file=_jpeg())
    assert client.get(f"/trace/lots/{lot.public_id}/image").status_code == 404
    services.lot_publish(actor=people["producer"], lot_id=lot.pk, published=True)
    response = client.get(f"/trace/lots/{lot.public_id}/image")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # The producer sees the image of the lot on its own page, published or not.
    services.lot_publish(actor=people["producer"], lot_id=lot.pk, published=False)
    client.force_login(people["producer"])
    assert client.get(f"/trace/lots/{lot.pk}/edit/image").status_code == 200


def test_the_producer_publishes_from_the_lot_page_and_the_api(lot, people, client, client_for):
    client.force_login(people["producer"])
    page = client.get(f"/trace/lots/{lot.pk}/edit/").content.decode()
    assert f"/trace/lots/{lot.public_id}/" in page and 'data-testid="publish-form"' in page
    response = client.post(f"/trace/lots/{lot.pk}/edit/", {"action": "publish"})
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.published
    assert lot.changes.filter(action="lot_updated", changes__has_key="published").exists()

    api = client_for(people["producer"])
    body = api.post(f"/api/v1/lots/{lot.pk}/unpublish/").json()
    assert body["published"] is False and body["public_id"] == lot.public_id
    assert body["public_url"] == f"/trace/lots/{lot.public_id}/"
    assert api.post(f"/api/v1/lots/{lot.pk}/publish/").json()["published"] is True


def test_only_the_producer_publishes(lot, people, client_for):
    assert client_for(people["commune"]).post(f"/api/v1/lots/{lot.pk}/publish/").status_code in (
        403,
        404,
    )
    assert (
        client_for(people["producer2"]).post(f"/api/v1/lots/{lot.pk}/publish/").status_code == 404
    )
    lot.refresh_from_db()
    assert not lot.published


def test_scan_location_of_an_unpublished_lot_does_not_name_it(lot, recognised):
    from apps.public.models import Scan

    public_services.scan_location_share(
        code=recognised.product_code,
        lot_number=lot.lot_number,
        lon=106.37,
        lat=10.24,
        user_agent="Mozilla/5.0 (iPhone)",
    )
    assert Scan.objects.get().lot_id is None
