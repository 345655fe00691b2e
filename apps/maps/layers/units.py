"""The administrative-units layer: provinces, districts (before July 2025) and communes, each
with its OCOP indicators (`apps.maps.indicators`), in force today unless asked otherwise."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.geo.choices import Level
from apps.geo.models import AdminUnit
from apps.maps.indicators import indicator_names, unit_aggregates

from .base import Layer, LayerContext, Prop
from .params import Param


def _units_postprocess(rows: list[list], ctx: LayerContext, names: tuple[str, ...]) -> None:
    """Append each unit's indicators to its row, in the order of `indicator_names`."""
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
    keys = indicator_names(ctx)
    for row in rows:
        row.extend(counts[row[0]][k] for k in keys)


def _units_valid_on(qs, value, ctx):
    return qs.valid_on(value)


ADMIN_UNITS = Layer(
    id="admin-units",
    title=_("Administrative units with OCOP indicators"),
    description=_(
        "Provinces, districts (before July 2025) and communes, with counts of recognised products "
        "by star and group, expiring certificates and, for staff, dossiers by status. Units in "
        "force today unless `valid_on` or `datetime` says otherwise."
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
                "Units in force on this date (default today; 2025-06-30 gives the units before "
                "the reform)."
            ),
            _units_valid_on,
        ),
    ),
    scoped=lambda ctx: AdminUnit.objects.filter(geom__isnull=False),
    public_rows=lambda ctx: AdminUnit.objects.filter(geom__isnull=False),
    temporal=("valid_from", "valid_to"),
    order_by=("level", "code", "pk"),
    postprocess=_units_postprocess,
    postprocess_props=indicator_names,
    current_by_default=True,
)
