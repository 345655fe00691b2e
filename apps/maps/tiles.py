"""Mapbox vector tiles (MVT 2.1) of the map layers, made by PostGIS (`ST_AsMVT`).

A tile is read through the layer registry exactly as the GeoJSON API reads a page: the same
`Layer.queryset(ctx, params)` (so `for_user()` scoping, the public rule and every filter —
star, group, status, unit, round, date… — apply unchanged), narrowed to the tile's envelope
(plus the 64-unit buffer) with the registry's own `bbox` filter. Then:

- **z >= 8, and every polygon layer at any zoom:** one MVT feature per row, with the layer's
  visible properties (the public variant carries no personal data). The registry's own row SQL
  (`Layer.values_queryset(..., geometry="raw")`) is wrapped in
  `ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64)` and `ST_AsMVT`,
  one statement. The admin units' indicators are computed in Python by the registry; for that
  layer the properties are passed into the query as one JSONB object keyed by id.
  Polygons are simplified to half a tile pixel first (`ST_Simplify`), which changes nothing
  visible at that zoom and keeps low-zoom boundary tiles cheap.
- **Point layers below z8 (`CLUSTER_BELOW_ZOOM`):** points are aggregated on a grid of
  16 x 16 cells per tile (`CLUSTER_CELLS`, cells aligned with the tile edges, so a cell never
  straddles two tiles). Each non-empty cell is one feature at the mean position of its points
  with `count` and, for layers with a `stars` property (products, certificates), `star_3`,
  `star_4`, `star_5`. A national z5 tile therefore holds at most 256 small features.

The MVT layer inside the tile is named after the registry layer (`producers`, `products`…).
An empty tile is an empty `200` (zero bytes: a valid MVT without layers), cached like any tile,
rather than `204`: every client (MapLibre, QGIS, GDAL) reads it, and it keeps its ETag.

SpatiaLite has no `ST_AsMVT`: `tiles_available()` is False there, the tile and TileJSON
endpoints answer `501` with a JSON error pointing at the GeoJSON layer API, and the map pages
use GeoJSON instead.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson
from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError, ErrorCode
from apps.geo.attribution import MAP_ATTRIBUTIONS

from .layers.base import Layer, LayerContext, SqlGeometry, layer_property_names

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
EXTENT = 4096
BUFFER = 64
# Zoom levels accepted by the tile endpoint; TileJSON advertises 0..TILEJSON_MAXZOOM (clients
# over-zoom beyond it, the data are points and small polygons).
MAX_ZOOM = 22
TILEJSON_MAXZOOM = 14
CLUSTER_BELOW_ZOOM = 8
CLUSTER_CELLS = 16
STAR_LEVELS = (3, 4, 5)
WORLD = 20037508.342789244  # half the Web Mercator world width, metres
MAX_LATITUDE = 85.0511287798066
# Vietnam, for TileJSON bounds when a layer has no rows yet.
DEFAULT_BOUNDS = (102.14, 8.18, 109.47, 23.39)

_SQL_TYPES = {"integer": "bigint", "number": "double precision", "boolean": "boolean"}


def tiles_available() -> bool:
    """True when the database can make vector tiles (PostGIS `ST_AsMVT`); False on SpatiaLite,
    where maps should load the GeoJSON layer API instead."""
    return bool(getattr(connection.ops, "postgis", False))


class TilesUnavailable(Exception):
    pass


# --- tile arithmetic -----------------------------------------------------------------------
def parse_tile(z: str | int, x: str | int, y: str | int) -> tuple[int, int, int]:
    """Validated tile coordinates: 0 <= z <= MAX_ZOOM, 0 <= x, y < 2**z (400 otherwise)."""
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except (TypeError, ValueError):
        raise ApplicationError(
            ErrorCode.INVALID, _("Tile coordinates must be whole numbers."), extra={"key": "z"}
        ) from None
    if not 0 <= zi <= MAX_ZOOM:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("Zoom must be between 0 and %(max)s.") % {"max": MAX_ZOOM},
            extra={"key": "z"},
        )
    for name, value in (("x", xi), ("y", yi)):
        if not 0 <= value < 2**zi:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("Tile %(name)s must be between 0 and %(max)s at zoom %(z)s.")
                % {"name": name, "max": 2**zi - 1, "z": zi},
                extra={"key": name},
            )
    return zi, xi, yi


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's envelope in EPSG:3857 (xmin, ymin, xmax, ymax), as `ST_TileEnvelope`."""
    size = 2 * WORLD / 2**z
    xmin = -WORLD + x * size
    ymax = WORLD - y * size
    return xmin, ymax - size, xmin + size, ymax


