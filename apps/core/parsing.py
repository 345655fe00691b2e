"""Parsing of untrusted input: whole numbers from query strings, forms and JSON, and GeoJSON
geometries. Bad input is an `InvalidInput` (an `ApplicationError` with code `invalid`): the API's
exception handler answers 400 in the `{"code","message","extra"}` envelope with `extra.key`
naming the field, and in HTML views Django answers 400 (`InvalidInput` is also a
`django.core.exceptions.BadRequest`) unless the view catches it to show a form error.

Only ASCII digits are numbers here. `str.isdigit()` is true for "²" (which `int()` refuses) and
for "١٢" or "１２" (which `int()` accepts as 12), and `re`'s `\\d` matches the last two as well:
neither may decide what the application parses.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .exceptions import ApplicationError, ErrorCode

# Optional sign, 1 to 18 ASCII digits, nothing after (not even the newline `$` lets through):
# 18 digits always fit a signed 64-bit column, so no value reaches the database that it refuses.
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,18}\Z")
ASCII_DIGITS = re.compile(r"[0-9]+\Z")


class InvalidInput(ApplicationError, BadRequest):
    """Unparsable or out-of-range input: 400 in the API (the envelope) and in HTML views."""

    def __init__(self, field: str, message: str, **extra: Any):
        super().__init__(ErrorCode.INVALID, message, extra={"key": field, **extra})


def is_ascii_digits(value: Any) -> bool:
    """True for a non-empty string of ASCII digits 0-9 only."""
    return isinstance(value, str) and ASCII_DIGITS.match(value) is not None


def parse_ascii_int(
    value: Any,
    *,
    field: str,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """`value` (a string of ASCII digits with an optional sign, or an int) as an int within
    [minimum, maximum]; anything else raises `InvalidInput` naming `field`. Surrounding spaces
    are allowed, as in a form; booleans, floats, "1.0", "1e3", "١٢", "１２" and "²" are not."""
    if isinstance(value, bool) or value is None:
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_INT.match(value.strip()):
        number = int(value.strip())
    else:
        number = None
    if number is None or abs(number) >= 10**18:
        raise InvalidInput(field, _("“%(name)s” must be a whole number.") % {"name": field})
    if minimum is not None and number < minimum:
        raise InvalidInput(
            field,
            _("“%(name)s” must be at least %(min)s.") % {"name": field, "min": minimum},
            minimum=minimum,
        )
    if maximum is not None and number > maximum:
        raise InvalidInput(
            field,
            _("“%(name)s” must be at most %(max)s.") % {"name": field, "max": maximum},
            maximum=maximum,
        )
    return number


def parse_optional_int(
    value: Any, *, field: str, default: int | None = None, **bounds: int | None
) -> int | None:
    """`parse_ascii_int` of a value that may be absent (None or "") in which case `default`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    return parse_ascii_int(value, field=field, **bounds)


def parse_id(value: Any, *, field: str) -> int:
    """A database id (≥ 1) from request data."""
    return parse_ascii_int(value, field=field, minimum=1)


# --- geometry ------------------------------------------------------------------------------
def vietnam_extent() -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of Viet Nam with its islands (`OCOP_VIETNAM_BBOX`)."""
    return tuple(float(v) for v in settings.OCOP_VIETNAM_BBOX)  # type: ignore[return-value]


def in_vietnam(lon: float, lat: float) -> bool:
    """Whether a point lies inside `OCOP_VIETNAM_BBOX` (a rectangle: coarse, cheap, no query)."""
    min_lon, min_lat, max_lon, max_lat = vietnam_extent()
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def drop_z(geom):
    """`geom` without its third dimension (heights from a GPS receiver are not kept: columns
    are 2-D). Returns the same object when it is already 2-D."""
    from django.contrib.gis.geos import GEOSGeometry, WKBWriter

    if not geom.hasz:
        return geom
    writer = WKBWriter()
    writer.outdim = 2
    flat = GEOSGeometry(writer.write(geom))
    flat.srid = geom.srid
    return flat


def parse_geojson_geometry(data: Any, *, field: str, types: tuple[str, ...]):
    """A GeoJSON geometry object (WGS 84 lon/lat) of one of `types` as a 2-D GEOS geometry with
    SRID 4326. Refused with `InvalidInput`: anything that is not such an object, unreadable
    coordinates, an empty geometry, coordinates outside lon ±180 / lat ±90. A third coordinate
    (height) is dropped. Validity (self-intersection) and the Viet Nam extent are the callers'
    rules (see `check_in_vietnam`)."""
    from django.contrib.gis.gdal import GDALException
    from django.contrib.gis.geos import GEOSException, GEOSGeometry

    if not isinstance(data, dict) or data.get("type") not in types:
        raise InvalidInput(
            field,
            _("Send a GeoJSON geometry of type %(types)s.") % {"types": " or ".join(types)},
        )
    try:
        geom = GEOSGeometry(json.dumps(data))
    except (GEOSException, GDALException, ValueError, TypeError, RecursionError) as exc:
        raise InvalidInput(
            field, _("The geometry cannot be read: %(reason)s") % {"reason": str(exc)[:200]}
        ) from exc
    if geom.geom_type not in types:
        raise InvalidInput(
            field,
            _("Send a GeoJSON geometry of type %(types)s.") % {"types": " or ".join(types)},
        )
    if geom.empty:
        raise InvalidInput(field, _("The geometry is empty."))
    geom = drop_z(geom)
    geom.srid = 4326
    xmin, ymin, xmax, ymax = geom.extent
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise InvalidInput(field, _("Coordinates must be longitude/latitude in degrees (WGS 84)."))
    return geom


def check_in_vietnam(geom, *, field: str) -> None:
    """Refuse a geometry whose extent leaves Viet Nam's (`OCOP_VIETNAM_BBOX`)."""
    min_lon, min_lat, max_lon, max_lat = vietnam_extent()
    xmin, ymin, xmax, ymax = geom.extent
    if xmin < min_lon or ymin < min_lat or xmax > max_lon or ymax > max_lat:
        raise InvalidInput(
            field,
            _(
                "The geometry lies outside Viet Nam (longitude %(min_lon)s–%(max_lon)s, "
                "latitude %(min_lat)s–%(max_lat)s)."
            )
            % {"min_lon": min_lon, "max_lon": max_lon, "min_lat": min_lat, "max_lat": max_lat},
        )


# --- form and serializer fields ------------------------------------------------------------
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


class AsciiIntegerSerializerField(serializers.IntegerField):
    """DRF's IntegerField, ASCII digits only (DRF's own reads "１２" as 12), and within a 64-bit
    integer unless narrower bounds are given: a larger number is a 400, not a database overflow."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", BIGINT_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and not _ASCII_INT.match(data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


class AsciiIntegerFormField(forms.IntegerField):
    """Django's forms.IntegerField, ASCII digits only."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not _ASCII_INT.match(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
