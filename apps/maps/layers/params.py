"""The layers' query parameters: their declaration (`Param`), the parsing and validation of the
values a client sends (a bad value is a 400 naming the parameter), the `bbox` and OGC `datetime`
filters, and the `unit` filter shared by every layer located in a commune."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.contrib.gis.geos import Polygon
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError, ErrorCode
from apps.geo.choices import Level
from apps.geo.models import AdminUnit, AdminUnitSuccession

if TYPE_CHECKING:
    from .base import LayerContext


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


# --- parsing -------------------------------------------------------------------------------
_INT = re.compile(r"-?[0-9]{1,9}\Z")  # ASCII digits only: `\d` also matches "١٢"


def parse_param(param: Param, raw: str) -> Any:
    raw = raw.strip()
    if param.type == "integer":
        return _parse_integer(param, raw)
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


def _parse_integer(param: Param, raw: str) -> int:
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
                "bbox must be four numbers: min longitude, min latitude, max longitude, max "
                "latitude."
            ),
        )
    x1, y1, x2, y2 = numbers
    if not (-180 <= x1 <= 180 and -180 <= x2 <= 180 and -90 <= y1 <= 90 and -90 <= y2 <= 90):
        raise LayerParamError("bbox", _("bbox is outside longitude -180..180 or latitude -90..90."))
    if x1 > x2 or y1 > y2:
        raise LayerParamError(
            "bbox",
            _(
                "bbox minimum must not exceed its maximum (boxes across the antimeridian are not "
                "supported)."
            ),
        )
    poly = Polygon.from_bbox((x1, y1, x2, y2))
    poly.srid = 4326
    return poly


def parse_datetime_interval(raw: str) -> tuple[datetime | None, datetime | None]:
    """An OGC API `datetime`: an instant, or `start/end` with `..` (or empty) for open ends.
    Dates count as whole days."""
    if "/" in raw:
        start_text, _sep, end_text = raw.partition("/")
        start = _parse_moment(start_text, end=False)
        end = _parse_moment(end_text, end=True)
        if start is None and end is None:
            raise LayerParamError("datetime", _("datetime interval must have at least one end."))
        if start and end and start > end:
            raise LayerParamError("datetime", _("datetime interval starts after it ends."))
        return start, end
    return _parse_moment(raw, end=False), _parse_moment(raw, end=True)


def _parse_moment(text: str, *, end: bool) -> datetime | None:
    """One end of a `datetime` interval (None when open); a date is its first or last moment."""
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
                "datetime must be an RFC 3339 date or date-time, or an interval start/end "
                "with “..” for an open end."
            ),
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


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
            "Official code of a province or commune, current or before July 2025 (e.g. 86, 83, "
            "28756)."
        ),
        apply,
    )
