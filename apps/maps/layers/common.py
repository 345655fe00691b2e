"""Pieces shared by several layer families: the product group of a classification code, the
`group` and `round` filters."""

from __future__ import annotations

import re

from django.db.models import Case, CharField, Expression, F, Q, QuerySet, Value, When
from django.db.models.functions import Left, StrIndex
from django.utils.translation import gettext_lazy as _

from apps.products.choices import ProductGroup

from .params import LayerParamError, Param

STAR_DESCRIPTION = _("Star rating of the standing certificate, 3 to 5.")


def group_of(lookup: str) -> Expression:
    """The product group (I…VI): the classification code up to its first dot, in SQL."""
    code = F(lookup)
    return Case(
        When(**{f"{lookup}__contains": "."}, then=Left(code, StrIndex(code, Value(".")) - 1)),
        default=code,
        output_field=CharField(),
    )


def group_param(lookup: str) -> Param:
    def apply(qs, value, ctx):
        return qs.filter(Q(**{lookup: value}) | Q(**{f"{lookup}__startswith": f"{value}."}))

    return Param(
        "group",
        "string",
        _("Product group, I to VI (QĐ 26/2026 Phụ lục I)."),
        apply,
        enum=tuple(ProductGroup.values),
    )


def round_filter(qs: QuerySet, value: str) -> QuerySet:
    """Dossiers of the evaluation round `value`, YYYY-N (e.g. 2026-1) or a year."""
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2}))?", value)
    if not match:
        raise LayerParamError("round", _("round must be YYYY-N (e.g. 2026-1) or a year."))
    qs = qs.filter(round_year=int(match.group(1)))
    if match.group(2):
        qs = qs.filter(round_number=int(match.group(2)))
    return qs
