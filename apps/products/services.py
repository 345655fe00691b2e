"""Writes of products. Invariants: the classification code is a leaf of Phụ lục I and agrees
with the criteria sheet; a producer of a tourism-only legal type (hội, hiệp hội, trung tâm điều
hành) registers only tourism products; the production area, if any, belongs to the producer."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError, ErrorCode
from apps.producers.choices import TOURISM_ONLY_LEGAL_TYPES
from apps.producers.models import Producer, ProductionArea
from apps.producers.permissions import can_edit_producer
from apps.producers.services import full_clean_or_invalid, invalid_input

from .choices import CLASSIFICATION_SHEETS, TOURISM_SHEET
from .models import Product


def product_create(
    *,
    actor,
    producer: Producer,
    name: str,
    classification_code: str,
    criteria_sheet: int | None = None,
    description: str = "",
    production_area: ProductionArea | int | None = None,
) -> Product:
    """Register a draft product of `producer`. `criteria_sheet` defaults to the sheet of the
    classification code and, if given, must agree with it."""
    if not can_edit_producer(actor, producer):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("You cannot add products to this producer.")
        )
    expected = CLASSIFICATION_SHEETS.get(classification_code)
    if expected is None:
        raise invalid_input(
            "classification_code",
            _("%(code)s is not a product classification of Annex I (e.g. I.3.c).")
            % {"code": classification_code},
        )
    if criteria_sheet is None:
        criteria_sheet = expected
    elif criteria_sheet != expected:
        raise invalid_input(
            "criteria_sheet",
            _("Classification %(code)s is scored with criteria sheet %(sheet)s, not %(given)s.")
            % {"code": classification_code, "sheet": expected, "given": criteria_sheet},
        )
    if producer.legal_type in TOURISM_ONLY_LEGAL_TYPES and criteria_sheet != TOURISM_SHEET:
        raise invalid_input(
            "classification_code",
            _(
                "A producer of this legal type may register only community tourism, eco-tourism "
                "and tourist-site services (group VI)."
            ),
        )
    if production_area is not None:
        area_id = getattr(production_area, "pk", production_area)
        production_area = ProductionArea.objects.filter(pk=area_id, producer=producer).first()
        if production_area is None:
            raise invalid_input(
                "production_area", _("This production area does not belong to the producer.")
            )
    with transaction.atomic():
        product = Product(
            producer=producer,
            name=name,
            description=description,
            classification_code=classification_code,
            criteria_sheet=criteria_sheet,
            production_area=production_area,
            created_by=actor,
        )
        full_clean_or_invalid(product)
        product.save()
    return product
