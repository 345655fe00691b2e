"""Evaluation rounds, councils and their members, assignments, conflicts of interest, members'
scorecards (with their history), the council's result, and the advisory team's work."""

from decimal import Decimal

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import FLAGGED_KINDS, ConflictKind, CouncilLevel, MemberRole, ScorecardStatus

USER = settings.AUTH_USER_MODEL


class EvaluationRoundQuerySet(models.QuerySet):
    def for_user(self, user) -> "EvaluationRoundQuerySet":
        """Rounds a user may see: national roles all; everyone else the rounds of the provinces
        in their jurisdiction (as `GET /api/v1/rounds/` lists them)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_national:
            return self
        return self.filter(province__in=user.jurisdiction_provinces())

    def taking(
        self, *, level: str, province_id: int | None, proposed_on, today
    ) -> "EvaluationRound | None":
        """The round a dossier proposed on `proposed_on` lands in (QĐ 26/2026 Đ5): the earliest
        round of its level (and province) that takes proposals made *before* its
        `proposal_deadline` (so not on the day itself) and whose evaluation has not ended by
        `today`. None when no such round exists: the dossier is then held, never put in a round
        that does not exist."""
        qs = self.filter(
            level=level, proposal_deadline__gt=proposed_on, evaluation_deadline__gte=today
        )
        qs = qs.filter(province_id=province_id) if province_id else qs.filter(province__isnull=True)
        return qs.order_by("proposal_deadline", "year", "number").first()


class EvaluationRound(models.Model):
    """A round of a province (or of the ministry), with its plan dates (QĐ 26/2026 Đ5).
    `proposal_deadline` is the cut-off: the round takes dossiers proposed *before* it."""

    level = models.CharField(_("level"), max_length=10, choices=CouncilLevel.choices)
    province = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for central rounds."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    proposal_deadline = models.DateField(_("proposals by"))
    evaluation_deadline = models.DateField(_("evaluation finished by"))
    is_demo = models.BooleanField(default=False)

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation round")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "province", "year", "number"], name="round_unique"
            ),
            models.CheckConstraint(
                condition=Q(proposal_deadline__lte=models.F("evaluation_deadline")),
                name="round_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(n)s/%(y)s") % {"n": self.number, "y": self.year}


class CouncilQuerySet(models.QuerySet):
    def for_user(self, user) -> "CouncilQuerySet":
        """Councils a user may see: national roles all; provincial officers and leaders their
        provinces' councils; members and advisers the councils they sit on."""
        from apps.accounts.choices import Role

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_national:
            return self
        if user.role in (Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER):
            return self.filter(round__province__in=user.jurisdiction_provinces())
        return self.filter(Q(members__user=user) | Q(advisors=user)).distinct()


class Council(models.Model):
    """A council (hội đồng) for a round, working under one criteria set and process regime, with
    its own rules from its Quy chế: quorum, spread threshold, how members' minimums and
    knock-outs combine, whether members see others' scores before submitting, conflict rules."""

    name = models.CharField(_("name"), max_length=255)
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="councils")
    criteria_set = models.ForeignKey(
        "criteria.CriteriaSet", on_delete=models.PROTECT, related_name="+"
    )
    regime_code = models.CharField(_("process regime"), max_length=64)
    quorum = models.DecimalField(
        _("quorum (share of members)"), max_digits=3, decimal_places=2, default=Decimal("0.75")
    )
    spread_threshold = models.DecimalField(
        _("spread threshold (points)"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    minimum_rule = models.CharField(_("minimum rule"), max_length=10, default="majority")
    knockout_rule = models.CharField(_("knock-out rule"), max_length=10, default="majority")
    reveal_after_submit = models.BooleanField(
        _("members see others' scores only after submitting their own"), default=True
    )
    conflict_rules = models.JSONField(
        _("conflicts flagged automatically"),
        default=list,
        blank=True,
        help_text=_("Any of: works_for_producer, relative, advised_product."),
    )
    advisors = models.ManyToManyField(
        USER,
        blank=True,
        related_name="advisory_councils",
        verbose_name=_("advisory team (tổ tư vấn)"),
    )
    advisory_report_required = models.BooleanField(
        _("members submit their scores only after the advisory team's report"),
        default=True,
        help_text=_(
            "QĐ 26/2026 Đ7.3.c: the advisory team sends its report to the council's chair before "
            "the council scores. Applies when the council has an advisory team."
        ),
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum__gt=0) & Q(quorum__lte=1), name="council_quorum_range"
            ),
            models.CheckConstraint(
                condition=Q(minimum_rule__in=["majority", "all", "any"]),
                name="council_minimum_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(knockout_rule__in=["majority", "any"]),
                name="council_knockout_rule_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def flagged_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in FLAGGED_KINDS if k in (self.conflict_rules or []))


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(
        _("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("council member")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_unique"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(role="chair"), name="council_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ProducerLink(models.Model):
    """A person's recorded tie to a producer, used to flag conflicts of interest: a relative of
    the producer's people, or an adviser who helped develop its products."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", _("Relative")
        ADVISER = "adviser", _("Adviser of its products")

    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.CASCADE, related_name="links"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="producer_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "user", "kind"], name="producer_link_unique"
            )
        ]


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user) -> "AssignmentQuerySet":
        """Members and advisers see the dossiers assigned to their councils, from assignment on."""
        return self.filter(council__in=Council.objects.for_user(user))


class Assignment(models.Model):
    """A dossier accepted for the round, assigned to a council for scoring."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="assignments")
    # A dossier proposed for 5★ is assigned again, to the central council.
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        constraints = [
            models.UniqueConstraint(fields=["council", "dossier"], name="assignment_unique")
        ]


class Conflict(models.Model):
    """A conflict of interest: declared by the member or flagged by the council's rules. While it
    stands, the member cannot open the product's scoring form (enforced in the services)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="conflicts")
    kind = models.CharField(max_length=20, choices=ConflictKind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user", "kind"], name="conflict_unique")
        ]


class Scorecard(models.Model):
    """One member's scoring of one assigned dossier. Saved as the member goes; submitting locks
    it. The chair may reopen it with a reason; every earlier version stays in `revisions`."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scorecards")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="scorecards")
    choices = models.JSONField(default=dict, blank=True)
    knockouts = models.JSONField(default=list, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "member"], name="scorecard_unique")
        ]


