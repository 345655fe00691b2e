"""What every OGC view shares: the OGC exception, authentication, the `ogc_view` decorator,
content negotiation, absolute URLs and links, and the JSON/HTML response."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

import orjson
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions

from apps.accounts.authentication import ApiTokenAuthentication, CheckedBasicAuthentication
from apps.core.exceptions import ApplicationError
from apps.core.http import cached_response

from ..collections import Collection, find_collection

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON = "application/schema+json"
HTML = "text/html"
REALM = 'Basic realm="OCOP GIS", charset="UTF-8"'


# --- errors and authentication -------------------------------------------------------------
class OgcError(Exception):
    """An OGC API exception: `{"code", "description"}` with an HTTP status."""

    def __init__(
        self, status: int, code: str, description, *, key: str | None = None, headers=None
    ):
        super().__init__(str(description))
        self.status, self.code, self.description = status, code, str(description)
        self.key, self.headers = key, headers or {}


def not_authenticated(description=None) -> OgcError:
    return OgcError(
        401,
        "NotAuthenticated",
        description or _("Sign in to read this collection (HTTP Basic or an API token)."),
        headers={"WWW-Authenticate": REALM},
    )


def exception_response(exc: OgcError) -> HttpResponse:
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
            raise not_authenticated(exc.detail) from None
        if result is not None:
            return result[0]
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def ogc_view(view):
    """GET/HEAD only; sets `request.ogc_user`; turns `OgcError` and `ApplicationError` into OGC
    exception responses."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = exception_response(
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
            return exception_response(exc)
        except ApplicationError as exc:
            status = exc.status_code
            code = {400: "InvalidParameterValue", 404: "NotFound", 401: "NotAuthenticated"}.get(
                status, str(exc.code)
            )
            return exception_response(OgcError(status, code, exc.message, key=exc.extra.get("key")))

    return wrapper


def is_anonymous(request) -> bool:
    return request.ogc_user is None


def readable_collection(request, collection_id: str) -> Collection:
    """The collection, or 404 when there is none by that id, or 401 when it needs a sign-in."""
    collection = find_collection(collection_id)
    if collection is None:
        raise OgcError(
            404, "NotFound", _("No such collection: %(id)s.") % {"id": collection_id[:60]}
        )
    if not collection.public and request.ogc_user is None:
        raise not_authenticated()
    return collection


# --- content negotiation -------------------------------------------------------------------
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


# --- absolute URLs and links ---------------------------------------------------------------
def base_url(request) -> str:
    return request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")


def absolute_url(request, path: str, **query) -> str:
    query = {k: v for k, v in query.items() if v is not None}
    return base_url(request) + path + ("?" + urlencode(query) if query else "")


def link(href: str, rel: str, media_type: str, title) -> dict:
    return {"href": href, "rel": rel, "type": media_type, "title": str(title)}


def self_links(request, path: str, fmt: str, json_type: str = JSON) -> list[dict]:
    json_link = link(
        absolute_url(request, path, f="json"),
        "self" if fmt == "json" else "alternate",
        json_type,
        _("This document as JSON"),
    )
    html_link = link(
        absolute_url(request, path, f="html"),
        "self" if fmt == "html" else "alternate",
        HTML,
        _("This document as HTML"),
    )
    return [json_link, html_link] if fmt == "json" else [html_link, json_link]


# --- responses -----------------------------------------------------------------------------
def respond(
    request, fmt: str, data: dict, content_type: str, *, public: bool, template: str, **context
):
    """`data` as JSON, or the `ogc/<template>` page (never publicly cached) rendering it."""
    if fmt == "html":
        body = render_to_string(
            f"ogc/{template}", {"data": data, **context}, request=request
        ).encode()
        return cached_response(request, body, "text/html; charset=utf-8", public=False)
    return cached_response(
        request, orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS), content_type, public=public
    )
