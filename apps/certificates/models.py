"""Recognition decisions, OCOP certificates and what happens to them after recognition:
proposals to the ministry, revocations (QĐ 26/2026 Đ8), inspections (Đ9) and reminders.

A certificate's stored `status` is only `active` or `revoked`; whether it is valid, due for
re-evaluation, extended or expired on a given day is computed (`certificate_status`,
`CertificateQuerySet.with_public_status`), so nothing has to be updated when time passes.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import jurisdiction_filter

from .choices import (
    EXPIRING_DAYS,
    REVOCATION_GROUND_TEXT,
    STANDING,
    CertificateStatus,
    DecisionLevel,
    InspectionKind,
    InspectionOutcome,
    InspectionScope,
    PublicStatus,
    ReminderKind,
    RevocationGround,
    RevocationStatus,
)

USER = settings.AUTH_USER_MODEL


class RecognitionDecision(models.Model):
    """A decision (quyết định công nhận) recognising one or more products: by the Chairman of
    the provincial People's Committee (3★/4★) or by the Minister (5★)."""

    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("decision date"))
    level = models.CharField(_("level"), max_length=10, choices=DecisionLevel.choices)
    province = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("Empty for the ministry's decisions."),
    )
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recognition decision")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level=DecisionLevel.PROVINCE, province__isnull=False)
                    | Q(level=DecisionLevel.MINISTRY, province__isnull=True)
                ),
                name="decision_level_province",
            ),
            models.UniqueConstraint(
                fields=["province", "number"],
                condition=Q(level=DecisionLevel.PROVINCE),
                name="decision_number_unique_province",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(level=DecisionLevel.MINISTRY),
                name="decision_number_unique_ministry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


def _reevaluation_pending():
    """A re-evaluation dossier of the certificate's product, filed (submitted) on or after the
    certificate's issue and not yet decided: it keeps an expired certificate in force (Đ12.3)."""
    from apps.dossiers.choices import DossierKind, DossierStatus
    from apps.dossiers.models import Dossier

    return Exists(
        Dossier.objects.filter(
            product=OuterRef("product"),
            kind=DossierKind.REEVALUATION,
            submitted_at__isnull=False,
            submitted_at__date__gte=OuterRef("valid_from"),
        ).exclude(status__in=[DossierStatus.RECOGNISED, DossierStatus.NOT_RECOGNISED])
    )


def _in_force_when_qd26_took_effect() -> Q:
    """The certificates the transitional extension (Đ12.3) applies to, as a filter: those in
    force on the day QĐ 26/2026 took effect (`transitional_extension_applies`)."""
    effective = settings.OCOP_QD26_EFFECTIVE_ON
    return Q(valid_from__lte=effective, valid_until__gte=effective)


def transitional_extension_applies(cert: "Certificate") -> bool:
    """Whether the transitional extension of QĐ 26/2026 Đ12.3 (in force up to 180 days after
    expiry while a late re-evaluation dossier awaits its decision) may apply to `cert`: only to
    a certificate in force on the day the decision took effect (`OCOP_QD26_EFFECTIVE_ON`,
    22/05/2026), i.e. valid_from <= that day <= valid_until. A certificate that expired before it
    or was issued after it follows the permanent rules (Đ7.6) only."""
    return cert.valid_from <= settings.OCOP_QD26_EFFECTIVE_ON <= cert.valid_until


class CertificateQuerySet(models.QuerySet):
    def for_user(self, user) -> "CertificateQuerySet":
        """Certificates `user` may see: national roles all; provincial roles their provinces';
        commune officers their communes'; producers their own products'."""
        return jurisdiction_filter(
            self,
            user,
            province="dossier__province",
            commune="dossier__commune",
            owner="product__producer__users",
        )

    # --- a certificate's standing: the one place that reads its dates and revocation ---------
    def not_revoked(self) -> "CertificateQuerySet":
        return self.exclude(status=CertificateStatus.REVOKED)

    def revoked(self) -> "CertificateQuerySet":
        return self.filter(status=CertificateStatus.REVOKED)

    def newest_first(self) -> "CertificateQuerySet":
        return self.order_by("-valid_from", "-pk")

    def standing(self, today: date) -> "CertificateQuerySet":
        """Certificates under which the product stands as recognised on `today` (valid, in the
        re-evaluation window, or extended), with `public_status` annotated."""
        return (
            self.with_public_status(today)
            .not_revoked()
            .filter(public_status__in=[s.value for s in STANDING])
        )

    def current(self, today: date) -> "CertificateQuerySet":
        """Not revoked, newest first, with `public_status`: the first per product is the
        product's current certificate (standing, or expired if nothing newer exists)."""
        return self.with_public_status(today).not_revoked().newest_first()

    def expiring(self, today: date, days: int = EXPIRING_DAYS) -> "CertificateQuerySet":
        """Not revoked and expiring from `today` to `days` days later, both included."""
        return self.not_revoked().filter(
            valid_until__gte=today, valid_until__lte=today + timedelta(days=days)
        )

    def issued_in(self, year: int) -> "CertificateQuerySet":
        return self.filter(valid_from__year=year)

    def with_public_status(self, today: date) -> "CertificateQuerySet":
        """Annotate `public_status` for `today` (the same rules as `certificate_status`), and
        `reevaluation_pending`, so lists can filter on it without a query per row."""
        opens = timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS)
        closes = timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS)
        extension = timedelta(days=settings.OCOP_TRANSITION_EXTENSION_DAYS)
        return self.annotate(reevaluation_pending=_reevaluation_pending()).annotate(
            public_status=Case(
                When(status=CertificateStatus.REVOKED, then=Value(PublicStatus.REVOKED.value)),
                When(
                    valid_until__gte=today + closes,
                    valid_until__lte=today + opens,
                    then=Value(PublicStatus.REEVALUATION_WINDOW.value),
                ),
                When(valid_until__gte=today, then=Value(PublicStatus.VALID.value)),
                When(extended_until__gte=today, then=Value(PublicStatus.EXTENDED.value)),
                When(
                    Q(reevaluation_pending=True, valid_until__gte=today - extension)
                    & _in_force_when_qd26_took_effect(),
                    then=Value(PublicStatus.EXTENDED.value),
                ),
                default=Value(PublicStatus.EXPIRED.value),
                output_field=models.CharField(),
            )
        )


