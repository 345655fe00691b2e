"""The map layers' core types: who asks (`LayerContext`), a layer (`Layer`) and its output
properties (`Prop`), and how a layer's rows are read and turned into GeoJSON features. The
parameters a layer filters by are in `params`, the layers themselves in one module per family
(`products`, `dossiers`, `certificates`, `units`) and their order in `registry`.

A layer is a queryset builder plus a list of properties and filters:

- `Layer.queryset(ctx, params)` starts from the model's `for_user()` (authenticated variant) or
  from the public rule (public variant: recognised, non-revoked products only, no personal
  data), then applies the validated filters;
- `Layer.rows(qs, ctx)` reads `(id, geometry GeoJSON text, *properties)` tuples with the
  geometry made by the database (`AsGeoJSON`), so a FeatureCollection is built with orjson
  without parsing geometry in Python (reference/gis-clients-and-limits.md §5.2: 44-50x faster
  than Django's serializer).

Coordinates are WGS 84 longitude/latitude (CRS84) with 6 decimals (about 10 cm, RFC 7946
§11.2); polygon rings follow the right-hand rule (exterior counter-clockwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from django.contrib.gis.db.models.functions import AsGeoJSON, ForcePolygonCW, Reverse
from django.db import connections
from django.db.models import CharField, Expression, F, Func, QuerySet, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError, ErrorCode

from .params import (
    LayerParamError,
    Param,
    filter_interval,
    parse_bbox,
    parse_datetime_interval,
    parse_param,
)

GEOJSON_PRECISION = 6


@dataclass(frozen=True)
class LayerContext:
    """Who is asking and for which variant. `user` is ignored by the public variant."""

    user: Any = None
    public: bool = False
    today: date = field(default_factory=timezone.localdate)


@dataclass(frozen=True)
class Prop:
    """One output property. `source` is an ORM lookup (read as is) or an expression (annotated);
    `transform` post-processes the value in Python. `public=False` keeps it out of the public
    variant."""

    name: str
    source: str | Expression | Callable[[LayerContext], Expression]
    type: str  # string | integer | number | date | datetime | boolean
    title: Any
    public: bool = True
    transform: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Layer:
    id: str
    title: Any
    description: Any
    geometry_type: str  # Point | MultiPolygon
    model: type
    geometry: str | Callable[[], Expression]
    props: tuple[Prop, ...]
    params: tuple[Param, ...]
    scoped: Callable[[LayerContext], QuerySet]
    public_rows: Callable[[LayerContext], QuerySet] | None = None
    # (start, end) lookups of the interval a `datetime` filter intersects; end may be None.
    temporal: tuple[str, str | None] | None = None
    order_by: tuple[str, ...] = ("pk",)
    # Lookups used by the `unit` filter.
    province_lookup: str | None = None
    commune_lookup: str | None = None
    # Rows to attach computed properties to after the read (admin-unit aggregates), and the
    # names of the properties it appends to each row, in order.
    postprocess: Callable[[list[list], LayerContext, tuple[str, ...]], None] | None = None
    postprocess_props: Callable[[LayerContext], tuple[str, ...]] | None = None
    # Administrative units: without `valid_on` or `datetime`, only the units in force today.
    current_by_default: bool = False

    @property
    def has_public(self) -> bool:
        return self.public_rows is not None

    def visible_props(self, ctx: LayerContext) -> tuple[Prop, ...]:
        return tuple(p for p in self.props if p.public or not ctx.public)

    def visible_params(self, ctx: LayerContext) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.public or not ctx.public)

    def geometry_expression(self) -> Expression:
        geom = self.geometry() if callable(self.geometry) else F(self.geometry)
        return geom

    def base(self, ctx: LayerContext) -> QuerySet:
        if ctx.public:
            if self.public_rows is None:
                raise ApplicationError(ErrorCode.NOT_FOUND, _("This layer has no public variant."))
            qs = self.public_rows(ctx)
        else:
            qs = self.scoped(ctx)
        if qs.query.distinct:
            # DISTINCT (council members' dossiers) would add the ORDER BY columns to every row
            # read; a primary-key subquery keeps rows and counts exact without it.
            qs = qs.model._default_manager.filter(pk__in=qs.values("pk"))
        return qs

    # --- filters -------------------------------------------------------------------------
    def queryset(
        self,
        ctx: LayerContext,
        params: Mapping[str, str] | None = None,
        *,
        bbox: str | None = None,
        datetime_: str | None = None,
    ) -> QuerySet:
        """The layer's rows for `ctx`, narrowed by the filters in `params` (query-string values;
        unknown keys are ignored so a caller can pass the whole query string), a `bbox` string
        and an OGC `datetime` string. Bad values raise a 400 naming the parameter."""
        params = params or {}
        qs = self.base(ctx).annotate(_geom=self.geometry_expression())
        for param in self.visible_params(ctx):
            raw = params.get(param.name)
            if raw in (None, ""):
                continue
            qs = param.apply(qs, parse_param(param, raw), ctx)
        if self.current_by_default and not datetime_ and not params.get("valid_on"):
            qs = qs.valid_on(ctx.today)
        if bbox:
            qs = qs.filter(_geom__intersects=parse_bbox(bbox))
        if datetime_ and self.temporal:
            qs = filter_interval(qs, self.temporal, parse_datetime_interval(datetime_))
        elif datetime_:
            raise LayerParamError("datetime", _("This layer has no time dimension."))
        return qs.order_by(*self.order_by)

    # --- reading -------------------------------------------------------------------------
    def values_queryset(
        self, qs: QuerySet, ctx: LayerContext, *, geometry: str = "geojson"
    ) -> QuerySet:
        """`qs` as `(pk, geometry, *props)` tuples: the SQL every reader runs. `geometry` is
        "geojson" (GeoJSON text made by the database), "raw" (the geometry column itself, for
        SQL that wraps this one, such as the vector tiles) or "none" (properties only)."""
        if geometry == "geojson":
            annotations: dict[str, Expression] = {
                "_geometry": AsGeoJSON(
                    _rfc7946(F("_geom"), self.geometry_type), precision=GEOJSON_PRECISION
                )
            }
        elif geometry == "raw":
            annotations = {"_geometry": SqlGeometry(F("_geom"))}
        else:  # "none": properties only
            annotations = {"_geometry": Value(None, output_field=CharField())}
        lookups = []
        for prop in self.visible_props(ctx):
            if isinstance(prop.source, str):
                lookups.append(prop.source)
            else:
                source = prop.source
                if callable(source) and not isinstance(source, Expression):
                    source = source(ctx)
                annotations[f"_p_{prop.name}"] = source
                lookups.append(f"_p_{prop.name}")
        return qs.annotate(**annotations).values_list("pk", "_geometry", *lookups)

    def rows(self, qs: QuerySet, ctx: LayerContext, *, geometry: str = "geojson") -> list:
        """`[id, geometry_json, *props]` for each row (tuples when nothing is post-processed),
        in `qs` order."""
        props = self.visible_props(ctx)
        values = self.values_queryset(qs, ctx, geometry=geometry)
        if connections[values.db].vendor == "postgresql":
            # psycopg2 already returns the Python types the ORM would (no converters apply to
            # these columns on PostgreSQL), so the rows are read from a bare cursor: the ORM's
            # per-row work was a third of the layer endpoint's time (bench_gis).
            sql, params = values.query.sql_with_params()
            with connections[values.db].cursor() as cursor:
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
        else:
            fetched = list(values)
        if not self.postprocess and not any(p.transform for p in props):
            return fetched
        rows = [list(r) for r in fetched]
        for i, prop in enumerate(props, start=2):
            if prop.transform:
                for row in rows:
                    row[i] = prop.transform(row[i])
        if self.postprocess:
            self.postprocess(rows, ctx, tuple(p.name for p in props))
        return rows


class SqlGeometry(Func):
    """A geometry selected as the database's own type, for SQL that wraps the query (vector
    tiles). Selected as a geometry field, PostGIS columns come out as `::bytea` for GEOS, which
    hides them from spatial indexes and estimates in the wrapping statement."""

    template = "%(expressions)s"
    output_field = TextField()


def _rfc7946(geom: Expression, geometry_type: str) -> Expression:
    # RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise. Forcing clockwise and
    # reversing every ring gives exactly that, on PostGIS and SpatiaLite alike.
    if geometry_type.endswith("Polygon"):
        return Reverse(ForcePolygonCW(geom))
    return geom


def layer_property_names(layer: Layer, ctx: LayerContext) -> list[str]:
    names = [p.name for p in layer.visible_props(ctx)]
    if layer.postprocess_props is not None:
        names.extend(layer.postprocess_props(ctx))
    return names


def layer_features(layer: Layer, rows: Iterable[list], ctx: LayerContext) -> Iterator[dict]:
    names = layer_property_names(layer, ctx)
    for row in rows:
        yield {
            "type": "Feature",
            "id": row[0],
            "geometry": orjson.Fragment(row[1]) if row[1] else None,
            "properties": dict(zip(names, row[2:], strict=True)),
        }
