"""The producers, products and production-area layers. Their public variants show what stands
recognised on the day (a standing certificate, `apps.certificates`), and a product's star and
certificate status are those of its current certificate, read from `apps.certificates`."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from apps.certificates.choices import PublicStatus
from apps.certificates.models import Certificate
from apps.certificates.selectors import (
    current_certificate_value,
    filter_by_certificate_status,
    recognised,
)
from apps.dossiers.models import Dossier
from apps.producers.choices import AreaKind, LegalType
from apps.producers.models import Producer, ProductionArea
from apps.products.choices import ProductGroup, ProductStatus
from apps.products.models import Product

from .base import Layer, LayerContext, Prop
from .common import STAR_DESCRIPTION, group_of, group_param, round_filter
from .params import Param, unit_param


# --- producers -----------------------------------------------------------------------------
def _producers_scoped(ctx):
    return Producer.objects.for_user(ctx.user)


def _producers_public(ctx):
    return Producer.objects.filter(
        Exists(Certificate.objects.standing(ctx.today).filter(product__producer=OuterRef("pk")))
    )


def _producers_with_product_in_group(qs, value, ctx):
    return qs.filter(
        Exists(
            Product.objects.filter(producer=OuterRef("pk")).filter(
                Q(classification_code=value) | Q(classification_code__startswith=f"{value}.")
            )
        )
    )


def _producers_with_star(qs, value, ctx):
    return qs.filter(
        Exists(
            Certificate.objects.standing(ctx.today).filter(
                product__producer=OuterRef("pk"), stars=value
            )
        )
    )


PRODUCERS = Layer(
    id="producers",
    title=_("OCOP producers"),
    description=_("Cooperatives, firms and household businesses, at their registered location."),
    geometry_type="Point",
    model=Producer,
    geometry="location",
    props=(
        Prop("name", "name", "string", _("name")),
        Prop("legal_type", "legal_type", "string", _("legal type")),
        Prop("commune_code", "commune__code", "string", _("commune code")),
        Prop("commune_name", "commune__full_name", "string", _("commune")),
        Prop("province_code", "province__code", "string", _("province code")),
        Prop(
            "registration_number",
            "registration_number",
            "string",
            _("registration number"),
            public=False,
        ),
        Prop(
            "registration_date", "registration_date", "date", _("registration date"), public=False
        ),
        Prop("is_demo", "is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        unit_param("producers", province="province", commune="commune"),
        Param(
            "legal_type",
            "string",
            _("Legal type of the producer."),
            lambda qs, v, ctx: qs.filter(legal_type=v),
            enum=tuple(LegalType.values),
        ),
        Param(
            "group",
            "string",
            _("Has a product in this group, I to VI."),
            _producers_with_product_in_group,
            enum=tuple(ProductGroup.values),
        ),
        Param(
            "star",
            "integer",
            _("Has a product with a standing certificate of this star rating."),
            _producers_with_star,
            minimum=3,
            maximum=5,
        ),
    ),
    scoped=_producers_scoped,
    public_rows=_producers_public,
    temporal=("registration_date", None),
    order_by=("name", "pk"),
    province_lookup="province",
    commune_lookup="commune",
)


# --- products ------------------------------------------------------------------------------
def _product_point() -> Expression:
    # At the production site when the product has one, else at the producer.
    from django.contrib.gis.db.models import PointField

    return Coalesce(
        PointOnSurface("production_area__geom"),
        F("producer__location"),
        output_field=PointField(srid=4326),
    )


def _products_scoped(ctx):
    return Product.objects.for_user(ctx.user)


def _products_public(ctx):
    return recognised(Product.objects.all(), ctx.today)


def _current_certificate(name: str) -> Callable[[LayerContext], Expression]:
    """The field `name` of the product's current certificate (`public_status`: its status)."""

    def source(ctx: LayerContext) -> Expression:
        return current_certificate_value(name, ctx.today)

    return source


def _product_status_param() -> Param:
    return Param(
        "certificate_status",
        "string",
        _(
            "Status of the newest certificate (“revoked”: every certificate was revoked), "
            "or “none” for products never recognised."
        ),
        lambda qs, v, ctx: filter_by_certificate_status(qs, v, ctx.today),
        enum=(*PublicStatus.values, "none"),
    )


