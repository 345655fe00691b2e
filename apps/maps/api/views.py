"""The map layers as GeoJSON: `/api/v1/layers/{id}/` (signed in, scoped by `for_user()`) and
`/api/v1/public/layers/{id}/` (anyone; recognised, non-revoked products only, no personal data)."""

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.authentication import ApiTokenAuthentication, CheckedBasicAuthentication
from apps.core.api.geojson import GEOJSON_MEDIA_TYPE, GeoJSONRenderer, ORJSONRenderer
from apps.core.api.schema import FeatureCollectionSerializer
from apps.core.http import cached_response

from ..layers.base import LayerContext, layer_property_names
from ..layers.registry import REGISTRY, get_layer
from ..selectors import MAX_LIMIT, feature_collection_bytes, layer_page, parse_paging

COMMON_PARAMETERS = [
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description=f"Features per page, at most {MAX_LIMIT}."
    ),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Features to skip."),
    OpenApiParameter("bbox", OpenApiTypes.STR, description="minLon,minLat,maxLon,maxLat (CRS84)."),
    OpenApiParameter(
        "datetime",
        OpenApiTypes.STR,
        description="RFC 3339 instant or interval start/end, “..” open.",
    ),
]


def layer_description(layer, ctx: LayerContext) -> dict:
    return {
        "id": layer.id,
        "title": str(layer.title),
        "description": str(layer.description),
        "geometry_type": layer.geometry_type,
        "public": layer.has_public,
        "properties": layer_property_names(layer, ctx),
        "filters": [
            {
                "name": p.name,
                "type": p.type,
                "description": str(p.description),
                **({"enum": list(p.enum)} if p.enum else {}),
                **({"minimum": p.minimum, "maximum": p.maximum} if p.minimum is not None else {}),
            }
            for p in layer.visible_params(ctx)
        ],
        "temporal": layer.temporal is not None,
    }


class LayerListApi(APIView):
    """The layers and their filters. Anonymous users see the public variants only."""

    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="api_v1_layers_list")
    def get(self, request):
        public = not request.user.is_authenticated
        ctx = LayerContext(user=request.user, public=public)
        layers = [lay for lay in REGISTRY.values() if lay.has_public or not public]
        return Response({"layers": [layer_description(lay, ctx) for lay in layers]})


class _LayerFeaturesBase(APIView):
    renderer_classes = [GeoJSONRenderer, ORJSONRenderer]
    public = False

    def get(self, request, layer_id: str):
        layer = get_layer(layer_id)
        ctx = LayerContext(user=request.user, public=self.public)
        limit, offset = parse_paging(request.query_params)
        page = layer_page(layer, ctx, request.query_params, limit=limit, offset=offset)
        links = []
        if page.has_next:
            query = request.query_params.copy()
            query["offset"] = str(offset + limit)
            query["limit"] = str(limit)
            links.append(
                {
                    "rel": "next",
                    "type": GEOJSON_MEDIA_TYPE,
                    "href": request.build_absolute_uri(request.path)
                    + "?"
                    + urlencode(query, doseq=True),
                }
            )
        body = feature_collection_bytes(layer, page, ctx, links=links)
        return cached_response(request, body, GEOJSON_MEDIA_TYPE, public=self.public)


@extend_schema(
    parameters=COMMON_PARAMETERS,
    responses={(200, GEOJSON_MEDIA_TYPE): FeatureCollectionSerializer},
    description=str(
        _(
            "A layer as a GeoJSON FeatureCollection, scoped to your jurisdiction. "
            "Filters: see /api/v1/layers/."
        )
    ),
)
class LayerFeaturesApi(_LayerFeaturesBase):
    # Basic first: an anonymous request gets 401 with `WWW-Authenticate: Basic`, so QGIS and
    # GDAL ask for credentials instead of failing on a 403.
    authentication_classes = [
        CheckedBasicAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [IsAuthenticated]


@extend_schema(
    parameters=COMMON_PARAMETERS,
    responses={(200, GEOJSON_MEDIA_TYPE): FeatureCollectionSerializer},
    description=str(
        _("The public variant of a layer: recognised, non-revoked products only, no personal data.")
    ),
)
class PublicLayerFeaturesApi(_LayerFeaturesBase):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    public = True
