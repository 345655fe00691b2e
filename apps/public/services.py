"""Writes behind the public product page: the producer's story, photos, buy links and GTIN, and
the location a consumer's browser chose to share.

Only the product's own producer edits its page (`_editable_product`): officers see the codes and
the scans, never edit the producer's content. Every write moves `ProductPage.updated_at`, which
versions the cached page content, so an edit shows on the next request.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.files import stored_file_delete, stored_file_or_cleanup, upload_check
from apps.products.gs1 import VIETNAM_PREFIX, gtin_normalise
from apps.products.models import Product

from .choices import ScanChannel
from .models import BuyLink, ProductPage, ProductPhoto
from .scanlog import location_report_kept, scan_record
from .selectors import editable_products

logger = logging.getLogger(__name__)

PHOTO_MAX_SIDE = 1600  # pixels: plenty for a phone screen, a fraction of a camera's size
PHOTO_MAX_PIXELS = 60_000_000  # refuse decompression bombs before decoding
BUY_LINKS_MAX = 10


def _error(code: ErrorCode, message: str, **extra) -> ApplicationError:
    return ApplicationError(code, message, extra=extra)


def editable_product_get(actor: User, product_id: int, *, lock: bool = False) -> Product:
    """The product if `actor` is its producer; 403 for others who may see it, 404 otherwise."""
    qs = editable_products(user=actor)
    if lock:
        qs = qs.select_for_update(of=("self",))
    product = qs.filter(pk=product_id).first()
    if product is None:
        if Product.objects.for_user(actor).filter(pk=product_id).exists():
            raise _error(
                ErrorCode.PERMISSION_DENIED,
                _("Only the product's producer edits its public page."),
                key="product_id",
            )
        raise _error(
            ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."), key="product_id"
        )
    return product


def _page(product: Product) -> ProductPage:
    page, _created = ProductPage.objects.get_or_create(product=product)
    return page


def _touch(product: Product, actor: User) -> None:
    """Move the page's `updated_at` (content version) and record who changed it."""
    page = _page(product)
    page.updated_by = actor
    page.save(update_fields=["updated_at", "updated_by"])


# --- story ------------------------------------------------------------------------------------
@transaction.atomic
def product_page_update(
    *, product_id: int, actor: User, story: str, story_en: str = ""
) -> ProductPage:
    """Set the product's story (Vietnamese, and optionally English)."""
    product = editable_product_get(actor, product_id, lock=True)
    page = _page(product)
    page.story = (story or "").strip()
    page.story_en = (story_en or "").strip()
    page.updated_by = actor
    try:
        page.full_clean()
    except DjangoValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        raise _error(ErrorCode.INVALID, messages[0], key=key) from exc
    page.save(update_fields=["story", "story_en", "updated_at", "updated_by"])
    return page


# --- GTIN -------------------------------------------------------------------------------------
def gtin_check(value: str) -> str:
    """The 14-digit GTIN for `value`, checked: digits, length, check digit, and the GS1 Vietnam
    prefix 893 (OCOP products are Vietnamese products)."""
    try:
        gtin = gtin_normalise(value)
    except DjangoValidationError as exc:
        raise _error(ErrorCode.INVALID, exc.messages[0], key="gtin", reason=exc.code) from exc
    prefix = gtin[6:9] if gtin.startswith("000000") else gtin[1:4]
    if prefix != VIETNAM_PREFIX:
        raise _error(
            ErrorCode.INVALID,
            _("This GTIN was not issued by GS1 Vietnam: its prefix is %(prefix)s, not 893.")
            % {"prefix": prefix},
            key="gtin",
            reason="gtin_prefix",
        )
    return gtin


@transaction.atomic
def product_gtin_set(*, product_id: int, actor: User, gtin: str) -> Product:
    """Give the product its GTIN (or remove it with an empty value). A GTIN belongs to one
    product only."""
    product = editable_product_get(actor, product_id, lock=True)
    value = gtin_check(gtin) if (gtin or "").strip() else None
    if value and Product.objects.filter(gtin=value).exclude(pk=product.pk).exists():
        raise _error(ErrorCode.INVALID, _("Another product already has this GTIN."), key="gtin")
    product.gtin = value
    try:
        with transaction.atomic():
            product.save(update_fields=["gtin", "updated_at"])
    except IntegrityError as exc:  # a concurrent claim of the same GTIN
        raise _error(
            ErrorCode.INVALID, _("Another product already has this GTIN."), key="gtin"
        ) from exc
    _touch(product, actor)
    return product


# --- buy links --------------------------------------------------------------------------------
@transaction.atomic
def buy_link_add(*, product_id: int, actor: User, label: str, url: str) -> BuyLink:
    """Add a link to a shop selling the product: http or https only."""
    product = editable_product_get(actor, product_id, lock=True)
    if BuyLink.objects.filter(product=product).count() >= BUY_LINKS_MAX:
        raise _error(
            ErrorCode.INVALID,
            _("A product has at most %(n)d buy links.") % {"n": BUY_LINKS_MAX},
            key="url",
        )
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise _error(ErrorCode.INVALID, _("Give a web address starting with https://."), key="url")
    link = BuyLink(
        product=product,
        label=(label or "").strip(),
        url=url,
        position=BuyLink.objects.filter(product=product).count(),
    )
    try:
        link.full_clean()
    except DjangoValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        raise _error(ErrorCode.INVALID, messages[0], key=key) from exc
    link.save()
    _touch(product, actor)
    return link


