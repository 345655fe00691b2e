"""OCOP criteria sets as versioned data: a legal instrument, its classification and its sheets.

Everything here is loaded from `apps/criteria/data/*.json` (see `data/FORMAT.md`) by
`load_criteria`; nothing is typed in code. Numbers are kept exactly as the instrument prints
them, and whatever looks wrong in the source carries `review=True` and a `review_note`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    RECOGNITION_LEVELS,
    STAR_MARKERS,
    ClassificationLevel,
    ErratumStatus,
    KnockoutWhen,
    Part,
    SetStatus,
)

POINTS = {"max_digits": 5, "decimal_places": 2}


def errata_note(entry: dict[str, Any]) -> str:
    """One erratum as the pages show it, in Vietnamese like every note taken from the text:
    "in bản gốc: 13; áp dụng: 3, vì …" (see `data/FORMAT.md`, errata files)."""
    if entry.get("status") == ErratumStatus.CORRECTED:
        return f"in bản gốc: {entry['printed']}; áp dụng: {entry['used']}, vì {entry['proof']}"
    return (
        f"in bản gốc: {entry['printed']}; áp dụng: {entry['used']} (giữ như bản in, "
        f"chờ Hội đồng xem xét): {entry['proof']}"
    )


class Erratable(models.Model):
    """Errata applied by the loader from `<set>.errata.json`: the value as printed, the value
    used, why, and whether the arithmetic proves it (`corrected`) or it is only `queried`."""

    errata = models.JSONField(_("errata"), default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def errata_notes(self) -> list[str]:
        return [errata_note(entry) for entry in self.errata]


class Reviewable(models.Model):
    """A flag for a value that is kept as printed but looks wrong and needs a human look."""

    review = models.BooleanField(_("needs review"), default=False)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        abstract = True


class CriteriaSetQuerySet(models.QuerySet):
    def published(self) -> CriteriaSetQuerySet:
        return self.filter(status=SetStatus.PUBLISHED)


class CriteriaSet(Reviewable):
    """One legal instrument's criteria set, e.g. QĐ 26/2026/QĐ-TTg."""

    code = models.CharField(_("code"), max_length=32, unique=True)  # "QD26/2026"
    slug = models.SlugField(_("slug"), max_length=32, unique=True)  # "QD26-2026"
    instrument_number = models.CharField(_("instrument number"), max_length=64)
    title = models.TextField(_("title"))
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    # Which level recognises which stars, e.g. {"province": [3, 4], "ministry": [5]}.
    regime_code = models.CharField(_("process regime"), max_length=64)
    recognition = models.JSONField(_("recognising levels"), default=dict)
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"), null=True, blank=True
    )
    source = models.JSONField(_("source"), default=dict, blank=True)
    format_version = models.PositiveSmallIntegerField(_("data format version"))

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("criteria set")
        ordering = ["-effective_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="criteria_set_effective_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SetStatus.values), name="criteria_set_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def recognition_levels(self) -> list[tuple[str, list[int]]]:
        """(level, stars) from the lowest level up, whatever key order the database keeps."""
        return [
            (lvl, self.recognition[lvl]) for lvl in RECOGNITION_LEVELS if lvl in self.recognition
        ]


class ClassificationNode(models.Model):
    """A position in Phụ lục I: group (I–VI) → nhóm (I.3) → phân nhóm (I.3.c)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="classification"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("position code"), max_length=16)  # "I.3.c"
    number = models.CharField(_("number as printed"), max_length=8)  # "c"
    level = models.CharField(_("level"), max_length=10, choices=ClassificationLevel.choices)
    label = models.TextField(_("label (classification annex)"))
    ministries = models.JSONField(_("managing ministries"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("classification node")
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="criteria_classification_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(level__in=ClassificationLevel.values),
                name="criteria_classification_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(level=ClassificationLevel.GROUP, parent__isnull=True)
                | (~Q(level=ClassificationLevel.GROUP) & Q(parent__isnull=False)),
                name="criteria_classification_parent_by_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Sheet(Reviewable):
    """A criteria sheet of Phụ lục II (1–26), which is also the scoring form."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="sheets")
    classification = models.OneToOneField(
        ClassificationNode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheet",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("title (sheet heading)"))
    index_title = models.TextField(_("title (annex index)"), blank=True)
    header_product_label = models.TextField(_("product group (sheet heading)"), blank=True)
    header_group_label = models.TextField(_("group (sheet heading)"), blank=True)
    knockout_text = models.TextField(_("dossier knock-out text"), blank=True)
    star_note = models.TextField(_("star-marker legend"), blank=True)
    total_points = models.DecimalField(_("printed total"), null=True, blank=True, **POINTS)

    class Meta:
        verbose_name = _("criteria sheet")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="criteria_sheet_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="criteria_sheet_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set.code} #{self.number} {self.title}"


