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
    REVOCATION_GROUND_TEXT,
    CertificateStatus,
    DecisionLevel,
    PublicStatus,
    ReminderKind,
    RevocationGround,
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
                    reevaluation_pending=True,
                    valid_until__gte=today - extension,
                    then=Value(PublicStatus.EXTENDED.value),
                ),
                default=Value(PublicStatus.EXPIRED.value),
                output_field=models.CharField(),
            )
        )


class Certificate(models.Model):
    """The OCOP certificate (giấy chứng nhận) of one recognised product, from one council result:
    valid 36 months from the decision (QĐ 26/2026 Đ4.3). Its PDF is generated once, at issue,
    and kept with its SHA-256."""

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
      filed since the certificate was issued awaits its decision, for at most 180 days (Đ12.3);
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
    if today <= cert.valid_until + timedelta(days=settings.OCOP_TRANSITION_EXTENSION_DAYS):
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


class Revocation(models.Model):
    """The revocation of a certificate (Đ8): by the Chairman of the provincial People's
    Committee for 3★/4★, by the Minister for 5★."""

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="revocation"
    )
    ground = models.CharField(_("ground (Đ8.1)"), max_length=2, choices=RevocationGround.choices)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revocation")
        constraints = [
            models.CheckConstraint(
                condition=Q(ground__in=RevocationGround.values), name="revocation_ground_valid"
            ),
        ]

    @property
    def ground_text(self) -> str:
        return REVOCATION_GROUND_TEXT[self.ground]


class Inspection(models.Model):
    """A post-recognition inspection (hậu kiểm, Đ9): are the criteria maintained as in the
    dossier, and is the OCOP mark used correctly."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField(_("inspected on"))
    location = models.PointField(_("location"), srid=4326)
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        ordering = ["-inspected_on", "-pk"]


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