def _lonlat(mx: float, my: float) -> tuple[float, float]:
    lon = math.degrees(mx / 6378137.0)
    lat = math.degrees(2 * math.atan(math.exp(my / 6378137.0)) - math.pi / 2)
    return lon, lat


def tile_bbox(z: int, x: int, y: int) -> str:
    """The tile envelope plus its buffer as a CRS84 `bbox` string for the registry filter."""
    xmin, ymin, xmax, ymax = tile_bounds(z, x, y)
    pad = (xmax - xmin) * BUFFER / EXTENT
    xmin, ymin = max(xmin - pad, -WORLD), max(ymin - pad, -WORLD)
    xmax, ymax = min(xmax + pad, WORLD), min(ymax + pad, WORLD)
    lon1, lat1 = _lonlat(xmin, ymin)
    lon2, lat2 = _lonlat(xmax, ymax)
    # A point at exactly ±85.05° (or beyond, which Web Mercator cannot show) is kept at the edge.
    lat1 = -90.0 if ymin <= -WORLD else lat1
    lat2 = 90.0 if ymax >= WORLD else lat2
    return ",".join(f"{v:.9f}" for v in (max(lon1, -180.0), lat1, min(lon2, 180.0), lat2))


# --- reading -------------------------------------------------------------------------------
def tile_queryset(
    layer: Layer, ctx: LayerContext, params: Mapping[str, str], z: int, x: int, y: int
):
    """The layer's rows for `ctx` and the filters in `params`, inside the tile (and buffer).
    A `bbox` in `params` is ignored: the tile is the box."""
    return layer.queryset(
        ctx, params, bbox=tile_bbox(z, x, y), datetime_=params.get("datetime") or None
    )


def property_rows(layer: Layer, qs, ctx: LayerContext) -> dict[str, dict[str, Any]]:
    """{id: {property: value}} for the rows of `qs`, read by `Layer.rows` (same property
    sources and post-processing) without the geometry, which stays in the database."""
    names = layer_property_names(layer, ctx)
    return {
        str(row[0]): dict(zip(names, row[2:], strict=True))
        for row in layer.rows(qs, ctx, geometry="none")
    }


def _prop_expression(prop, ctx: LayerContext):
    from django.db.models import Expression

    if isinstance(prop.source, str):
        return F(prop.source)
    if callable(prop.source) and not isinstance(prop.source, Expression):
        return prop.source(ctx)
    return prop.source


def property_types(layer: Layer, ctx: LayerContext) -> dict[str, str]:
    """Property name → registry type (string|integer|number|date|datetime|boolean)."""
    types = {p.name: p.type for p in layer.visible_props(ctx)}
    return {name: types.get(name, "integer") for name in layer_property_names(layer, ctx)}


def clusters_at(layer: Layer, z: int) -> bool:
    return layer.geometry_type == "Point" and z < CLUSTER_BELOW_ZOOM


def has_stars(layer: Layer, ctx: LayerContext) -> bool:
    return any(p.name == "stars" for p in layer.visible_props(ctx))


