"""The GS1 Digital Link resolver and the public product page behind every OCOP QR code (the
producer's page editor, QR codes, labels and scan analytics are in views_manage.py).

Public URLs (apps/public/urls.py, at the site root):

    /01/{gtin}               product with a GTIN (8, 12, 13 or 14 digits; check digit verified)
    /01/{gtin}/10/{lot}      one lot of it
    /p/{code}                product by OCOP product code (what certificates' QR codes encode)
    /p/{code}/10/{lot}       one lot of a product without a GTIN
    /p/{code}/certificate    the certificate's live status (gs1:certificationInfo target)

Each identifier URL answers the GS1 link types through `?linkType=`: `gs1:pip` (the product
page), `gs1:traceability` (the lot's trace page, or the product page's origin section),
`gs1:certificationInfo` (the certificate page), and `all` — or `Accept:
application/linkset+json` — gives the RFC 9264 linkset. Without a link type a product URL shows the
product page and a lot URL the lot's trace page. Every page is served in place (no redirect:
one round trip fewer on a phone) with a `Link: <…>; rel="linkset"` header.

Caching: the certificate's status is read from the database at every request (one query, which
also fetches the product); the content that does not depend on time (photos, story, map) comes
from the server cache; browsers and shared caches may keep the response for
OCOP_PUBLIC_CACHE_SECONDS (60), so a revocation shows within a minute. The public pages never
touch the session or set a cookie, so anonymous responses are the same for everyone.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.throttling import rate_limit_hit
from apps.certificates.choices import REVOCATION_GROUND_TEXT, STANDING, PublicStatus
from apps.geo.attribution import MAP_ATTRIBUTIONS
from apps.products.gs1 import gtin_normalise, validate_lot

from .choices import GS1_VOC, LINK_CERTIFICATION, LINK_DEFAULT, LINK_PIP, LINK_TRACEABILITY
from .scanlog import scan_record
from .selectors import (
    PublicProduct,
    product_url,
    public_content,
    public_lot,
    public_photo_get,
    public_product_by_code,
    public_product_by_gtin,
    resolver_base,
)

LINKSET_TYPE = "application/linkset+json"
LANGS = {code for code, _name in settings.LANGUAGES}


# --- helpers ---------------------------------------------------------------------------------
def _language(request) -> str:
    """`?lang=vi|en` chooses the page's language (the link in the page); otherwise the browser's
    (LocaleMiddleware), Vietnamese by default. The language is part of the URL, never a cookie."""
    lang = request.GET.get("lang", "")
    if lang in LANGS:
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    return translation.get_language() or settings.LANGUAGE_CODE


def _public_cache(response: HttpResponse, seconds: int | None = None) -> HttpResponse:
    seconds = settings.OCOP_PUBLIC_CACHE_SECONDS if seconds is None else seconds
    patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ("Accept", "Accept-Language"))
    return response


def _link_type(request) -> str:
    """The requested link type, without its prefix: "pip", "traceability",
    "certificationInfo", "all", or "" (none, or one this resolver does not have)."""
    value = (request.GET.get("linkType") or "").strip()
    for prefix in ("gs1:", GS1_VOC, "https://ref.gs1.org/voc/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    if value in ("all", "linkset"):
        return "all"
    if value in (LINK_PIP, LINK_TRACEABILITY, LINK_CERTIFICATION):
        return value
    return ""


def _wants_linkset(request) -> bool:
    return _link_type(request) == "all" or LINKSET_TYPE in request.headers.get("Accept", "")


def _problem(request, status: int, title: str, message: str, identifier: str) -> HttpResponse:
    _language(request)
    if _wants_linkset(request):
        response = JsonResponse(
            {
                "code": "invalid" if status == 400 else "not_found",
                "message": message,
                "extra": {"identifier": identifier},
            },
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "public/problem.html",
            {"title": title, "message": message, "identifier": identifier},
            status=status,
        )
    return _public_cache(response)


def _bad_identifier(request, message: str, identifier: str) -> HttpResponse:
    return _problem(request, 400, _("This code is malformed"), message, identifier)


def _not_registered(request, identifier: str) -> HttpResponse:
    return _problem(
        request,
        404,
        _("Not a registered OCOP product"),
        _(
            "The code %(identifier)s is not a registered OCOP product. If it is printed on a "
            "package with the OCOP mark, the label may be counterfeit: tell the seller or the "
            "provincial OCOP office."
        )
        % {"identifier": identifier},
        identifier,
    )


def _anchor(public: PublicProduct, gtin: str, lot: str) -> str:
    base = resolver_base()
    url = f"{base}/01/{gtin}" if gtin else f"{base}/p/{public.scanned_code or public.code}"
    return f"{url}/10/{lot}" if lot else url


def _targets(public: PublicProduct, lot) -> dict[str, str]:
    base = resolver_base()
    code = public.code
    page = f"{base}/p/{code}"
    targets = {
        LINK_PIP: page,
        LINK_CERTIFICATION: f"{base}/p/{code}/certificate",
        LINK_TRACEABILITY: (f"{page}/10/{lot.lot_number}" if lot else f"{page}#origin"),
    }
    targets[LINK_DEFAULT] = targets[LINK_TRACEABILITY] if lot else page
    return targets


def linkset(public: PublicProduct, *, gtin: str = "", lot=None) -> dict:
    """RFC 9264 JSON linkset of one identifier, relation types from the GS1 Web Vocabulary."""
    titles = {
        LINK_DEFAULT: public.product.name,
        LINK_PIP: _("Product information: %(name)s") % {"name": public.product.name},
        LINK_CERTIFICATION: _("OCOP certificate %(code)s and its current status")
        % {"code": public.code},
        LINK_TRACEABILITY: (
            _("Traceability of lot %(lot)s") % {"lot": lot.lot_number}
            if lot
            else _("Origin of the product")
        ),
    }
    entry: dict = {"anchor": _anchor(public, gtin, lot.lot_number if lot else "")}
    for kind, href in _targets(public, lot).items():
        entry[GS1_VOC + kind] = [
            {"href": href, "title": titles[kind], "type": "text/html", "hreflang": ["vi", "en"]}
        ]
    return {"linkset": [entry]}


def _linkset_header(anchor: str) -> str:
    return f'<{anchor}?linkType=all>; rel="linkset"; type="{LINKSET_TYPE}"'


# --- the resolver ------------------------------------------------------------------------------
@require_GET
def resolve_gtin(request, gtin: str, lot: str | None = None):
    # The language first: the validators' messages are translated when they are raised.
    _language(request)
    try:
        gtin14 = gtin_normalise(gtin)
    except ValidationError as exc:
        _language(request)
        return _bad_identifier(
            request,
            _("“%(value)s” is not a valid GTIN: %(reason)s")
            % {"value": gtin, "reason": exc.messages[0]},
            gtin,
        )
    if lot is not None:
        bad = _lot_problem(request, lot)
        if bad:
            return bad
    public = public_product_by_gtin(gtin=gtin14)
    if public is None:
        _language(request)
        return _not_registered(request, f"GTIN {gtin}")
    return _resolve(request, public, gtin=gtin14, lot_number=lot)


@require_GET
def resolve_code(request, code: str, lot: str | None = None):
    _language(request)
    if lot is not None:
        bad = _lot_problem(request, lot)
        if bad:
            return bad
    public = public_product_by_code(code=code)
    if public is None:
        _language(request)
        return _not_registered(request, code)
    return _resolve(request, public, gtin="", lot_number=lot)


def _lot_problem(request, lot: str) -> HttpResponse | None:
    try:
        validate_lot(lot)
    except ValidationError as exc:
        _language(request)
        return _bad_identifier(
            request,
            _("“%(value)s” is not a valid lot number: %(reason)s")
            % {"value": lot, "reason": exc.messages[0]},
            lot,
        )
    return None


def _resolve(request, public: PublicProduct, *, gtin: str, lot_number: str | None):
    _language(request)
    lot = None
    if lot_number is not None:
        lot = public_lot(product=public.product, lot_number=lot_number)
        if lot is None:
            return _problem(
                request,
                404,
                _("Lot not registered"),
                _("Lot %(lot)s is not registered for the OCOP product %(name)s.")
                % {"lot": lot_number, "name": public.product.name},
                lot_number,
            )
    anchor = _anchor(public, gtin, lot_number or "")
    if _wants_linkset(request):
        response = HttpResponse(
            json.dumps(linkset(public, gtin=gtin, lot=lot), ensure_ascii=False),
            content_type=LINKSET_TYPE,
        )
        return _public_cache(response)

    # A scan is recorded while the client stays within OCOP_RATE_SCAN; beyond it the page is
    # still served (it may come from a shared cache anyway) but the log is not flooded.
    if rate_limit_hit(request, scope="scan", rate=settings.OCOP_RATE_SCAN) is None:
        _record_scan(request, public, lot)
    link_type = _link_type(request)
    if link_type == LINK_CERTIFICATION:
        response = _certificate_page(request, public)
    elif lot is not None and link_type in ("", LINK_TRACEABILITY):
        response = _lot_page(request, public, lot)
    else:
        response = _product_page(request, public, lot=lot, gtin=gtin)
    response["Link"] = _linkset_header(anchor)
    return _public_cache(response)


def _record_scan(request, public: PublicProduct, lot) -> None:
    scan_record(
        product_id=public.product.pk,
        lot_id=lot.pk if lot else None,
        user_agent=request.headers.get("User-Agent", ""),
        certificate_status=public.status,
        is_demo=public.certificate.is_demo,
    )


def _lot_page(request, public: PublicProduct, lot) -> HttpResponse:
    """The lot's trace page, from the traceability app (imported here: it may be absent)."""
    try:
        from apps.traceability.views import lot_trace_response
    except ImportError:
        return _product_page(request, public, lot=lot, gtin=public.product.gtin or "")
    return lot_trace_response(request, lot)


