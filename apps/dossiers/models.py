from datetime import date, timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.accounts.scope import jurisdiction_filter

from .choices import COMMUNE_CLOCK, DECISION_CLOCK, AnnexType, DossierKind, DossierStatus


class PublicHoliday(models.Model):
    """Non-working days for deadline counting (Tết, 30/4, 2/9 …), kept by officers."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("public holiday")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class ProvinceRules(models.Model):
    """Per-province settings of the process (QĐ 26/2026 Đ5 defaults; each province may differ)."""

    province = models.OneToOneField(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="ocop_rules",
        limit_choices_to={"level": "province", "valid_to__isnull": True},
    )
    # Proposal cut-offs of the rounds, as "MM-DD", in order: defaults 30/4 and 30/10.
    round_cutoffs = models.JSONField(_("round cut-off dates"), default=list)
    commune_working_days = models.PositiveSmallIntegerField(
        _("commune review, working days"), default=15
    )

    class Meta:
        verbose_name = _("province process rules")

    def __str__(self) -> str:
        return str(self.province)

    def cutoffs(self) -> tuple[tuple[int, int], ...]:
        return (
            tuple(tuple(int(p) for p in c.split("-")) for c in self.round_cutoffs)
            or DEFAULT_CUTOFFS
        )

    @classmethod
    def for_province(cls, province_id: int) -> "ProvinceRules":
        """The province's rules, or the defaults (unsaved) when it has set none."""
        return cls.objects.filter(province_id=province_id).first() or cls(province_id=province_id)


DEFAULT_CUTOFFS = ((4, 30), (10, 30))


# --- the clocks: one definition of "overdue" ---------------------------------------------------
# A dossier is late past a running deadline, the last day itself not late: the commune's (15
# working days, while the commune holds it) or, for a re-evaluation, the 45-day decision
# deadline (Đ7.6.g). The filters below (with `prefix` for querysets that reach dossiers through a
# relation, e.g. "dossiers__") and the `Dossier` methods are the same rule, in SQL and in Python.
def commune_overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": list(COMMUNE_CLOCK), f"{prefix}commune_deadline__lt": today})


def decision_overdue_q(today: date, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}status__in": list(DECISION_CLOCK), f"{prefix}decision_deadline__lt": today}
    )


def overdue_q(today: date, prefix: str = "") -> Q:
    return commune_overdue_q(today, prefix) | decision_overdue_q(today, prefix)


class DossierQuerySet(models.QuerySet):
    def for_user(self, user) -> "DossierQuerySet":
        """Dossiers `user` may see: national roles all; provincial officers and leaders their
        provinces; commune officers their communes; producers their own producers' dossiers;
        council and advisory-team members only the dossiers assigned to their councils, from the
        moment of assignment."""
        if (
            user is not None
            and user.is_authenticated
            and user.role in (Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER)
        ):
            return self.filter(
                Q(assignments__council__members__user=user) | Q(assignments__council__advisors=user)
            ).distinct()
        return jurisdiction_filter(
            self, user, province="province", commune="commune", owner="product__producer__users"
        )

    def overdue(self, today: date) -> "DossierQuerySet":
        """Past a running deadline (`overdue_q`)."""
        return self.filter(overdue_q(today))

    def commune_overdue(self, today: date) -> "DossierQuerySet":
        """Past the commune's deadline only (the commune's own timeliness)."""
        return self.filter(commune_overdue_q(today))


