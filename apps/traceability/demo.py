"""The DEMO lot: a clearly labelled synthetic lot of the demo's recognised product with a full
chain of events (harvest → processing → packing → shipping → receiving), made through the real
services. Called by `apps.demo` (seed_demo) after the demo dataset exists."""

import struct
import zlib
from datetime import timedelta
from decimal import Decimal

from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

DEMO_PRODUCT = "DEMO Kẹo dừa sữa"
DEMO_OWNER = "demo_chuthe"
DEMO_LOT = "DEMO-2026-001"
# (step, days before today, hour, commune code or None for the producer's own point, party,
#  quantity, unit, disposition, destination)
DEMO_CHAIN = (
    (
        "harvesting",
        20,
        7,
        "28858",
        "DEMO Tổ hợp tác trồng dừa Cồn Phụng",
        Decimal("1200"),
        "KGM",
        "active",
        "",
    ),
    ("processing", 18, 8, None, None, Decimal("400"), "KGM", "in_progress", ""),
    ("packing", 17, 14, None, None, Decimal("2000"), "H87", "sellable_accessible", ""),
    (
        "shipping",
        15,
        9,
        None,
        None,
        Decimal("500"),
        "H87",
        "in_transit",
        "DEMO Cửa hàng đặc sản Ba Tri",
    ),
    (
        "receiving",
        14,
        16,
        "29110",
        "DEMO Cửa hàng đặc sản Ba Tri",
        Decimal("500"),
        "H87",
        "sellable_accessible",
        "",
    ),
)


def _demo_png() -> bytes:
    """A 96×96 coconut-brown square: a placeholder picture, clearly not a real product photo."""
    width = height = 96
    row = b"\x00" + bytes((0x8B, 0x5A, 0x2B)) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _seed_demo_events(owner, lot, product, today) -> int:
    """Record DEMO_CHAIN's events on the demo lot; returns how many."""
    from apps.geo.choices import Level
    from apps.geo.models import AdminUnit

    from . import services

    made = 0
    for (
        step,
        days,
        hour,
        commune_code,
        party,
        quantity,
        unit,
        disposition,
        destination,
    ) in DEMO_CHAIN:
        if commune_code:
            spot = AdminUnit.objects.get(
                level=Level.COMMUNE, code=commune_code, valid_to__isnull=True
            ).geom.point_on_surface
            where = Point(spot.x, spot.y, srid=4326)
        else:
            where = product.producer.location
        moment = timezone.make_aware(
            timezone.datetime.combine(
                today - timedelta(days=days), timezone.datetime.min.time()
            ).replace(hour=hour)
        )
        fields = {"disposition": disposition, "quantity": quantity, "unit": unit}
        if destination:
            fields.update(
                source_party_name=product.producer.name, destination_party_name=destination
            )
        services.trace_event_create(
            actor=owner,
            lot_id=lot.pk,
            biz_step=step,
            event_time=moment,
            location=where,
            party_name=party or product.producer.name,
            is_demo=True,
            **fields,
        )
        made += 1
    return made


def seed_traceability() -> dict[str, int]:
    """Create the DEMO lot and its events once; later runs keep what is there. Returns
    {"lots": n, "events": n, "created": 0|1}."""
    from apps.accounts.models import User
    from apps.products.models import Product

    from . import services
    from .models import Lot

    existing = Lot.objects.filter(is_demo=True, lot_number=DEMO_LOT).first()
    if existing is not None:
        if not existing.published:  # the demo's QR codes and README links point at it
            existing.published = True
            existing.save(update_fields=["published", "updated_at"])
        return {"lots": 1, "events": existing.events.count(), "created": 0}
    product = (
        Product.objects.select_related("producer")
        .filter(name=DEMO_PRODUCT, producer__is_demo=True)
        .first()
    )
    owner = User.objects.filter(username=DEMO_OWNER).first()
    if product is None or owner is None:
        raise RuntimeError("Create the demo dataset first (apps.demo.seeding.demo_dataset_ensure).")
    today = timezone.localdate()
    lot = services.lot_create(
        actor=owner,
        product_id=product.pk,
        lot_number=DEMO_LOT,
        is_demo=True,
        published=True,  # the demo's public trace page (README: /01/…/10/DEMO-2026-001)
        production_date=today - timedelta(days=18),
        expiry_date=today + timedelta(days=365),
        quantity=Decimal("2000"),
        quantity_unit="gói",
        applied_standards="DEMO TCCS 01:2026/HTX; TCVN 12850:2019",
        brand="DEMO Dừa Xanh",
    )
    made = _seed_demo_events(owner, lot, product, today)
    services.lot_image_set(
        actor=owner,
        lot_id=lot.pk,
        file=SimpleUploadedFile("demo-keo-dua.png", _demo_png(), "image/png"),
    )
    return {"lots": 1, "events": made, "created": 1}


__all__ = ["seed_traceability", "DEMO_LOT"]
