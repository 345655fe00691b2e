"""The map layers, defined once and served everywhere: the GeoJSON layer API, OGC API -
Features (apps.ogc), vector tiles (apps.maps.tiles), exports and the dashboards all read a layer
through this registry, so a filter or a privacy rule means the same thing in every client.

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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from django.contrib.gis.db.models.functions import (
    AsGeoJSON,
    ForcePolygonCW,
    PointOnSurface,
    Reverse,
)
from django.contrib.gis.geos import Polygon
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Left, StrIndex
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.certificates.choices import CertificateStatus, PublicStatus
from apps.certificates.models import Certificate
from apps.core.api.errors import ApplicationError, ErrorCode
from apps.dossiers.choices import CLOSED, COMMUNE_CLOCK, DossierKind, DossierStatus
from apps.dossiers.models import Dossier
from apps.geo.choices import Level
from apps.geo.models import AdminUnit, AdminUnitSuccession
from apps.producers.choices import AreaKind, LegalType
from apps.producers.models import Producer, ProductionArea
from apps.products.choices import ProductGroup, ProductStatus, product_group
from apps.products.models import Product

GEOJSON_PRECISION = 6
# Certificates expiring within this many days are flagged on the certificate layer and counted
# in the unit aggregates (issue 6: "expiring within 180 days").
EXPIRING_DAYS = 180
# Public statuses under which a certificate still stands (not revoked, not expired).
STANDING = (PublicStatus.VALID, PublicStatus.REEVALUATION_WINDOW, PublicStatus.EXTENDED)


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
class Param:
    """A filter query parameter. `apply(qs, value, ctx)` narrows the queryset; `type` drives the
    parsing and the OpenAPI description (integer | string | date | boolean | unit)."""

    name: str
    type: str
    description: Any
    apply: Callable[[QuerySet, Any, LayerContext], QuerySet]
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    public: bool = True


class LayerParamError(ApplicationError):
    def __init__(self, param: str, message):
        super().__init__(ErrorCode.INVALID, message, extra={"key": param})


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
    # Rows to attach computed properties to after the read (admin-unit aggregates).
    postprocess: Callable[[list[list], LayerContext, tuple[str, ...]], None] | None = None
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


# --- parsing -------------------------------------------------------------------------------
_INT = re.compile(r"-?[0-9]{1,9}\Z")  # ASCII digits only: `\d` also matches "١٢"


def parse_param(param: Param, raw: str) -> Any:
    raw = raw.strip()
    if param.type == "integer":
        if not _INT.match(raw):
            raise LayerParamError(
                param.name, _("“%(name)s” must be a whole number.") % {"name": param.name}
            )
        value = int(raw)
        if (param.minimum is not None and value < param.minimum) or (
            param.maximum is not None and value > param.maximum
        ):
            raise LayerParamError(
                param.name,
                _("“%(name)s” must be between %(min)s and %(max)s.")
                % {"name": param.name, "min": param.minimum, "max": param.maximum},
            )
        return value
    if param.type == "boolean":
        if raw.lower() in ("true", "1", "yes"):
            return True
        if raw.lower() in ("false", "0", "no"):
            return False
        raise LayerParamError(
            param.name, _("“%(name)s” must be true or false.") % {"name": param.name}
        )
    if param.type == "date":
        day = _safe_date(raw)
        if day is None:
            raise LayerParamError(
                param.name, _("“%(name)s” must be a date, YYYY-MM-DD.") % {"name": param.name}
            )
        return day
    if param.type == "unit":
        return resolve_unit(param.name, raw)
    if param.enum is not None and raw not in param.enum:
        raise LayerParamError(
            param.name,
            _("“%(value)s” is not a valid %(name)s; use one of: %(choices)s.")
            % {"value": raw[:40], "name": param.name, "choices": ", ".join(param.enum)},
        )
    if len(raw) > 100:
        raise LayerParamError(param.name, _("“%(name)s” is too long.") % {"name": param.name})
    return raw


def _safe_date(raw: str) -> date | None:
    """A YYYY-MM-DD date, or None if it is malformed or impossible (2025-02-30)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        return None
    try:
        return parse_date(raw)
    except ValueError:
        return None


