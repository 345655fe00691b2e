"""The OpenAPI 3.0 definition of the OGC API - Features endpoints (`/ogc/api`).

It is built per request from the collections the caller may see: each collection gets its own
concrete paths (`/collections/products/items` …) whose `parameters` list `limit` (with its
maximum), `bbox`, `datetime` and every filter of the layer (`layer.visible_params(ctx)`).
GDAL pushes a `-where "prop = value"` to the server only for properties listed there as query
parameters of that exact path, and QGIS reads the `limit` maximum from it.

`openapi_document` assembles the parts built below: the info block, the capability paths (landing
page, conformance, API definition, collections list), four paths per collection (description,
items, one item, queryables) and the shared components (security schemes, common parameters,
schemas).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.maps.layers import Param

from .collections import CRS84, Collection

OPENAPI_VERSION = "3.0.3"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

F_PARAMETER = {"$ref": "#/components/parameters/f"}


# --- a layer's filters as query parameters (also the queryables) ---------------------------
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


# --- responses -----------------------------------------------------------------------------
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


# --- the info block ------------------------------------------------------------------------
def _info() -> dict:
    return {
        "title": _("OCOP GIS – OGC API - Features"),
        "description": _(
            "Map layers of the OCOP programme as OGC API - Features (Part 1: Core, GeoJSON, "
            "coordinates in CRS84). Collections named public-… are open; the others need a "
            "sign-in and show only your jurisdiction."
        ),
        "version": "1.0.0",
        "license": {"name": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    }


# --- paths: landing page, conformance, API definition, collections list --------------------
def _capability_operation(summary: str, operation_id: str, responses: dict) -> dict:
    return {
        "get": {
            "tags": ["Capabilities"],
            "summary": summary,
            "operationId": operation_id,
            "parameters": [F_PARAMETER],
            "responses": responses,
        }
    }


def _capability_paths() -> dict:
    return {
        "/": _capability_operation(
            _("Landing page"),
            "getLandingPage",
            {
                "200": _json_response(
                    _("Links to the API definition, conformance and collections.")
                ),
                **_errors(400),
            },
        ),
        "/conformance": _capability_operation(
            _("Conformance classes implemented by this server"),
            "getConformance",
            {"200": _json_response(_("The conformance classes.")), **_errors(400)},
        ),
        "/api": _capability_operation(
            _("This API definition (OpenAPI 3.0)"),
            "getApi",
            {
                "200": _json_response(
                    _("The API definition."), "application/vnd.oai.openapi+json;version=3.0"
                )
            },
        ),
        "/collections": _capability_operation(
            _("The feature collections"),
            "getCollections",
            {"200": _json_response(_("The collections you may read.")), **_errors(400)},
        ),
    }


# --- paths: one collection's description, items, item and queryables -----------------------
def _collection_operation(
    collection: Collection, summary: str, operation_id: str, parameters: list, ok: dict, **extra
) -> dict:
    """A GET of one collection's path: tagged with the collection id, answering `ok` (200), 400,
    404 and, for a collection that needs a sign-in, 401 (and naming the security schemes)."""
    auth_errors = () if collection.public else (401,)
    security = {} if collection.public else {"security": [{"basicAuth": []}, {"tokenAuth": []}]}
    return {
        "get": {
            "tags": [collection.id],
            "summary": summary,
            **extra,
            "operationId": operation_id,
            "parameters": parameters,
            "responses": {"200": ok, **_errors(400, *auth_errors, 404)},
            **security,
        }
    }


def _describe_path(collection: Collection) -> dict:
    return _collection_operation(
        collection,
        _("Description of %(title)s") % {"title": collection.title},
        f"describe-{collection.id}",
        [F_PARAMETER],
        _json_response(_("The collection.")),
    )


def _items_path(collection: Collection, user) -> dict:
    datetime_param = (
        [{"$ref": "#/components/parameters/datetime"}] if collection.layer.temporal else []
    )
    return _collection_operation(
        collection,
        _("Features of %(title)s") % {"title": collection.title},
        f"get-{collection.id}-features",
        [
            {"$ref": "#/components/parameters/limit"},
            {"$ref": "#/components/parameters/offset"},
            {"$ref": "#/components/parameters/bbox"},
            {"$ref": "#/components/parameters/bbox-crs"},
            {"$ref": "#/components/parameters/crs"},
            *datetime_param,
            F_PARAMETER,
            *filter_parameters(collection, collection.context(user)),
        ],
        _json_response(
            _("A GeoJSON FeatureCollection, paged with `next` links."),
            "application/geo+json",
            "#/components/schemas/featureCollectionGeoJSON",
        ),
        description=str(collection.description),
    )


def _item_path(collection: Collection) -> dict:
    return _collection_operation(
        collection,
        _("One feature of %(title)s") % {"title": collection.title},
        f"get-{collection.id}-feature",
        [
            {"$ref": "#/components/parameters/featureId"},
            {"$ref": "#/components/parameters/crs"},
            F_PARAMETER,
        ],
        _json_response(
            _("A GeoJSON Feature."), "application/geo+json", "#/components/schemas/featureGeoJSON"
        ),
    )


def _queryables_path(collection: Collection) -> dict:
    return _collection_operation(
        collection,
        _("Filter parameters of %(title)s") % {"title": collection.title},
        f"get-{collection.id}-queryables",
        [F_PARAMETER],
        _json_response(_("JSON Schema of the filters."), "application/schema+json"),
    )


def _collection_paths(collection: Collection, user) -> dict:
    base_path = f"/collections/{collection.id}"
    return {
        base_path: _describe_path(collection),
        f"{base_path}/items": _items_path(collection, user),
        f"{base_path}/items/{{featureId}}": _item_path(collection),
        f"{base_path}/queryables": _queryables_path(collection),
    }


# --- components: security schemes, common parameters, schemas ------------------------------
def _security_schemes() -> dict:
    return {
        "basicAuth": {"type": "http", "scheme": "basic"},
        "tokenAuth": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("`Token <key>`; get the key from POST /ogc/token."),
        },
    }


def _query_parameter(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


def _crs84_schema() -> dict:
    return {"type": "string", "format": "uri", "enum": [CRS84]}


def _common_parameters() -> dict:
    """The parameters every path refers to by `$ref`, besides each layer's own filters."""
    return {
        "f": _query_parameter(
            "f",
            _("Response format (the Accept header is used when absent)."),
            {"type": "string", "enum": ["json", "html"]},
        ),
        "limit": _query_parameter(
            "limit",
            _("Features per page; a larger value is lowered to the maximum."),
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        ),
        "offset": _query_parameter(
            "offset",
            _("Features to skip (the `next` links carry it)."),
            {"type": "integer", "minimum": 0, "default": 0},
        ),
        "bbox": _query_parameter(
            "bbox",
            _("minLon,minLat,maxLon,maxLat in CRS84 (WGS 84 longitude/latitude)."),
            {
                "type": "array",
                "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
                "items": {"type": "number"},
            },
        ),
        "bbox-crs": _query_parameter("bbox-crs", _("Only CRS84 is supported."), _crs84_schema()),
        "crs": _query_parameter("crs", _("Only CRS84 is supported."), _crs84_schema()),
        "datetime": _query_parameter(
            "datetime",
            _("RFC 3339 date or date-time, or an interval start/end with “..” for an open end."),
            {"type": "string"},
        ),
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "description": _("Identifier of a feature."),
            "schema": {"type": "integer"},
        },
    }


def _links_schema() -> dict:
    return {"type": "array", "items": {"$ref": "#/components/schemas/link"}}


def _schemas() -> dict:
    return {
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
                "links": _links_schema(),
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
                "links": _links_schema(),
                "numberMatched": {"type": "integer", "minimum": 0},
                "numberReturned": {"type": "integer", "minimum": 0},
            },
        },
    }


def _components() -> dict:
    return {
        "securitySchemes": _security_schemes(),
        "parameters": _common_parameters(),
        "schemas": _schemas(),
    }


# --- the document --------------------------------------------------------------------------
def openapi_document(*, base_url: str, collections: list[Collection], user) -> dict:
    """`base_url` is the absolute landing-page URL without its trailing slash."""
    paths = _capability_paths()
    for collection in collections:
        paths.update(_collection_paths(collection, user))
    return {
        "openapi": OPENAPI_VERSION,
        "info": _info(),
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": _components(),
    }
