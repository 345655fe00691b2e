"""Members' scorecards: opened, saved as they go, submitted and locked, and reopened by the
chair when the totals spread too far."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ErrorCode
from apps.criteria import engine
from apps.criteria.services import sheet_evaluate, sheet_evaluate_applicable

from ..choices import MemberRole, ScorecardStatus
from ..models import (
    Assignment,
    Conflict,
    Scorecard,
    ScorecardRevision,
)
from .advisory import advisory_report_awaited
from .shared import _assignment_for_member, _error, _event, _seat, council_rules


def scorecard_open(*, assignment_id: int, member: User) -> Scorecard:
    """The member's scorecard for this dossier (created on first opening). A member with a
    conflict on the dossier is refused: the rule is enforced here, not only hidden in the page."""
    assignment = _assignment_for_member(assignment_id, member)
    if Conflict.objects.filter(assignment=assignment, user=member).exists():
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("You have a conflict of interest on this product and cannot score it."),
            key="conflict",
        )
    if hasattr(assignment, "result"):
        scorecard = Scorecard.objects.filter(assignment=assignment, member=member).first()
        if scorecard is None:
            raise _error(
                ErrorCode.BAD_TRANSITION, _("The council has already concluded on this product.")
            )
        return scorecard
    scorecard, _created = Scorecard.objects.get_or_create(assignment=assignment, member=member)
    return scorecard


def _rank_one(assignment: Assignment, choices: dict, knockouts: list) -> engine.RankingResult:
    return sheet_evaluate(
        sheet=assignment.dossier.sheet,
        scorecards=[engine.Scorecard(choices=dict(choices), knockouts=tuple(knockouts))],
    )


@transaction.atomic
def scorecard_save(
    *,
    assignment_id: int,
    member: User,
    choices: dict[str, int] | None = None,
    knockouts: list[str] | None = None,
    comments: dict[str, str] | None = None,
) -> tuple[Scorecard, engine.RankingResult]:
    """Save the member's work as they go (merged into what is saved). Refused once submitted.
    Bad choices (unknown criterion, option out of range, not applicable) save nothing."""
    scorecard = scorecard_open(assignment_id=assignment_id, member=member)
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if scorecard.status == ScorecardStatus.SUBMITTED:
        raise _error(
            ErrorCode.BAD_TRANSITION, _("Your scorecard is submitted and locked."), key="status"
        )
    merged = {**scorecard.choices, **(choices or {})}
    new_knockouts = list(knockouts) if knockouts is not None else list(scorecard.knockouts)
    # Validates (raises on bad input); choices that stopped applying are dropped, not refused.
    result, merged = sheet_evaluate_applicable(
        sheet=scorecard.assignment.dossier.sheet, choices=merged, knockouts=new_knockouts
    )
    changed = {
        code: [scorecard.choices.get(code), merged.get(code)]
        for code in sorted(set(scorecard.choices) | set(merged))
        if scorecard.choices.get(code) != merged.get(code)
    }
    knockouts_changed = sorted(scorecard.knockouts) != sorted(new_knockouts)
    scorecard.choices, scorecard.knockouts = merged, new_knockouts
    scorecard.comments = {**scorecard.comments, **(comments or {})}
    scorecard.save(update_fields=["choices", "knockouts", "comments", "updated_at"])
    if changed or knockouts_changed:  # every change of a score is audited, under the member's name
        _event(
            scorecard.assignment,
            member,
            "scorecard_changed",
            version=scorecard.version,
            choices=changed,
            knockouts=new_knockouts if knockouts_changed else None,
        )
    return scorecard, result


@transaction.atomic
def scorecard_submit(*, assignment_id: int, member: User) -> Scorecard:
    """Submit and lock the scorecard. It must be complete."""
    scorecard = scorecard_open(assignment_id=assignment_id, member=member)
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if scorecard.status == ScorecardStatus.SUBMITTED:
        raise _error(
            ErrorCode.BAD_TRANSITION, _("Your scorecard is already submitted."), key="status"
        )
    if advisory_report_awaited(scorecard.assignment):
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "The advisory team has not sent its report yet (Article 7.3.c): your choices are "
                "saved, "
                "submit once the report is in."
            ),
            key="advisory_report",
        )
    result = _rank_one(scorecard.assignment, scorecard.choices, scorecard.knockouts)
    if result.missing:
        raise _error(
            ErrorCode.INVALID,
            _("Choose an option for every criterion before submitting: %(codes)s.")
            % {"codes": ", ".join(result.missing)},
            key="choices",
            missing=list(result.missing),
        )
    scorecard.status = ScorecardStatus.SUBMITTED
    scorecard.submitted_at = timezone.now()
    scorecard.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(
        scorecard.assignment,
        member,
        "scorecard_submitted",
        version=scorecard.version,
        total=str(result.total),
    )
    return scorecard


@transaction.atomic
def scorecards_reopen(
    *, assignment_id: int, chair: User, scorecard_ids: list[int], reason: str
) -> list[Scorecard]:
    """The chair reopens chosen submitted scorecards, with a reason, when the members' totals
    spread beyond the council's threshold. The submitted versions are kept as revisions."""
    assignment = _assignment_for_member(assignment_id, chair)
    if _seat(assignment, chair).role != MemberRole.CHAIR:
        raise _error(ErrorCode.PERMISSION_DENIED, _("Only the chair can reopen scorecards."))
    if hasattr(assignment, "result"):
        raise _error(
            ErrorCode.BAD_TRANSITION, _("The council has already concluded on this product.")
        )
    if not reason.strip():
        raise _error(
            ErrorCode.INVALID, _("A reason is required to reopen scorecards."), key="reason"
        )
    submitted = list(
        assignment.scorecards.select_for_update().filter(status=ScorecardStatus.SUBMITTED)
    )
    result = _rank_all(assignment, submitted)
    if not result.spread_exceeded:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The members' totals are within %(t)s points of each other: nothing to reopen.")
            % {"t": assignment.council.spread_threshold},
            key="scorecards",
        )
    chosen = [s for s in submitted if s.pk in set(scorecard_ids)]
    if not chosen or len(chosen) != len(set(scorecard_ids)):
        raise _error(
            ErrorCode.INVALID, _("Choose submitted scorecards of this product."), key="scorecards"
        )
    for scorecard in chosen:
        total = _rank_one(assignment, scorecard.choices, scorecard.knockouts).total
        ScorecardRevision.objects.create(
            scorecard=scorecard,
            version=scorecard.version,
            choices=scorecard.choices,
            knockouts=scorecard.knockouts,
            total=total,
            submitted_at=scorecard.submitted_at,
            reopened_by=chair,
            reason=reason.strip(),
        )
        scorecard.status, scorecard.version, scorecard.submitted_at = (
            ScorecardStatus.DRAFT,
            scorecard.version + 1,
            None,
        )
        scorecard.save(update_fields=["status", "version", "submitted_at", "updated_at"])
        _event(
            assignment,
            chair,
            "scorecard_reopened",
            note=reason.strip(),
            scorecard=scorecard.pk,
            member=scorecard.member_id,
        )
    return chosen


def _rank_all(
    assignment: Assignment, submitted: list[Scorecard], *, council_size: int | None = None
) -> engine.RankingResult:
    cards = [
        engine.Scorecard(
            choices=dict(s.choices), knockouts=tuple(s.knockouts), member=str(s.member_id)
        )
        for s in submitted
    ]
    if not cards:
        raise _error(
            ErrorCode.INVALID, _("No member has submitted a scorecard yet."), key="scorecards"
        )
    return sheet_evaluate(
        sheet=assignment.dossier.sheet,
        scorecards=cards,
        rules=council_rules(assignment.council, council_size=council_size),
    )
