"""Reads of the certificates context; every read starts from a `for_user(user)` queryset."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.core.api.errors import ApplicationError, ErrorCode
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation.models import Assignment, CouncilResult

from .choices import RevocationStatus
from .models import Certificate, Inspection, Revocation

# Who works on revocation cases (open, decide, close) and so may read them: the OCOP offices,
# the provincial leader, and the system administrator. Producers and communes see the decision
# only (on the certificate, and notified).
REVOCATION_CASE_ROLES = frozenset(
    {Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN}
)


def _not_found() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."))


def certificate_list(
    *, user, status: str | None = None, stars: int | None = None, today: date | None = None
) -> QuerySet[Certificate]:
    """Certificates the user may see, each with its `public_status` for `today`."""
    qs = (
        Certificate.objects.for_user(user)
        .with_public_status(today or timezone.localdate())
        .select_related(
            "product__producer", "dossier__commune", "dossier__province", "decision", "revocation"
        )
    )
    if status:
        qs = qs.filter(public_status=status)
    if stars:
        qs = qs.filter(stars=stars)
    return qs.order_by("-valid_from", "-pk")


def certificate_get(*, user, certificate_id: int, today: date | None = None) -> Certificate:
    certificate = certificate_list(user=user, today=today).filter(pk=certificate_id).first()
    if certificate is None:
        raise _not_found()
    return certificate


def inspection_list(*, user, certificate_id: int) -> QuerySet[Inspection]:
    certificate_get(user=user, certificate_id=certificate_id)  # scope: 404 when out of it
    return (
        Inspection.objects.filter(certificate_id=certificate_id)
        .select_related("inspector")
        .order_by("-inspected_on", "-pk")
    )


def inspection_get(*, user, inspection_id: int) -> Inspection:
    """An inspection of a certificate the user may see; 404 otherwise."""
    inspection = (
        Inspection.objects.filter(certificate__in=Certificate.objects.for_user(user))
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None:
        raise _not_found()
    return inspection


def revocation_list(
    *,
    user,
    status: str | None = None,
    overdue: bool | None = None,
    certificate_id: int | None = None,
    today: date | None = None,
) -> QuerySet[Revocation]:
    """Revocation cases in the user's jurisdiction, each with `overdue` for `today` (an open
    case past its deadline, Đ8.4), the oldest deadline first among open cases."""
    if user.role not in REVOCATION_CASE_ROLES:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Only the OCOP offices and the authorities see revocation cases."),
        )
    qs = (
        Revocation.objects.for_user(user)
        .with_overdue(today or timezone.localdate())
        .select_related("certificate__product", "opened_by", "decided_by", "closed_by")
    )
    if certificate_id is not None:
        certificate_get(user=user, certificate_id=certificate_id)  # scope: 404 when out of it
        qs = qs.filter(certificate_id=certificate_id)
    if status:
        qs = qs.filter(status=status)
    if overdue is not None:
        qs = qs.filter(overdue=overdue)
    return (
        qs.order_by("deadline", "pk")
        if status == RevocationStatus.OPEN
        else qs.order_by("-concluded_on", "-pk")
    )


def revocation_get(*, user, revocation_id: int, today: date | None = None) -> Revocation:
    revocation = revocation_list(user=user, today=today).filter(pk=revocation_id).first()
    if revocation is None:
        raise _not_found()
    return revocation


def results_awaiting_decision(*, user) -> QuerySet[CouncilResult]:
    """Council results whose dossier waits for a recognition decision (status "evaluated"),
    in the user's jurisdiction: the leader's to-do list."""
    return (
        CouncilResult.objects.filter(
            assignment__dossier__in=Dossier.objects.for_user(user),
            assignment__dossier__status=DossierStatus.EVALUATED,
        )
        .exclude(
            Exists(
                Assignment.objects.filter(
                    dossier=OuterRef("assignment__dossier"), pk__gt=OuterRef("assignment")
                )
            )
        )
        .select_related(
            "assignment__council__round",
            "assignment__dossier__product__producer",
            "assignment__dossier__commune",
        )
        .order_by("-total", "pk")
    )
