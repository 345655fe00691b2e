from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import F
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.geojson import (
    GEOJSON_MEDIA_TYPE,
    GeoJSONRenderer,
    ORJSONRenderer,
    feature_collection_page,
)
from apps.core.api.pagination import Pagination
from apps.core.api.schema import FeatureCollectionSerializer, paginated
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.geo.models import AdminUnit
from apps.geo.selectors import today, unit_translate, units_at

from .serializers import (
    AdminUnitFilterSerializer,
    AdminUnitOutputSerializer,
    LocateInputSerializer,
    LocateOutputSerializer,
    TranslateInputSerializer,
    TranslationSerializer,
)

_FIELDS = (
    "id",
    "code",
    "name",
    "full_name",
    "level",
    "unit_type",
    "parent_code",
    "valid_from",
    "valid_to",
)


class AdminUnitListApi(APIView):
    """Administrative units valid on a date. Public reference data (no personal data)."""

    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer, GeoJSONRenderer]

    @extend_schema(
        parameters=[AdminUnitFilterSerializer],
        responses={
            (200, "application/json"): paginated(AdminUnitOutputSerializer),
            (200, GEOJSON_MEDIA_TYPE): FeatureCollectionSerializer,
        },
        description=(
            "Units in force on `valid_on` (default today). `?format=geojson` or "
            "`Accept: application/geo+json` returns a GeoJSON FeatureCollection (page of it)."
        ),
    )
    def get(self, request):
        filters = AdminUnitFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = AdminUnit.objects.valid_on(params.get("valid_on") or today())
        if "level" in params:
            qs = qs.filter(level=params["level"])
        if "parent" in params:
            qs = qs.filter(parent__code=params["parent"])
        if "code" in params:
            qs = qs.filter(code=params["code"])
        qs = qs.annotate(parent_code=F("parent__code")).order_by("level", "code")

        if request.accepted_renderer.format == "geojson":
            rows = qs.annotate(geometry=AsGeoJSON("geom", precision=6)).values(*_FIELDS, "geometry")
            return feature_collection_page(request, rows, view=self)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs.values(*_FIELDS), request, view=self)
        return paginator.get_paginated_response(
            [{k: v for k, v in row.items() if k != "id"} for row in page]
        )


def _ref(unit):
    return (
        None
        if unit is None
        else {"code": unit.code, "name": unit.name, "full_name": unit.full_name}
    )


class AdminUnitLocateApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[LocateInputSerializer],
        responses={200: LocateOutputSerializer},
        description="The province, district (before 1 July 2025) and commune at a point on a date.",
    )
    def get(self, request):
        params = LocateInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        location = units_at(lon=data["lon"], lat=data["lat"], on=data.get("on"))
        if location is None:
            raise ApplicationError(
                ErrorCode.OUTSIDE_ALL_UNITS,
                _(
                    "This point is outside every administrative unit on that date (at sea or "
                    "abroad)."
                ),
                extra={"lon": data["lon"], "lat": data["lat"]},
            )
        return Response(
            {
                "on": location.on,
                "province": _ref(location.province),
                "district": _ref(location.district),
                "commune": _ref(location.commune),
                "commune_candidates": [_ref(u) for u in location.commune_candidates],
            }
        )


class AdminUnitTranslateApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TranslateInputSerializer],
        responses={200: TranslationSerializer(many=True)},
        description=(
            "Translate a unit code (e.g. a pre-2025 commune) into the unit(s) in force on `on` "
            "(default today). Every unit that ever had the code is answered."
        ),
    )
    def get(self, request):
        params = TranslateInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        results = unit_translate(code=data["code"], level=data.get("level"), on=data.get("on"))
        if not results:
            raise ApplicationError(
                ErrorCode.NOT_FOUND,
                _("No administrative unit has the code %(code)s.") % {"code": data["code"]},
                extra={"key": "code"},
            )
        return Response(TranslationSerializer(results, many=True).data)