def render_tile(
    layer: Layer, ctx: LayerContext, params: Mapping[str, str], z: int, x: int, y: int
) -> bytes:
    """The MVT bytes of one tile (b"" when nothing is in it)."""
    if not tiles_available():
        raise TilesUnavailable
    if layer.postprocess is not None:
        # The admin units' indicators are finished in Python: read the rows in the tile.
        return _json_property_tile(
            layer, ctx, tile_queryset(layer, ctx, params, z, x, y).order_by(), z, x, y
        )
    kind = "cluster" if clusters_at(layer, z) else "features"
    inner_sql, inner_params = compiled_rows_sql(layer, ctx, params, kind)
    if kind == "cluster":
        return _cluster_tile(layer, ctx, inner_sql, inner_params, z, x, y)
    return _feature_tile(layer, ctx, inner_sql, inner_params, z, x, y)


# Compiling a layer's queryset to SQL costs more than running it for a small tile, and the SQL
# does not depend on the tile (the tile's envelope is a predicate of the wrapping statement), so
# it is kept per layer, variant, user, filters and day. Jurisdiction is a subquery inside the
# SQL, evaluated at run time, so a change of a user's units shows at once; entries expire
# after SQL_CACHE_SECONDS anyway.
SQL_CACHE_SIZE = 512
SQL_CACHE_SECONDS = 60
_sql_cache: OrderedDict = OrderedDict()
_sql_cache_lock = threading.Lock()


def compiled_rows_sql(
    layer: Layer, ctx: LayerContext, params: Mapping[str, str], kind: str
) -> tuple[str, tuple]:
    """(sql, params) of the layer's filtered rows, without any tile restriction: for "features"
    `(pk, geometry, *visible properties)`, for "cluster" `(pk, [stars,] geometry)`."""
    names = {p.name for p in layer.visible_params(ctx)} | {"datetime"}
    user = ctx.user if not ctx.public else None
    key = (
        layer.id,
        kind,
        ctx.public,
        ctx.today,
        getattr(user, "pk", None),
        getattr(user, "role", None),
        tuple(sorted((k, params.get(k)) for k in names if params.get(k) not in (None, ""))),
    )
    now = time.monotonic()
    with _sql_cache_lock:
        hit = _sql_cache.get(key)
        if hit is not None and hit[2] > now:
            _sql_cache.move_to_end(key)
            return hit[0], hit[1]
    qs = layer.queryset(ctx, params, datetime_=params.get("datetime") or None).order_by()
    if kind == "features":
        values = layer.values_queryset(qs, ctx, geometry="raw")
    else:
        star_prop = next((p for p in layer.visible_props(ctx) if p.name == "stars"), None)
        annotations = {"_pk": F("pk")}
        if star_prop is not None:
            annotations["_star"] = _prop_expression(star_prop, ctx)
        annotations["_g"] = SqlGeometry(F("_geom"))
        values = qs.annotate(**annotations).values_list(*annotations)
    sql, sql_params = values.query.sql_with_params()
    with _sql_cache_lock:
        _sql_cache[key] = (sql, tuple(sql_params), now + SQL_CACHE_SECONDS)
        _sql_cache.move_to_end(key)
        while len(_sql_cache) > SQL_CACHE_SIZE:
            _sql_cache.popitem(last=False)
    return sql, tuple(sql_params)


def _envelope_predicate(alias: str) -> str:
    """Rows whose geometry's box meets the tile plus its buffer (index-friendly `&&`)."""
    margin = BUFFER / EXTENT
    return f"{alias}._geom && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => {margin}), 4326)"


