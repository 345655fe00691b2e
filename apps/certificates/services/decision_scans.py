"""The signed decision attached to a recorded recognition decision (`DecisionScan`)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode
from apps.core.files import stored_file_or_cleanup, upload_check

from ..choices import DecisionLevel
from ..models import Certificate, DecisionScan, RecognitionDecision
from .shared import _error, _not_found

SCAN_PREFIX = "decisions"
# Who files the signed decision: for a provincial decision the leader or the OCOP office (its
# clerk scans the paper), for the ministry's its officers.
SCAN_ROLES = {
    DecisionLevel.PROVINCE: frozenset({Role.PROVINCE_LEADER, Role.PROVINCE_OFFICER}),
    DecisionLevel.MINISTRY: frozenset({Role.MINISTRY_OFFICER}),
}


def decision_scan_attach(*, decision_id: int, file, actor: User) -> DecisionScan:
    """Attach the signed decision, a PDF checked by its content, to a decision with a
    certificate in the actor's jurisdiction (404 otherwise). Earlier scans stay: the newest is
    the one shown. A refused or failed upload leaves neither a row nor a stored object."""
    visible = Certificate.objects.for_user(actor).filter(decision=OuterRef("pk"))
    decision = RecognitionDecision.objects.filter(Exists(visible), pk=decision_id).first()
    if decision is None:
        raise _not_found("decision_id")
    if actor.role not in SCAN_ROLES[decision.level]:
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the office or the authority that issued the decision files its signed copy."),
        )
    checked = upload_check(file=file)
    if checked.extension != "pdf":
        raise _error(ErrorCode.INVALID, _("The signed decision must be a PDF file."), key="file")
    with stored_file_or_cleanup(checked=checked, file=file, prefix=SCAN_PREFIX) as name:
        with transaction.atomic(durable=True):
            return DecisionScan.objects.create(
                decision=decision,
                storage_name=name,
                original_name=checked.original_name,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
