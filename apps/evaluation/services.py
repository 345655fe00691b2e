"""Writes of the evaluation context: rounds and councils, assignment, conflicts of interest,
members' scorecards, and the council's result. Every rule is enforced here, not in the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.api.errors import ApplicationError, ErrorCode, not_found
from apps.criteria import engine
from apps.criteria.services import sheet_evaluate, sheet_evaluate_applicable
from apps.dossiers.calendar import round_dates, round_for
from apps.dossiers.choices import Action, DossierKind, DossierStatus
from apps.dossiers.models import Dossier, ProvinceRules
from apps.dossiers.services import dossier_round_record, dossier_transition

from .choices import FLAGGED_KINDS, ConflictKind, CouncilLevel, MemberRole, ScorecardStatus
from .models import (
    AdvisoryReport,
    Assignment,
    Conflict,
    Council,
    CouncilMember,
    CouncilResult,
    EvaluationEvent,
    EvaluationRound,
    FieldVisit,
    FieldVisitPhoto,
    LabTestRequest,
    ProducerLink,
    Scorecard,
    ScorecardRevision,
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


# --- assignment and conflicts ----------------------------------------------------------------
@transaction.atomic
def assignment_create(*, council: Council, dossier_id: int, actor: User) -> Assignment:
    """Assign a dossier to the council: a dossier accepted for the round to a provincial council
    (by a provincial OCOP officer), or one proposed for 5★ to the central council (by a ministry
    officer). The dossier moves to "assigned to the council", and the conflicts the council's
    rules name are flagged."""
    assigner = (
        Role.MINISTRY_OFFICER
        if council.round.level == CouncilLevel.CENTRAL
        else Role.PROVINCE_OFFICER
    )
    if actor.role != assigner or not Council.objects.for_user(actor).filter(pk=council.pk).exists():
        raise not_found()
    dossier = Dossier.objects.for_user(actor).filter(pk=dossier_id).first()
    if dossier is None:
        raise not_found()
    if dossier.sheet.criteria_set_id != council.criteria_set_id:
        raise _error(
            ErrorCode.INVALID,
            _("The dossier was filed under another criteria set than the council's."),
            key="dossier",
        )
    if council.round.province_id and dossier.province_id != council.round.province_id:
        raise _error(
            ErrorCode.INVALID, _("The dossier belongs to another province."), key="dossier"
        )
    level_for_status = {
        DossierStatus.ACCEPTED: CouncilLevel.PROVINCE,
        DossierStatus.PROPOSED_CENTRAL: CouncilLevel.CENTRAL,
    }
    if dossier.status == DossierStatus.EVALUATED:
        _check_provincial_reevaluation(council, dossier)
    elif (
        dossier.status in level_for_status
        and council.round.level != level_for_status[dossier.status]
    ):
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "A dossier accepted by the province goes to a provincial council; one proposed to the "
                "ministry, to the central council."
            ),
            key="dossier",
        )
    elif Assignment.objects.filter(council=council, dossier=dossier).exists():
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("This council has already been assigned this dossier."),
            key="dossier",
        )
    _check_round(council, dossier)
    dossier_transition(
        dossier_id=dossier.pk, action=Action.ASSIGN_TO_COUNCIL, actor=actor, internal=True
    )
    if council.round.level == CouncilLevel.PROVINCE:
        dossier_round_record(
            dossier_id=dossier.pk, year=council.round.year, number=council.round.number
        )
    assignment = Assignment.objects.create(council=council, dossier=dossier, assigned_by=actor)
    _event(assignment, actor, "assigned", note=council.name)
    conflicts_flag(assignment=assignment, actor=actor)
    return assignment


def _latest_assignment(dossier: Dossier) -> Assignment | None:
    return dossier.assignments.select_related("council__round", "result").order_by("-pk").first()


def _check_provincial_reevaluation(council: Council, dossier: Dossier) -> None:
    """An evaluated dossier is assigned again only when the province evaluates anew a product
    the central council did not rank 5★ (Đ7.4.g: "Trường hợp sản phẩm không đạt 90 điểm, Chủ
    tịch UBND cấp tỉnh có thể căn cứ vào kết quả đánh giá của Hội đồng cấp trung ương để xem xét,
    quyết định công nhận ... hoặc tổ chức đánh giá và phân hạng sản phẩm theo thẩm quyền")."""
    latest = _latest_assignment(dossier)
    central_result = (
        latest is not None
        and latest.council.round.level == CouncilLevel.CENTRAL
        and hasattr(latest, "result")
    )
    if not central_result or council.round.level != CouncilLevel.PROVINCE:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "An evaluated dossier is evaluated again only by a provincial council, after the "
                "central council's result."
            ),
            key="dossier",
        )
    if latest.result.star == 5 and not latest.result.rejected:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The central council ranked this product 5 stars: the ministry decides on it."),
            key="dossier",
        )
    if Assignment.objects.filter(council=council, dossier=dossier).exists():
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "This council has already evaluated the dossier: assign it to a council of a later round."
            ),
            key="dossier",
        )