def _execute(sql: str, params: list) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def _feature_tile(
    layer: Layer, ctx: LayerContext, inner_sql: str, inner_params, z: int, x: int, y: int
) -> bytes:
    """One statement: the registry's own row SQL (properties computed by the database), its
    columns renamed by position, restricted to the tile and wrapped in ST_AsMVTGeom/ST_AsMVT."""
    qn = connection.ops.quote_name
    geom, geom_params = _mvt_geometry(layer, z)
    names = [p.name for p in layer.visible_props(ctx)]
    aliases = ", ".join(["_pk", "_geom", *(f"c{i}" for i in range(len(names)))])
    columns = ", ".join(f"f.c{i} AS {qn(name)}" for i, name in enumerate(names))
    sql = f"""
        SELECT ST_AsMVT(t.*, %s, {EXTENT}, 'geom', 'id') FROM (
            SELECT f._pk AS id,
                   ST_AsMVTGeom({geom}, ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER}, true)
                       AS geom,
                   {columns}
            FROM ({inner_sql}) AS f({aliases})
            WHERE {_envelope_predicate("f")}
        ) AS t
        WHERE t.geom IS NOT NULL
    """
    return _execute(sql, [layer.id, *geom_params, z, x, y, *inner_params, z, x, y])


def _mvt_geometry(layer: Layer, z: int) -> tuple[str, list]:
    geom = "ST_Transform(f._geom, 3857)"
    if layer.geometry_type.endswith("Polygon"):
        # Simplified to half a tile pixel: nothing visible changes, low zooms stay cheap.
        return f"ST_Simplify({geom}, %s, true)", [2 * WORLD / 2**z / EXTENT / 2]
    return geom, []


def _json_property_tile(layer: Layer, ctx: LayerContext, qs, z: int, x: int, y: int) -> bytes:
    qn = connection.ops.quote_name
    geom, geom_params = _mvt_geometry(layer, z)
    """Layers whose properties are finished in Python (the admin units' indicators): the
    properties travel into the query as one JSONB object keyed by id."""
    props = property_rows(layer, qs, ctx)
    if not props:
        return b""
    inner_sql, inner_params = (
        qs.annotate(_pk=F("pk")).values("_pk", "_geom").query.sql_with_params()
    )
    columns = []
    for name, type_ in property_types(layer, ctx).items():
        cast = _SQL_TYPES.get(type_, "text")
        columns.append(f"(p.j ->> %s)::{cast} AS {qn(name)}")
    sql = f"""
        SELECT ST_AsMVT(t.*, %s, {EXTENT}, 'geom', 'id') FROM (
            SELECT f._pk AS id,
                   ST_AsMVTGeom({geom}, ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER}, true)
                       AS geom,
                   {", ".join(columns)}
            FROM ({inner_sql}) AS f
            JOIN jsonb_each(%s::jsonb) AS p(k, j) ON p.k = f._pk::text
        ) AS t
        WHERE t.geom IS NOT NULL
    """
    params = [
        layer.id,
        *geom_params,
        z,
        x,
        y,
        *property_types(layer, ctx).keys(),
        *inner_params,
        orjson.dumps(props, default=str, option=orjson.OPT_NON_STR_KEYS).decode(),
    ]
    return _execute(sql, params)


def _cluster_tile(
    layer: Layer, ctx: LayerContext, inner_sql: str, inner_params, z: int, x: int, y: int
) -> bytes:
    xmin, ymin, xmax, ymax = tile_bounds(z, x, y)
    cell = (xmax - xmin) / CLUSTER_CELLS
    stars = has_stars(layer, ctx)
    aliases = "_pk, _star, _geom" if stars else "_pk, _geom"
    star_columns = ""
    if stars:
        star_columns = "".join(
            f", count(*) FILTER (WHERE c._star = {level}) AS star_{level}" for level in STAR_LEVELS
        )
    cells_per_side = CLUSTER_CELLS * 2**z
    # Cells are counted from the world's north-west corner, so they line up with tile edges;
    # points are kept only if strictly inside this tile (a point on an edge goes to one tile).
    sql = f"""
        WITH pts AS (
            SELECT f.*, ST_Transform(f._geom, 3857) AS g FROM ({inner_sql}) AS f({aliases})
            WHERE {_envelope_predicate("f")}
        ), c AS (
            SELECT pts.*,
                   floor((ST_X(g) + {WORLD}) / %s) AS cx, floor(({WORLD} - ST_Y(g)) / %s) AS cy
            FROM pts
            WHERE ST_X(g) >= %s AND ST_X(g) < %s AND ST_Y(g) > %s AND ST_Y(g) <= %s
        )
        SELECT ST_AsMVT(t.*, %s, {EXTENT}, 'geom', 'id') FROM (
            SELECT (c.cy * {cells_per_side} + c.cx)::bigint AS id,
                   ST_AsMVTGeom(ST_Centroid(ST_Collect(c.g)), ST_TileEnvelope(%s, %s, %s),
                                {EXTENT}, {BUFFER}, true) AS geom,
                   count(*) AS count{star_columns}
            FROM c GROUP BY c.cx, c.cy
        ) AS t
        WHERE t.geom IS NOT NULL
    """
    params = [*inner_params, z, x, y, cell, cell, xmin, xmax, ymin, ymax, layer.id, z, x, y]
    return _execute(sql, params)


