"""Reads for the public pages (no user: public content of recognised products only) and for the
producer's and the province's pages (always from `for_user`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from apps.certificates.choices import PublicStatus
from apps.certificates.models import Certificate
from apps.products.models import Product

from .choices import ScanChannel
from .models import BuyLink, ProductPage, ProductPhoto, Scan

FLAGGED_STATUSES = (PublicStatus.REVOKED.value, PublicStatus.EXPIRED.value)


def resolver_base() -> str:
    """`https://host` of the public codes: OCOP_RESOLVER_BASE_URL, or the scheme and host of
    OCOP_PUBLIC_PRODUCT_URL (what the certificates' QR codes already encode)."""
    if settings.OCOP_RESOLVER_BASE_URL:
        return settings.OCOP_RESOLVER_BASE_URL.rstrip("/")
    parts = urlsplit(settings.OCOP_PUBLIC_PRODUCT_URL)
    return f"{parts.scheme}://{parts.netloc}"


# --- the public product -------------------------------------------------------------------------
@dataclass
class PublicProduct:
    """A recognised product as the public sees it: its latest certificate with the status of
    today, read from the database at request time."""

    product: Product
    certificate: Certificate  # the product's latest certificate, annotated `public_status`
    scanned_code: str  # the product code in the scanned URL, or "" for a GTIN
    page: ProductPage | None

    @property
    def status(self) -> str:
        return self.certificate.public_status

    @property
    def code(self) -> str:
        return self.certificate.product_code

    @property
    def superseded_code(self) -> bool:
        """The scanned code is of an earlier certificate of the same product."""
        return bool(self.scanned_code) and self.scanned_code != self.certificate.product_code


def _certificates(today: date):
    # The units' polygons are not loaded here (a province's is hundreds of kilobytes, parsed into
    # GEOS on every request): the map's GeoJSON comes from `public_content`, cached.
    return (
        Certificate.objects.with_public_status(today)
        .select_related(
            "product__producer__commune",
            "product__producer__province",
            "product__public_page",
            "decision",
            "revocation",
        )
        .defer("product__producer__commune__geom", "product__producer__province__geom")
    )


def public_product_by_code(*, code: str, today: date | None = None) -> PublicProduct | None:
    """The product whose certificate (any of them) carries OCOP product code `code`. One query."""
    today = today or timezone.localdate()
    cert = (
        _certificates(today).filter(product__certificates__product_code=code).newest_first().first()
    )
    return _public(cert, code)


def public_product_by_gtin(*, gtin: str, today: date | None = None) -> PublicProduct | None:
    """The recognised product with this 14-digit GTIN. One query."""
    today = today or timezone.localdate()
    cert = _certificates(today).filter(product__gtin=gtin).newest_first().first()
    return _public(cert, "")


def _public(cert: Certificate | None, code: str) -> PublicProduct | None:
    if cert is None:
        return None
    product = cert.product
    page = getattr(product, "public_page", None)
    return PublicProduct(product=product, certificate=cert, scanned_code=code, page=page)


def public_lot(*, product: Product, lot_number: str):
    """The lot `lot_number` of `product` if its producer published it (else None: the resolver
    answers 404 exactly as for a lot that does not exist)."""
    from apps.traceability.models import Lot

    return Lot.objects.published().filter(product=product, lot_number=lot_number).first()


def _geojson(qs, field: str) -> str | None:
    row = qs.annotate(_gj=AsGeoJSON(field, precision=5)).values_list("_gj", flat=True).first()
    return row or None


def public_content(public: PublicProduct) -> dict:
    """Photos, story, buy links and the origin map's GeoJSON: what does not change with time.
    Cached for OCOP_PUBLIC_CONTENT_CACHE_SECONDS, keyed by the product's and its page's
    `updated_at`, so an edit shows at once; the certificate's status is never in here."""
    product, page = public.product, public.page
    version = f"{product.updated_at.timestamp()}:{page.updated_at.timestamp() if page else 0}"
    key = f"ocop-public-content:{product.pk}:{version}"
    content = cache.get(key)
    if content is not None:
        return content
    from apps.geo.models import AdminUnit
    from apps.producers.models import ProductionArea

    producer = product.producer
    photos = [
        {
            "url": photo_url(photo),
            "width": photo.width,
            "height": photo.height,
            "caption": photo.caption,
        }
        for photo in ProductPhoto.objects.filter(product=product)
    ]
    links = [{"label": b.label, "url": b.url} for b in BuyLink.objects.filter(product=product)]
    areas = ProductionArea.objects.filter(producer=producer)
    if product.production_area_id:
        areas = areas.filter(pk=product.production_area_id)
    area_rows = list(
        areas.annotate(_gj=AsGeoJSON("geom", precision=5)).values_list("name", "area_ha", "_gj")[:5]
    )
    content = {
        "photos": photos,
        "buy_links": links,
        "story": page.story if page else "",
        "story_en": page.story_en if page else "",
        "commune_geojson": _geojson(AdminUnit.objects.filter(pk=producer.commune_id), "geom"),
        "areas": [
            {"name": name, "hectares": str(hectares), "geojson": gj}
            for name, hectares, gj in area_rows
        ],
    }
    cache.set(key, content, settings.OCOP_PUBLIC_CONTENT_CACHE_SECONDS)
    return content


def photo_url(photo: ProductPhoto) -> str:
    return reverse(
        "public:photo", kwargs={"pk": photo.pk, "digest": photo.sha256[:16], "ext": photo.extension}
    )


def public_photo_get(*, pk: int, digest: str) -> ProductPhoto:
    """A photo is public only while its product has a certificate (of any status: a revoked
    product's page still shows what was revoked)."""
    return get_object_or_404(
        ProductPhoto.objects.filter(product__certificates__isnull=False).distinct(),
        pk=pk,
        sha256__startswith=digest,
    )


# --- identifiers and links ------------------------------------------------------------------------
def product_url(product: Product, *, lot_number: str = "", code: str = "") -> str:
    """The URL a product's (or a lot's) QR code encodes: GS1 Digital Link when the product has a
    GTIN, else the OCOP product code path."""
    base = resolver_base()
    if product.gtin:
        url = f"{base}/01/{product.gtin}"
    else:
        code = code or latest_code(product)
        if not code:
            return ""
        url = f"{base}/p/{code}"
    return f"{url}/10/{lot_number}" if lot_number else url


def latest_code(product: Product) -> str:
    """The OCOP product code of the product's newest certificate, revoked ones included (the
    public page of a revoked product shows it as revoked), or "" if it has none. One query."""
    return (
        Certificate.objects.filter(product=product)
        .newest_first()
        .values_list("product_code", flat=True)
        .first()
        or ""
    )


def latest_codes(products) -> dict[int, str]:
    """`latest_code` of each of `products`, by product id (absent: no certificate). One query."""
    codes: dict[int, str] = {}
    for product_id, code in (
        Certificate.objects.filter(product__in=products)
        .newest_first()
        .values_list("product_id", "product_code")
    ):
        codes.setdefault(product_id, code)
    return codes


# --- the producer's and the province's pages --------------------------------------------------
def editable_products(*, user):
    """Products whose public page `user` may edit: a producer's own products only."""
    from apps.accounts.choices import Role

    if not user.is_authenticated or user.role != Role.PRODUCER:
        return Product.objects.none()
    return Product.objects.for_user(user).select_related("producer", "public_page")


def visible_products(*, user):
    """Products whose codes and scans `user` may see (producers: their own; officers: their
    jurisdiction), with the latest certificate's product code."""
    return Product.objects.for_user(user).select_related("producer", "public_page")


def scan_summary(*, user, product_id: int | None = None, days: int = 90) -> dict:
    """Scans in `user`'s scope over the last `days` days: per day, per place (located scans only,
    on the 0.1° grid), per client class, and the scans of products whose certificate was revoked
    or expired at the time (old stock or fake labels)."""
    since = timezone.now() - timedelta(days=days)
    qs = Scan.objects.for_user(user).filter(scanned_at__gte=since)
    if product_id is not None:
        qs = qs.filter(product_id=product_id)
    flagged_q = Q(certificate_status__in=FLAGGED_STATUSES)
    pages = qs.filter(channel=ScanChannel.PAGE)
    daily = list(
        pages.annotate(day=TruncDate("scanned_at"))
        .values("day")
        .annotate(n=Count("pk"), flagged=Count("pk", filter=flagged_q))
        .order_by("day")
    )
    located = qs.filter(channel=ScanChannel.LOCATION, location__isnull=False)
    places: dict[tuple[float, float], dict] = {}
    for point, status, product_name in located.values_list(
        "location", "certificate_status", "product__name"
    )[:20_000]:
        cell = (round(point.x, 1), round(point.y, 1))
        place = places.setdefault(cell, {"n": 0, "flagged": 0, "products": set()})
        place["n"] += 1
        place["flagged"] += status in FLAGGED_STATUSES
        place["products"].add(product_name)
    agents = dict(pages.values_list("agent").annotate(n=Count("pk")).values_list("agent", "n"))
    flagged = list(
        qs.filter(flagged_q)
        .values(
            "product_id",
            "product__name",
            "product__producer__commune__full_name",
            "certificate_status",
        )
        .annotate(n=Count("pk"), located=Count("pk", filter=Q(location__isnull=False)))
        .order_by("-n")[:100]
    )
    return {
        "days": days,
        "total": pages.count(),
        "located": located.count(),
        "flagged_total": qs.filter(flagged_q, channel=ScanChannel.PAGE).count(),
        "daily": [
            {"day": r["day"].isoformat(), "scans": r["n"], "flagged": r["flagged"]} for r in daily
        ],
        "agents": agents,
        "places": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [x, y]},
                    "properties": {
                        "scans": p["n"],
                        "flagged": p["flagged"],
                        "products": sorted(p["products"])[:5],
                    },
                }
                for (x, y), p in sorted(places.items())
            ],
        },
        "flagged": [
            {
                "product_id": r["product_id"],
                "product": r["product__name"],
                "commune": r["product__producer__commune__full_name"],
                "status": r["certificate_status"],
                "scans": r["n"],
                "located": r["located"],
            }
            for r in flagged
        ],
    }
