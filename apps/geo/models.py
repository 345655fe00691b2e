from datetime import date

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Level, SuccessionRelation, UnitType


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "AdminUnitQuerySet":
        """Units in force on `day`. An unknown start (null) means "since before our records"."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class BoundarySource(models.Model):
    """Provenance of a loaded file: what it is, who made it, under which licence."""

    file_name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    attribution = models.TextField(blank=True)
    license = models.TextField(blank=True)
    source_commit = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("boundary source")

    def __str__(self) -> str:
        return self.file_name


class AdminUnit(models.Model):
    """A province, district or commune as it existed between `valid_from` and `valid_to`.

    Codes are reused across the 2025 reform (province 86 is both old and new Vĩnh Long), so a
    code is unique only among units current at the same time: see the constraints.
    """

    code = models.CharField(_("official code"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    full_name = models.CharField(_("full name"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit_type = models.CharField(_("unit type"), max_length=12, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    area_km2 = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    # Empty where no redistributable polygon exists (the pre-2025 Bến Tre communes).
    geom = models.MultiPolygonField(srid=4326, null=True, blank=True)
    source = models.ForeignKey(
        BoundarySource, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    note = models.TextField(blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_to__isnull=True),
                name="geo_unit_unique_current_code",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"], name="geo_unit_unique_ended_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="geo_unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


class AdminUnitSuccession(models.Model):
    """`predecessor` went, wholly or in part, into `successor` on `effective_on`."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=10, choices=SuccessionRelation.choices)
    effective_on = models.DateField()
    legal_basis = models.CharField(max_length=60, blank=True)
    legal_item = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("succession")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="geo_succession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.relation})"
