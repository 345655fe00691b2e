"""API of the public pages: the public product JSON and the consumer's location share (both
anonymous, without personal data), the producer's page editor, and the scan summary."""

import hashlib

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, status
from rest_framework import serializers as f
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.throttling import rate_limit_hit
from apps.certificates.choices import PublicStatus
from apps.core.api.geojson import ORJSONRenderer
from apps.core.api.schema import FeatureSerializer

from .. import services
from ..models import BuyLink, ProductPhoto
from ..selectors import (
    editable_products,
    latest_code,
    photo_url,
    product_url,
    public_content,
    public_product_by_code,
    scan_summary,
)
from .serializers import (
    BuyLinkInputSerializer,
    BuyLinkOutputSerializer,
    GtinSerializer,
    LocationShareSerializer,
    PhotoInputSerializer,
    PhotoOutputSerializer,
    ProductPageOutputSerializer,
    ScanSummaryFilterSerializer,
    StorySerializer,
)


def _client_key(request) -> str:
    """An opaque, keyed hash of the client's address for the scan analytics' rate filter: the
    address itself is never kept."""
    from apps.accounts.throttling import client_ip

    digest = hashlib.sha256(f"{settings.SECRET_KEY}:scan-location:{client_ip(request)}".encode())
    return digest.hexdigest()[:24]


class LocationShareApi(APIView):
    """Anonymous: the consumer's browser shares an approximate position from a product page.
    The position is rounded to 0.1° before it is kept; the IP address is never kept."""

    authentication_classes = []  # anonymous, no session, so no CSRF token in a cacheable page
    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(request=LocationShareSerializer, responses={202: OpenApiResponse()})
    def post(self, request):
        # Per client address (OCOP_RATE_SCAN, the same counter as the page's scan log): 429.
        wait = rate_limit_hit(request, scope="scan", rate=settings.OCOP_RATE_SCAN)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        data = LocationShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        recorded = services.scan_location_share(
            code=v.get("code", ""),
            gtin=v.get("gtin", ""),
            lot_number=v.get("lot", ""),
            lon=v["lon"],
            lat=v["lat"],
            user_agent=request.headers.get("User-Agent", ""),
            client_key=_client_key(request),
        )
        return Response({"recorded": recorded}, status=status.HTTP_202_ACCEPTED)


_TEXT = {"allow_blank": True, "allow_null": True}
PUBLIC_PRODUCT = inline_serializer(
    "PublicProduct",
    {
        "product": inline_serializer(
            "PublicProductProduct",
            {
                "name": f.CharField(),
                "gtin": f.CharField(**_TEXT),
                "ocop_code": f.CharField(**_TEXT),
                "url": f.CharField(),
                "story": f.CharField(**_TEXT),
                "story_en": f.CharField(**_TEXT),
                "photos": f.ListField(child=f.URLField()),
                "buy_links": f.ListField(child=f.DictField()),
            },
        ),
        "producer": inline_serializer(
            "PublicProductProducer",
            {
                "name": f.CharField(),
                "commune": f.CharField(),
                "commune_code": f.CharField(),
                "province": f.CharField(),
            },
        ),
        "certificate": inline_serializer(
            "PublicProductCertificate",
            {
                "stars": f.IntegerField(),
                "number": f.CharField(**_TEXT),
                "decision_number": f.CharField(**_TEXT),
                "decision_date": f.DateField(),
                "valid_from": f.DateField(),
                "valid_until": f.DateField(),
                "extended_until": f.DateField(allow_null=True),
                "status": f.CharField(),
                "revoked_on": f.DateField(allow_null=True),
                "revocation_decision": f.CharField(**_TEXT),
            },
        ),
        "is_demo": f.BooleanField(),
    },
)
SCAN_SUMMARY = inline_serializer(
    "ScanSummary",
    {
        "days": f.IntegerField(),
        "total": f.IntegerField(),
        "located": f.IntegerField(),
        "flagged_total": f.IntegerField(),
        "daily": inline_serializer(
            "ScanDay",
            {
                "day": f.DateField(),
                "scans": f.IntegerField(),
                "flagged": f.IntegerField(),
            },
            many=True,
        ),
        "agents": f.DictField(child=f.IntegerField(), help_text="Scans per client class."),
        "places": inline_serializer(
            "ScanPlaces",
            {
                "type": f.ChoiceField(choices=["FeatureCollection"]),
                "features": FeatureSerializer(many=True),
            },
            help_text="0.1° cells as Point features with `scans`, `flagged`, `products`.",
        ),
        "flagged": inline_serializer(
            "ScanFlagged",
            {
                "product_id": f.IntegerField(),
                "product": f.CharField(),
                "commune": f.CharField(allow_null=True),
                "status": f.CharField(),
                "scans": f.IntegerField(),
                "located": f.IntegerField(),
            },
            many=True,
        ),
    },
)


