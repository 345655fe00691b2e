"""GeoJSON output built from the database's own GeoJSON (`AsGeoJSON`) and orjson.

Geometry text from the database is embedded as an `orjson.Fragment`, so it is never parsed
into Python objects and re-serialised: Django's GeoJSON serializer measured 44–50× slower
(reference/gis-clients-and-limits.md).
"""

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

GEOJSON_MEDIA_TYPE = "application/geo+json"


class GeoJSONRenderer(BaseRenderer):
    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray):
            return bytes(data)
        return orjson.dumps(data, default=str)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=str)


def feature(geometry_json: str | None, properties: Mapping[str, Any], fid: Any = None) -> dict:
    out: dict[str, Any] = {
        "type": "Feature",
        "geometry": orjson.Fragment(geometry_json) if geometry_json else None,
        "properties": properties,
    }
    if fid is not None:
        out["id"] = fid
    return out


def feature_collection(features: Iterable[dict], **members: Any) -> bytes:
    return orjson.dumps(
        {"type": "FeatureCollection", **members, "features": list(features)}, default=str
    )


def feature_collection_page(request, rows, *, view) -> Response:
    """One page of `rows` (dicts with "id", "geometry" as GeoJSON text, and properties) as a
    FeatureCollection with `numberMatched`/`numberReturned` and `next`/`previous` links."""
    from .pagination import Pagination

    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    features = [
        feature(
            row["geometry"],
            {k: v for k, v in row.items() if k not in ("id", "geometry")},
            row["id"],
        )
        for row in page
    ]
    body = feature_collection(
        features,
        numberMatched=paginator.page.paginator.count,
        numberReturned=len(features),
        next=paginator.get_next_link(),
        previous=paginator.get_previous_link(),
    )
    return Response(body, content_type=GEOJSON_MEDIA_TYPE)
