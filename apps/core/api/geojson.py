"""GeoJSON output built from the database's own GeoJSON (`AsGeoJSON`) and orjson.

Geometry text from the database is embedded as an `orjson.Fragment`, so it is never parsed
into Python objects and re-serialised: Django's GeoJSON serializer measured 44–50× slower
(reference/gis-clients-and-limits.md).
"""

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from rest_framework.renderers import BaseRenderer

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
    return orjson.dumps({"type": "FeatureCollection", **members, "features": list(features)}, default=str)
