from django.db import models
from django.utils.translation import gettext_lazy as _

from .parsing import RECOGNITION_LEVELS  # noqa: F401 -- defined with the parser, which is Django-free


class Part(models.TextChoices):
    A = "A", _("Part A: product and community strength")
    B = "B", _("Part B: marketing capacity")
    C = "C", _("Part C: product quality")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ClassificationLevel(models.TextChoices):
    GROUP = "group", _("Product group")
    NHOM = "nhom", _("Group (nhóm)")
    PHAN_NHOM = "phan_nhom", _("Subgroup (phân nhóm)")


STAR_MARKERS = (3, 4, 5)


class ErratumStatus(models.TextChoices):
    CORRECTED = "corrected", _("Corrected (the arithmetic proves it)")
    QUERIED = "queried", _("Queried (kept as printed, for review)")


class KnockoutWhen(models.TextChoices):
    ZERO_POINTS = "zero_points", _("0 points on any criterion of the section")
