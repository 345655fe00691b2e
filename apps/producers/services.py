"""Writes of producers and their production areas.

Location rule: a producer's `commune` and `province` always come from its `location` and the
boundaries in force on the day of saving (`apps.geo.selectors.units_at`), and the point must lie
in a commune of the pilot province (`settings.OCOP_PILOT_PROVINCE_CODE`).

Area rule: a production area's geometry must be valid as sent (no silent repair: a
self-intersecting ring is a 400 with GEOS's reason), non-empty, inside Viet Nam's extent
(`settings.OCOP_VIETNAM_BBOX`), 2-D (a third coordinate is dropped), and its
`area_ha` is computed here, never taken from the client. Areas are measured in EPSG:32648
(WGS 84 / UTM zone 48N), see `AREA_SRID`.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.parsing import check_in_vietnam, drop_z
from apps.geo.choices import Level
from apps.geo.models import AdminUnit
from apps.geo.selectors import units_at

from .choices import ON_BEHALF_ROLES
from .models import Producer, ProductionArea
from .permissions import can_create_producer, can_edit_producer

# Metric CRS for areas. GDAL here knows both EPSG:3405 (VN-2000 / UTM 48N) and EPSG:32648
# (WGS 84 / UTM 48N). They share the same projection (so the same scale error, under 0.03 % in
# area across the pilot province, which lies 1–1.8° east of the 105° central meridian); they
# differ only by the datum shift, which moves a parcel by some hundred metres but does not change
# its area measurably. 32648 needs no datum transformation, so the result does not depend on
# which VN-2000 → WGS 84 parameters a PROJ version picks.
AREA_SRID = 32648
SQUARE_METRES_PER_HECTARE = 10_000

# Fields a client may set on a producer (the rest are derived or set by the system).
PRODUCER_FIELDS = (
    "name",
    "legal_type",
    "registration_number",
    "registration_date",
    "address",
    "phone",
    "email",
    "representative_name",
    "representative_gender",
    "representative_ethnicity",
    "representative_has_disability",
    "location",
)


def invalid_input(key: str, message: str, **extra: Any) -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, message, extra={"key": key, **extra})


def full_clean_or_invalid(obj: models.Model, **kwargs: Any) -> None:
    """`full_clean()`, with Django's ValidationError turned into the API's error envelope."""
    try:
        obj.full_clean(**kwargs)
    except DjangoValidationError as exc:
        errors = exc.message_dict
        key = next(iter(errors))
        raise invalid_input(key, errors[key][0], errors=errors) from exc


def _pilot_province() -> AdminUnit | None:
    return (
        AdminUnit.objects.filter(
            level=Level.PROVINCE, code=settings.OCOP_PILOT_PROVINCE_CODE, valid_to__isnull=True
        )
        .only("full_name")
        .first()
    )


def producer_locate(*, location: Point, actor=None) -> tuple[AdminUnit, AdminUnit]:
    """The (commune, province) at `location` today. Refuses a point at sea or abroad, outside the
    pilot province, in no commune, or (for officers acting on a producer's behalf) outside the
    actor's jurisdiction."""
    if location.srid not in (None, 4326):
        location = location.transform(4326, clone=True)
    where = {"lon": location.x, "lat": location.y}
    found = units_at(lon=location.x, lat=location.y)
    if found is None:
        raise invalid_input(
            "location",
            _(
                "This location is outside every administrative unit (at sea or abroad). "
                "Put the point where the producer is."
            ),
            location=where,
        )
    if found.province.code != settings.OCOP_PILOT_PROVINCE_CODE:
        pilot = _pilot_province()
        raise invalid_input(
            "location",
            _("This location is in %(province)s, outside the pilot province %(pilot)s.")
            % {
                "province": found.province.full_name,
                "pilot": pilot.full_name if pilot else settings.OCOP_PILOT_PROVINCE_CODE,
            },
            location=where,
        )
    if found.commune is None:
        raise invalid_input(
            "location",
            _("No commune contains this location. Move the point onto land inside a commune."),
            location=where,
        )
    if actor is not None and actor.role in ON_BEHALF_ROLES:
        if actor.role == Role.COMMUNE_OFFICER:
            inside = actor.jurisdiction_communes().filter(pk=found.commune.pk).exists()
        else:
            inside = actor.jurisdiction_provinces().filter(pk=found.province.pk).exists()
        if not inside:
            raise invalid_input(
                "location",
                _("This location is in %(commune)s, outside your jurisdiction.")
                % {"commune": found.commune.full_name},
                location=where,
            )
    return found.commune, found.province


@transaction.atomic
def producer_create(
    *,
    actor,
    name: str,
    legal_type: str,
    registration_number: str,
    registration_date: date,
    address: str,
    location: Point,
    representative_name: str,
    phone: str = "",
    email: str = "",
    representative_gender: str = "",
    representative_ethnicity: str = "",
    representative_has_disability: bool = False,
    is_demo: bool = False,
) -> Producer:
    """Register a producer. Its commune and province are derived from `location` (see
    `producer_locate`). A producer account that registers an entity is linked to it; an officer
    registering on a producer's behalf is not."""
    if not can_create_producer(actor):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("Your role cannot register producers.")
        )
    commune, province = producer_locate(location=location, actor=actor)
    producer = Producer(
        name=name,
        legal_type=legal_type,
        registration_number=registration_number,
        registration_date=registration_date,
        address=address,
        phone=phone,
        email=email,
        representative_name=representative_name,
        representative_gender=representative_gender,
        representative_ethnicity=representative_ethnicity,
        representative_has_disability=representative_has_disability,
        location=location,
        commune=commune,
        province=province,
        is_demo=is_demo,
        created_by=actor,
    )
    full_clean_or_invalid(producer)
    producer.save()
    if actor.role == Role.PRODUCER:
        producer.users.add(actor)
    return producer


