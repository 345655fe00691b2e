"""Vector tiles, TileJSON and downloads of the map layers.

Two variants of every URL, as for the GeoJSON layer API:

- `/tiles/{layer}/…`, `/exports/{layer}.{fmt}`: signed in (HTTP Basic first, so an anonymous
  request gets `401` with `WWW-Authenticate: Basic` and QGIS/GDAL ask for credentials; then
  `Authorization: Token …`; then the browser session), scoped by `for_user()`; responses are
  `Cache-Control: private`.
- `/tiles/public/{layer}/…`, `/exports/public/{layer}.{fmt}`: anyone, the public variant
  (recognised, non-revoked products only, no personal data); tiles are `public, max-age=60`.

Query-string filters are the registry's (see `/api/v1/layers/`); a bad value is a 400 naming it.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.authentication import ApiTokenAuthentication, CheckedBasicAuthentication
from apps.core.api.errors import error_body
from apps.core.api.geojson import ORJSONRenderer
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.http import cached_response

from .exports import export_layer
from .layers.base import LayerContext
from .layers.registry import get_layer
from .tiles import MVT_MEDIA_TYPE, parse_tile, render_tile, tilejson, tiles_available

SCOPED_AUTHENTICATION = [
    CheckedBasicAuthentication,
    ApiTokenAuthentication,
    SessionAuthentication,
]


class IgnoreAccept(BaseContentNegotiation):
    """Tiles and files are what the URL says whatever `Accept` asks (MapLibre and QGIS send
    protobuf or `*/*`); errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _Base(APIView):
    renderer_classes = [ORJSONRenderer]
    content_negotiation_class = IgnoreAccept
    public = False

    def layer_and_context(self, request, layer_id: str):
        layer = get_layer(layer_id)
        if self.public and not layer.has_public:
            raise ApplicationError(ErrorCode.NOT_FOUND, _("This layer has no public variant."))
        return layer, LayerContext(user=request.user, public=self.public)


class _Scoped:
    authentication_classes = SCOPED_AUTHENTICATION
    permission_classes = [IsAuthenticated]


class _Public:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    public = True


def _unavailable(request, layer, public: bool) -> Response:
    try:
        geojson = request.build_absolute_uri(
            reverse(
                "public-layer-features" if public else "layer-features",
                kwargs={"layer_id": layer.id},
            )
        )
    except NoReverseMatch:  # pragma: no cover - the layer API is always mounted
        geojson = ""
    return Response(
        error_body(
            "tiles_unavailable",
            _(
                "Vector tiles need a PostGIS database (ST_AsMVT); this server runs on SpatiaLite. "
                "Load the layer as GeoJSON instead."
            ),
            {"geojson": geojson},
        ),
        status=501,
    )


# --- tiles ---------------------------------------------------------------------------------
class _TileBase(_Base):
    def get(self, request, layer_id: str, z: str, x: str, y: str):
        layer, ctx = self.layer_and_context(request, layer_id)
        if not tiles_available():
            return _unavailable(request, layer, self.public)
        zi, xi, yi = parse_tile(z, x, y)
        body = render_tile(layer, ctx, request.query_params, zi, xi, yi)
        return cached_response(request, body, MVT_MEDIA_TYPE, public=self.public)


@extend_schema(
    methods=["GET"],
    responses={(200, MVT_MEDIA_TYPE): OpenApiTypes.BINARY},
    description=(
        "A Mapbox vector tile of the layer, scoped to your jurisdiction; filters as in "
        "/api/v1/layers/. Needs PostGIS (501 on SpatiaLite)."
    ),
)
class TileView(_Scoped, _TileBase):
    pass


@extend_schema(
    methods=["GET"],
    responses={(200, MVT_MEDIA_TYPE): OpenApiTypes.BINARY},
    description=(
        "A Mapbox vector tile of the layer's public variant; filters as in "
        "/api/v1/layers/. Needs PostGIS (501 on SpatiaLite)."
    ),
)
class PublicTileView(_Public, _TileBase):
    pass


class _TileJSONBase(_Base):
    tile_url_name = "maps:tile"

    def get(self, request, layer_id: str):
        layer, ctx = self.layer_and_context(request, layer_id)
        if not tiles_available():
            return _unavailable(request, layer, self.public)
        path = reverse(self.tile_url_name, kwargs={"layer_id": layer.id, "z": 0, "x": 0, "y": 0})
        template = request.build_absolute_uri(path.removesuffix("0/0/0.pbf")) + "{z}/{x}/{y}.pbf"
        query = request.query_params.copy()
        for key in ("f", "format"):
            query.pop(key, None)
        if query:
            template += "?" + query.urlencode()
        document = tilejson(layer, ctx, request.query_params, tile_url=template)
        return cached_response(
            request, ORJSONRenderer().render(document), "application/json", public=self.public
        )


@extend_schema(
    methods=["GET"],
    responses=OpenApiTypes.OBJECT,
    description=(
        "TileJSON 3.0.0 of the layer's vector tiles (for MapLibre), scoped to your jurisdiction."
    ),
)
class TileJSONView(_Scoped, _TileJSONBase):
    pass


@extend_schema(
    methods=["GET"],
    responses=OpenApiTypes.OBJECT,
    description=("TileJSON 3.0.0 of the layer's public vector tiles (for MapLibre)."),
)
class PublicTileJSONView(_Public, _TileJSONBase):
    tile_url_name = "maps:public-tile"


# --- exports -------------------------------------------------------------------------------
class _ExportBase(_Base):
    def get(self, request, layer_id: str, fmt: str):
        layer, ctx = self.layer_and_context(request, layer_id)
        export = export_layer(layer, ctx, request.query_params, fmt.lower())
        response = HttpResponse(export.body, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "public, max-age=60" if self.public else "private, no-store"
        return response


@extend_schema(
    methods=["GET"],
    responses={(200, "*/*"): OpenApiTypes.BINARY},
    description=(
        "The filtered layer, scoped to your jurisdiction, as gpkg, geojson, csv, xlsx "
        "or a standalone html map."
    ),
)
class ExportView(_Scoped, _ExportBase):
    pass


@extend_schema(
    methods=["GET"],
    responses={(200, "*/*"): OpenApiTypes.BINARY},
    description=("The filtered public layer as gpkg, geojson, csv, xlsx or a standalone html map."),
)
class PublicExportView(_Public, _ExportBase):
    pass
