"""The advisory team's field visits to the production site, and their geotagged photos."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ErrorCode, not_found

from ..models import (
    FieldVisit,
    FieldVisitPhoto,
)
from .shared import _assignment_for_adviser, _error, _event


@transaction.atomic
def field_visit_record(
    *, assignment_id: int, adviser: User, visited_on, location, findings: dict, summary: str = ""
) -> FieldVisit:
    """Record a field visit at the production site: its date, where it took place (a point inside
    the pilot province) and findings per criterion of the dossier's sheet."""
    from apps.core.parsing import InvalidInput, parse_geojson_geometry
    from apps.geo.selectors import units_at

    assignment = _assignment_for_adviser(assignment_id, adviser)
    try:  # empty points refused, a height dropped (apps.core.parsing)
        point = parse_geojson_geometry(location, field="location", types=("Point",))
    except InvalidInput:
        raise _error(
            ErrorCode.INVALID, _("Send the location as a GeoJSON point."), key="location"
        ) from None
    if units_at(lon=point.x, lat=point.y) is None:
        raise _error(
            ErrorCode.INVALID,
            _("This location is outside every administrative unit."),
            key="location",
        )
    codes = set(assignment.dossier.sheet.criteria.values_list("code", flat=True))
    unknown = sorted(set(findings) - codes)
    if unknown:
        raise _error(
            ErrorCode.INVALID,
            _("Sheet %(n)s has no criterion “%(code)s”.")
            % {"n": assignment.dossier.sheet.number, "code": unknown[0]},
            key=f"findings.{unknown[0]}",
        )
    visit = FieldVisit.objects.create(
        assignment=assignment,
        visited_on=visited_on,
        location=point,
        findings=findings,
        summary=summary,
        recorded_by=adviser,
    )
    _event(assignment, adviser, "field_visit", note=summary[:200])
    return visit


def _exif_point(file):
    """The GPS position written by the camera into a JPEG's EXIF, or None."""
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as image:
            gps = image.getexif().get_ifd(0x8825)  # GPSInfo
    except Exception:  # noqa: BLE001 — a photo without readable EXIF simply has no geotag
        return None
    finally:
        file.seek(0)
    try:

        def degrees(value, ref):
            d, m, s = (float(x) for x in value)
            sign = -1 if ref in ("S", "W") else 1
            return sign * (d + m / 60 + s / 3600)

        return degrees(gps[4], gps[3]), degrees(gps[2], gps[1])  # lon, lat
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def field_visit_photo_add(
    *,
    visit_id: int,
    adviser: User,
    file,
    caption: str = "",
    lon: float | None = None,
    lat: float | None = None,
    taken_at=None,
) -> FieldVisitPhoto:
    """Attach a photo (JPEG or PNG, checked by content) to a field visit. Its position is the
    camera's EXIF GPS tag when there is one, else the point given; either must lie inside an
    administrative unit. A refused or failed upload leaves neither a row nor a stored object."""
    from django.contrib.gis.geos import Point

    from apps.core.files import stored_file_or_cleanup, upload_check
    from apps.geo.selectors import units_at

    visit = FieldVisit.objects.select_related("assignment").filter(pk=visit_id).first()
    if visit is None:
        raise not_found()
    _assignment_for_adviser(visit.assignment_id, adviser)
    checked = upload_check(file=file)
    if checked.extension not in ("jpg", "png"):
        raise _error(
            ErrorCode.INVALID, _("Field-visit photos must be JPEG or PNG images."), key="file"
        )
    position = _exif_point(file) or ((lon, lat) if lon is not None and lat is not None else None)
    if position is None:
        raise _error(
            ErrorCode.INVALID,
            _("The photo has no GPS position: give its longitude and latitude."),
            key="lon",
        )
    if units_at(lon=position[0], lat=position[1]) is None:
        raise _error(
            ErrorCode.INVALID, _("This location is outside every administrative unit."), key="lon"
        )
    with stored_file_or_cleanup(checked=checked, file=file, prefix="field-visits") as storage_name:
        with transaction.atomic(durable=True):
            photo = FieldVisitPhoto.objects.create(
                visit=visit,
                storage_name=storage_name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                sha256=checked.sha256,
                location=Point(position[0], position[1], srid=4326),
                taken_at=taken_at,
                caption=caption.strip(),
            )
            _event(visit.assignment, adviser, "field_visit_photo", note=checked.original_name)
    return photo