# --- the pages -------------------------------------------------------------------------------
def status_context(public: PublicProduct) -> dict:
    cert = public.certificate
    status = public.status
    revocation = getattr(cert, "revocation", None) if status == PublicStatus.REVOKED else None
    return {
        "certificate": cert,
        "status": status,
        "status_label": PublicStatus(status).label,
        "status_ok": status in STANDING,
        "revocation": revocation,
        "revocation_ground": REVOCATION_GROUND_TEXT.get(revocation.ground, "")
        if revocation
        else "",
        "stars": range(cert.stars),
        "checked_at": timezone.localtime(),
    }


def _gtin13(gtin: str) -> str:
    return gtin[1:] if gtin and gtin.startswith("0") else (gtin or "")


def _common(request, public: PublicProduct) -> dict:
    product = public.product
    lang = translation.get_language() or "vi"
    code_url = reverse("public:product-by-code", kwargs={"code": public.code})
    return {
        "public": public,
        "product": product,
        "producer": product.producer,
        "lang": lang,
        "code_url": code_url,
        "certificate_url": reverse("public:certificate", kwargs={"code": public.code}),
        "gtin13": _gtin13(product.gtin),
        "is_demo": public.certificate.is_demo or product.producer.is_demo,
        "lang_links": [
            ("vi", "Tiếng Việt", f"?{urlencode({**request.GET.dict(), 'lang': 'vi'})}"),
            ("en", "English", f"?{urlencode({**request.GET.dict(), 'lang': 'en'})}"),
        ],
        **status_context(public),
    }