def _proposed_on(dossier: Dossier, level: str):
    """The day the dossier was proposed to this level: by the commune to the province (its
    forwarding), by the province to the ministry (its latest proposal). A product the province
    evaluates again after the central council's result (Đ7.4.g) is proposed anew the day that
    result came back."""
    if level == CouncilLevel.CENTRAL:
        proposal = dossier.ministry_proposals.order_by("-proposed_at").first()
        at = proposal.proposed_at if proposal else None
    else:
        latest = _latest_assignment(dossier)
        back_from_central = (
            latest is not None
            and latest.council.round.level == CouncilLevel.CENTRAL
            and hasattr(latest, "result")
        )
        at = latest.result.concluded_at if back_from_central else dossier.forwarded_at
    return timezone.localdate(at) if at else None


def _check_round(council: Council, dossier: Dossier) -> None:
    """A dossier lands in the round Đ5 gives it, and only in a round that exists and is open:
    the earliest one taking proposals made before its cut-off. Otherwise the dossier is held,
    and the officer is told which round it waits for."""
    level = council.round.level
    proposed_on = _proposed_on(dossier, level)
    if proposed_on is None:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The dossier has not been proposed to this level."),
            key="dossier",
        )
    today = timezone.localdate()
    taking = EvaluationRound.objects.taking(
        level=level, province_id=council.round.province_id, proposed_on=proposed_on, today=today
    )
    if taking is None:
        message = _(
            "No open round takes this dossier, proposed on %(day)s: it is held until a round "
            "whose proposals close after that day is set up."
        ) % {"day": f"{proposed_on:%d/%m/%Y}"}
        extra = {"proposed_on": proposed_on.isoformat()}
        if level == CouncilLevel.PROVINCE:
            year, number = round_for(
                proposed_on, ProvinceRules.for_province(council.round.province_id).cutoffs()
            )
            message += " " + _("By the plan's cut-offs it belongs to round %(n)s/%(y)s.") % {
                "n": number,
                "y": year,
            }
            extra["planned_round"] = {"year": year, "number": number}
        raise _error(ErrorCode.BAD_TRANSITION, message, key="round", **extra)
    if taking.pk != council.round_id:
        raise _error(
            ErrorCode.INVALID,
            _(
                "This dossier, proposed on %(day)s, belongs to round %(n)s/%(y)s (proposals before %(cutoff)s), "
                "not to this council's round %(cn)s/%(cy)s."
            )
            % {
                "day": f"{proposed_on:%d/%m/%Y}",
                "n": taking.number,
                "y": taking.year,
                "cutoff": f"{taking.proposal_deadline:%d/%m/%Y}",
                "cn": council.round.number,
                "cy": council.round.year,
            },
            key="round",
            round={"id": taking.pk, "year": taking.year, "number": taking.number},
        )


def conflicts_flag(*, assignment: Assignment, actor: User) -> list[Conflict]:
    """Flag likely conflicts of the council's members on this dossier, per the council's rules:
    the member works for the producer (is one of its users), is a relative recorded on it, or
    advised its products. Idempotent."""
    kinds = assignment.council.flagged_kinds()
    producer = assignment.dossier.product.producer
    members = list(assignment.council.members.values_list("user_id", flat=True))
    found: list[tuple[int, str]] = []
    if ConflictKind.WORKS_FOR_PRODUCER in kinds:
        found += [
            (uid, ConflictKind.WORKS_FOR_PRODUCER)
            for uid in producer.users.filter(pk__in=members).values_list("pk", flat=True)
        ]
    link_kinds = {
        ProducerLink.Kind.RELATIVE: ConflictKind.RELATIVE,
        ProducerLink.Kind.ADVISER: ConflictKind.ADVISED_PRODUCT,
    }
    for link in ProducerLink.objects.filter(producer=producer, user_id__in=members):
        if link_kinds[link.kind] in kinds:
            found.append((link.user_id, link_kinds[link.kind]))
    created = []
    for user_id, kind in found:
        conflict, new = Conflict.objects.get_or_create(
            assignment=assignment, user_id=user_id, kind=kind
        )
        if new:
            created.append(conflict)
            _event(
                assignment,
                actor,
                "conflict_flagged",
                note=str(ConflictKind(kind).label),
                user=user_id,
            )
    return created


