from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProductGroup(models.TextChoices):
    """The six product groups of QĐ 26/2026 Đ2 (Phụ lục I, Roman numerals): the first part of a
    product's classification code."""

    FOOD = "I", _("Food")
    DRINKS = "II", _("Drinks")
    HERBAL = "III", _("Medicinal herbs and herbal products")
    HANDICRAFT = "IV", _("Handicrafts and fine arts")
    ORNAMENTAL = "V", _("Ornamental plants and animals")
    TOURISM = "VI", _("Community tourism, eco-tourism and tourist sites")


def product_group(classification_code: str) -> str:
    """The group (I…VI) of a classification code such as "I.3.c"."""
    return (classification_code or "").split(".", 1)[0]


# Phụ lục I of QĐ 26/2026: the classification leaves (position codes) and the criteria sheet
# (Bộ, Phụ lục II) each one is scored with. Until the criteria app's classification is wired in
# as a foreign key, this table checks that a product's code and sheet agree.
CLASSIFICATION_SHEETS: dict[str, int] = {
    "I.1.a": 1,
    "I.1.b": 2,
    "I.2.a": 3,
    "I.2.b": 4,
    "I.3.a": 5,
    "I.3.b": 6,
    "I.3.c": 7,
    "I.3.d": 8,
    "I.4.a": 9,
    "I.4.b": 10,
    "I.5.a": 11,
    "I.5.b": 12,
    "I.6": 13,
    "II.1.a": 14,
    "II.1.b": 15,
    "II.2.a": 16,
    "II.2.b": 17,
    "III.1": 18,
    "III.2": 19,
    "III.3": 20,
    "IV.1": 21,
    "IV.2": 22,
    "V.1": 23,
    "V.2": 24,
    "V.3": 25,
    "VI": 26,
}
TOURISM_SHEET = 26