class DecisionScan(models.Model):
    """The signed decision (a scan, or the PDF with its digital signature), attached after the
    decision is recorded: the paper the leader signed is the legal act, the row above is its
    transcript. Every upload is kept, the newest is the one shown; a wrong file is corrected by
    uploading the right one, never by deleting."""

    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.PROTECT, related_name="scans"
    )
    storage_name = models.CharField(max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed decision")
        ordering = ["-uploaded_at", "-pk"]


class Certificate(models.Model):
    """The OCOP certificate (giấy chứng nhận) of one recognised product, from one council result:
    valid 36 months from the decision (QĐ 26/2026 Đ4.3). Its PDF is generated once, at issue,
    and kept with its SHA-256."""

    # The fields bounding the period the certificate was issued for (both days included): what a
    # map or OGC API `datetime` filter intersects. Its standing on a day (revoked, suspended,
    # expiring) is the queryset's, `CertificateQuerySet.with_public_status`.
    VALIDITY_FIELDS = ("valid_from", "valid_until")

    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="certificates"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="certificates"
    )
    result = models.OneToOneField(
        "evaluation.CouncilResult", on_delete=models.PROTECT, related_name="certificate"
    )
    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=60)
    product_code = models.CharField(_("OCOP product code"), max_length=40, unique=True)
    stars = models.PositiveSmallIntegerField(_("stars"))
    criteria_set_code = models.CharField(_("criteria set"), max_length=32)
    # The process regime the product was recognised under (the council's): records made under QĐ
    # 1048/2019, QĐ 148/2023 or QĐ 1489/2025 keep theirs, their star and their own expiry.
    regime_code = models.CharField(_("process regime"), max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_note = models.TextField(_("extension decision"), blank=True)
    pdf_storage_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    # The decided revocation (Đ8), set with `status` = "revoked" by the revocation services: the
    # decided case among `revocation_cases`, so pages and lists can `select_related` it.
    revocation = models.OneToOneField(
        "Revocation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("revocation decision"),
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("OCOP certificate")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="certificate_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CertificateStatus.values), name="certificate_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True) | Q(extended_until__gt=F("valid_until")),
                name="certificate_extension_after_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_code} ({self.stars}★)"


def certificate_status(cert: Certificate, today: date) -> str:
    """The public status of `cert` on `today`:

    - "revoked" from the revocation decision on;
    - "reevaluation_window" from 180 to 120 days before expiry (the re-evaluation filing window,
      Đ7.6), "valid" otherwise until the expiry day included;
    - after expiry, "extended" until the date the authority set, or while a re-evaluation dossier
      filed since the certificate was issued awaits its decision, for at most 180 days (Đ12.3),
      the latter only for a certificate in force on the day QĐ 26/2026 took effect
      (`transitional_extension_applies`);
    - "expired" otherwise.
    """
    if cert.status == CertificateStatus.REVOKED:
        return PublicStatus.REVOKED
    opens = timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS)
    closes = timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS)
    if cert.valid_until - opens <= today <= cert.valid_until - closes:
        return PublicStatus.REEVALUATION_WINDOW
    if today <= cert.valid_until:
        return PublicStatus.VALID
    if cert.extended_until and today <= cert.extended_until:
        return PublicStatus.EXTENDED
    if transitional_extension_applies(cert) and today <= cert.valid_until + timedelta(
        days=settings.OCOP_TRANSITION_EXTENSION_DAYS
    ):
        pending = getattr(cert, "reevaluation_pending", None)
        if pending is None:
            pending = (
                Certificate.objects.filter(pk=cert.pk).filter(_reevaluation_pending()).exists()
            )
        if pending:
            return PublicStatus.EXTENDED
    return PublicStatus.EXPIRED


