from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.producers.models import Producer, TimeStamped

from .choices import ProductStatus
from .gs1 import validate_gtin

CLASSIFICATION_CODE_REGEX = r"^(I|II|III|IV|V|VI)(\.[0-9]{1,2}(\.[a-z])?)?$"


class ProductQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProductQuerySet":
        """Products of the producers `user` may see (`Producer.objects.for_user`)."""
        return self.filter(producer__in=Producer.objects.for_user(user))


class Product(TimeStamped):
    """A product of an OCOP producer.

    Classification is, for now, the Phụ lục I position code (e.g. "I.3.c") plus the criteria
    sheet number 1..26 it is scored with; a later change turns these into a foreign key to the
    criteria app. `status` changes only through dedicated services, never as a writable field.
    """

    name = models.CharField(_("name"), max_length=255)
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    classification_code = models.CharField(
        _("classification code"),
        max_length=10,
        validators=[RegexValidator(CLASSIFICATION_CODE_REGEX)],
        help_text=_('Position in Annex I of Decision 26/2026, e.g. "I.3.c".'),
    )
    criteria_sheet = models.PositiveSmallIntegerField(
        _("criteria sheet"),
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text=_("Number of the criteria sheet (Annex II), 1 to 26."),
    )
    production_area = models.ForeignKey(
        "producers.ProductionArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("production area"),
    )

    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_gtin],
        help_text=_("Global Trade Item Number, 14-digit form (a GTIN-13 gets a leading zero)."),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criteria_sheet__gte=1, criteria_sheet__lte=26),
                name="products_product_criteria_sheet_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProductStatus.values), name="products_product_status"
            ),
        ]

    def __str__(self) -> str:
        return self.name