@transaction.atomic
def conflict_declare(*, assignment_id: int, member: User, note: str) -> Conflict:
    """A member declares a conflict on a dossier; from then on they cannot score it."""
    assignment = _assignment_for_member(assignment_id, member)
    conflict, _created = Conflict.objects.get_or_create(
        assignment=assignment,
        user=member,
        kind=ConflictKind.DECLARED,
        defaults={"note": note.strip()},
    )
    _event(assignment, member, "conflict_declared", note=note.strip())
    return conflict


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


# --- scorecards ------------------------------------------------------------------------------
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
                "The advisory team has not sent its report yet (Article 7.3.c): your choices are saved, "
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


def eligible_members(assignment: Assignment) -> int:
    """Members who may score this dossier: the council less those with a conflict on it."""
    conflicted = set(assignment.conflicts.values_list("user_id", flat=True))
    return sum(
        1
        for uid in assignment.council.members.values_list("user_id", flat=True)
        if uid not in conflicted
    )


def written_opinions(assignment: Assignment) -> bool:
    """A re-evaluation is evaluated by written opinions (Đ7.6.d); other dossiers in a meeting
    of the council (Đ7.3.d)."""
    return assignment.dossier.kind == DossierKind.REEVALUATION


def meeting_needed(
    *, assignment: Assignment, submitted: list[Scorecard] | None = None, sheet=None
) -> bool:
    """Whether the council must meet on this dossier: always, unless it decides by written
    opinions; then only when the opinions diverge, i.e. the submitted scorecards' totals spread
    more than the council's `spread_threshold` (the same rule that stops `council_conclude`, so a
    meeting is needed exactly when the council cannot conclude without discussing). `submitted`
    and `sheet` may be given prefetched (a prefetched sheet ranks without queries)."""
    if not written_opinions(assignment):
        return True
    if submitted is None:
        submitted = list(assignment.scorecards.filter(status=ScorecardStatus.SUBMITTED))
    if len(submitted) < 2:
        return False
    cards = [
        engine.Scorecard(choices=dict(s.choices), knockouts=tuple(s.knockouts), member=str(s.pk))
        for s in submitted
    ]
    result = sheet_evaluate(
        sheet=sheet or assignment.dossier.sheet,
        scorecards=cards,
        rules=council_rules(assignment.council, council_size=None),
    )
    return result.spread_exceeded


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
                "The members' totals differ by %(s)s points, more than %(t)s: discuss and reopen the "
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


# --- the advisory team (tổ tư vấn) -----------------------------------------------------------
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


@transaction.atomic
def field_visit_record(
    *, assignment_id: int, adviser: User, visited_on, location, findings: dict, summary: str = ""
) -> FieldVisit:
    """Record a field visit at the production site: its date, where it took place (a point inside
    the pilot province) and findings per criterion of the dossier's sheet."""
    from apps.core.parsing import InvalidInput, parse_geojson_geometry
    from apps.geo.selectors import units_at

    assignment = _assignment_for_adviser(assignment_id, adviser)
    try:  # empty points refused, a height dropped (apps.core.parsing)
        point = parse_geojson_geometry(location, field="location", types=("Point",))
    except InvalidInput:
        raise _error(
            ErrorCode.INVALID, _("Send the location as a GeoJSON point."), key="location"
        ) from None
    if units_at(lon=point.x, lat=point.y) is None:
        raise _error(
            ErrorCode.INVALID,
            _("This location is outside every administrative unit."),
            key="location",
        )
    codes = set(assignment.dossier.sheet.criteria.values_list("code", flat=True))
    unknown = sorted(set(findings) - codes)
    if unknown:
        raise _error(
            ErrorCode.INVALID,
            _("Sheet %(n)s has no criterion “%(code)s”.")
            % {"n": assignment.dossier.sheet.number, "code": unknown[0]},
            key=f"findings.{unknown[0]}",
        )
    visit = FieldVisit.objects.create(
        assignment=assignment,
        visited_on=visited_on,
        location=point,
        findings=findings,
        summary=summary,
        recorded_by=adviser,
    )
    _event(assignment, adviser, "field_visit", note=summary[:200])
    return visit


