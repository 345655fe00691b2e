"""The OpenAPI 3.0 definition of the OGC API - Features endpoints (`/ogc/api`).

It is built per request from the collections the caller may see: each collection gets its own
concrete paths (`/collections/products/items` …) whose `parameters` list `limit` (with its
maximum), `bbox`, `datetime` and every filter of the layer (`layer.visible_params(ctx)`).
GDAL pushes a `-where "prop = value"` to the server only for properties listed there as query
parameters of that exact path, and QGIS reads the `limit` maximum from it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.maps.layers import Param

from .collections import CRS84, Collection

OPENAPI_VERSION = "3.0.3"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


def _param_schema(param: Param) -> dict:
    if param.type == "integer":
        schema: dict = {"type": "integer"}
        if param.minimum is not None:
            schema["minimum"] = param.minimum
        if param.maximum is not None:
            schema["maximum"] = param.maximum
        return schema
    if param.type == "boolean":
        return {"type": "boolean"}
    if param.type == "date":
        return {"type": "string", "format": "date"}
    if param.type == "unit":
        return {"type": "string", "pattern": "^[0-9]{2,5}$"}
    schema = {"type": "string", "maxLength": 100}
    if param.enum:
        schema["enum"] = list(param.enum)
    return schema


def filter_parameters(collection: Collection, ctx) -> list[dict]:
    return [
        {
            "name": param.name,
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "description": str(param.description),
            "schema": _param_schema(param),
        }
        for param in collection.layer.visible_params(ctx)
    ]


def _json_response(
    description: str, media_type: str = "application/json", schema_ref: str | None = None
) -> dict:
    content: dict = {
        media_type: {"schema": {"$ref": schema_ref} if schema_ref else {"type": "object"}}
    }
    return {"description": description, "content": content}


def _errors(*codes: int) -> dict:
    texts = {
        400: _("Invalid query parameter."),
        401: _("Sign-in required (HTTP Basic or `Authorization: Token …`)."),
        404: _("Not found, or outside your jurisdiction."),
    }
    return {
        str(code): {
            "description": texts[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}},
        }
        for code in codes
    }


def openapi_document(*, base_url: str, collections: list[Collection], user) -> dict:
    """`base_url` is the absolute landing-page URL without its trailing slash."""
    f_json = {"$ref": "#/components/parameters/f"}
    paths: dict = {
        "/": {
            "get": {
                "tags": ["Capabilities"],
                "summary": _("Landing page"),
                "operationId": "getLandingPage",
                "parameters": [f_json],
                "responses": {
                    "200": _json_response(
                        _("Links to the API definition, conformance and collections.")
                    ),
                    **_errors(400),
                },
            }
        },
        "/conformance": {
            "get": {
                "tags": ["Capabilities"],
                "summary": _("Conformance classes implemented by this server"),
                "operationId": "getConformance",
                "parameters": [f_json],
                "responses": {"200": _json_response(_("The conformance classes.")), **_errors(400)},
            }
        },
        "/api": {
            "get": {
                "tags": ["Capabilities"],
                "summary": _("This API definition (OpenAPI 3.0)"),
                "operationId": "getApi",
                "parameters": [f_json],
                "responses": {
                    "200": _json_response(
                        _("The API definition."), "application/vnd.oai.openapi+json;version=3.0"
                    )
                },
            }
        },
        "/collections": {
            "get": {
                "tags": ["Capabilities"],
                "summary": _("The feature collections"),
                "operationId": "getCollections",
                "parameters": [f_json],
                "responses": {
                    "200": _json_response(_("The collections you may read.")),
                    **_errors(400),
                },
            }
        },
    }
    for collection in collections:
        ctx = collection.context(user)
        security = {} if collection.public else {"security": [{"basicAuth": []}, {"tokenAuth": []}]}
        auth_errors = () if collection.public else (401,)
        tag = collection.id
        datetime_param = (
            [{"$ref": "#/components/parameters/datetime"}] if collection.layer.temporal else []
        )
        base_path = f"/collections/{collection.id}"
        paths[base_path] = {
            "get": {
                "tags": [tag],
                "summary": _("Description of %(title)s") % {"title": collection.title},
                "operationId": f"describe-{collection.id}",
                "parameters": [f_json],
                "responses": {
                    "200": _json_response(_("The collection.")),
                    **_errors(400, *auth_errors, 404),
                },
                **security,
            }
        }
        paths[f"{base_path}/items"] = {
            "get": {
                "tags": [tag],
                "summary": _("Features of %(title)s") % {"title": collection.title},
                "description": str(collection.description),
                "operationId": f"get-{collection.id}-features",
                "parameters": [
                    {"$ref": "#/components/parameters/limit"},
                    {"$ref": "#/components/parameters/offset"},
                    {"$ref": "#/components/parameters/bbox"},
                    {"$ref": "#/components/parameters/bbox-crs"},
                    {"$ref": "#/components/parameters/crs"},
                    *datetime_param,
                    f_json,
                    *filter_parameters(collection, ctx),
                ],
                "responses": {
                    "200": _json_response(
                        _("A GeoJSON FeatureCollection, paged with `next` links."),
                        "application/geo+json",
                        "#/components/schemas/featureCollectionGeoJSON",
                    ),
                    **_errors(400, *auth_errors, 404),
                },
                **security,
            }
        }
        paths[f"{base_path}/items/{{featureId}}"] = {
            "get": {
                "tags": [tag],
                "summary": _("One feature of %(title)s") % {"title": collection.title},
                "operationId": f"get-{collection.id}-feature",
                "parameters": [
                    {"$ref": "#/components/parameters/featureId"},
                    {"$ref": "#/components/parameters/crs"},
                    f_json,
                ],
                "responses": {
                    "200": _json_response(
                        _("A GeoJSON Feature."),
                        "application/geo+json",
                        "#/components/schemas/featureGeoJSON",
                    ),
                    **_errors(400, *auth_errors, 404),
                },
                **security,
            }
        }
        paths[f"{base_path}/queryables"] = {
            "get": {
                "tags": [tag],
                "summary": _("Filter parameters of %(title)s") % {"title": collection.title},
                "operationId": f"get-{collection.id}-queryables",
                "parameters": [f_json],
                "responses": {
                    "200": _json_response(
                        _("JSON Schema of the filters."), "application/schema+json"
                    ),
                    **_errors(400, *auth_errors, 404),
                },
                **security,
            }
        }

    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": _("OCOP GIS – OGC API - Features"),
            "description": _(
                "Map layers of the OCOP programme as OGC API - Features (Part 1: Core, GeoJSON, "
                "coordinates in CRS84). Collections named public-… are open; the others need a "
                "sign-in and show only your jurisdiction."
            ),
            "version": "1.0.0",
            "license": {"name": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "tokenAuth": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": _("`Token <key>`; get the key from POST /ogc/token."),
                },
            },
            "parameters": {
                "f": {
                    "name": "f",
                    "in": "query",
                    "required": False,
                    "description": _("Response format (the Accept header is used when absent)."),
                    "schema": {"type": "string", "enum": ["json", "html"]},
                    "style": "form",
                    "explode": False,
                },
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "description": _(
                        "Features per page; a larger value is lowered to the maximum."
                    ),
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT,
                    },
                    "style": "form",
                    "explode": False,
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "description": _("Features to skip (the `next` links carry it)."),
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                    "style": "form",
                    "explode": False,
                },
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "description": _(
                        "minLon,minLat,maxLon,maxLat in CRS84 (WGS 84 longitude/latitude)."
                    ),
                    "schema": {
                        "type": "array",
                        "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
                        "items": {"type": "number"},
                    },
                    "style": "form",
                    "explode": False,
                },
                "bbox-crs": {
                    "name": "bbox-crs",
                    "in": "query",
                    "required": False,
                    "description": _("Only CRS84 is supported."),
                    "schema": {"type": "string", "format": "uri", "enum": [CRS84]},
                    "style": "form",
                    "explode": False,
                },
                "crs": {
                    "name": "crs",
                    "in": "query",
                    "required": False,
                    "description": _("Only CRS84 is supported."),
                    "schema": {"type": "string", "format": "uri", "enum": [CRS84]},
                    "style": "form",
                    "explode": False,
                },
                "datetime": {
                    "name": "datetime",
                    "in": "query",
                    "required": False,
                    "description": _(
                        "RFC 3339 date or date-time, or an interval start/end with “..” for "
                        "an open end."
                    ),
                    "schema": {"type": "string"},
                    "style": "form",
                    "explode": False,
                },
                "featureId": {
                    "name": "featureId",
                    "in": "path",
                    "required": True,
                    "description": _("Identifier of a feature."),
                    "schema": {"type": "integer"},
                },
            },
            "schemas": {
                "exception": {
                    "type": "object",
                    "required": ["code"],
                    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
                },
                "link": {
                    "type": "object",
                    "required": ["href"],
                    "properties": {
                        "href": {"type": "string"},
                        "rel": {"type": "string"},
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                    },
                },
                "featureGeoJSON": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "geometry": {"type": "object", "nullable": True},
                        "properties": {"type": "object", "nullable": True},
                        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    },
                },
                "featureCollectionGeoJSON": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/featureGeoJSON"},
                        },
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                        "numberMatched": {"type": "integer", "minimum": 0},
                        "numberReturned": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    }
