"""OGC API - Features, Part 1 (Core, GeoJSON, OpenAPI 3.0, HTML) at `/ogc/`.

Every resource answers JSON (on `f=json` or an Accept header naming JSON, and by default) and a
plain HTML page (on `f=html` or an Accept header preferring text/html). Links are absolute:
QGIS and GDAL do not resolve relative links. Authentication: HTTP Basic, `Authorization: Token
…` (API tokens, kept as SHA-256 digests: see `TokenApi`) or the browser session; an anonymous
request for a signed-in collection gets 401 with `WWW-Authenticate: Basic`, so QGIS and GDAL
ask for credentials. Features are read through the map-layer registry (apps/maps/layers.py)
and serialised with orjson, the geometry text coming from the database as is.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

import orjson
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.authentication import ApiTokenAuthentication, CheckedBasicAuthentication
from apps.accounts.models import ApiToken
from apps.accounts.selectors import api_token_active
from apps.accounts.services import api_token_create, api_token_revoke
from apps.core.api.errors import ApplicationError
from apps.core.api.geojson import ORJSONRenderer
from apps.core.http import cached_response
from apps.core.parsing import is_ascii_digits
from apps.maps.layers import (
    layer_features,
    layer_property_names,
    parse_datetime_interval,
    parse_param,
)
from apps.maps.selectors import feature_collection_bytes, layer_page, parse_paging

from .collections import CRS84, Collection, collection_extent, find_collection, visible_collections
from .openapi import DEFAULT_LIMIT, MAX_LIMIT, openapi_document

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON = "application/schema+json"
HTML = "text/html"
REALM = 'Basic realm="OCOP GIS", charset="UTF-8"'

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
# Query parameters every items request may carry besides the layer's filters.
ITEMS_PARAMETERS = frozenset({"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime"})
CRS84_NAMES = frozenset(
    {CRS84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "[OGC:CRS84]", "OGC:CRS84"}
)


class OgcError(Exception):
    """An OGC API exception: `{"code", "description"}` with an HTTP status."""

    def __init__(
        self, status: int, code: str, description, *, key: str | None = None, headers=None
    ):
        super().__init__(str(description))
        self.status, self.code, self.description = status, code, str(description)
        self.key, self.headers = key, headers or {}


def _not_authenticated(description=None) -> OgcError:
    return OgcError(
        401,
        "NotAuthenticated",
        description or _("Sign in to read this collection (HTTP Basic or an API token)."),
        headers={"WWW-Authenticate": REALM},
    )


def _exception_response(exc: OgcError) -> HttpResponse:
    body = {"code": exc.code, "description": exc.description}
    if exc.key:
        body["extra"] = {"key": exc.key}
    response = HttpResponse(orjson.dumps(body), status=exc.status, content_type=JSON)
    response["Cache-Control"] = "no-store"
    for name, value in exc.headers.items():
        response[name] = value
    return response


def authenticate(request):
    """The user from HTTP Basic, an API token or the session; None when anonymous. Wrong
    credentials are a 401 (never silently anonymous)."""
    for backend in (CheckedBasicAuthentication(), ApiTokenAuthentication()):
        try:
            result = backend.authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            raise _not_authenticated(exc.detail) from None
        if result is not None:
            return result[0]
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def ogc_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _exception_response(
                OgcError(405, "MethodNotAllowed", _("Only GET is supported."))
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            request.ogc_user = authenticate(request)
            if request.ogc_user is not None:
                request.user = request.ogc_user  # the HTML pages show who is signed in
            return view(request, *args, **kwargs)
        except OgcError as exc:
            return _exception_response(exc)
        except ApplicationError as exc:
            status = exc.status_code
            code = {400: "InvalidParameterValue", 404: "NotFound", 401: "NotAuthenticated"}.get(
                status, str(exc.code)
            )
            return _exception_response(
                OgcError(status, code, exc.message, key=exc.extra.get("key"))
            )

    return wrapper


# --- helpers ------------------------------------------------------------------------------
def negotiate(request) -> str:
    """ "json" or "html": `f` first, then the Accept header (JSON when nothing says otherwise)."""
    fmt = request.GET.get("f")
    if fmt is not None:
        if fmt in ("json", "geojson"):
            return "json"
        if fmt == "html":
            return "html"
        raise OgcError(400, "InvalidParameterValue", _("“f” must be json or html."), key="f")
    html_q = json_q = 0.0
    for part in request.META.get("HTTP_ACCEPT", "").split(","):
        media, *options = [p.strip() for p in part.split(";")]
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if media in ("text/html", "application/xhtml+xml"):
            html_q = max(html_q, quality)
        elif "json" in media:
            json_q = max(json_q, quality)
    return "html" if html_q > json_q else "json"


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")


def _url(request, path: str, **query) -> str:
    query = {k: v for k, v in query.items() if v is not None}
    return base_url(request) + path + ("?" + urlencode(query) if query else "")


def _link(href: str, rel: str, media_type: str, title) -> dict:
    return {"href": href, "rel": rel, "type": media_type, "title": str(title)}


def _self_links(request, path: str, fmt: str, json_type: str = JSON) -> list[dict]:
    json_link = _link(
        _url(request, path, f="json"),
        "self" if fmt == "json" else "alternate",
        json_type,
        _("This document as JSON"),
    )
    html_link = _link(
        _url(request, path, f="html"),
        "self" if fmt == "html" else "alternate",
        HTML,
        _("This document as HTML"),
    )
    return [json_link, html_link] if fmt == "json" else [html_link, json_link]


def _respond(
    request, fmt: str, data: dict, content_type: str, *, public: bool, template: str, **context
):
    if fmt == "html":
        body = render_to_string(
            f"ogc/{template}", {"data": data, **context}, request=request
        ).encode()
        return cached_response(request, body, "text/html; charset=utf-8", public=False)
    return cached_response(
        request, orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS), content_type, public=public
    )


def _collection(request, collection_id: str) -> Collection:
    collection = find_collection(collection_id)
    if collection is None:
        raise OgcError(
            404, "NotFound", _("No such collection: %(id)s.") % {"id": collection_id[:60]}
        )
    if not collection.public and request.ogc_user is None:
        raise _not_authenticated()
    return collection


def _anonymous(request) -> bool:
    return request.ogc_user is None


# --- landing page, conformance, API definition ---------------------------------------------
@ogc_view
def landing(request):
    fmt = negotiate(request)
    data = {
        "title": _("OCOP GIS – OGC API - Features"),
        "description": _(
            "Map layers of the OCOP programme (producers, products, production areas, dossiers, "
            "certificates, administrative units). Collections named public-… are open to everyone; "
            "the others need a sign-in and show only your jurisdiction."
        ),
        "links": [
            *_self_links(request, "/", fmt),
            _link(
                _url(request, "/api"),
                "service-desc",
                OPENAPI,
                _("The API definition (OpenAPI 3.0)"),
            ),
            _link(
                _url(request, "/api", f="html"),
                "service-doc",
                HTML,
                _("The API definition as HTML"),
            ),
            _link(_url(request, "/conformance"), "conformance", JSON, _("Conformance classes")),
            _link(_url(request, "/collections"), "data", JSON, _("The feature collections")),
        ],
    }
    return _respond(
        request,
        fmt,
        data,
        JSON,
        public=_anonymous(request),
        template="landing.html",
        landing_url=base_url(request) + "/",
    )


@ogc_view
def conformance(request):
    fmt = negotiate(request)
    data = {"links": _self_links(request, "/conformance", fmt), "conformsTo": CONFORMANCE}
    return _respond(request, fmt, data, JSON, public=True, template="conformance.html")


@ogc_view
def api_definition(request):
    fmt = negotiate(request)
    document = openapi_document(
        base_url=base_url(request),
        collections=visible_collections(request.ogc_user),
        user=request.ogc_user,
    )
    if fmt == "html":
        pretty = orjson.dumps(
            document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
        ).decode()
        return _respond(
            request,
            fmt,
            {"links": _self_links(request, "/api", fmt, OPENAPI)},
            OPENAPI,
            public=False,
            template="api.html",
            document=pretty,
        )
    return cached_response(
        request,
        orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS),
        OPENAPI,
        public=_anonymous(request),
    )


# --- collections ---------------------------------------------------------------------------
def collection_document(request, collection: Collection) -> dict:
    path = f"/collections/{collection.id}"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": collection_extent(collection, request.ogc_user),
        "links": [
            _link(_url(request, path), "self", JSON, collection.title),
            _link(_url(request, path, f="html"), "alternate", HTML, _("This collection as HTML")),
            _link(_url(request, path + "/items"), "items", GEOJSON, _("The features as GeoJSON")),
            _link(
                _url(request, path + "/queryables"),
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                SCHEMA_JSON,
                _("Filter parameters"),
            ),
        ],
    }


@ogc_view
def collections(request):
    fmt = negotiate(request)
    data = {
        "links": _self_links(request, "/collections", fmt),
        "collections": [
            collection_document(request, c) for c in visible_collections(request.ogc_user)
        ],
    }
    return _respond(
        request, fmt, data, JSON, public=_anonymous(request), template="collections.html"
    )


@ogc_view
def collection(request, collection_id: str):
    found = _collection(request, collection_id)
    fmt = negotiate(request)
    data = collection_document(request, found)
    data["links"] = _self_links(request, f"/collections/{found.id}", fmt) + data["links"][2:]
    return _respond(
        request, fmt, data, JSON, public=found.public, template="collection.html", collection=found
    )


@ogc_view
def queryables(request, collection_id: str):
    from .openapi import filter_parameters

    found = _collection(request, collection_id)
    fmt = negotiate(request)
    ctx = found.context(request.ogc_user)
    properties = {
        p["name"]: {**p["schema"], "title": p["name"], "description": p["description"]}
        for p in filter_parameters(found, ctx)
    }
    data = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": _url(request, f"/collections/{found.id}/queryables"),
        "type": "object",
        "title": found.title,
        "properties": properties,
        "additionalProperties": False,
    }
    return _respond(
        request,
        fmt,
        data,
        SCHEMA_JSON,
        public=found.public,
        template="queryables.html",
        collection=found,
    )


# --- features ------------------------------------------------------------------------------
def _check_crs(params) -> None:
    for name in ("crs", "bbox-crs"):
        value = params.get(name)
        if value not in (None, "") and value not in CRS84_NAMES:
            raise OgcError(
                400,
                "InvalidParameterValue",
                _("Only CRS84 coordinates are served (%(name)s).") % {"name": name},
                key=name,
            )


def _check_dates(layer, ctx, params) -> None:
    """Impossible calendar dates (2025-13-01) make the registry's parsers raise ValueError, a
    500; answer 400 naming the parameter instead (reported to the lead, apps/maps/layers.py)."""
    checks = [("datetime", lambda raw: parse_datetime_interval(raw))]
    checks += [
        (p.name, lambda raw, p=p: parse_param(p, raw))
        for p in layer.visible_params(ctx)
        if p.type == "date"
    ]
    for name, check in checks:
        raw = params.get(name)
        if raw in (None, ""):
            continue
        try:
            check(raw)
        except ValueError:
            raise OgcError(
                400,
                "InvalidParameterValue",
                _("“%(name)s” is not a valid date.") % {"name": name},
                key=name,
            ) from None


@ogc_view
def items(request, collection_id: str):
    found = _collection(request, collection_id)
    fmt = negotiate(request)
    layer, ctx, params = found.layer, found.context(request.ogc_user), request.GET
    allowed = ITEMS_PARAMETERS | {p.name for p in layer.visible_params(ctx)}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise OgcError(
            400,
            "InvalidParameterValue",
            _("Unknown query parameter: %(name)s.") % {"name": unknown[0][:40]},
            key=unknown[0][:40],
        )
    _check_crs(params)
    _check_dates(layer, ctx, params)
    limit, offset = parse_paging(params, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    page = layer_page(layer, ctx, params, limit=limit, offset=offset)

    path = f"/collections/{found.id}/items"
    query = {k: params.get(k) for k in params if k != "f"}
    links = [
        _link(
            _url(request, path, **query, f="json"),
            "self" if fmt == "json" else "alternate",
            GEOJSON,
            _("This page as GeoJSON"),
        ),
        _link(
            _url(request, path, **query, f="html"),
            "self" if fmt == "html" else "alternate",
            HTML,
            _("This page as HTML"),
        ),
        _link(_url(request, f"/collections/{found.id}"), "collection", JSON, found.title),
    ]
    page_type = GEOJSON if fmt == "json" else HTML
    page_f = "json" if fmt == "json" else "html"
    if page.has_next:
        links.append(
            _link(
                _url(
                    request, path, **{**query, "offset": offset + limit, "limit": limit}, f=page_f
                ),
                "next",
                page_type,
                _("Next page"),
            )
        )
    if offset > 0:
        links.append(
            _link(
                _url(
                    request,
                    path,
                    **{**query, "offset": max(offset - limit, 0), "limit": limit},
                    f=page_f,
                ),
                "prev",
                page_type,
                _("Previous page"),
            )
        )
    if fmt == "html":
        names = layer_property_names(layer, ctx)
        data = {
            "links": links,
            "numberMatched": page.number_matched,
            "numberReturned": page.number_returned,
        }
        rows = [
            {"id": row[0], "url": _url(request, f"{path}/{row[0]}", f="html"), "values": row[2:]}
            for row in page.rows
        ]
        return _respond(
            request,
            fmt,
            data,
            GEOJSON,
            public=found.public,
            template="items.html",
            collection=found,
            names=names,
            rows=rows,
            offset=offset,
        )
    body = feature_collection_bytes(layer, page, ctx, links=links)
    return cached_response(request, body, GEOJSON, public=found.public)


@ogc_view
def item(request, collection_id: str, feature_id: str):
    found = _collection(request, collection_id)
    fmt = negotiate(request)
    _check_crs(request.GET)
    not_found = OgcError(
        404,
        "NotFound",
        _("No feature %(id)s in %(collection)s, or it is outside your jurisdiction.")
        % {"id": feature_id[:20], "collection": found.id},
    )
    if not is_ascii_digits(feature_id) or len(feature_id) > 18:  # not str.isdigit(): "²", "١٢"
        raise not_found
    layer, ctx = found.layer, found.context(request.ogc_user)
    # Straight from the layer's base rows, so a feature listed under any filter (e.g. an old
    # administrative unit with `valid_on`) resolves by its id.
    qs = layer.base(ctx).annotate(_geom=layer.geometry_expression()).filter(pk=int(feature_id))
    rows = layer.rows(qs[:1], ctx)
    if not rows:
        raise not_found
    feature = next(layer_features(layer, rows, ctx))
    path = f"/collections/{found.id}/items/{feature_id}"
    feature["links"] = [
        _link(
            _url(request, path, f="json"),
            "self" if fmt == "json" else "alternate",
            GEOJSON,
            _("This feature as GeoJSON"),
        ),
        _link(
            _url(request, path, f="html"),
            "self" if fmt == "html" else "alternate",
            HTML,
            _("This feature as HTML"),
        ),
        _link(_url(request, f"/collections/{found.id}"), "collection", JSON, found.title),
    ]
    if fmt == "html":
        names = layer_property_names(layer, ctx)
        return _respond(
            request,
            fmt,
            {"links": feature["links"]},
            GEOJSON,
            public=found.public,
            template="item.html",
            collection=found,
            feature_id=feature_id,
            properties=list(zip(names, rows[0][2:], strict=True)),
        )
    return cached_response(
        request, orjson.dumps(feature, option=orjson.OPT_NON_STR_KEYS), GEOJSON, public=found.public
    )


# --- API token for GIS clients -------------------------------------------------------------
class TokenApi(APIView):
    """`POST` creates your API token (revoking the previous one) and returns its key, this once
    only; `GET` shows the active token's prefix and dates (never the key: only its SHA-256 is
    stored); `DELETE` revokes it. Send it as `Authorization: Token <key>` (GDAL:
    `GDAL_HTTP_HEADERS`). A token cannot create its successor: POST needs the password (HTTP
    Basic) or the browser session."""

    authentication_classes = [
        CheckedBasicAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [IsAuthenticated]
    renderer_classes = [ORJSONRenderer]

    @staticmethod
    def _info(token: ApiToken | None) -> dict | None:
        if token is None:
            return None
        return {
            "prefix": token.prefix,
            "created": token.created.isoformat(),
            "last_used": token.last_used.isoformat() if token.last_used else None,
        }

    @staticmethod
    def _no_store(response: Response) -> Response:
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return self._no_store(Response({"token": self._info(api_token_active(user=request.user))}))

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        if isinstance(request.successful_authenticator, ApiTokenAuthentication):
            raise exceptions.PermissionDenied(
                _("A token cannot create a new token: sign in with your password.")
            )
        token, key = api_token_create(user=request.user)
        body = {"key": key, "header": f"Authorization: Token {key}", "token": self._info(token)}
        return self._no_store(Response(body, status=201))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        api_token_revoke(user=request.user)
        return Response(status=204)