def advisory_report_awaited(assignment: Assignment) -> bool:
    """Whether members must still wait for the advisory team's report before submitting: the
    council requires it (its Quy chế setting) and has an advisory team, and the report is not
    sent yet."""
    council = assignment.council
    if not council.advisory_report_required or not council.advisors.exists():
        return False
    return not AdvisoryReport.objects.filter(
        assignment=assignment, status=AdvisoryReport.Status.SUBMITTED
    ).exists()


REPORT_FIELDS = ("assessment", "field_survey", "documents_requested", "recommendation")


@transaction.atomic
def advisory_report_save(*, assignment_id: int, adviser: User, **fields) -> AdvisoryReport:
    """The advisory team writes its report on the dossier as a draft (fields merged into what is
    saved). Any member of the team may write it; once sent to the chair it is locked."""
    unknown = sorted(set(fields) - set(REPORT_FIELDS))
    if unknown:
        raise _error(
            ErrorCode.INVALID, _("Unknown field “%(f)s”.") % {"f": unknown[0]}, key=unknown[0]
        )
    assignment = _assignment_for_adviser(assignment_id, adviser)
    if hasattr(assignment, "result"):
        raise _error(
            ErrorCode.BAD_TRANSITION, _("The council has already concluded on this product.")
        )
    report, created = AdvisoryReport.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"written_by": adviser}
    )
    if report.status == AdvisoryReport.Status.SUBMITTED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The report has been sent to the chair and is locked."),
            key="status",
        )
    for name, value in fields.items():
        setattr(report, name, (value or "").strip())
    report.save()
    if created or fields:
        _event(assignment, adviser, "advisory_report_saved")
    return report


@transaction.atomic
def advisory_report_submit(*, assignment_id: int, adviser: User) -> AdvisoryReport:
    """Send the report to the council's chair (Đ7.3.c). It needs the assessment of the dossier,
    and the field survey: a field visit recorded on the dossier or, where none was made (a
    re-evaluation surveys only on a big change, Đ7.6.c), the survey section saying why."""
    assignment = _assignment_for_adviser(assignment_id, adviser)
    report = AdvisoryReport.objects.select_for_update().filter(assignment=assignment).first()
    if report is None or not report.assessment:
        raise _error(
            ErrorCode.INVALID,
            _("Write the assessment of the dossier before sending the report."),
            key="assessment",
        )
    if report.status == AdvisoryReport.Status.SUBMITTED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The report has already been sent to the chair."),
            key="status",
        )
    if not report.field_survey and not assignment.field_visits.exists():
        raise _error(
            ErrorCode.INVALID,
            _(
                "Record the field survey: a visit to the production site, or in the survey section why "
                "none was made."
            ),
            key="field_survey",
        )
    report.status, report.submitted_by, report.submitted_at = (
        AdvisoryReport.Status.SUBMITTED,
        adviser,
        timezone.now(),
    )
    report.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    _event(assignment, adviser, "advisory_report_submitted")
    return report


@transaction.atomic
def lab_request_create(
    *, assignment_id: int, adviser: User, tests: str, laboratory: str = ""
) -> LabTestRequest:
    """The advisory team asks for extra laboratory tests."""
    assignment = _assignment_for_adviser(assignment_id, adviser)
    lab = LabTestRequest.objects.create(
        assignment=assignment,
        tests=tests.strip(),
        laboratory=laboratory.strip(),
        requested_by=adviser,
    )
    _event(assignment, adviser, "lab_test_requested", note=tests.strip()[:200])
    return lab


# --- setting up rounds and councils ----------------------------------------------------------
def _province_of(actor: User):
    provinces = list(actor.jurisdiction_provinces().filter(valid_to__isnull=True)[:2])
    if actor.role != Role.PROVINCE_OFFICER or len(provinces) != 1:
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only a provincial OCOP officer of one province sets up rounds."),
        )
    return provinces[0]


