from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import jurisdiction_filter

from .choices import ETHNICITY_CHOICES, KINH, AreaKind, Gender, LegalType


class ProducerQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProducerQuerySet":
        """Producers `user` may see: all for national roles; the province for provincial roles;
        the commune for commune officers; for producer accounts only the producers they are
        linked to. Anything else (anonymous, unknown role) sees nothing."""
        return jurisdiction_filter(
            self, user, province="province", commune="commune", owner="users"
        )


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        abstract = True


class Producer(TimeStamped):
    """An OCOP entity (chủ thể OCOP, QĐ 26/2026 Đ2).

    `commune` and `province` are derived from `location` by the services (`producer_create`,
    `producer_update`) from the boundaries in force on the day of saving; clients never send
    them. The legal representative's gender, ethnicity and disability are personal data: they
    are shown only to officers and to the producer's own users, and feed criterion 3.2.
    """

    name = models.CharField(_("name"), max_length=255)
    legal_type = models.CharField(_("legal type"), max_length=20, choices=LegalType.choices)
    registration_number = models.CharField(_("registration number"), max_length=50)
    registration_date = models.DateField(_("registration date"))
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="producers",
        verbose_name=_("user accounts"),
        help_text=_("The producer's own staff who act for it in the system."),
    )

    representative_name = models.CharField(_("legal representative"), max_length=150)
    representative_gender = models.CharField(
        _("legal representative's gender"), max_length=10, choices=Gender.choices, blank=True
    )
    representative_ethnicity = models.CharField(
        _("legal representative's ethnicity"), max_length=20, choices=ETHNICITY_CHOICES, blank=True
    )
    representative_has_disability = models.BooleanField(
        _("legal representative has a disability"), default=False
    )

    location = models.PointField(_("location"), srid=4326)
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    province = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    is_demo = models.BooleanField(
        _("demo record"), default=False, help_text=_("Synthetic demo record, not a real producer.")
    )

    objects = ProducerQuerySet.as_manager()

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_type__in=LegalType.values), name="producers_producer_legal_type"
            ),
            models.CheckConstraint(
                condition=Q(representative_gender__in=[*Gender.values, ""]),
                name="producers_producer_gender",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def qualifies_for_criterion_3_2(self) -> bool:
        """Criterion 3.2: the legal representative is a woman, from an ethnic minority, or a
        person with a disability. Unknown gender or ethnicity does not qualify."""
        return (
            self.representative_gender == Gender.FEMALE
            or bool(self.representative_ethnicity and self.representative_ethnicity != KINH)
            or self.representative_has_disability
        )


class ProductionAreaQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProductionAreaQuerySet":
        return self.filter(producer__in=Producer.objects.for_user(user))


class ProductionArea(TimeStamped):
    """A production site or raw-material area of a producer. `area_ha` is computed by
    `production_area_create` from the geometry (see `apps.producers.services.AREA_SRID`)."""

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="areas", verbose_name=_("producer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    name = models.CharField(_("name"), max_length=255)
    geom = models.MultiPolygonField(_("geometry"), srid=4326)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=12, decimal_places=4)

    objects = ProductionAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("production area")
        verbose_name_plural = _("production areas")
        ordering = ["producer", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AreaKind.values), name="producers_area_kind"
            ),
            models.CheckConstraint(condition=Q(area_ha__gt=0), name="producers_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name