def parse_bbox(raw: str) -> Polygon:
    """`minLon,minLat,maxLon,maxLat` in CRS84 (6 values: the heights are ignored)."""
    parts = raw.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or any(n != n for n in numbers):  # NaN
        raise LayerParamError(
            "bbox",
            _(
                "bbox must be four numbers: min longitude, min latitude, max longitude, max latitude."
            ),
        )
    x1, y1, x2, y2 = numbers
    if not (-180 <= x1 <= 180 and -180 <= x2 <= 180 and -90 <= y1 <= 90 and -90 <= y2 <= 90):
        raise LayerParamError("bbox", _("bbox is outside longitude -180..180 or latitude -90..90."))
    if x1 > x2 or y1 > y2:
        raise LayerParamError(
            "bbox",
            _(
                "bbox minimum must not exceed its maximum (boxes across the antimeridian are not supported)."
            ),
        )
    poly = Polygon.from_bbox((x1, y1, x2, y2))
    poly.srid = 4326
    return poly


def parse_datetime_interval(raw: str) -> tuple[datetime | None, datetime | None]:
    """An OGC API `datetime`: an instant, or `start/end` with `..` (or empty) for open ends.
    Dates count as whole days."""

    def one(text: str, *, end: bool) -> datetime | None:
        text = text.strip()
        if text in ("", ".."):
            return None
        try:
            moment = parse_datetime(text) if "T" in text or " " in text else None
        except ValueError:
            moment = None
        day = None if moment is not None else _safe_date(text)
        if day is not None:
            moment = datetime.combine(day, time.max if end else time.min)
        if moment is None:
            raise LayerParamError(
                "datetime",
                _(
                    "datetime must be an RFC 3339 date or date-time, or an interval start/end with “..” for an open end."
                ),
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    if "/" in raw:
        start_text, _sep, end_text = raw.partition("/")
        start, end = one(start_text, end=False), one(end_text, end=True)
        if start is None and end is None:
            raise LayerParamError("datetime", _("datetime interval must have at least one end."))
        if start and end and start > end:
            raise LayerParamError("datetime", _("datetime interval starts after it ends."))
        return start, end
    return one(raw, end=False), one(raw, end=True)


def filter_interval(qs: QuerySet, lookups: tuple[str, str | None], interval) -> QuerySet:
    """Rows whose [start, end] (end open when null) intersects the requested interval. Date
    fields are compared by local date."""
    start_field, end_field = lookups
    wanted_start, wanted_end = interval
    field_is_date = _is_date_field(qs.model, start_field)

    def val(moment: datetime):
        return timezone.localtime(moment).date() if field_is_date else moment

    if wanted_end is not None:
        qs = qs.filter(
            Q(**{f"{start_field}__isnull": True}) | Q(**{f"{start_field}__lte": val(wanted_end)})
        )
    if wanted_start is not None:
        end = end_field or start_field
        qs = qs.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": val(wanted_start)}))
    return qs


def _is_date_field(model, lookup: str) -> bool:
    from django.db.models import DateField, DateTimeField

    field_ = None
    for part in lookup.split("__"):
        field_ = model._meta.get_field(part)
        model = field_.related_model or model
    return isinstance(field_, DateField) and not isinstance(field_, DateTimeField)


# --- the unit filter -----------------------------------------------------------------------
@dataclass(frozen=True)
class UnitFilter:
    """A resolved `unit=` value: a current province or commune filters by the record's own
    jurisdiction; an old unit (before July 2025) or a district filters spatially by its
    boundary, or, for old communes without a polygon, by the communes that succeeded it."""

    unit: AdminUnit
    successors: tuple[int, ...] = ()


def resolve_unit(name: str, code: str) -> UnitFilter:
    if not re.match(r"^[0-9]{2,5}$", code):
        raise LayerParamError(
            name, _("“%(name)s” must be an official unit code (2 to 5 digits).") % {"name": name}
        )
    today = timezone.localdate()
    candidates = list(AdminUnit.objects.filter(code=code).order_by("-valid_from"))
    if not candidates:
        raise LayerParamError(
            name, _("No administrative unit has the code %(code)s.") % {"code": code}
        )
    current = [u for u in candidates if u.valid_to is None or u.valid_to >= today]
    unit = (current or candidates)[0]
    successors: tuple[int, ...] = ()
    if unit.geom is None:
        successors = tuple(
            AdminUnitSuccession.objects.filter(predecessor=unit).values_list(
                "successor_id", flat=True
            )
        )
        if not successors:
            raise LayerParamError(
                name,
                _("Unit %(code)s has no boundary and no known successor to filter by.")
                % {"code": code},
            )
    return UnitFilter(unit, successors)


def unit_param(layer_id: str, *, province: str, commune: str) -> Param:
    def apply(qs: QuerySet, value: UnitFilter, ctx: LayerContext) -> QuerySet:
        unit, today = value.unit, ctx.today
        is_current = unit.valid_to is None or unit.valid_to >= today
        if value.successors:
            return qs.filter(**{f"{commune}__in": value.successors})
        if is_current and unit.level == Level.PROVINCE:
            return qs.filter(**{province: unit})
        if is_current and unit.level == Level.COMMUNE:
            return qs.filter(**{commune: unit})
        return qs.filter(_geom__intersects=unit.geom)

    return Param(
        "unit",
        "unit",
        _(
            "Official code of a province or commune, current or before July 2025 (e.g. 86, 83, 28756)."
        ),
        apply,
    )


# --- shared pieces -------------------------------------------------------------------------
def _standing_certificates(ctx: LayerContext) -> QuerySet:
    return (
        Certificate.objects.with_public_status(ctx.today)
        .exclude(status=CertificateStatus.REVOKED)
        .filter(public_status__in=[s.value for s in STANDING])
    )


def _current_certificate(ctx: LayerContext, product_ref: str = "pk") -> QuerySet:
    """The product's newest non-revoked certificate (standing or expired)."""
    return (
        Certificate.objects.with_public_status(ctx.today)
        .filter(product=OuterRef(product_ref))
        .exclude(status=CertificateStatus.REVOKED)
        .order_by("-valid_from", "-pk")
    )


def group_of(lookup: str) -> Expression:
    """The product group (I…VI): the classification code up to its first dot, in SQL."""
    code = F(lookup)
    return Case(
        When(**{f"{lookup}__contains": "."}, then=Left(code, StrIndex(code, Value(".")) - 1)),
        default=code,
        output_field=CharField(),
    )


def _group_param(lookup: str) -> Param:
    def apply(qs, value, ctx):
        return qs.filter(Q(**{lookup: value}) | Q(**{f"{lookup}__startswith": f"{value}."}))

    return Param(
        "group",
        "string",
        _("Product group, I to VI (QĐ 26/2026 Phụ lục I)."),
        apply,
        enum=tuple(ProductGroup.values),
    )


STAR_DESCRIPTION = _("Star rating of the standing certificate, 3 to 5.")
GROUP_LABELS = dict(ProductGroup.choices)


# --- producers -----------------------------------------------------------------------------
def _producers_scoped(ctx):
    return Producer.objects.for_user(ctx.user)


def _producers_public(ctx):
    return Producer.objects.filter(
        Exists(_standing_certificates(ctx).filter(product__producer=OuterRef("pk")))
    )


PRODUCERS = Layer(
    id="producers",
    title=_("OCOP producers"),
    description=_("Cooperatives, firms and household businesses, at their registered location."),
    geometry_type="Point",
    model=Producer,
    geometry="location",
    props=(
        Prop("name", "name", "string", _("name")),
        Prop("legal_type", "legal_type", "string", _("legal type")),
        Prop("commune_code", "commune__code", "string", _("commune code")),
        Prop("commune_name", "commune__full_name", "string", _("commune")),
        Prop("province_code", "province__code", "string", _("province code")),
        Prop(
            "registration_number",
            "registration_number",
            "string",
            _("registration number"),
            public=False,
        ),
        Prop(
            "registration_date", "registration_date", "date", _("registration date"), public=False
        ),
        Prop("is_demo", "is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        unit_param("producers", province="province", commune="commune"),
        Param(
            "legal_type",
            "string",
            _("Legal type of the producer."),
            lambda qs, v, ctx: qs.filter(legal_type=v),
            enum=tuple(LegalType.values),
        ),
        Param(
            "group",
            "string",
            _("Has a product in this group, I to VI."),
            lambda qs, v, ctx: qs.filter(
                Exists(
                    Product.objects.filter(producer=OuterRef("pk")).filter(
                        Q(classification_code=v) | Q(classification_code__startswith=f"{v}.")
                    )
                )
            ),
            enum=tuple(ProductGroup.values),
        ),
        Param(
            "star",
            "integer",
            _("Has a product with a standing certificate of this star rating."),
            lambda qs, v, ctx: qs.filter(
                Exists(
                    _standing_certificates(ctx).filter(product__producer=OuterRef("pk"), stars=v)
                )
            ),
            minimum=3,
            maximum=5,
        ),
    ),
    scoped=_producers_scoped,
    public_rows=_producers_public,
    temporal=("registration_date", None),
    order_by=("name", "pk"),
    province_lookup="province",
    commune_lookup="commune",
)


# --- products ------------------------------------------------------------------------------
def _product_point() -> Expression:
    # At the production site when the product has one, else at the producer.
    from django.contrib.gis.db.models import PointField

    return Coalesce(
        PointOnSurface("production_area__geom"),
        F("producer__location"),
        output_field=PointField(srid=4326),
    )


def _products_scoped(ctx):
    return Product.objects.for_user(ctx.user)


def _products_public(ctx):
    return Product.objects.filter(
        Exists(_standing_certificates(ctx).filter(product=OuterRef("pk")))
    )


def _revoked_certificate() -> QuerySet:
    return Certificate.objects.filter(product=OuterRef("pk"), status=CertificateStatus.REVOKED)


def _certificate_value(name: str) -> Callable[[LayerContext], Expression]:
    if name == "public_status":
        # The newest non-revoked certificate's status, or "revoked" when every certificate the
        # product had was revoked; null when it never had one.
        return lambda ctx: Coalesce(
            Subquery(_current_certificate(ctx).values(name)[:1]),
            Case(
                When(Exists(_revoked_certificate()), then=Value(PublicStatus.REVOKED.value)),
                default=Value(None),
                output_field=CharField(),
            ),
        )
    # The plain fields need no status annotation: a lighter subquery, faster to compile.
    newest = (
        Certificate.objects.filter(product=OuterRef("pk"))
        .exclude(status=CertificateStatus.REVOKED)
        .order_by("-valid_from", "-pk")
        .values(name)[:1]
    )
    return lambda ctx: Subquery(newest)


def _product_status_param():
    def apply(qs, value, ctx):
        if value == "none":
            return qs.filter(~Exists(Certificate.objects.filter(product=OuterRef("pk"))))
        if value == PublicStatus.REVOKED:
            return qs.filter(Exists(_revoked_certificate()), ~Exists(_current_certificate(ctx)))
        newest = Subquery(_current_certificate(ctx).values("public_status")[:1])
        return qs.annotate(_newest_status=newest).filter(_newest_status=value)

    return Param(
        "certificate_status",
        "string",
        _(
            "Status of the newest certificate (“revoked”: every certificate was revoked), "
            "or “none” for products never recognised."
        ),
        apply,
        enum=(*PublicStatus.values, "none"),
    )


PRODUCTS = Layer(
    id="products",
    title=_("OCOP products"),
    description=_(
        "Products at their production site, or at the producer when no site is recorded, "
        "with the star and status of their newest certificate."
    ),
    geometry_type="Point",
    model=Product,
    geometry=_product_point,
    props=(
        Prop("name", "name", "string", _("name")),
        Prop("group", group_of("classification_code"), "string", _("product group")),
        Prop("classification_code", "classification_code", "string", _("classification code")),
        Prop("stars", _certificate_value("stars"), "integer", _("stars")),
        Prop(
            "certificate_status",
            _certificate_value("public_status"),
            "string",
            _("certificate status"),
        ),
        Prop("valid_until", _certificate_value("valid_until"), "date", _("valid until")),
        Prop("product_code", _certificate_value("product_code"), "string", _("OCOP product code")),
        Prop("status", "status", "string", _("product status"), public=False),
        Prop("producer_id", "producer_id", "integer", _("producer")),
        Prop("producer_name", "producer__name", "string", _("producer")),
        Prop("commune_code", "producer__commune__code", "string", _("commune code")),
        Prop("commune_name", "producer__commune__full_name", "string", _("commune")),
        Prop("province_code", "producer__province__code", "string", _("province code")),
        Prop(
            "at_site",
            Case(
                When(production_area__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            "boolean",
            _("located at the production site"),
        ),
        Prop("is_demo", "producer__is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        Param(
            "star",
            "integer",
            STAR_DESCRIPTION,
            lambda qs, v, ctx: qs.filter(
                Exists(_standing_certificates(ctx).filter(product=OuterRef("pk"), stars=v))
            ),
            minimum=3,
            maximum=5,
        ),
        _group_param("classification_code"),
        _product_status_param(),
        Param(
            "status",
            "string",
            _("Product status."),
            lambda qs, v, ctx: qs.filter(status=v),
            enum=tuple(ProductStatus.values),
            public=False,
        ),
        unit_param("products", province="producer__province", commune="producer__commune"),
        Param(
            "round",
            "string",
            _("Evaluation round as YYYY-N (e.g. 2026-1), or a year."),
            lambda qs, v, ctx: qs.filter(
                Exists(_round_filter(Dossier.objects.filter(product=OuterRef("pk")), v))
            ),
            public=False,
        ),
    ),
    scoped=_products_scoped,
    public_rows=_products_public,
    temporal=("created_at", None),
    order_by=("name", "pk"),
)


# --- production and raw-material areas ------------------------------------------------------
AREAS = Layer(
    id="production-areas",
    title=_("Production and raw-material areas"),
    description=_("Polygons of production sites and raw-material areas drawn by producers."),
    geometry_type="MultiPolygon",
    model=ProductionArea,
    geometry="geom",
    props=(
        Prop("name", "name", "string", _("name")),
        Prop("kind", "kind", "string", _("kind")),
        Prop("area_ha", Cast("area_ha", FloatField()), "number", _("area (ha)")),
        Prop("producer_id", "producer_id", "integer", _("producer")),
        Prop("producer_name", "producer__name", "string", _("producer")),
        Prop("commune_code", "producer__commune__code", "string", _("commune code")),
        Prop("province_code", "producer__province__code", "string", _("province code")),
        Prop("is_demo", "producer__is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        Param(
            "kind",
            "string",
            _("Kind of area."),
            lambda qs, v, ctx: qs.filter(kind=v),
            enum=tuple(AreaKind.values),
        ),
        unit_param("production-areas", province="producer__province", commune="producer__commune"),
        Param(
            "group",
            "string",
            _("Area of a product in this group, I to VI."),
            lambda qs, v, ctx: qs.filter(
                Q(products__classification_code=v)
                | Q(products__classification_code__startswith=f"{v}.")
            ).distinct(),
            enum=tuple(ProductGroup.values),
        ),
    ),
    scoped=lambda ctx: ProductionArea.objects.for_user(ctx.user),
    public_rows=lambda ctx: ProductionArea.objects.filter(
        Exists(_standing_certificates(ctx).filter(product__production_area=OuterRef("pk")))
    ),
    temporal=("created_at", None),
    order_by=("name", "pk"),
)


# --- dossiers ------------------------------------------------------------------------------
def _round_filter(qs: QuerySet, value: str) -> QuerySet:
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2}))?", value)
    if not match:
        raise LayerParamError("round", _("round must be YYYY-N (e.g. 2026-1) or a year."))
    qs = qs.filter(round_year=int(match.group(1)))
    if match.group(2):
        qs = qs.filter(round_number=int(match.group(2)))
    return qs


def _overdue(ctx: LayerContext) -> Expression:
    return Case(
        When(status__in=list(COMMUNE_CLOCK), commune_deadline__lt=ctx.today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _dossiers_open_param():
    def apply(qs, value, ctx):
        return qs.exclude(status__in=list(CLOSED)) if value else qs.filter(status__in=list(CLOSED))

    return Param("open", "boolean", _("true: not yet recognised or refused; false: closed."), apply)


DOSSIERS = Layer(
    id="dossiers",
    title=_("OCOP dossiers"),
    description=_(
        "Dossiers at their producer's location, by status, with the commune deadline and whether it is overdue."
    ),
    geometry_type="Point",
    model=Dossier,
    geometry="product__producer__location",
    props=(
        Prop("receipt_number", "receipt_number", "string", _("receipt number")),
        Prop("status", "status", "string", _("status")),
        Prop("kind", "kind", "string", _("kind")),
        Prop("product_id", "product_id", "integer", _("product")),
        Prop("product_name", "product__name", "string", _("product")),
        Prop("group", group_of("product__classification_code"), "string", _("product group")),
        Prop("producer_name", "product__producer__name", "string", _("producer")),
        Prop("commune_code", "commune__code", "string", _("commune code")),
        Prop("commune_name", "commune__full_name", "string", _("commune")),
        Prop("province_code", "province__code", "string", _("province code")),
        Prop("submitted_at", "submitted_at", "datetime", _("submitted at")),
        Prop("commune_deadline", "commune_deadline", "date", _("commune deadline")),
        Prop("overdue", _overdue, "boolean", _("overdue")),
        Prop("round_year", "round_year", "integer", _("round year")),
        Prop("round_number", "round_number", "integer", _("round number")),
        Prop("self_star", "self_star", "integer", _("self-assessed stars")),
        Prop("is_demo", "is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        Param(
            "status",
            "string",
            _("Dossier status."),
            lambda qs, v, ctx: qs.filter(status=v),
            enum=tuple(DossierStatus.values),
        ),
        Param(
            "kind",
            "string",
            _("Dossier kind."),
            lambda qs, v, ctx: qs.filter(kind=v),
            enum=tuple(DossierKind.values),
        ),
        _dossiers_open_param(),
        Param(
            "overdue",
            "boolean",
            _("Only dossiers past (true) or within (false) the commune deadline."),
            lambda qs, v, ctx: qs.annotate(_overdue=_overdue(ctx)).filter(_overdue=v),
        ),
        _group_param("product__classification_code"),
        unit_param("dossiers", province="province", commune="commune"),
        Param(
            "round",
            "string",
            _("Evaluation round as YYYY-N (e.g. 2026-1), or a year."),
            lambda qs, v, ctx: _round_filter(qs, v),
        ),
        Param(
            "deadline_before",
            "date",
            _("Commune deadline on or before this date."),
            lambda qs, v, ctx: qs.filter(commune_deadline__lte=v),
        ),
    ),
    scoped=lambda ctx: Dossier.objects.for_user(ctx.user),
    temporal=("created_at", None),
    order_by=("-created_at", "pk"),
)


# --- certificates --------------------------------------------------------------------------
def _expiring(ctx: LayerContext) -> Expression:
    return Case(
        When(
            ~Q(status=CertificateStatus.REVOKED),
            valid_until__gte=ctx.today,
            valid_until__lte=ctx.today + timedelta(days=EXPIRING_DAYS),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


CERTIFICATES = Layer(
    id="certificates",
    title=_("OCOP certificates"),
    description=_(
        "Certificates at the product's producer, by star, validity and expiry within 180 days."
    ),
    geometry_type="Point",
    model=Certificate,
    geometry="product__producer__location",
    props=(
        Prop("product_code", "product_code", "string", _("OCOP product code")),
        Prop("number", "number", "string", _("certificate number")),
        Prop("stars", "stars", "integer", _("stars")),
        Prop("status", "public_status", "string", _("status")),
        Prop("valid_from", "valid_from", "date", _("valid from")),
        Prop("valid_until", "valid_until", "date", _("valid until")),
        Prop("expiring", _expiring, "boolean", _("expires within 180 days")),
        Prop("decision_number", "decision__number", "string", _("decision number")),
        Prop("product_id", "product_id", "integer", _("product")),
        Prop("product_name", "product__name", "string", _("product")),
        Prop("group", group_of("product__classification_code"), "string", _("product group")),
        Prop("producer_name", "product__producer__name", "string", _("producer")),
        Prop("commune_code", "dossier__commune__code", "string", _("commune code")),
        Prop("commune_name", "dossier__commune__full_name", "string", _("commune")),
        Prop("province_code", "dossier__province__code", "string", _("province code")),
        Prop("dossier_id", "dossier_id", "integer", _("dossier"), public=False),
        Prop("is_demo", "is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        Param(
            "star",
            "integer",
            _("Star rating, 3 to 5."),
            lambda qs, v, ctx: qs.filter(stars=v),
            minimum=3,
            maximum=5,
        ),
        Param(
            "status",
            "string",
            _("Public status of the certificate."),
            lambda qs, v, ctx: qs.filter(public_status=v),
            enum=tuple(PublicStatus.values),
        ),
        Param(
            "expiring",
            "boolean",
            _("Only certificates expiring within 180 days (true) or not (false)."),
            lambda qs, v, ctx: qs.annotate(_expiring=_expiring(ctx)).filter(_expiring=v),
        ),
        _group_param("product__classification_code"),
        unit_param("certificates", province="dossier__province", commune="dossier__commune"),
        Param(
            "round",
            "string",
            _("Evaluation round of the dossier as YYYY-N, or a year."),
            lambda qs, v, ctx: qs.filter(dossier__in=_round_filter(Dossier.objects.all(), v)),
        ),
        Param(
            "year",
            "integer",
            _("Year of recognition."),
            lambda qs, v, ctx: qs.filter(valid_from__year=v),
            minimum=2000,
            maximum=2100,
        ),
    ),
    scoped=lambda ctx: Certificate.objects.for_user(ctx.user).with_public_status(ctx.today),
    public_rows=lambda ctx: Certificate.objects.with_public_status(ctx.today).exclude(
        status=CertificateStatus.REVOKED
    ),
    temporal=("valid_from", "valid_until"),
    order_by=("-valid_from", "pk"),
)


# --- administrative units with aggregates ---------------------------------------------------
INDICATORS: dict[str, Any] = {
    "products_recognised": _("Products with a standing certificate"),
    "products_star_3": _("3-star products"),
    "products_star_4": _("4-star products"),
    "products_star_5": _("5-star products"),
    **{
        f"products_group_{g}": format_lazy(_("Products in group {group}"), group=g)
        for g in ProductGroup.values
    },
    "certificates_expiring": _("Certificates expiring within 180 days"),
    "dossiers_open": _("Open dossiers"),
    "dossiers_overdue": _("Overdue dossiers"),
    "dossiers_recognised": _("Recognised dossiers"),
}
PUBLIC_INDICATORS = tuple(k for k in INDICATORS if not k.startswith("dossiers_"))


def unit_aggregates(
    units: list[tuple[int, str, bool]], ctx: LayerContext
) -> dict[int, dict[str, int]]:
    """Indicator counts per unit id for units given as (id, level, in force today).

    Current provinces and communes count by the records' own jurisdiction (one grouped query per
    indicator family); older units and districts count by location inside their boundary."""

    out: dict[int, dict[str, int]] = {}
    by_level: dict[str, list[int]] = {Level.PROVINCE: [], Level.COMMUNE: []}
    spatial: dict[str, list[int]] = {}
    for unit_id, level, current in units:
        out[unit_id] = {k: 0 for k in (PUBLIC_INDICATORS if ctx.public else INDICATORS)}
        if current and level in by_level:
            by_level[level].append(unit_id)
        else:
            spatial.setdefault(level, []).append(unit_id)

    standing = _standing_certificates(ctx)
    if not ctx.public:
        standing = standing.filter(pk__in=Certificate.objects.for_user(ctx.user).values("pk"))
    expiring = Certificate.objects.exclude(status=CertificateStatus.REVOKED).filter(
        valid_until__gte=ctx.today, valid_until__lte=ctx.today + timedelta(days=EXPIRING_DAYS)
    )
    if not ctx.public:
        expiring = expiring.filter(pk__in=Certificate.objects.for_user(ctx.user).values("pk"))
    dossiers = None if ctx.public else Dossier.objects.for_user(ctx.user)

    for level, field_name in (
        (Level.PROVINCE, "dossier__province"),
        (Level.COMMUNE, "dossier__commune"),
    ):
        ids = by_level[level]
        _count_certificates(out, ids, field_name, standing, expiring)
        if dossiers is not None:
            _count_dossiers(out, ids, field_name.removeprefix("dossier__"), dossiers, ctx)

    # Older units and districts: each record is tagged with the unit of that level whose boundary
    # holds its producer, in the same grouped queries (units of one level do not overlap).
    for ids in spatial.values():
        unit = Subquery(
            AdminUnit.objects.filter(
                pk__in=ids, geom__intersects=OuterRef("product__producer__location")
            )
            .order_by("pk")
            .values("pk")[:1]
        )
        _count_certificates(
            out, ids, "_unit", standing.annotate(_unit=unit), expiring.annotate(_unit=unit)
        )
        if dossiers is not None:
            _count_dossiers(out, ids, "_unit", dossiers.annotate(_unit=unit), ctx)
    return out


def _count_certificates(out, ids, field_name, standing, expiring) -> None:
    if not ids:
        return
    for unit_id, stars, code in standing.filter(**{f"{field_name}__in": ids}).values_list(
        field_name, "stars", "product__classification_code"
    ):
        target = out[unit_id]
        target["products_recognised"] += 1
        target[f"products_star_{stars}"] += 1
        target[f"products_group_{product_group(code)}"] += 1
    from django.db.models import Count

    for row in (
        expiring.filter(**{f"{field_name}__in": ids}).values(field_name).annotate(n=Count("pk"))
    ):
        out[row[field_name]]["certificates_expiring"] += row["n"]


def _count_dossiers(out, ids, field_name, dossiers, ctx) -> None:
    if not ids:
        return
    from django.db.models import Count

    rows = (
        dossiers.filter(**{f"{field_name}__in": ids})
        .annotate(_overdue=_overdue(ctx))
        .values(field_name, "status", "_overdue")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in rows:
        _add_dossier_row(out[row[field_name]], row["status"], row["_overdue"], row["n"])


def _add_dossier_row(target, status, overdue, n) -> None:
    if status == DossierStatus.RECOGNISED:
        target["dossiers_recognised"] += n
    if status not in CLOSED:
        target["dossiers_open"] += n
    if overdue:
        target["dossiers_overdue"] += n


def _units_postprocess(rows: list[list], ctx: LayerContext, names: tuple[str, ...]) -> None:
    idx = {name: i + 2 for i, name in enumerate(names)}
    units = [
        (
            row[0],
            row[idx["level"]],
            row[idx["valid_to"]] is None or row[idx["valid_to"]] >= ctx.today,
        )
        for row in rows
    ]
    counts = unit_aggregates(units, ctx)
    keys = PUBLIC_INDICATORS if ctx.public else tuple(INDICATORS)
    for row in rows:
        row.extend(counts[row[0]][k] for k in keys)


def _units_valid_on(qs, value, ctx):
    return qs.valid_on(value)


ADMIN_UNITS = Layer(
    id="admin-units",
    title=_("Administrative units with OCOP indicators"),
    description=_(
        "Provinces, districts (before July 2025) and communes, with counts of recognised products "
        "by star and group, expiring certificates and, for staff, dossiers by status. Units in force "
        "today unless `valid_on` or `datetime` says otherwise."
    ),
    geometry_type="MultiPolygon",
    model=AdminUnit,
    geometry="geom",
    props=(
        Prop("code", "code", "string", _("official code")),
        Prop("name", "name", "string", _("name")),
        Prop("full_name", "full_name", "string", _("full name")),
        Prop("level", "level", "string", _("level")),
        Prop("parent_code", "parent__code", "string", _("parent code")),
        Prop("valid_from", "valid_from", "date", _("valid from")),
        Prop("valid_to", "valid_to", "date", _("valid to")),
    ),
    params=(
        Param(
            "level",
            "string",
            _("province, district or commune."),
            lambda qs, v, ctx: qs.filter(level=v),
            enum=tuple(Level.values),
        ),
        Param(
            "parent",
            "string",
            _("Official code of the parent unit."),
            lambda qs, v, ctx: qs.filter(parent__code=v),
        ),
        Param(
            "valid_on",
            "date",
            _(
                "Units in force on this date (default today; 2025-06-30 gives the units before the reform)."
            ),
            _units_valid_on,
        ),
    ),
    scoped=lambda ctx: AdminUnit.objects.filter(geom__isnull=False),
    public_rows=lambda ctx: AdminUnit.objects.filter(geom__isnull=False),
    temporal=("valid_from", "valid_to"),
    order_by=("level", "code", "pk"),
    postprocess=_units_postprocess,
    current_by_default=True,
)


def aggregate_prop_names(ctx: LayerContext) -> tuple[str, ...]:
    return PUBLIC_INDICATORS if ctx.public else tuple(INDICATORS)


REGISTRY: dict[str, Layer] = {
    layer.id: layer for layer in (PRODUCERS, PRODUCTS, AREAS, DOSSIERS, CERTIFICATES, ADMIN_UNITS)
}


def get_layer(layer_id: str) -> Layer:
    try:
        return REGISTRY[layer_id]
    except KeyError:
        raise ApplicationError(
            ErrorCode.NOT_FOUND, _("No such layer: %(id)s.") % {"id": layer_id[:40]}
        ) from None


def layer_property_names(layer: Layer, ctx: LayerContext) -> list[str]:
    names = [p.name for p in layer.visible_props(ctx)]
    if layer.postprocess is _units_postprocess:
        names.extend(aggregate_prop_names(ctx))
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
