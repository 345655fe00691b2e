"""The landing page, the conformance classes and the API definition (OpenAPI 3.0)."""

from __future__ import annotations

import orjson
from django.utils.translation import gettext as _

from apps.core.http import cached_response

from ..collections import visible_collections
from ..openapi import openapi_document
from .common import (
    HTML,
    JSON,
    OPENAPI,
    absolute_url,
    base_url,
    is_anonymous,
    link,
    negotiate,
    ogc_view,
    respond,
    self_links,
)

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]


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
            *self_links(request, "/", fmt),
            link(
                absolute_url(request, "/api"),
                "service-desc",
                OPENAPI,
                _("The API definition (OpenAPI 3.0)"),
            ),
            link(
                absolute_url(request, "/api", f="html"),
                "service-doc",
                HTML,
                _("The API definition as HTML"),
            ),
            link(
                absolute_url(request, "/conformance"),
                "conformance",
                JSON,
                _("Conformance classes"),
            ),
            link(absolute_url(request, "/collections"), "data", JSON, _("The feature collections")),
        ],
    }
    return respond(
        request,
        fmt,
        data,
        JSON,
        public=is_anonymous(request),
        template="landing.html",
        landing_url=base_url(request) + "/",
    )


@ogc_view
def conformance(request):
    fmt = negotiate(request)
    data = {"links": self_links(request, "/conformance", fmt), "conformsTo": CONFORMANCE}
    return respond(request, fmt, data, JSON, public=True, template="conformance.html")


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
        return respond(
            request,
            fmt,
            {"links": self_links(request, "/api", fmt, OPENAPI)},
            OPENAPI,
            public=False,
            template="api.html",
            document=pretty,
        )
    return cached_response(
        request,
        orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS),
        OPENAPI,
        public=is_anonymous(request),
    )
