"""Reads of the certificates context; every read starts from a `for_user(user)` queryset."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.api.errors import ApplicationError, ErrorCode
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation.models import Assignment, CouncilResult

from .models import Certificate, Inspection


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
