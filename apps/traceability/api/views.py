from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import Pagination
from apps.core.api.schema import paginated

from .. import services
from ..epcis import CONTENT_TYPE, lot_epcis_document
from ..selectors import lot_changes, lot_get, lot_list, trace_event_get, trace_event_list
from .serializers import (
    LotInputSerializer,
    LotOutputSerializer,
    LotUpdateSerializer,
    TraceChangeOutputSerializer,
    TraceEventInputSerializer,
    TraceEventOutputSerializer,
    TraceEventWithWarningsSerializer,
)


class JSONLDRenderer(JSONRenderer):
    media_type = CONTENT_TYPE
    format = "jsonld"


def _paginated(view, request, rows, serializer):
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class LotListCreateApi(APIView):
    """Lots of products in the user's jurisdiction (producers: their own)."""

    @extend_schema(responses=paginated(LotOutputSerializer), operation_id="api_v1_lots_list")
    def get(self, request):
        return _paginated(self, request, lot_list(user=request.user), LotOutputSerializer)

    @extend_schema(
        request=LotInputSerializer,
        responses={201: LotOutputSerializer},
        description="Register a lot of one of your producer's products (producer accounts only).",
    )
    def post(self, request):
        serializer = LotInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lot = services.lot_create(actor=request.user, product_id=data.pop("product"), **data)
        return Response(
            LotOutputSerializer(lot_get(user=request.user, lot_id=lot.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class LotDetailApi(APIView):
    @extend_schema(responses=LotOutputSerializer)
    def get(self, request, lot_id: int):
        return Response(LotOutputSerializer(lot_get(user=request.user, lot_id=lot_id)).data)

    @extend_schema(request=LotUpdateSerializer, responses=LotOutputSerializer)
    def patch(self, request, lot_id: int):
        lot_get(user=request.user, lot_id=lot_id)
        serializer = LotUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.lot_update(actor=request.user, lot_id=lot_id, **serializer.validated_data)
        return Response(LotOutputSerializer(lot_get(user=request.user, lot_id=lot_id)).data)

    @extend_schema(responses={204: None}, description="Delete a lot that has no events.")
    def delete(self, request, lot_id: int):
        services.lot_delete(actor=request.user, lot_id=lot_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LotPublishApi(APIView):
    """Put the lot's public trace page online (`publish`) or take it offline (`unpublish`)."""

    published = True

    @extend_schema(request=None, responses=LotOutputSerializer)
    def post(self, request, lot_id: int):
        services.lot_publish(actor=request.user, lot_id=lot_id, published=self.published)
        return Response(LotOutputSerializer(lot_get(user=request.user, lot_id=lot_id)).data)


class LotUnpublishApi(LotPublishApi):
    published = False


class EventListCreateApi(APIView):
    @extend_schema(
        responses=paginated(TraceEventOutputSerializer), operation_id="api_v1_lots_events_list"
    )
    def get(self, request, lot_id: int):
        return _paginated(
            self,
            request,
            trace_event_list(user=request.user, lot_id=lot_id),
            TraceEventOutputSerializer,
        )

    @extend_schema(
        request=TraceEventInputSerializer,
        responses={201: TraceEventWithWarningsSerializer},
        description=(
            "Record an event of the lot. Commune and province come from `location`; a point "
            "outside Viet Nam is refused (400, key `location`). `warnings` lists oddities of the "
            "chain (e.g. receiving with no shipping before it), which do not block."
        ),
    )
    def post(self, request, lot_id: int):
        serializer = TraceEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event, warnings = services.trace_event_create(
            actor=request.user, lot_id=lot_id, **serializer.validated_data
        )
        event = trace_event_get(user=request.user, lot_id=lot_id, event_id=event.pk)
        return Response(
            {**TraceEventOutputSerializer(event).data, "warnings": warnings},
            status=status.HTTP_201_CREATED,
        )


class EventDetailApi(APIView):
    @extend_schema(responses=TraceEventOutputSerializer)
    def get(self, request, lot_id: int, event_id: int):
        return Response(
            TraceEventOutputSerializer(
                trace_event_get(user=request.user, lot_id=lot_id, event_id=event_id)
            ).data
        )

    @extend_schema(request=TraceEventInputSerializer, responses=TraceEventWithWarningsSerializer)
    def patch(self, request, lot_id: int, event_id: int):
        serializer = TraceEventInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        _event, warnings = services.trace_event_update(
            actor=request.user, lot_id=lot_id, event_id=event_id, **serializer.validated_data
        )
        event = trace_event_get(user=request.user, lot_id=lot_id, event_id=event_id)
        return Response({**TraceEventOutputSerializer(event).data, "warnings": warnings})

    @extend_schema(responses={204: None})
    def delete(self, request, lot_id: int, event_id: int):
        services.trace_event_delete(actor=request.user, lot_id=lot_id, event_id=event_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LotChangesApi(APIView):
    @extend_schema(
        responses=paginated(TraceChangeOutputSerializer),
        description="Audit trail of the lot and its events.",
    )
    def get(self, request, lot_id: int):
        return _paginated(
            self,
            request,
            lot_changes(user=request.user, lot_id=lot_id),
            TraceChangeOutputSerializer,
        )


class LotEpcisApi(APIView):
    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        responses={
            (200, CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.OBJECT, description=_("EPCIS 2.0 EPCISDocument (JSON-LD)")
            )
        },
        description=(
            "The lot's events as a GS1 EPCIS 2.0 JSON-LD EPCISDocument of ObjectEvents "
            "(CBV 2.0 business steps; GS1 Digital Link class URI when the product has a GTIN)."
        ),
    )
    def get(self, request, lot_id: int):
        lot = lot_get(user=request.user, lot_id=lot_id)
        response = Response(lot_epcis_document(lot))
        response["Content-Disposition"] = f'attachment; filename="lot-{lot.pk}-epcis.jsonld"'
        return response