def _products_with_star(qs, value, ctx):
    return qs.filter(
        Exists(Certificate.objects.standing(ctx.today).filter(product=OuterRef("pk"), stars=value))
    )


def _products_in_round(qs, value, ctx):
    return qs.filter(Exists(round_filter(Dossier.objects.filter(product=OuterRef("pk")), value)))


PRODUCTS = Layer(
    id="products",
    title=_("OCOP products"),
    description=_(
        "Products at their production site, or at the producer when no site is recorded, "
        "with the star and status of their newest certificate."
    ),
    geometry_type="Point",
    model=Product,
    geometry=_product_point,
    props=(
        Prop("name", "name", "string", _("name")),
        Prop("group", group_of("classification_code"), "string", _("product group")),
        Prop("classification_code", "classification_code", "string", _("classification code")),
        Prop("stars", _current_certificate("stars"), "integer", _("stars")),
        Prop(
            "certificate_status",
            _current_certificate("public_status"),
            "string",
            _("certificate status"),
        ),
        Prop("valid_until", _current_certificate("valid_until"), "date", _("valid until")),
        Prop(
            "product_code", _current_certificate("product_code"), "string", _("OCOP product code")
        ),
        Prop("status", "status", "string", _("product status"), public=False),
        Prop("producer_id", "producer_id", "integer", _("producer")),
        Prop("producer_name", "producer__name", "string", _("producer")),
        Prop("commune_code", "producer__commune__code", "string", _("commune code")),
        Prop("commune_name", "producer__commune__full_name", "string", _("commune")),
        Prop("province_code", "producer__province__code", "string", _("province code")),
        Prop(
            "at_site",
            Case(
                When(production_area__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            "boolean",
            _("located at the production site"),
        ),
        Prop("is_demo", "producer__is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        Param("star", "integer", STAR_DESCRIPTION, _products_with_star, minimum=3, maximum=5),
        group_param("classification_code"),
        _product_status_param(),
        Param(
            "status",
            "string",
            _("Product status."),
            lambda qs, v, ctx: qs.filter(status=v),
            enum=tuple(ProductStatus.values),
            public=False,
        ),
        unit_param("products", province="producer__province", commune="producer__commune"),
        Param(
            "round",
            "string",
            _("Evaluation round as YYYY-N (e.g. 2026-1), or a year."),
            _products_in_round,
            public=False,
        ),
    ),
    scoped=_products_scoped,
    public_rows=_products_public,
    temporal=("created_at", None),
    order_by=("name", "pk"),
)


# --- production and raw-material areas ------------------------------------------------------
def _areas_public(ctx):
    return ProductionArea.objects.filter(
        Exists(
            Certificate.objects.standing(ctx.today).filter(product__production_area=OuterRef("pk"))
        )
    )


def _areas_in_group(qs, value, ctx):
    return qs.filter(
        Q(products__classification_code=value)
        | Q(products__classification_code__startswith=f"{value}.")
    ).distinct()


AREAS = Layer(
    id="production-areas",
    title=_("Production and raw-material areas"),
    description=_("Polygons of production sites and raw-material areas drawn by producers."),
    geometry_type="MultiPolygon",
    model=ProductionArea,
    geometry="geom",
    props=(
        Prop("name", "name", "string", _("name")),
        Prop("kind", "kind", "string", _("kind")),
        Prop("area_ha", Cast("area_ha", FloatField()), "number", _("area (ha)")),
        Prop("producer_id", "producer_id", "integer", _("producer")),
        Prop("producer_name", "producer__name", "string", _("producer")),
        Prop("commune_code", "producer__commune__code", "string", _("commune code")),
        Prop("province_code", "producer__province__code", "string", _("province code")),
        Prop("is_demo", "producer__is_demo", "boolean", _("synthetic demo record")),
    ),
    params=(
        Param(
            "kind",
            "string",
            _("Kind of area."),
            lambda qs, v, ctx: qs.filter(kind=v),
            enum=tuple(AreaKind.values),
        ),
        unit_param("production-areas", province="producer__province", commune="producer__commune"),
        Param(
            "group",
            "string",
            _("Area of a product in this group, I to VI."),
            _areas_in_group,
            enum=tuple(ProductGroup.values),
        ),
    ),
    scoped=lambda ctx: ProductionArea.objects.for_user(ctx.user),
    public_rows=_areas_public,
    temporal=("created_at", None),
    order_by=("name", "pk"),
)