class PublicProductApi(APIView):
    """Anonymous: a recognised product and its certificate's live status, for machines. The
    producer's business name and commune only, never personal data."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(responses=PUBLIC_PRODUCT)
    def get(self, request, code: str):
        public = public_product_by_code(code=code)
        if public is None:
            raise Http404
        content = public_content(public)
        cert, product, producer = public.certificate, public.product, public.product.producer
        revocation = (
            getattr(cert, "revocation", None) if public.status == PublicStatus.REVOKED else None
        )
        body = {
            "product": {
                "name": product.name,
                "gtin": product.gtin,
                "ocop_code": cert.product_code,
                "url": product_url(product, code=cert.product_code),
                "story": content["story"],
                "story_en": content["story_en"],
                "photos": [request.build_absolute_uri(p["url"]) for p in content["photos"]],
                "buy_links": content["buy_links"],
            },
            "producer": {
                "name": producer.name,
                "commune": producer.commune.full_name,
                "commune_code": producer.commune.code,
                "province": producer.province.full_name,
            },
            "certificate": {
                "stars": cert.stars,
                "number": cert.number,
                "decision_number": cert.decision.number,
                "decision_date": cert.decision.date.isoformat(),
                "valid_from": cert.valid_from.isoformat(),
                "valid_until": cert.valid_until.isoformat(),
                "extended_until": cert.extended_until.isoformat() if cert.extended_until else None,
                "status": public.status,
                "revoked_on": revocation.decided_on.isoformat() if revocation else None,
                "revocation_decision": revocation.decision_number if revocation else None,
            },
            "is_demo": cert.is_demo,
        }
        response = Response(body)
        patch_cache_control(response, public=True, max_age=settings.OCOP_PUBLIC_CACHE_SECONDS)
        patch_vary_headers(response, ("Accept",))
        return response


def _page_body(product) -> dict:
    page = getattr(product, "public_page", None)
    code = latest_code(product)
    return {
        "product_id": product.pk,
        "name": product.name,
        "gtin": product.gtin,
        "product_code": code,
        "public_url": product_url(product, code=code) if code else "",
        "story": page.story if page else "",
        "story_en": page.story_en if page else "",
        "photos": [
            {
                "id": p.pk,
                "url": photo_url(p),
                "width": p.width,
                "height": p.height,
                "caption": p.caption,
            }
            for p in ProductPhoto.objects.filter(product=product)
        ],
        "buy_links": [
            {"id": b.pk, "label": b.label, "url": b.url}
            for b in BuyLink.objects.filter(product=product)
        ],
    }


def _editable(request, product_id: int):
    # The services check the right again (403 for an officer, 404 out of scope); reads use the
    # same rule so an officer cannot read a draft story through the editor either.
    services.editable_product_get(request.user, product_id)
    return editable_products(user=request.user).get(pk=product_id)


class ProductPageApi(APIView):
    """The producer's view of a product's public page; PUT the story."""

    renderer_classes = [ORJSONRenderer]

    @extend_schema(responses=ProductPageOutputSerializer)
    def get(self, request, product_id: int):
        return Response(_page_body(_editable(request, product_id)))

    @extend_schema(request=StorySerializer, responses=ProductPageOutputSerializer)
    def put(self, request, product_id: int):
        data = StorySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.product_page_update(
            product_id=product_id, actor=request.user, **data.validated_data
        )
        return Response(_page_body(_editable(request, product_id)))


class ProductGtinApi(APIView):
    renderer_classes = [ORJSONRenderer]

    @extend_schema(request=GtinSerializer, responses=ProductPageOutputSerializer)
    def put(self, request, product_id: int):
        data = GtinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.product_gtin_set(
            product_id=product_id, actor=request.user, gtin=data.validated_data["gtin"]
        )
        return Response(_page_body(_editable(request, product_id)))


class BuyLinkListApi(APIView):
    renderer_classes = [ORJSONRenderer]

    @extend_schema(request=BuyLinkInputSerializer, responses={201: BuyLinkOutputSerializer})
    def post(self, request, product_id: int):
        data = BuyLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.buy_link_add(
            product_id=product_id, actor=request.user, **data.validated_data
        )
        return Response(
            {"id": link.pk, "label": link.label, "url": link.url}, status=status.HTTP_201_CREATED
        )


class BuyLinkDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, product_id: int, link_id: int):
        services.buy_link_delete(product_id=product_id, link_id=link_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoListApi(APIView):
    renderer_classes = [ORJSONRenderer]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=PhotoInputSerializer, responses={201: PhotoOutputSerializer})
    def post(self, request, product_id: int):
        data = PhotoInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.product_photo_add(
            product_id=product_id,
            actor=request.user,
            file=data.validated_data["file"],
            caption=data.validated_data.get("caption", ""),
        )
        return Response(
            {
                "id": photo.pk,
                "url": photo_url(photo),
                "width": photo.width,
                "height": photo.height,
                "caption": photo.caption,
            },
            status=status.HTTP_201_CREATED,
        )


class PhotoDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, product_id: int, photo_id: int):
        services.product_photo_delete(product_id=product_id, photo_id=photo_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScanSummaryApi(APIView):
    """Scans of the products in the user's scope: per day, per place (0.1° grid), per client
    class, and scans of revoked or expired products."""

    renderer_classes = [ORJSONRenderer]

    @extend_schema(parameters=[ScanSummaryFilterSerializer], responses=SCAN_SUMMARY)
    def get(self, request):
        filters = ScanSummaryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        v = filters.validated_data
        return Response(
            scan_summary(user=request.user, product_id=v.get("product"), days=v["days"])
        )