class MinistryProposal(models.Model):
    """The province's proposal of a ≥90-point product to the ministry for 5★ (Đ7.3, Đ6.3)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="ministry_proposals"
    )
    result = models.OneToOneField(
        "evaluation.CouncilResult", on_delete=models.PROTECT, related_name="ministry_proposal"
    )
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal to the ministry")


class RevocationQuerySet(models.QuerySet):
    def for_user(self, user) -> "RevocationQuerySet":
        """Cases of the certificates `user` may see (`CertificateQuerySet.for_user`)."""
        return self.filter(certificate__in=Certificate.objects.for_user(user))

    def with_overdue(self, today: date) -> "RevocationQuerySet":
        """Annotate `overdue` for `today`: the same rule as `Revocation.overdue_on`."""
        return self.annotate(
            overdue=Case(
                When(status=RevocationStatus.OPEN, deadline__lt=today, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )


class Revocation(models.Model):
    """A revocation case of a certificate (QĐ 26/2026 Đ8), in two steps (Đ8.3):

    1. the OCOP office opens it from a competent conclusion on one of the grounds of Đ8.1 (for
       ground đ, the commune People's Committee's confirmation that production stopped), possibly
       an inspection's (Đ9); the decision is due within 15 days of that conclusion (Đ8.4);
    2. the authority decides it (the Chairman of the provincial People's Committee for 3★/4★,
       the Minister for 5★, Đ8.2): the certificate is revoked; or the case is closed without
       revocation, with the reason.

    A late decision still revokes (the violation stands); it is recorded as late."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="revocation_cases"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RevocationStatus.choices, default=RevocationStatus.OPEN
    )
    ground = models.CharField(_("ground (Đ8.1)"), max_length=2, choices=RevocationGround.choices)
    # The conclusion the case rests on (Đ8.4).
    concluded_on = models.DateField(_("conclusion date"))
    concluded_by_body = models.CharField(
        _("concluding body"),
        max_length=255,
        blank=True,
        help_text=_(
            "The competent authority that concluded the violation; for ground đ, the commune "
            "People's Committee that confirmed the producer no longer makes the product."
        ),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    inspection = models.ForeignKey(
        "Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revocation_cases",
        verbose_name=_("inspection"),
    )
    deadline = models.DateField(
        _("decision due by"), help_text=_("The conclusion date plus 15 days (Đ8.4).")
    )
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # The decision (Đ8.2, Đ8.3.b).
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Or closed without revocation.
    close_reason = models.TextField(_("reason for closing without revocation"), blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RevocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("revocation")
        ordering = ["-concluded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ground__in=RevocationGround.values), name="revocation_ground_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RevocationStatus.values), name="revocation_status_valid"
            ),
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(status=RevocationStatus.OPEN),
                name="revocation_one_open_case",
            ),
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(status=RevocationStatus.REVOKED),
                name="revocation_once",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("concluded_on")),
                name="revocation_deadline_after_conclusion",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=RevocationStatus.REVOKED,
                        decided_on__isnull=False,
                        decided_on__gte=F("concluded_on"),
                        decided_by__isnull=False,
                    )
                    & ~Q(decision_number="")
                    & ~Q(signer_name="")
                )
                | (~Q(status=RevocationStatus.REVOKED) & Q(decided_on__isnull=True)),
                name="revocation_decided_iff_revoked",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=RevocationStatus.CLOSED, closed_at__isnull=False)
                    & Q(closed_by__isnull=False)
                    & ~Q(close_reason="")
                )
                | (~Q(status=RevocationStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="revocation_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} ({self.get_ground_display()}, {self.status})"

    @property
    def ground_text(self) -> str:
        return REVOCATION_GROUND_TEXT[self.ground]

    def overdue_on(self, today: date) -> bool:
        """An open case past its deadline (Đ8.4) on `today`."""
        return self.status == RevocationStatus.OPEN and today > self.deadline

    @property
    def decided_late(self) -> bool | None:
        """Whether the decision came after the deadline (Đ8.4); None while undecided. A late
        decision is valid: it is only recorded as late."""
        if self.decided_on is None:
            return None
        return self.decided_on > self.deadline


class Inspection(models.Model):
    """A post-recognition inspection (hậu kiểm, Đ9): periodic or ad hoc (Đ9.2.a), of the
    criteria maintained as in the dossier and/or of the use of the OCOP mark and product
    information (Đ9.3), with its outcome; a non-compliant or violation outcome may ground a
    revocation case (Đ8.1.b)."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField(_("inspected on"))
    kind = models.CharField(_("kind (Đ9.2.a)"), max_length=10, choices=InspectionKind.choices)
    scope = models.CharField(_("content (Đ9.3)"), max_length=20, choices=InspectionScope.choices)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=InspectionOutcome.choices,
        blank=True,
        help_text=_("Empty only for inspections recorded before outcomes were kept."),
    )
    location = models.PointField(_("location"), srid=4326)
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        ordering = ["-inspected_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InspectionKind.values), name="inspection_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=InspectionScope.values), name="inspection_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[*InspectionOutcome.values, ""]),
                name="inspection_outcome_valid",
            ),
        ]


class ReminderSent(models.Model):
    """A reminder already sent for a certificate: one per kind, so the daily run is idempotent."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "kind"], name="reminder_once_per_kind")
        ]