class ScorecardRevision(models.Model):
    """A submitted version kept when the chair reopens a scorecard."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveSmallIntegerField()
    choices = models.JSONField()
    knockouts = models.JSONField()
    total = models.DecimalField(max_digits=5, decimal_places=2)
    submitted_at = models.DateTimeField()
    reopened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering = ["version"]


class CouncilResult(models.Model):
    """The council's conclusion on one dossier, computed by the ranking engine."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="result")
    total = models.DecimalField(max_digits=5, decimal_places=2)
    parts = models.JSONField()
    band_star = models.PositiveSmallIntegerField()
    star = models.PositiveSmallIntegerField(null=True, blank=True)
    unmet_minimums = models.JSONField(default=list)
    rejected = models.BooleanField(default=False)
    rejected_by = models.JSONField(default=list)
    spread = models.DecimalField(max_digits=5, decimal_places=2)
    scoring_members = models.PositiveSmallIntegerField()
    council_size = models.PositiveSmallIntegerField()
    propose_to_ministry = models.BooleanField(default=False)
    feedback = models.TextField(_("feedback to the producer"), blank=True)
    concluded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    concluded_at = models.DateTimeField(auto_now_add=True)

    @property
    def certificate_eligible(self) -> bool:
        return self.star is not None and self.star >= 3


class EvaluationEvent(models.Model):
    """Audit trail of the council's work (assignment, conflicts, submit, reopen, conclusion)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class FieldVisit(models.Model):
    """The advisory team's visit to the production site, with findings per criterion."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="field_visits"
    )
    visited_on = models.DateField(_("visit date"))
    location = models.PointField(_("location"), srid=4326)
    findings = models.JSONField(_("findings per criterion"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class FieldVisitPhoto(models.Model):
    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="photos")
    storage_name = models.CharField(max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    location = models.PointField(srid=4326, null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    caption = models.CharField(max_length=255, blank=True)


class LabTestRequest(models.Model):
    """A request for extra laboratory tests by the advisory team."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        RECEIVED = "received", _("Result received")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="lab_requests"
    )
    tests = models.TextField(_("tests requested"))
    laboratory = models.CharField(_("laboratory"), max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    result_note = models.TextField(blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)


class AdvisoryReport(models.Model):
    """The advisory team's report on one dossier to the council's chair (QĐ 26/2026 Đ7.3.c: "Tổ
    tư vấn ... tổ chức đánh giá hồ sơ ...; đề xuất bổ sung hồ sơ, tổ chức khảo sát thực tế tại cơ sở
    sản xuất, kinh doanh ... và đề nghị bổ sung kết quả kiểm nghiệm chất lượng (nếu cần); xây dựng
    báo cáo đánh giá gửi Chủ tịch Hội đồng"). Written as a draft by the team; once submitted it is
    locked and the members read it on their scoring page. The field visits and lab-test requests
    of the assignment are its annexes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Sent to the chair")

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="advisory_report"
    )
    assessment = models.TextField(_("assessment of the dossier"), blank=True)
    field_survey = models.TextField(_("field survey at the production site"), blank=True)
    documents_requested = models.TextField(_("additional documents requested"), blank=True)
    recommendation = models.TextField(_("recommendation to the council"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("advisory team's report")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="submitted", submitted_at__isnull=False, submitted_by__isnull=False)
                    & ~Q(assessment="")
                )
                | Q(status="draft", submitted_at__isnull=True),
                name="advisory_report_submitted_complete",
            ),
        ]