def round_planned(*, province_id: int, on) -> dict:
    """The round of the province's plan that takes dossiers proposed on `on` (Đ5.1, with the
    province's cut-offs): its year, number and dates, ready for `round_create`."""
    cutoffs = ProvinceRules.for_province(province_id).cutoffs()
    year, number = round_for(on, cutoffs)
    proposal_deadline, evaluation_deadline = round_dates(year, number, cutoffs)
    return {
        "year": year,
        "number": number,
        "proposal_deadline": proposal_deadline,
        "evaluation_deadline": evaluation_deadline,
    }


@transaction.atomic
def round_create(
    *, actor: User, year: int, number: int, proposal_deadline=None, evaluation_deadline=None
) -> EvaluationRound:
    """A provincial round with its dates (QĐ 26/2026 Đ5.1): it takes dossiers the commune
    proposed before `proposal_deadline` and ends by `evaluation_deadline`. Dates left out come
    from the province's plan (30/4 → 30/6 and 30/10 → 30/12 by default)."""
    province = _province_of(actor)
    if proposal_deadline is None or evaluation_deadline is None:
        cutoffs = ProvinceRules.for_province(province.pk).cutoffs()
        if not 1 <= number <= len(cutoffs):
            raise _error(
                ErrorCode.INVALID,
                _("The province's plan has %(n)s rounds a year: give the dates of an extra round.")
                % {"n": len(cutoffs)},
                key="number",
            )
        planned = round_dates(year, number, cutoffs)
        proposal_deadline = proposal_deadline or planned[0]
        evaluation_deadline = evaluation_deadline or planned[1]
    if proposal_deadline > evaluation_deadline:
        raise _error(
            ErrorCode.INVALID,
            _("The proposal deadline must come before the end of the evaluation."),
            key="proposal_deadline",
        )
    if EvaluationRound.objects.filter(
        level=CouncilLevel.PROVINCE, province=province, year=year, number=number
    ).exists():
        raise _error(ErrorCode.INVALID, _("This round already exists."), key="number")
    return EvaluationRound.objects.create(
        level=CouncilLevel.PROVINCE,
        province=province,
        year=year,
        number=number,
        proposal_deadline=proposal_deadline,
        evaluation_deadline=evaluation_deadline,
    )


@transaction.atomic
def council_create(
    *,
    actor: User,
    round_id: int,
    name: str,
    criteria_set_code: str,
    members: list[dict],
    advisors: list[int] = (),
    **rules,
) -> Council:
    """A council for one of the province's rounds: members with their roles (exactly one chair),
    chosen among council-member accounts of the province, and the advisory team. `rules` are the
    council's Quy chế settings (quorum, spread_threshold, minimum_rule, knockout_rule,
    reveal_after_submit, conflict_rules)."""
    from apps.criteria.models import CriteriaSet

    province = _province_of(actor)
    round_ = EvaluationRound.objects.filter(pk=round_id, province=province).first()
    if round_ is None:
        raise not_found(key="round")
    criteria_set = CriteriaSet.objects.filter(code=criteria_set_code).first()
    if criteria_set is None:
        raise _error(ErrorCode.INVALID, _("Unknown criteria set."), key="criteria_set")
    roles = [m.get("role") for m in members]
    if roles.count(MemberRole.CHAIR) != 1:
        raise _error(ErrorCode.INVALID, _("A council has exactly one chair."), key="members")
    eligible = User.objects.filter(role=Role.COUNCIL_MEMBER, units=province, is_active=True)
    users = {u.pk: u for u in eligible.filter(pk__in=[m.get("user") for m in members])}
    if len(users) != len(members) or len(set(users)) != len(members):
        raise _error(
            ErrorCode.INVALID,
            _("Members must be distinct council-member accounts of the province."),
            key="members",
        )
    advisers = list(
        User.objects.filter(role=Role.ADVISORY_MEMBER, units=province, pk__in=list(advisors))
    )
    if len(advisers) != len(set(advisors)):
        raise _error(
            ErrorCode.INVALID,
            _("Advisers must be advisory-team accounts of the province."),
            key="advisors",
        )
    unknown_rules = sorted(set(rules.get("conflict_rules", [])) - {k.value for k in FLAGGED_KINDS})
    if unknown_rules:
        raise _error(
            ErrorCode.INVALID,
            _("Unknown conflict rule “%(rule)s”.") % {"rule": unknown_rules[0]},
            key="conflict_rules",
        )
    council = Council(
        name=name.strip(),
        round=round_,
        criteria_set=criteria_set,
        regime_code=criteria_set.regime_code,
        created_by=actor,
        **rules,
    )
    try:
        council.full_clean(exclude=["round", "criteria_set", "created_by"])
    except DjangoValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        raise _error(ErrorCode.INVALID, messages[0], key=key) from exc
    council.save()
    CouncilMember.objects.bulk_create(
        CouncilMember(
            council=council,
            user=users[m["user"]],
            role=m["role"],
            organisation=m.get("organisation", ""),
        )
        for m in members
    )
    council.advisors.set(advisers)
    return council


