"""The certificates layer: certificates at their product's producer, with their public status
on the day and whether they expire soon, both as `apps.certificates` computes them
(`CertificateQuerySet.with_public_status`, `expiring`)."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Expression, Value, When
from django.utils.translation import gettext_lazy as _

from apps.certificates.choices import PublicStatus
from apps.certificates.models import Certificate
from apps.dossiers.models import Dossier

from .base import Layer, LayerContext, Prop
from .common import group_of, group_param, round_filter
from .params import Param, unit_param


def _expiring(ctx: LayerContext) -> Expression:
    """Whether the certificate is among those expiring soon (`CertificateQuerySet.expiring`)."""
    return Case(
        When(pk__in=Certificate.objects.expiring(ctx.today).values("pk"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _certificates_scoped(ctx: LayerContext):
    return Certificate.objects.for_user(ctx.user).with_public_status(ctx.today)


def _certificates_public(ctx: LayerContext):
    return Certificate.objects.with_public_status(ctx.today).not_revoked()


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
        group_param("product__classification_code"),
        unit_param("certificates", province="dossier__province", commune="dossier__commune"),
        Param(
            "round",
            "string",
            _("Evaluation round of the dossier as YYYY-N, or a year."),
            lambda qs, v, ctx: qs.filter(dossier__in=round_filter(Dossier.objects.all(), v)),
        ),
        Param(
            "year",
            "integer",
            _("Year of recognition."),
            lambda qs, v, ctx: qs.issued_in(v),
            minimum=2000,
            maximum=2100,
        ),
    ),
    scoped=_certificates_scoped,
    public_rows=_certificates_public,
    # The interval a `datetime` filter intersects: the certificate's validity, as its model
    # declares it (not a reading of the certificate's standing).
    temporal=Certificate.VALIDITY_FIELDS,
    order_by=("-valid_from", "pk"),
)
