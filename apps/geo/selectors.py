"""Reads of administrative units: where a point lies on a date, and what an old unit became."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import LAST_DAY_BEFORE_REFORM, REFORM_DATE_2025, Level
from .models import AdminUnit, AdminUnitSuccession


@dataclass(frozen=True)
class Location:
    """The units containing a point on a date. `commune_candidates` is filled only when the
    commune of that date has no polygon (pre-2025 Bến Tre): the old communes that went into the
    2025 commune at that point, within the district found there."""

    on: date
    province: AdminUnit
    district: AdminUnit | None = None
    commune: AdminUnit | None = None
    commune_candidates: tuple[AdminUnit, ...] = field(default_factory=tuple)


def today() -> date:
    return timezone.localdate()


def _containing(level: str, point: Point, on: date) -> AdminUnit | None:
    # `intersects`, not `contains`: a point exactly on a shared border still gets a unit; the
    # lowest code wins so the answer is stable.
    return (
        AdminUnit.objects.valid_on(on)
        .filter(level=level, geom__isnull=False, geom__intersects=point)
        .select_related("parent")
        .order_by("code")
        .first()
    )


def units_at(*, lon: float, lat: float, on: date | None = None) -> Location | None:
    """Units containing (lon, lat) on `on` (default today), or None outside every unit.

    Higher levels are taken from the lower unit found (commune → province, district → province)
    so the answer nests even where files from different surveys disagree at the coast; the
    province polygon is used only when no lower unit contains the point.
    """
    on = on or today()
    point = Point(lon, lat, srid=4326)
    commune = _containing(Level.COMMUNE, point, on)
    district = _containing(Level.DISTRICT, point, on) if on < REFORM_DATE_2025 else None
    if commune is not None and commune.parent.level == Level.PROVINCE:
        province = commune.parent
    elif district is not None:
        province = district.parent
    else:
        province = _containing(Level.PROVINCE, point, on)
    if province is None:
        return None
    candidates: tuple[AdminUnit, ...] = ()
    if commune is None and district is not None:
        candidates = _old_communes_at(point, district=district, on=on)
    return Location(
        on=on, province=province, district=district, commune=commune, commune_candidates=candidates
    )


def _old_communes_at(point: Point, *, district: AdminUnit, on: date) -> tuple[AdminUnit, ...]:
    successor = _containing(Level.COMMUNE, point, REFORM_DATE_2025)
    if successor is None:
        return ()
    ids = AdminUnitSuccession.objects.filter(successor=successor).values("predecessor_id")
    return tuple(
        AdminUnit.objects.valid_on(on)
        .filter(pk__in=ids, level=Level.COMMUNE, parent=district)
        .order_by("code")
    )


@dataclass(frozen=True)
class Successor:
    unit: AdminUnit
    relation: str  # "full" | "partial": the old unit went wholly or partly into this one


@dataclass(frozen=True)
class Translation:
    unit: AdminUnit
    successors: tuple[Successor, ...]
    # True when the unit is still in force on the target date (it is its own answer).
    current: bool = False
    # Why there are no successors, when there are none.
    reason: str = ""


def unit_translate(
    *, code: str, level: str | None = None, on: date | None = None
) -> list[Translation]:
    """Translate a unit code into the unit(s) in force on `on` (default today).

    A code may name several units (codes were reused in 2025). Each unit with that code is
    followed through the succession links until units in force on `on` are reached. Partial
    transfers are kept as such: the answer then has several successors, each marked partial.
    """
    on = on or today()
    units = AdminUnit.objects.filter(code=code).select_related("parent").order_by("-valid_to")
    if level:
        units = units.filter(level=level)
    results = []
    for unit in units:
        if unit.is_valid_on(on):
            results.append(Translation(unit=unit, successors=(), current=True))
            continue
        successors = _follow(unit, on)
        reason = ""
        if not successors and unit.valid_to and unit.valid_to < LAST_DAY_BEFORE_REFORM:
            reason = _(
                "This unit ended on %(day)s, before the 2025 reform; the source data do not "
                "give its successor."
            ) % {"day": unit.valid_to.strftime("%d/%m/%Y")}
        elif not successors:
            reason = _("The source data do not give a successor for this unit.")
        results.append(Translation(unit=unit, successors=successors, reason=reason))
    return results


def _follow(
    unit: AdminUnit, on: date, relation: str = "full", depth: int = 0
) -> tuple[Successor, ...]:
    if depth > 5:  # guards against a cycle in bad data; real chains are one or two steps long
        return ()
    found: list[Successor] = []
    links = AdminUnitSuccession.objects.filter(predecessor=unit).select_related(
        "successor", "successor__parent"
    )
    for link in links.order_by("successor__code"):
        combined = "partial" if "partial" in (relation, link.relation) else "full"
        if link.successor.is_valid_on(on):
            found.append(Successor(unit=link.successor, relation=combined))
        else:
            found.extend(_follow(link.successor, on, combined, depth + 1))
    return tuple(found)
