import orjson
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.choices import Role
from apps.core.api.geojson import (
    GEOJSON_MEDIA_TYPE,
    GeoJSONRenderer,
    ORJSONRenderer,
    feature_collection_page,
)
from apps.core.api.pagination import Pagination
from apps.core.api.schema import FeatureCollectionSerializer, paginated
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.producers.permissions import (
    can_create_producer,
    can_edit_producer,
    linked_producer_ids,
    sees_personal_data,
)
from apps.producers.selectors import (
    producer_geojson_rows,
    producer_get,
    producer_list,
    production_area_list,
)
from apps.producers.services import producer_create, producer_update, production_area_create

from .serializers import (
    ProducerFilterSerializer,
    ProducerInputSerializer,
    ProducerOutputSerializer,
    ProducerPrivateOutputSerializer,
    ProductionAreaInputSerializer,
    ProductionAreaOutputSerializer,
)


def _producer_data(user, producer, *, linked_ids=None) -> dict:
    private = sees_personal_data(user, producer, linked_ids=linked_ids)
    serializer = ProducerPrivateOutputSerializer if private else ProducerOutputSerializer
    return serializer(producer).data


def _forbidden(message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.PERMISSION_DENIED, message)


class ProducerListCreateApi(APIView):
    """OCOP producers in the user's jurisdiction; register a producer."""

    renderer_classes = [ORJSONRenderer, GeoJSONRenderer]

    @extend_schema(
        parameters=[ProducerFilterSerializer],
        responses={
            (200, "application/json"): paginated(ProducerPrivateOutputSerializer),
            (200, GEOJSON_MEDIA_TYPE): FeatureCollectionSerializer,
        },
        operation_id="api_v1_producers_list",
        description=(
            "Producers the user may see. Legal-representative fields appear only for officers "
            "and the producer's own users. `?format=geojson` returns a GeoJSON FeatureCollection "
            "(points, public properties only)."
        ),
    )
    def get(self, request):
        filters = ProducerFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        lookups = {}
        if "commune" in params:
            lookups["commune__code"] = params["commune"]
        if "legal_type" in params:
            lookups["legal_type"] = params["legal_type"]

        if request.accepted_renderer.format == "geojson":
            rows = producer_geojson_rows(user=request.user).filter(**lookups)
            return feature_collection_page(request, rows, view=self)

        paginator = Pagination()
        page = paginator.paginate_queryset(
            producer_list(user=request.user).filter(**lookups), request, view=self
        )
        linked = linked_producer_ids(request.user) if request.user.role == Role.PRODUCER else set()
        return paginator.get_paginated_response(
            [_producer_data(request.user, p, linked_ids=linked) for p in page]
        )

    @extend_schema(
        request=ProducerInputSerializer,
        responses={201: ProducerPrivateOutputSerializer},
        description=(
            "Register a producer. Commune and province are derived from `location`; a point "
            "outside the pilot province or at sea is refused (400, key `location`)."
        ),
    )
    def post(self, request):
        if not can_create_producer(request.user):
            raise _forbidden(_("Your role cannot register producers."))
        serializer = ProducerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        producer = producer_create(actor=request.user, **serializer.validated_data)
        producer = producer_get(user=request.user, producer_id=producer.pk)
        return Response(_producer_data(request.user, producer), status=status.HTTP_201_CREATED)


class ProducerDetailApi(APIView):
    renderer_classes = [ORJSONRenderer]

    @extend_schema(responses=ProducerPrivateOutputSerializer)
    def get(self, request, producer_id: int):
        producer = producer_get(user=request.user, producer_id=producer_id)
        return Response(_producer_data(request.user, producer))

    @extend_schema(
        request=ProducerInputSerializer,
        responses=ProducerPrivateOutputSerializer,
        description="Change some fields. A new `location` re-derives commune and province.",
    )
    def patch(self, request, producer_id: int):
        producer = producer_get(user=request.user, producer_id=producer_id)
        if not can_edit_producer(request.user, producer):
            raise _forbidden(_("You cannot edit this producer."))
        serializer = ProducerInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        producer_update(producer=producer, actor=request.user, **serializer.validated_data)
        producer = producer_get(user=request.user, producer_id=producer_id)
        return Response(_producer_data(request.user, producer))


def _area_data(row: dict) -> dict:
    geometry = row.pop("geometry")
    return {
        **row,
        "area_ha": float(row["area_ha"]),
        "geometry": orjson.Fragment(geometry) if geometry else None,
    }


class ProductionAreaListCreateApi(APIView):
    """Production sites and raw-material areas of one producer."""

    renderer_classes = [ORJSONRenderer]

    @extend_schema(responses=paginated(ProductionAreaOutputSerializer))
    def get(self, request, producer_id: int):
        rows = production_area_list(user=request.user, producer_id=producer_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([_area_data(row) for row in page])

    @extend_schema(
        request=ProductionAreaInputSerializer,
        responses={201: ProductionAreaOutputSerializer},
        description=(
            "Add an area (GeoJSON Polygon/MultiPolygon, WGS 84). Invalid geometry (e.g. "
            "self-intersecting) is refused with the reason; `area_ha` is computed."
        ),
    )
    def post(self, request, producer_id: int):
        producer = producer_get(user=request.user, producer_id=producer_id)
        if not can_edit_producer(request.user, producer):
            raise _forbidden(_("You cannot edit this producer."))
        serializer = ProductionAreaInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        area = production_area_create(
            producer=producer,
            actor=request.user,
            kind=data["kind"],
            name=data["name"],
            geom=data["geometry"],
        )
        row = production_area_list(user=request.user, producer_id=producer_id).get(pk=area.pk)
        return Response(_area_data(row), status=status.HTTP_201_CREATED)
