"""What the evaluation services share: errors in the API's shape, the audit trail, the
council's rules for the engine, and the assignment as a member or an adviser sees it."""

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode, not_found
from apps.criteria import engine

from ..models import (
    Assignment,
    Council,
    CouncilMember,
    EvaluationEvent,
)


def _error(code: ErrorCode, message: str, **extra) -> ApplicationError:
    return ApplicationError(code, message, extra=extra)


def _event(assignment: Assignment, actor: User, action: str, note: str = "", **data) -> None:
    EvaluationEvent.objects.create(
        assignment=assignment, actor=actor, action=action, note=note, data=data
    )


def council_rules(council: Council, *, council_size: int | None) -> engine.CouncilRules:
    return engine.CouncilRules(
        council_size=council_size,
        quorum=council.quorum,
        spread_threshold=council.spread_threshold,
        minimum_rule=council.minimum_rule,
        knockout_rule=council.knockout_rule,
    )


def _assignment_for_member(assignment_id: int, member: User) -> Assignment:
    assignment = (
        Assignment.objects.for_user(member)
        .select_related("council", "dossier__sheet")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not assignment.council.members.filter(user=member).exists():
        raise not_found()
    return assignment


def _seat(assignment: Assignment, user: User) -> CouncilMember:
    seat = assignment.council.members.filter(user=user).first()
    if seat is None:
        raise not_found()
    return seat


def _assignment_for_adviser(assignment_id: int, adviser: User) -> Assignment:
    assignment = (
        Assignment.objects.for_user(adviser)
        .select_related("council", "dossier__sheet")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise not_found()
    if not assignment.council.advisors.filter(pk=adviser.pk).exists():
        raise _error(
            ErrorCode.PERMISSION_DENIED, _("Only the council's advisory team records this.")
        )
    return assignment
