"""Shared pieces of the dossier services: scoping, the audit event, the criteria set in force."""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.criteria.models import CriteriaSet, SetStatus

from ..choices import EDITABLE
from ..models import (
    Dossier,
    DossierEvent,
)


# --- helpers ---------------------------------------------------------------------------------
def _scoped(actor: User, dossier_id: int, *, lock: bool = False) -> Dossier:
    """The dossier if `actor` may see it, else a 404 that does not reveal it exists."""
    qs = Dossier.objects.for_user(actor)
    if lock:
        # Lock only the dossier row (for_user's joins would make PostgreSQL lock those too).
        if not qs.filter(pk=dossier_id).exists():
            raise _not_found(dossier_id)
        return (
            Dossier.objects.select_for_update()
            .select_related("sheet", "product")
            .get(pk=dossier_id)
        )
    dossier = qs.select_related("sheet", "product").filter(pk=dossier_id).first()
    if dossier is None:
        raise _not_found(dossier_id)
    return dossier


def _not_found(dossier_id: int) -> ApplicationError:
    return ApplicationError(
        ErrorCode.NOT_FOUND,
        _("Dossier %(id)s does not exist or is outside your jurisdiction.") % {"id": dossier_id},
    )


def _require_editable_by_producer(dossier: Dossier, actor: User) -> None:
    if actor.role != Role.PRODUCER:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("Only the producer edits the dossier's content.")
        )
    if dossier.status not in EDITABLE:
        raise ApplicationError(
            ErrorCode.BAD_TRANSITION,
            _(
                "The dossier can be edited only while it is a draft or has been returned (it is "
                "now “%(status)s”)."
            )
            % {"status": dossier.get_status_display()},
            extra={"status": dossier.status},
        )


def _event(dossier: Dossier, actor: User, action: str, note: str = "", **fields) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier, actor=actor, action=action, note=note, **fields
    )


def current_criteria_set(on: date | None = None) -> CriteriaSet:
    on = on or timezone.localdate()
    found = (
        CriteriaSet.objects.filter(status=SetStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if found is None:
        raise ApplicationError(
            ErrorCode.INVALID, _("No criteria set is in force today. Load the criteria sets.")
        )
    return found