class Dossier(models.Model):
    """A product's OCOP dossier (hồ sơ), from draft to acceptance for an evaluation round.

    `status` changes only through `services.dossier_transition`. The commune and province are
    copied from the producer when the dossier is created, so the record keeps the jurisdiction
    it was filed in even if the producer moves later.
    """

    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="dossiers"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DossierKind.choices, default=DossierKind.FIRST
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFT,
        db_index=True,
    )
    sheet = models.ForeignKey("criteria.Sheet", on_delete=models.PROTECT, related_name="+")
    regime_code = models.CharField(_("process regime"), max_length=64)
    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    # A re-evaluation renews the product's current certificate (Đ7.6): its expiry sets the filing
    # window. String reference: apps.certificates depends on this app.
    renews = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renews certificate"),
    )
    # Mẫu 01 and Mẫu 02 parts I, II, IV: structured forms, validated by the form schemas.
    form01 = models.JSONField(_("Form 01 (registration)"), default=dict, blank=True)
    form02 = models.JSONField(_("Form 02 parts I, II, IV"), default=dict, blank=True)
    self_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    self_star = models.PositiveSmallIntegerField(null=True, blank=True)
    samples_required = models.PositiveSmallIntegerField(_("samples required"), default=5)
    samples_received = models.PositiveSmallIntegerField(_("samples received"), default=0)
    samples_received_on = models.DateField(_("samples received on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=60, blank=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    commune_deadline = models.DateField(_("commune deadline"), null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    # Re-evaluations only: decided within 45 days of the complete dossier reaching the province
    # (or the ministry for 5★), Đ7.6.g.
    decision_deadline = models.DateField(_("decision deadline"), null=True, blank=True)
    round_year = models.PositiveSmallIntegerField(null=True, blank=True)
    round_number = models.PositiveSmallIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        ordering = ["-updated_at"]
        permissions = [
            ("review_dossier_commune", "Can review dossiers as the commune"),
            ("review_dossier_province", "Can check dossiers as the province"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(samples_received__lte=20), name="dossier_samples_sane"
            ),
            models.CheckConstraint(
                condition=Q(renews__isnull=True) | Q(kind=DossierKind.REEVALUATION),
                name="dossier_renews_only_reevaluation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number or _('draft')} · {self.product}"

    def is_commune_overdue(self, today: date) -> bool:
        """`commune_overdue_q`, for one dossier in memory."""
        return (
            self.status in COMMUNE_CLOCK
            and self.commune_deadline is not None
            and self.commune_deadline < today
        )

    def is_decision_overdue(self, today: date) -> bool:
        """`decision_overdue_q`, for one dossier in memory."""
        return (
            self.status in DECISION_CLOCK
            and self.decision_deadline is not None
            and self.decision_deadline < today
        )

    def is_overdue(self, today: date) -> bool:
        """`overdue_q`, for one dossier in memory."""
        return self.is_commune_overdue(today) or self.is_decision_overdue(today)

    @property
    def filing_window(self) -> tuple[date, date] | None:
        """The days a re-evaluation may be filed with the commune: from 180 to 120 days before
        the renewed certificate expires, both included (Đ7.6.a); None for other dossiers."""
        if self.kind != DossierKind.REEVALUATION or self.renews_id is None:
            return None
        until = self.renews.valid_until
        return (
            until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS),
            until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS),
        )


class SelfAssessment(models.Model):
    """Mẫu 02 part III: the producer's chosen option for one criterion of the dossier's sheet."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="self_assessment")
    criterion_code = models.CharField(max_length=16)
    option_number = models.PositiveSmallIntegerField()
    explanation = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "criterion_code"], name="self_assessment_unique"
            ),
        ]


class EvidenceFile(models.Model):
    """An evidence file of the dossier, optionally attached to one criterion.

    Replacing a file creates a new row with `version + 1`; the old row keeps `replaced_by`, so
    earlier versions stay readable. Files are immutable in storage.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    annex_type = models.CharField(_("annex type"), max_length=40, choices=AnnexType.choices)
    criterion_code = models.CharField(_("criterion"), max_length=16, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    original_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField(default=1)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annex_type", "criterion_code", "-version"]

    @property
    def is_current(self) -> bool:
        return self.replaced_by_id is None


class CommuneAssessment(models.Model):
    """Mẫu 03: the commune's pre-assessment of the four contents, written in the system."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="commune_assessment"
    )
    raw_material = models.TextField(_("1. Use of local raw materials"))
    local_labour = models.TextField(_("2. Use of local labour"))
    product_idea = models.TextField(_("3. Origin of the product idea"))
    local_identity = models.TextField(_("4. Local identity and knowledge"))
    proposal = models.TextField(_("Proposal to the provincial People's Committee"))
    consultation_held = models.BooleanField(_("consultation meeting held"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)


class DossierEvent(models.Model):
    """Audit trail: every state change (and every content change worth reviewing)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    # For submissions: a snapshot of the content, so a resubmission can show what changed.
    snapshot = models.JSONField(null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def actor_label(self) -> str:
        """Who to show: the person, except for council actions, shown as the council."""
        from .choices import COUNCIL_ACTIONS, COUNCIL_ACTOR_LABEL

        return str(COUNCIL_ACTOR_LABEL) if self.action in COUNCIL_ACTIONS else str(self.actor)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