# --- TileJSON ------------------------------------------------------------------------------
def layer_bounds(
    layer: Layer, ctx: LayerContext, params: Mapping[str, str]
) -> tuple[float, float, float, float]:
    """The extent of the filtered layer in CRS84, or Vietnam when it has no rows."""
    from django.contrib.gis.db.models import Extent

    qs = layer.queryset(
        ctx, params, bbox=params.get("bbox") or None, datetime_=params.get("datetime") or None
    )
    extent = qs.order_by().aggregate(e=Extent("_geom"))["e"]
    if not extent:
        return DEFAULT_BOUNDS
    x1, y1, x2, y2 = extent
    if x1 == x2 and y1 == y2:  # one point: a small box around it
        x1, y1, x2, y2 = x1 - 0.01, y1 - 0.01, x2 + 0.01, y2 + 0.01
    return (max(x1, -180), max(y1, -MAX_LATITUDE), min(x2, 180), min(y2, MAX_LATITUDE))


_FIELD_TYPES = {"integer": "Number", "number": "Number", "boolean": "Boolean"}


def tilejson(layer: Layer, ctx: LayerContext, params: Mapping[str, str], *, tile_url: str) -> dict:
    """A TileJSON 3.0.0 document for `layer` (for MapLibre: `source: {type: "vector", url}`).
    `tile_url` is the absolute `…/{z}/{x}/{y}.pbf` template, query string included."""
    bounds = layer_bounds(layer, ctx, params)
    fields = {
        name: _FIELD_TYPES.get(type_, "String")
        for name, type_ in property_types(layer, ctx).items()
    }
    description = str(layer.description)
    if layer.geometry_type == "Point":
        fields["count"] = "Number"
        if has_stars(layer, ctx):
            fields.update({f"star_{level}": "Number" for level in STAR_LEVELS})
        description += " " + str(
            _(
                "Below zoom %(zoom)s points are aggregated on a 16 × 16 grid per tile: each "
                "feature has only `count` (and star_3, star_4, star_5 where the layer has stars)."
            )
            % {"zoom": CLUSTER_BELOW_ZOOM}
        )
    return {
        "tilejson": "3.0.0",
        "name": str(layer.title),
        "description": description,
        "version": "1.0.0",
        "attribution": " · ".join(MAP_ATTRIBUTIONS),
        "scheme": "xyz",
        "tiles": [tile_url],
        "minzoom": 0,
        "maxzoom": TILEJSON_MAXZOOM,
        "bounds": [round(v, 6) for v in bounds],
        "center": [round((bounds[0] + bounds[2]) / 2, 6), round((bounds[1] + bounds[3]) / 2, 6), 8],
        "vector_layers": [
            {
                "id": layer.id,
                "description": description,
                "minzoom": 0,
                "maxzoom": TILEJSON_MAXZOOM,
                "fields": fields,
            }
        ],
    }
