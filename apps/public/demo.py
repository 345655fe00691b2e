"""The public-page part of the synthetic demo set (called from apps.demo.seeding / seed_demo).

    from apps.public.demo import public_demo_ensure
    public_demo_ensure()  # -> {"products": n, "scans": n, "created": 0 | 1}

For every recognised DEMO product (a certificate of a producer flagged `is_demo`): a GTIN with the
GS1 Vietnam prefix 893 and a valid check digit, a story in Vietnamese and English, buy links to
example.com, a generated photo marked DEMO, and synthetic DEMO scans over the last 30 days
(phones, computers, bots; a few with a coarse location). Scans of a product whose certificate is
revoked or expired today are added too when the demo has such a product, so the province's
"revoked or expired" list has something to show. Runs once: a product that already has a page is
skipped.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.products.gs1 import gtin_check_digit

from . import services
from .models import ProductPage, Scan

DEMO_COMPANY = "8939999"  # 893 (GS1 Vietnam) + a company number no real company holds in the demo
# Coarse places (0.1° grid) where demo scans come from: Bến Tre, Vĩnh Long, Cần Thơ, HCMC, Hà Nội.
DEMO_PLACES = ((106.4, 10.2), (106.0, 10.3), (105.8, 10.0), (106.7, 10.8), (105.8, 21.0))
DEMO_STORY = (
    "DEMO — câu chuyện sản phẩm giả lập. Kẹo dừa được nấu từ nước cốt dừa xiêm và mạch nha, "
    "theo cách làm truyền thống của làng nghề ven sông; mỗi mẻ kẹo được gói tay trong lớp "
    "bánh tráng mỏng."
)
DEMO_STORY_EN = (
    "DEMO — a synthetic product story. The candy is cooked from the milk of local coconuts and "
    "malt, the traditional way of a riverside craft village; every batch is wrapped by hand."
)


def _gtin(index: int) -> str:
    body = f"{DEMO_COMPANY}{index:05d}"  # 12 digits
    return body + str(gtin_check_digit(body))


def _photo(name: str) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 720), (236, 214, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 920, 680), outline=(27, 110, 58), width=12)
    draw.text((80, 320), "DEMO", fill=(179, 18, 27), font_size=160)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{name}.jpg", buf.getvalue(), content_type="image/jpeg")


def public_demo_ensure(*, seed: int = 7) -> dict[str, int]:
    """See the module docstring. Idempotent."""
    today = timezone.localdate()
    certs = list(
        Certificate.objects.with_public_status(today)
        .filter(product__producer__is_demo=True)
        .select_related("product__producer")
        .order_by("pk")
    )
    made = {"products": 0, "scans": 0, "created": 0}
    rng = random.Random(seed)
    now = timezone.now()
    for index, cert in enumerate(certs, start=1):
        product = cert.product
        if ProductPage.objects.filter(product=product).exists():
            continue
        owner = product.producer.users.order_by("pk").first()
        if owner is None:
            continue
        if not product.gtin:
            services.product_gtin_set(product_id=product.pk, actor=owner, gtin=_gtin(index))
        services.product_page_update(
            product_id=product.pk, actor=owner, story=DEMO_STORY, story_en=DEMO_STORY_EN
        )
        services.buy_link_add(
            product_id=product.pk,
            actor=owner,
            label="DEMO Gian hàng trực tuyến",
            url=f"https://example.com/demo/ocop/{cert.product_code}",
        )
        services.buy_link_add(
            product_id=product.pk,
            actor=owner,
            label="DEMO Cửa hàng OCOP tỉnh",
            url="https://example.org/demo/cua-hang-ocop",
        )
        services.product_photo_add(
            product_id=product.pk, actor=owner, file=_photo(f"demo-{index}"), caption="DEMO"
        )
        status = cert.public_status
        rows = []
        for _ in range(40):
            rows.append(
                Scan(
                    product=product,
                    scanned_at=now - timedelta(minutes=rng.randint(5, 30 * 24 * 60)),
                    channel="page",
                    agent=rng.choice(["phone"] * 6 + ["desktop", "desktop", "bot", "other"]),
                    certificate_status=status,
                    is_demo=True,
                )
            )
        for _ in range(12):
            lon, lat = rng.choice(DEMO_PLACES)
            rows.append(
                Scan(
                    product=product,
                    scanned_at=now - timedelta(minutes=rng.randint(5, 30 * 24 * 60)),
                    channel="location",
                    agent="phone",
                    certificate_status=status,
                    location=Point(lon, lat, srid=4326),
                    is_demo=True,
                )
            )
        Scan.objects.bulk_create(rows)
        made["products"] += 1
        made["scans"] += len(rows)
        made["created"] = 1
    return made
