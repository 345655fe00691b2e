"""The OCOP indicators of administrative units: recognised products by star and group, expiring
certificates and, for staff, dossiers by status, counted per unit for who is asking.

One owner for these counts: the map's administrative-units layer (`apps.maps.layers.units`)
attaches them to its features, and the dashboards rank communes by them, both through
`unit_aggregates`. A certificate's standing is read from `apps.certificates`
(`CertificateQuerySet.standing`, `expiring`), a dossier's lateness from `apps.dossiers`
(`commune_overdue_q`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.certificates.models import Certificate
from apps.dossiers.choices import CLOSED, DossierStatus
from apps.dossiers.models import Dossier, commune_overdue_q
from apps.geo.choices import Level
from apps.geo.models import AdminUnit
from apps.products.choices import ProductGroup, product_group

if TYPE_CHECKING:
    from apps.maps.layers.base import LayerContext

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


def indicator_names(ctx: LayerContext) -> tuple[str, ...]:
    """The indicators `ctx` may read, in order: the public ones, or all of them for staff."""
    return PUBLIC_INDICATORS if ctx.public else tuple(INDICATORS)


def dossier_overdue(today: date) -> Expression:
    """Whether a dossier is past its commune deadline on `today`, as a boolean per row."""
    return Case(
        When(commune_overdue_q(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


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
        out[unit_id] = dict.fromkeys(indicator_names(ctx), 0)
        if current and level in by_level:
            by_level[level].append(unit_id)
        else:
            spatial.setdefault(level, []).append(unit_id)

    standing = Certificate.objects.standing(ctx.today)
    expiring = Certificate.objects.expiring(ctx.today)
    if not ctx.public:
        mine = Certificate.objects.for_user(ctx.user).values("pk")
        standing, expiring = standing.filter(pk__in=mine), expiring.filter(pk__in=mine)
    dossiers = None if ctx.public else Dossier.objects.for_user(ctx.user)

    for level, field_name in (
        (Level.PROVINCE, "dossier__province"),
        (Level.COMMUNE, "dossier__commune"),
    ):
        ids = by_level[level]
        _count_certificates(out, ids, field_name, standing, expiring)
        if dossiers is not None:
            _count_dossiers(out, ids, field_name.removeprefix("dossier__"), dossiers, ctx.today)

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
            _count_dossiers(out, ids, "_unit", dossiers.annotate(_unit=unit), ctx.today)
    return out


def _count_certificates(out, ids, field_name: str, standing: QuerySet, expiring: QuerySet) -> None:
    if not ids:
        return
    for unit_id, stars, code in standing.filter(**{f"{field_name}__in": ids}).values_list(
        field_name, "stars", "product__classification_code"
    ):
        target = out[unit_id]
        target["products_recognised"] += 1
        target[f"products_star_{stars}"] += 1
        target[f"products_group_{product_group(code)}"] += 1
    for row in (
        expiring.filter(**{f"{field_name}__in": ids}).values(field_name).annotate(n=Count("pk"))
    ):
        out[row[field_name]]["certificates_expiring"] += row["n"]


def _count_dossiers(out, ids, field_name: str, dossiers: QuerySet, today: date) -> None:
    if not ids:
        return
    rows = (
        dossiers.filter(**{f"{field_name}__in": ids})
        .annotate(_overdue=dossier_overdue(today))
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