def _product_page(request, public: PublicProduct, *, lot=None, gtin: str = "") -> HttpResponse:
    content = public_content(public)
    ctx = _common(request, public)
    story = content["story_en"] if ctx["lang"] == "en" and content["story_en"] else content["story"]
    ctx.update(
        {
            "content": content,
            "story": story,
            "lot": lot,
            "map_data": {
                "commune": content["commune_geojson"],
                "areas": content["areas"],
                "basemap": settings.OCOP_BASEMAP_URL,
                "basemapAttribution": settings.OCOP_BASEMAP_ATTRIBUTION,
                "attributions": list(MAP_ATTRIBUTIONS),
                "communeName": public.product.producer.commune.full_name,
            },
            "share_data": {
                "endpoint": reverse("public-scan-location"),
                "code": "" if gtin else public.scanned_code or public.code,
                "gtin": gtin,
                "lot": lot.lot_number if lot else "",
            },
            "canonical": product_url(public.product, code=public.code),
        }
    )
    return render(request, "public/product.html", ctx)


def _certificate_page(request, public: PublicProduct) -> HttpResponse:
    return render(request, "public/certificate.html", _common(request, public))


@require_GET
def certificate_info(request, code: str):
    """The gs1:certificationInfo target: the certificate's live status and decision."""
    public = public_product_by_code(code=code)
    _language(request)
    if public is None:
        return _not_registered(request, code)
    return _public_cache(_certificate_page(request, public))


@require_GET
def photo(request, pk: int, digest: str, ext: str):
    """A product photo. The URL carries the photo's hash, so it can be cached for a year."""
    from apps.core.files import file_response

    item = public_photo_get(pk=pk, digest=digest)
    if ext != item.extension:
        raise Http404
    response = file_response(
        storage_name=item.storage_name,
        filename=f"ocop-{item.product_id}-{item.pk}.{item.extension}",
        content_type=item.content_type,
        as_attachment=False,
    )
    del response["Expires"]
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
