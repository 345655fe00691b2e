"""The catalogue of feature collections: `/collections`, `/collections/{id}` and the
collection's queryables (the JSON Schema of its filter parameters)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..collections import CRS84, Collection, collection_extent, visible_collections
from ..openapi import filter_parameters
from .common import (
    GEOJSON,
    HTML,
    JSON,
    SCHEMA_JSON,
    absolute_url,
    is_anonymous,
    link,
    negotiate,
    ogc_view,
    readable_collection,
    respond,
    self_links,
)


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
            link(absolute_url(request, path), "self", JSON, collection.title),
            link(
                absolute_url(request, path, f="html"),
                "alternate",
                HTML,
                _("This collection as HTML"),
            ),
            link(
                absolute_url(request, path + "/items"),
                "items",
                GEOJSON,
                _("The features as GeoJSON"),
            ),
            link(
                absolute_url(request, path + "/queryables"),
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
        "links": self_links(request, "/collections", fmt),
        "collections": [
            collection_document(request, c) for c in visible_collections(request.ogc_user)
        ],
    }
    return respond(
        request, fmt, data, JSON, public=is_anonymous(request), template="collections.html"
    )


@ogc_view
def collection(request, collection_id: str):
    found = readable_collection(request, collection_id)
    fmt = negotiate(request)
    data = collection_document(request, found)
    data["links"] = self_links(request, f"/collections/{found.id}", fmt) + data["links"][2:]
    return respond(
        request, fmt, data, JSON, public=found.public, template="collection.html", collection=found
    )


@ogc_view
def queryables(request, collection_id: str):
    found = readable_collection(request, collection_id)
    fmt = negotiate(request)
    ctx = found.context(request.ogc_user)
    properties = {
        p["name"]: {**p["schema"], "title": p["name"], "description": p["description"]}
        for p in filter_parameters(found, ctx)
    }
    data = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": absolute_url(request, f"/collections/{found.id}/queryables"),
        "type": "object",
        "title": found.title,
        "properties": properties,
        "additionalProperties": False,
    }
    return respond(
        request,
        fmt,
        data,
        SCHEMA_JSON,
        public=found.public,
        template="queryables.html",
        collection=found,
    )
