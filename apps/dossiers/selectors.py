"""Reads of the dossier context; every read starts from `Dossier.objects.for_user(user)`."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError, ErrorCode

from .models import Dossier, EvidenceFile, Notification


def dossier_list(
    *, user, status: str | None = None, overdue: bool | None = None, commune_code: str | None = None
) -> QuerySet[Dossier]:
    qs = Dossier.objects.for_user(user).select_related(
        "product", "product__producer", "commune", "province", "sheet", "renews"
    )
    if status:
        qs = qs.filter(status=status)
    if overdue is True:
        qs = qs.overdue(timezone.localdate())
    elif overdue is False:
        qs = qs.exclude(pk__in=Dossier.objects.overdue(timezone.localdate()).values("pk"))
    if commune_code:
        qs = qs.filter(commune__code=commune_code)
    return qs.order_by("commune_deadline", "-updated_at")


def dossier_get(*, user, dossier_id: int) -> Dossier:
    """One dossier with its content, or a 404 that does not reveal whether it exists."""
    dossier = (
        dossier_list(user=user)
        .prefetch_related("self_assessment", "files", "events__actor")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."))
    return dossier


def evidence_file_get(*, user, dossier_id: int, file_id: int) -> EvidenceFile:
    dossier = dossier_get(user=user, dossier_id=dossier_id)
    found = EvidenceFile.objects.filter(dossier=dossier, pk=file_id).first()
    if found is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."))
    return found


def is_overdue(dossier: Dossier, today=None) -> bool:
    """Past a running deadline: the commune's, or a re-evaluation's decision deadline."""
    return dossier.is_overdue(today or timezone.localdate())


def is_decision_overdue(dossier: Dossier, today=None) -> bool:
    """A re-evaluation still undecided after its 45-day decision deadline (Đ7.6.g); the last
    day itself is not late."""
    return dossier.is_decision_overdue(today or timezone.localdate())


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).select_related("dossier__product")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# Council results are a fact of apps.evaluation, which sits above this app: it provides its
# selector at start-up (EvaluationConfig.ready), so the dossier pages show the result without
# this app importing evaluation.
_latest_council_result: Callable[[Dossier], Any] | None = None


def provide_latest_council_result(selector: Callable[[Dossier], Any]) -> None:
    global _latest_council_result
    _latest_council_result = selector


def latest_council_result(dossier: Dossier):
    """The most recent council result on the dossier (provincial, or central after a proposal);
    None before any, or without the evaluation app."""
    return _latest_council_result(dossier) if _latest_council_result else None
