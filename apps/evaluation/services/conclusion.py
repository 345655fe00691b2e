"""The council's result, concluded by the chair from the submitted scorecards."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ErrorCode
from apps.dossiers.choices import Action
from apps.dossiers.services import dossier_transition

from ..choices import MemberRole, ScorecardStatus
from ..models import (
    Assignment,
    CouncilResult,
)
from .scorecards import _rank_all
from .shared import _assignment_for_member, _error, _event, _seat


def eligible_members(assignment: Assignment) -> int:
    """Members who may score this dossier: the council less those with a conflict on it."""
    conflicted = set(assignment.conflicts.values_list("user_id", flat=True))
    return sum(
        1
        for uid in assignment.council.members.values_list("user_id", flat=True)
        if uid not in conflicted
    )


@transaction.atomic
def council_conclude(*, assignment_id: int, chair: User, feedback: str = "") -> CouncilResult:
    """Record the council's result from the submitted scorecards: quorum enforced (a share of
    the members without a conflict), the mean to 2 decimals, the star, the unmet minimums and
    knock-outs from the engine. The dossier moves to "council result available"."""
    assignment = _assignment_for_member(assignment_id, chair)
    if _seat(assignment, chair).role != MemberRole.CHAIR:
        raise _error(ErrorCode.PERMISSION_DENIED, _("Only the chair records the council's result."))
    if hasattr(assignment, "result"):
        raise _error(
            ErrorCode.BAD_TRANSITION, _("The council has already concluded on this product.")
        )
    submitted = list(
        assignment.scorecards.select_for_update().filter(status=ScorecardStatus.SUBMITTED)
    )
    size = eligible_members(assignment)
    result = _rank_all(assignment, submitted, council_size=size)
    if not result.quorum_met:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("Quorum not reached: %(n)s of the %(need)s required members have submitted.")
            % {"n": len(submitted), "need": result.quorum_required},
            key="quorum",
        )
    if result.spread_exceeded:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "The members' totals differ by %(s)s points, more than %(t)s: discuss and reopen "
                "the "
                "scorecards before concluding."
            )
            % {"s": result.spread, "t": assignment.council.spread_threshold},
            key="spread",
        )
    if result.star is None and not result.rejected:
        raise _error(ErrorCode.INVALID, _("The result is incomplete."), key="scorecards")
    record = CouncilResult.objects.create(
        assignment=assignment,
        total=result.total,
        parts={k: str(v) for k, v in result.parts.items()},
        band_star=result.band_star,
        star=result.star,
        unmet_minimums=[{"criterion": u.criterion, "star": u.star} for u in result.unmet_minimums],
        rejected=result.rejected,
        rejected_by=list(result.rejected_by),
        spread=result.spread,
        scoring_members=len(submitted),
        council_size=size,
        propose_to_ministry=result.propose_to_ministry,
        feedback=feedback.strip(),
        concluded_by=chair,
    )
    dossier_transition(
        dossier_id=assignment.dossier_id,
        action=Action.COUNCIL_CONCLUDE,
        actor=chair,
        note=_("Mean %(total)s, %(star)s")
        % {
            "total": result.total,
            "star": f"{result.star}★" if result.star else _("rejected") if result.rejected else "—",
        },
        internal=True,
    )
    _event(assignment, chair, "concluded", total=str(result.total), star=result.star)
    return record