class SheetPart(Erratable, Reviewable):
    """Part A, B or C of a sheet, with the maxima exactly as printed."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="parts")
    part = models.CharField(_("part"), max_length=1, choices=Part.choices)
    title = models.TextField(_("title"))
    max_points = models.DecimalField(_("maximum printed in the heading"), **POINTS)
    column_points = models.DecimalField(
        _("maximum printed in the score column"), null=True, blank=True, **POINTS
    )

    class Meta:
        verbose_name = _("sheet part")
        ordering = ["sheet", "part"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "part"], name="criteria_part_unique"),
            models.CheckConstraint(condition=Q(part__in=Part.values), name="criteria_part_valid"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criteria_part_max_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.part} ({self.max_points})"


class Section(Reviewable):
    """A numbered section (1–17), e.g. "1. TỔ CHỨC SẢN XUẤT"; some are a criterion themselves."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("number"))
    part = models.CharField(_("part"), max_length=1, choices=Part.choices)
    title = models.TextField(_("title"))
    max_points = models.DecimalField(_("printed maximum"), **POINTS)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    # An automatic knock-out the text ties to the points of the section's criteria (sheet 16:
    # "Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá các bước tiếp theo").
    knockout_when = models.CharField(
        _("automatic knock-out"), max_length=16, choices=KnockoutWhen.choices, blank=True
    )
    knockout_rule_text = models.TextField(_("automatic knock-out as printed"), blank=True)

    class Meta:
        verbose_name = _("section")
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="criteria_section_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="criteria_section_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="criteria_section_part_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criteria_section_max_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(knockout_when="", knockout_rule_text="")
                | (Q(knockout_when__in=KnockoutWhen.values) & ~Q(knockout_rule_text="")),
                name="criteria_section_knockout_rule_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CriterionGroup(Reviewable):
    """A heading between a section and its criteria (e.g. sheet 11's "6.1 Ngoại hình")."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=16)
    title = models.TextField(_("title"))
    max_points = models.DecimalField(_("printed maximum"), **POINTS)
    notes = models.JSONField(_("notes"), default=list, blank=True)

    class Meta:
        verbose_name = _("criterion group")
        ordering = ["section", "code"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="criteria_group_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criteria_group_max_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(Erratable, Reviewable):
    """A scored item: a single choice among its options."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(
        CriterionGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria"
    )
    code = models.CharField(_("code as printed"), max_length=16)
    title = models.TextField(_("title"))
    part = models.CharField(_("part"), max_length=1, choices=Part.choices)
    max_points = models.DecimalField(_("maximum"), **POINTS)
    max_points_text = models.CharField(_("maximum as printed"), max_length=32, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    knockout = models.BooleanField(_("knock-out"), default=False)
    knockout_note = models.TextField(_("knock-out note"), blank=True)
    # "Chỉ áp dụng khi …": applies only when `depends_on` was answered with option ≥ min_option.
    depends_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("applies only after"),
    )
    depends_on_min_option = models.PositiveSmallIntegerField(
        _("minimum option of that criterion"), null=True, blank=True
    )
    applies_when_text = models.TextField(_("applicability as printed"), blank=True)
    # Printed with a maximum and no options: stored as "Không" (0) / "Có" (maximum).
    boolean_item = models.BooleanField(_("yes/no item"), default=False)
    order = models.PositiveSmallIntegerField(_("printed order"))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "code"], name="criteria_criterion_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1), name="criteria_criterion_order_positive"
            ),
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="criteria_criterion_part_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criteria_criterion_max_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(knockout=False) | ~Q(knockout_note=""),
                name="criteria_criterion_knockout_has_note",
            ),
            models.CheckConstraint(
                condition=Q(depends_on__isnull=True, depends_on_min_option__isnull=True)
                | Q(depends_on__isnull=False, depends_on_min_option__gte=1),
                name="criteria_criterion_applicability_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def all_errata_notes(self) -> list[str]:
        """The criterion's errata and its options' (prefetch `options`), for the pages."""
        notes = list(self.errata_notes)
        for option in self.options.all():
            notes.extend(f"Phương án {option.number}: {note}" for note in option.errata_notes)
        return notes

    @property
    def applies_when(self) -> dict[str, Any] | None:
        """{"criterion", "min_option", "text"} or None; reads `depends_on` (select it)."""
        if self.depends_on_id is None:
            return None
        return {
            "criterion": self.depends_on.code,
            "min_option": self.depends_on_min_option,
            "text": self.applies_when_text,
        }


class Option(Erratable, Reviewable):
    """One printed choice of a criterion ("□ …"), numbered from 1 in printed order."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    points = models.DecimalField(_("points"), **POINTS)
    # The minimum this criterion must reach for a 3★/4★/5★ ranking (the "***" markers).
    min_star = models.PositiveSmallIntegerField(_("minimum for stars"), null=True, blank=True)
    blank_points = models.BooleanField(_("points cell printed blank"), default=False)
    # Sheets offering alternative cases ("a. Trường hợp 1: …") label each option with its case.
    variant = models.TextField(_("case"), blank=True)
    # Choosing this option rejects the product by itself (sheet 19 criterion 6: "Không đánh giá
    # các bước tiếp theo nếu không có Phiếu công bố…"): the sentence as printed, or "".
    knockout_rule = models.TextField(_("automatic knock-out as printed"), blank=True)

    class Meta:
        verbose_name = _("option")
        ordering = ["criterion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "number"], name="criteria_option_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="criteria_option_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="criteria_option_points_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(min_star__isnull=True) | Q(min_star__in=STAR_MARKERS),
                name="criteria_option_min_star_valid",
            ),
            models.CheckConstraint(
                condition=Q(blank_points=False) | Q(points=0),
                name="criteria_option_blank_is_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text} ({self.points})"