@transaction.atomic
def buy_link_delete(*, product_id: int, link_id: int, actor: User) -> None:
    product = editable_product_get(actor, product_id, lock=True)
    deleted, _rows = BuyLink.objects.filter(product=product, pk=link_id).delete()
    if not deleted:
        raise _error(
            ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."), key="link_id"
        )
    _touch(product, actor)


# --- photos -----------------------------------------------------------------------------------
def _reencode(file) -> tuple[bytes, str, int, int]:
    """Decode the image and write it again without any metadata (EXIF GPS, camera serial,
    thumbnails), upright and at most PHOTO_MAX_SIDE pixels on a side. Refuses what does not
    decode as an image."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = PHOTO_MAX_PIXELS
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.load()
            fmt = image.format
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            if fmt == "PNG":
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
                content_type = "image/png"
            else:
                if image.mode != "RGB":
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
                content_type = "image/jpeg"
            width, height = image.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        logger.info("Refused an undecodable photo: %s", exc)
        raise _error(
            ErrorCode.INVALID_FILE,
            _("The image is damaged or too large to open."),
            key="file",
            reason="damaged",
        ) from exc
    finally:
        file.seek(0)
    return out.getvalue(), content_type, width, height


def product_photo_add(*, product_id: int, actor: User, file, caption: str = "") -> ProductPhoto:
    """Add a photo (JPEG or PNG, checked by content and size, re-encoded without metadata).
    A refused or failed upload leaves neither a row nor a stored object, and the product's
    other photos as they were."""
    product = editable_product_get(actor, product_id)
    if (
        ProductPhoto.objects.filter(product=product).count()
        >= settings.OCOP_PUBLIC_PHOTOS_PER_PRODUCT
    ):
        raise _error(
            ErrorCode.INVALID,
            _("A product has at most %(n)d photos: delete one first.")
            % {"n": settings.OCOP_PUBLIC_PHOTOS_PER_PRODUCT},
            key="file",
        )
    checked = upload_check(file=file, max_bytes=settings.OCOP_PUBLIC_PHOTO_MAX_BYTES)
    if checked.extension not in ("jpg", "png"):
        raise _error(
            ErrorCode.INVALID_FILE,
            _("Product photos must be JPEG or PNG images."),
            key="file",
            reason="not_image",
            detected=checked.extension,
        )
    data, content_type, width, height = _reencode(file)
    clean = ContentFile(data, name="photo." + ("png" if content_type == "image/png" else "jpg"))
    stored = upload_check(file=clean, max_bytes=max(len(data), 1))
    with stored_file_or_cleanup(checked=stored, file=clean, prefix="public/photos") as name:
        with transaction.atomic(durable=True):
            photo = ProductPhoto.objects.create(
                product=product,
                storage_name=name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                width=width,
                height=height,
                caption=(caption or "").strip()[:200],
                position=ProductPhoto.objects.filter(product=product).count(),
                uploaded_by=actor,
            )
            _touch(product, actor)
    return photo


def product_photo_delete(*, product_id: int, photo_id: int, actor: User) -> None:
    """Delete a photo: the row first (in a transaction), then the stored object."""
    product = editable_product_get(actor, product_id)
    with transaction.atomic():
        photo = (
            ProductPhoto.objects.select_for_update().filter(product=product, pk=photo_id).first()
        )
        if photo is None:
            raise _error(
                ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."), key="photo_id"
            )
        name = photo.storage_name
        photo.delete()
        _touch(product, actor)
    try:
        stored_file_delete(storage_name=name)
    except Exception:  # noqa: BLE001 — the row is gone; a sweep can remove the orphan object
        logger.exception("Could not delete the stored photo %s", name)


# --- a consumer's shared location ---------------------------------------------------------------
def scan_location_share(
    *,
    code: str = "",
    gtin: str = "",
    lot_number: str = "",
    lon,
    lat,
    user_agent: str,
    client_key: str = "",
) -> bool:
    """Record that a consumer looking at a product's page shared their approximate position.
    The position is rounded to 0.1° before it is kept; the request's address is not kept.
    Reports outside Viet Nam, or from one client (`client_key`, an opaque hash of its address)
    faster than a person scans, are dropped (`scanlog.location_report_kept`). Returns whether
    the report was kept."""
    from .selectors import public_lot, public_product_by_code, public_product_by_gtin

    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise _error(ErrorCode.INVALID, _("Give a longitude and a latitude."), key="lon") from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _error(ErrorCode.INVALID, _("The position is outside the Earth."), key="lon")
    public = None
    if gtin:
        try:
            public = public_product_by_gtin(gtin=gtin_normalise(gtin))
        except DjangoValidationError:
            public = None
    elif code:
        public = public_product_by_code(code=code)
    if public is None:
        raise _error(
            ErrorCode.NOT_FOUND, _("This code is not a registered OCOP product."), key="code"
        )
    if not location_report_kept(lon=lon, lat=lat, client_key=client_key):
        return False
    lot = public_lot(product=public.product, lot_number=lot_number) if lot_number else None
    scan_record(
        product_id=public.product.pk,
        lot_id=lot.pk if lot else None,
        user_agent=user_agent,
        certificate_status=public.status,
        is_demo=public.certificate.is_demo,
        channel=ScanChannel.LOCATION,
        lon=lon,
        lat=lat,
    )
    return True
