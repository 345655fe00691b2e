"""The producer's pages under `/product-pages/` (apps/public/urls.py): the list of their
products, the page editor (story, buy links, photos, GTIN), the QR codes and label sheets, and
the scan analytics (producers see their codes, officers their jurisdiction's)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core import qr
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.parsing import parse_id, parse_optional_int
from apps.geo.attribution import MAP_ATTRIBUTIONS

from . import labels, services
from .models import BuyLink, ProductPhoto
from .selectors import (
    editable_products,
    latest_code,
    latest_codes,
    product_url,
    scan_summary,
    visible_products,
)
from .views import _gtin13


@login_required
@require_GET
def manage_list(request):
    """The user's products with their public page, codes and labels; a link to the scans."""
    products = list(visible_products(user=request.user).order_by("name"))
    editable = set(editable_products(user=request.user).values_list("pk", flat=True))
    codes = latest_codes(products)
    rows = [
        {
            "product": p,
            "code": codes.get(p.pk, ""),
            "url": product_url(p, code=codes.get(p.pk, "")) if codes.get(p.pk) else "",
            "editable": p.pk in editable,
        }
        for p in products
    ]
    return render(request, "public/manage_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request, product_id: int):
    """The producer edits the story, buy links, photos and GTIN of one of their products."""
    product = get_object_or_404(editable_products(user=request.user), pk=product_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _apply_edit(request, product, action)
        except ApplicationError as exc:
            errors[action] = exc.message
        else:
            return redirect(reverse("public:manage-edit", kwargs={"product_id": product.pk}))
        product.refresh_from_db()
    return _render_edit(request, product, errors)


def _apply_edit(request, product, action: str) -> None:
    """Run the POSTed `action` on `product`; an ApplicationError is the form's error."""
    if action == "story":
        services.product_page_update(
            product_id=product.pk,
            actor=request.user,
            story=request.POST.get("story", ""),
            story_en=request.POST.get("story_en", ""),
        )
    elif action == "gtin":
        services.product_gtin_set(
            product_id=product.pk, actor=request.user, gtin=request.POST.get("gtin", "")
        )
    elif action == "link-add":
        services.buy_link_add(
            product_id=product.pk,
            actor=request.user,
            label=request.POST.get("label", ""),
            url=request.POST.get("url", ""),
        )
    elif action == "link-delete":
        services.buy_link_delete(
            product_id=product.pk,
            link_id=parse_id(request.POST.get("link_id"), field="link_id"),
            actor=request.user,
        )
    elif action == "photo-add":
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(
                ErrorCode.INVALID, _("Choose a photo to upload."), extra={"key": "file"}
            )
        services.product_photo_add(
            product_id=product.pk,
            actor=request.user,
            file=upload,
            caption=request.POST.get("caption", ""),
        )
    elif action == "photo-delete":
        services.product_photo_delete(
            product_id=product.pk,
            photo_id=parse_id(request.POST.get("photo_id"), field="photo_id"),
            actor=request.user,
        )
    else:
        raise ApplicationError(ErrorCode.INVALID, _("Unknown action."), extra={"key": "action"})


def _render_edit(request, product, errors: dict[str, str]) -> HttpResponse:
    """The editor page, with the form's errors (a 400) if any."""
    page = getattr(product, "public_page", None)
    code = latest_code(product)
    url = product_url(product, code=code) if code else ""
    from .selectors import photo_url

    photos = [
        {"id": p.pk, "url": photo_url(p), "caption": p.caption}
        for p in ProductPhoto.objects.filter(product=product)
    ]
    return render(
        request,
        "public/manage_edit.html",
        {
            "product": product,
            "page": page,
            "code": code,
            "public_url": url,
            "qr_svg": qr.qr_svg(url, scale=3) if url else "",
            "photos": photos,
            "links": BuyLink.objects.filter(product=product),
            "errors": errors,
            "form": request.POST if errors else {},
            "gtin13": _gtin13(product.gtin),
            "lots": _lots(product),
        },
        status=400 if errors else 200,
    )


def _lots(product):
    from apps.traceability.models import Lot

    return list(Lot.objects.filter(product=product).order_by("-production_date", "lot_number")[:50])


def _code_product(request, product_id: int):
    product = get_object_or_404(visible_products(user=request.user), pk=product_id)
    code = latest_code(product)
    if not code:
        raise Http404("The product has no OCOP certificate, so no public page yet.")
    lot_number = request.GET.get("lot", "")
    if lot_number and not _lots_has(product, lot_number):
        raise Http404("Unknown lot")
    return product, code, lot_number


def _lots_has(product, lot_number: str) -> bool:
    from apps.traceability.models import Lot

    return Lot.objects.filter(product=product, lot_number=lot_number).exists()


@login_required
@require_GET
def qr_code(request, product_id: int, fmt: str):
    """The QR code of a product (or `?lot=` one of its lots) as SVG or PNG, for printing."""
    product, code, lot_number = _code_product(request, product_id)
    url = product_url(product, lot_number=lot_number, code=code)
    name = f"ocop-qr-{code}{'-' + lot_number if lot_number else ''}"
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg_file(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(
            qr.qr_png(url, scale=_int(request, "scale", 10, 2, 40)), content_type="image/png"
        )
    response["Content-Disposition"] = f'attachment; filename="{_ascii(name)}.{fmt}"'
    return response


def _int(request, name: str, default: int, low: int, high: int) -> int:
    """An ASCII whole number from the query string, clamped to [low, high]; anything else is a
    400 (apps.core.parsing)."""
    value = parse_optional_int(request.GET.get(name), field=name, default=default)
    return max(low, min(value, high))


def _ascii(value: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in value)


@login_required
@require_GET
def label_sheet(request, product_id: int):
    """An A4 sheet of QR labels (PDF) for a product or `?lot=`; `?count=` labels (default 24)."""
    product, code, lot_number = _code_product(request, product_id)
    url = product_url(product, lot_number=lot_number, code=code)
    count = _int(request, "count", 24, 1, 240)
    data = labels.LabelData(
        url=url,
        product_name=product.name,
        producer_name=product.producer.name,
        identifier=f"GTIN {_gtin13(product.gtin)}" if product.gtin else f"Mã OCOP {code}",
        lot_number=lot_number,
        is_demo=product.producer.is_demo,
    )
    pdf = labels.label_sheet_pdf(data, count=count)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"ocop-labels-{code}{'-' + lot_number if lot_number else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{_ascii(name)}"'
    return response


@login_required
@require_GET
def scans_page(request):
    """Where and when the user's (producer) or jurisdiction's (officers) codes are scanned."""
    product_id = parse_optional_int(request.GET.get("product"), field="product", minimum=1)
    days = _int(request, "days", 90, 1, 730)
    summary = scan_summary(user=request.user, product_id=product_id, days=days)
    peak = max([d["scans"] for d in summary["daily"]] or [1])
    bars = [
        {
            **d,
            "h": round(100 * d["scans"] / peak, 1),
            "fh": round(100 * d["flagged"] / d["scans"], 1) if d["scans"] else 0,
        }
        for d in summary["daily"]
    ]
    return render(
        request,
        "public/scans.html",
        {
            "summary": summary,
            "bars": bars,
            "peak": peak,
            "days": days,
            "product_id": product_id,
            "products": visible_products(user=request.user).order_by("name")[:500],
            "map_data": {
                "places": summary["places"],
                "basemap": settings.OCOP_BASEMAP_URL,
                "basemapAttribution": settings.OCOP_BASEMAP_ATTRIBUTION,
                "attributions": list(MAP_ATTRIBUTIONS),
            },
        },
    )
