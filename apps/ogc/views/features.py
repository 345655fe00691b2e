"""The features: a collection's items (`/collections/{id}/items`, paged GeoJSON or an HTML
table) and one item (`/collections/{id}/items/{featureId}`). Rows come from the map-layer
registry and are serialised with orjson, the geometry text coming from the database as is."""

from __future__ import annotations

import orjson
from django.utils.translation import gettext as _

from apps.core.http import cached_response
from apps.core.parsing import is_ascii_digits
from apps.maps.layers import (
    layer_features,
    layer_property_names,
    parse_datetime_interval,
    parse_param,
)
from apps.maps.selectors import feature_collection_bytes, layer_page, parse_paging

from ..collections import CRS84, Collection
from ..openapi import DEFAULT_LIMIT, MAX_LIMIT
from .common import (
    GEOJSON,
    HTML,
    JSON,
    OgcError,
    absolute_url,
    link,
    negotiate,
    ogc_view,
    readable_collection,
    respond,
)

# Query parameters every items request may carry besides the layer's filters.
ITEMS_PARAMETERS = frozenset({"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime"})
CRS84_NAMES = frozenset(
    {CRS84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "[OGC:CRS84]", "OGC:CRS84"}
)


# --- checking the query --------------------------------------------------------------------
def _check_known_parameters(layer, ctx, params) -> None:
    allowed = ITEMS_PARAMETERS | {p.name for p in layer.visible_params(ctx)}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise OgcError(
            400,
            "InvalidParameterValue",
            _("Unknown query parameter: %(name)s.") % {"name": unknown[0][:40]},
            key=unknown[0][:40],
        )


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
    500; answer 400 naming the parameter instead (reported to the lead, apps/maps/layers/)."""
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


# --- links ---------------------------------------------------------------------------------
def _format_links(request, path: str, fmt: str, what: dict, **query) -> list[dict]:
    """The GeoJSON and HTML links of one page or feature: the format asked for is `self`, the
    other `alternate`; `what` holds their titles."""
    return [
        link(
            absolute_url(request, path, **query, f="json"),
            "self" if fmt == "json" else "alternate",
            GEOJSON,
            what["json"],
        ),
        link(
            absolute_url(request, path, **query, f="html"),
            "self" if fmt == "html" else "alternate",
            HTML,
            what["html"],
        ),
    ]


def _collection_link(request, collection: Collection) -> dict:
    return link(
        absolute_url(request, f"/collections/{collection.id}"), "collection", JSON, collection.title
    )


def _page_links(
    request, collection: Collection, fmt: str, params, page, *, limit: int, offset: int
) -> list[dict]:
    """self/alternate and collection, then `next` and `prev` in the format asked for; every
    link carries the query (filters, bbox …) along."""
    path = f"/collections/{collection.id}/items"
    query = {k: params.get(k) for k in params if k != "f"}
    titles = {"json": _("This page as GeoJSON"), "html": _("This page as HTML")}
    links = [
        *_format_links(request, path, fmt, titles, **query),
        _collection_link(request, collection),
    ]
    page_type = GEOJSON if fmt == "json" else HTML
    page_f = "json" if fmt == "json" else "html"
    if page.has_next:
        next_query = {**query, "offset": offset + limit, "limit": limit}
        links.append(
            link(
                absolute_url(request, path, **next_query, f=page_f),
                "next",
                page_type,
                _("Next page"),
            )
        )
    if offset > 0:
        prev_query = {**query, "offset": max(offset - limit, 0), "limit": limit}
        links.append(
            link(
                absolute_url(request, path, **prev_query, f=page_f),
                "prev",
                page_type,
                _("Previous page"),
            )
        )
    return links


# --- the items -----------------------------------------------------------------------------
def _items_page_html(request, collection: Collection, ctx, page, links, *, offset: int):
    path = f"/collections/{collection.id}/items"
    names = layer_property_names(collection.layer, ctx)
    data = {
        "links": links,
        "numberMatched": page.number_matched,
        "numberReturned": page.number_returned,
    }
    rows = [
        {
            "id": row[0],
            "url": absolute_url(request, f"{path}/{row[0]}", f="html"),
            "values": row[2:],
        }
        for row in page.rows
    ]
    return respond(
        request,
        "html",
        data,
        GEOJSON,
        public=collection.public,
        template="items.html",
        collection=collection,
        names=names,
        rows=rows,
        offset=offset,
    )


@ogc_view
def items(request, collection_id: str):
    found = readable_collection(request, collection_id)
    fmt = negotiate(request)
    layer, ctx, params = found.layer, found.context(request.ogc_user), request.GET
    _check_known_parameters(layer, ctx, params)
    _check_crs(params)
    _check_dates(layer, ctx, params)
    limit, offset = parse_paging(params, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    page = layer_page(layer, ctx, params, limit=limit, offset=offset)
    links = _page_links(request, found, fmt, params, page, limit=limit, offset=offset)
    if fmt == "html":
        return _items_page_html(request, found, ctx, page, links, offset=offset)
    body = feature_collection_bytes(layer, page, ctx, links=links)
    return cached_response(request, body, GEOJSON, public=found.public)


# --- one item ------------------------------------------------------------------------------
@ogc_view
def item(request, collection_id: str, feature_id: str):
    found = readable_collection(request, collection_id)
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
    titles = {"json": _("This feature as GeoJSON"), "html": _("This feature as HTML")}
    feature["links"] = [
        *_format_links(request, path, fmt, titles),
        _collection_link(request, found),
    ]
    if fmt == "html":
        names = layer_property_names(layer, ctx)
        return respond(
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
