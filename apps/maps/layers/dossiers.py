"""The dossiers layer (staff only): dossiers at their producer's location, with the commune
deadline and whether it has passed (`apps.maps.indicators.dossier_overdue`, the same fact the
units' `dossiers_overdue` indicator counts)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.dossiers.choices import CLOSED, DossierKind, DossierStatus
from apps.dossiers.models import Dossier
from apps.maps.indicators import dossier_overdue

from .base import Layer, LayerContext, Prop
from .common import group_of, group_param, round_filter
from .params import Param, unit_param


def _overdue(ctx: LayerContext):
    return dossier_overdue(ctx.today)


def _dossiers_open_param():
    def apply(qs, value, ctx):
        return qs.exclude(status__in=list(CLOSED)) if value else qs.filter(status__in=list(CLOSED))

    return Param("open", "boolean", _("true: not yet recognised or refused; false: closed."), apply)


DOSSIERS = Layer(
    id="dossiers",
    title=_("OCOP dossiers"),
    description=_(
        "Dossiers at their producer's location, by status, with the commune deadline and whether "
        "it is overdue."
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
        group_param("product__classification_code"),
        unit_param("dossiers", province="province", commune="commune"),
        Param(
            "round",
            "string",
            _("Evaluation round as YYYY-N (e.g. 2026-1), or a year."),
            lambda qs, v, ctx: round_filter(qs, v),
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