@transaction.atomic
def producer_update(*, producer: Producer, actor, **changes: Any) -> Producer:
    """Change the fields in `changes` (only `PRODUCER_FIELDS`). A new `location` re-derives the
    commune and province under the same rules as `producer_create`."""
    if not can_edit_producer(actor, producer):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("You cannot edit this producer."))
    unknown = set(changes) - set(PRODUCER_FIELDS)
    if unknown:
        raise invalid_input(sorted(unknown)[0], _("This field cannot be changed."))
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    fields = list(changes)
    if "location" in changes:
        producer.commune, producer.province = producer_locate(
            location=changes["location"], actor=actor
        )
        fields += ["commune", "province"]
    for field, value in changes.items():
        setattr(producer, field, value)
    full_clean_or_invalid(producer)
    producer.save(update_fields=[*fields, "updated_at"])
    return producer


def _as_multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=geom.srid)
    if not isinstance(geom, MultiPolygon):
        raise invalid_input("geometry", _("The geometry must be a Polygon or a MultiPolygon."))
    if geom.srid is None:
        geom.srid = 4326
    elif geom.srid != 4326:
        geom = geom.transform(4326, clone=True)
    return geom


def area_hectares(geom: GEOSGeometry) -> Decimal:
    """Area of a 4326 geometry in hectares, measured in `AREA_SRID`, to 4 decimals (1 m²)."""
    metric = geom.transform(AREA_SRID, clone=True)
    return (Decimal(metric.area) / SQUARE_METRES_PER_HECTARE).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def production_area_create(
    *, producer: Producer, actor, kind: str, name: str, geom: GEOSGeometry
) -> ProductionArea:
    """Add a production site or raw-material area to `producer`. The geometry must be valid as
    sent: an invalid one (e.g. self-intersecting) is refused with GEOS's reason, not repaired.
    The area in hectares is computed here."""
    if not can_edit_producer(actor, producer):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("You cannot edit this producer."))
    geom = _as_multipolygon(geom)
    if geom.empty:
        raise invalid_input("geometry", _("The geometry is empty."))
    # Heights (a GPS receiver's third coordinate) are dropped: the column is 2-D.
    geom = _as_multipolygon(drop_z(geom))
    check_in_vietnam(geom, field="geometry")
    if not geom.valid:
        raise invalid_input(
            "geometry",
            _(
                "The geometry is not valid (%(reason)s). Correct the boundary and send it again; "
                "it is not repaired automatically."
            )
            % {"reason": geom.valid_reason},
            reason=geom.valid_reason,
        )
    area_ha = area_hectares(geom)
    if area_ha <= 0:
        raise invalid_input("geometry", _("The geometry has no area."))
    area = ProductionArea(
        producer=producer, kind=kind, name=name, geom=geom, area_ha=area_ha, created_by=actor
    )
    full_clean_or_invalid(area, exclude=["producer"])
    area.save()
    return area