@transaction.atomic
def producer_link_record(
    *, actor: User, producer_id: int, user_id: int, kind: str, note: str = ""
) -> ProducerLink:
    """Record a person's tie to a producer (relative, or adviser of its products), used by the
    councils' conflict rules. Provincial officers of the producer's province record them."""
    from apps.producers.models import Producer

    if actor.role != Role.PROVINCE_OFFICER:
        raise _error(
            ErrorCode.PERMISSION_DENIED, _("Only provincial OCOP officers record these ties.")
        )
    producer = Producer.objects.for_user(actor).filter(pk=producer_id).first()
    if producer is None:
        raise not_found()
    if kind not in ProducerLink.Kind.values:
        raise _error(ErrorCode.INVALID, _("Unknown kind of tie."), key="kind")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise _error(ErrorCode.INVALID, _("Unknown user."), key="user")
    link, _created = ProducerLink.objects.get_or_create(
        producer=producer, user=user, kind=kind, defaults={"note": note, "recorded_by": actor}
    )
    return link


def _exif_point(file):
    """The GPS position written by the camera into a JPEG's EXIF, or None."""
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as image:
            gps = image.getexif().get_ifd(0x8825)  # GPSInfo
    except Exception:  # noqa: BLE001 — a photo without readable EXIF simply has no geotag
        return None
    finally:
        file.seek(0)
    try:

        def degrees(value, ref):
            d, m, s = (float(x) for x in value)
            sign = -1 if ref in ("S", "W") else 1
            return sign * (d + m / 60 + s / 3600)

        return degrees(gps[4], gps[3]), degrees(gps[2], gps[1])  # lon, lat
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def field_visit_photo_add(
    *,
    visit_id: int,
    adviser: User,
    file,
    caption: str = "",
    lon: float | None = None,
    lat: float | None = None,
    taken_at=None,
) -> FieldVisitPhoto:
    """Attach a photo (JPEG or PNG, checked by content) to a field visit. Its position is the
    camera's EXIF GPS tag when there is one, else the point given; either must lie inside an
    administrative unit. A refused or failed upload leaves neither a row nor a stored object."""
    from django.contrib.gis.geos import Point

    from apps.core.files import stored_file_or_cleanup, upload_check
    from apps.geo.selectors import units_at

    visit = FieldVisit.objects.select_related("assignment").filter(pk=visit_id).first()
    if visit is None:
        raise not_found()
    _assignment_for_adviser(visit.assignment_id, adviser)
    checked = upload_check(file=file)
    if checked.extension not in ("jpg", "png"):
        raise _error(
            ErrorCode.INVALID, _("Field-visit photos must be JPEG or PNG images."), key="file"
        )
    position = _exif_point(file) or ((lon, lat) if lon is not None and lat is not None else None)
    if position is None:
        raise _error(
            ErrorCode.INVALID,
            _("The photo has no GPS position: give its longitude and latitude."),
            key="lon",
        )
    if units_at(lon=position[0], lat=position[1]) is None:
        raise _error(
            ErrorCode.INVALID, _("This location is outside every administrative unit."), key="lon"
        )
    with stored_file_or_cleanup(checked=checked, file=file, prefix="field-visits") as storage_name:
        with transaction.atomic(durable=True):
            photo = FieldVisitPhoto.objects.create(
                visit=visit,
                storage_name=storage_name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                sha256=checked.sha256,
                location=Point(position[0], position[1], srid=4326),
                taken_at=taken_at,
                caption=caption.strip(),
            )
            _event(visit.assignment, adviser, "field_visit_photo", note=checked.original_name)
    return photo
