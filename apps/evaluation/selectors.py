"""Reads of the evaluation context. Everything starts from `for_user()`; a producer never reads
anything here (members' names and scores stay inside the council)."""

import math
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.api.errors import ApplicationError, ErrorCode, not_found
from apps.criteria.models import Criterion

from .choices import MemberRole, ScorecardStatus
from .models import Assignment, Council, Scorecard




def council_list(*, user: User) -> QuerySet[Council]:
    return Council.objects.for_user(user).select_related("round", "round__province", "criteria_set")


def council_get(*, user: User, council_id: int) -> Council:
    council = council_list(user=user).filter(pk=council_id).first()
    if council is None:
        raise not_found()
    return council


def assignment_list(*, user: User, council_id: int | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.for_user(user).select_related(
        "council", "dossier", "dossier__product", "dossier__product__producer", "dossier__commune", "result"
    )
    if council_id is not None:
        qs = qs.filter(council_id=council_id)
    return qs.order_by("assigned_at", "pk")


def assignment_get(*, user: User, assignment_id: int) -> Assignment:
    found = assignment_list(user=user).filter(pk=assignment_id).first()
    if found is None:
        raise not_found()
    return found


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    self_option: int | None  # the producer's self-assessed option
    evidence: tuple  # EvidenceFile rows attached to this criterion
    findings: tuple[str, ...]  # the advisory team's findings on this criterion


@dataclass(frozen=True)
class ScoringView:
    assignment: Assignment
    scorecard: Scorecard
    rows: tuple[CriterionRow, ...]
    # Other members' submitted scorecards, only when the viewer may see them.
    others: tuple[Scorecard, ...]
    others_hidden: bool


def scoring_view(*, assignment: Assignment, scorecard: Scorecard, viewer: User) -> ScoringView:
    """Everything the member needs to score: per criterion the options, the producer's own
    choice, the evidence files attached to it and the advisory team's findings; and the other
    members' scores only once the viewer has submitted (when the council says so)."""
    dossier = assignment.dossier
    criteria = (dossier.sheet.criteria.select_related("depends_on").prefetch_related("options").order_by("order"))
    self_options = {a.criterion_code: a.option_number for a in dossier.self_assessment.all()}
    evidence: dict[str, list] = {}
    for f in dossier.files.filter(replaced_by__isnull=True).exclude(criterion_code=""):
        evidence.setdefault(f.criterion_code, []).append(f)
    findings: dict[str, list[str]] = {}
    for visit in assignment.field_visits.order_by("visited_on"):
        for code, text in (visit.findings or {}).items():
            findings.setdefault(code, []).append(f"{visit.visited_on:%d/%m/%Y}: {text}")
    rows = tuple(
        CriterionRow(c, self_options.get(c.code), tuple(evidence.get(c.code, ())), tuple(findings.get(c.code, ())))
        for c in criteria
    )
    hidden = assignment.council.reveal_after_submit and scorecard.status != ScorecardStatus.SUBMITTED
    others = () if hidden else tuple(
        assignment.scorecards.filter(status=ScorecardStatus.SUBMITTED).exclude(pk=scorecard.pk)
        .select_related("member").order_by("member__username")
    )
    return ScoringView(assignment, scorecard, rows, others, hidden)


@dataclass(frozen=True)
class ProgressRow:
    assignment: Assignment
    statuses: dict[int, str]  # member user id -> "not_started" | "draft" | "submitted" | "conflict"


def council_progress(*, council: Council, viewer: User) -> tuple[list, list[ProgressRow]]:
    """Progress per member and product, for the chair (and the provincial officers)."""
    seat = council.members.filter(user=viewer).first()
    if not (viewer.is_national or viewer.role in (Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER)
            or (seat is not None and seat.role in (MemberRole.CHAIR, MemberRole.SECRETARY))):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Only the chair and the secretary follow the progress."))
    members = list(council.members.select_related("user").order_by("role", "user__username"))
    assignments = list(
        council.assignments.select_related("dossier__product__producer", "dossier__sheet", "result")
        .prefetch_related(Prefetch("scorecards", queryset=Scorecard.objects.only("assignment_id", "member_id", "status")),
                          "conflicts")
        .order_by("assigned_at", "pk")
    )
    rows = []
    for a in assignments:
        cards = {s.member_id: s.status for s in a.scorecards.all()}
        conflicted = {c.user_id for c in a.conflicts.all()}
        rows.append(ProgressRow(a, {
            m.user_id: "conflict" if m.user_id in conflicted else cards.get(m.user_id, "not_started")
            for m in members
        }))
    return members, rows


def scorecard_result(*, scorecard: Scorecard):
    """The engine's result for one member's scorecard as it stands (nothing stored)."""
    from apps.criteria import engine
    from apps.criteria.services import sheet_evaluate

    return sheet_evaluate(
        sheet=scorecard.assignment.dossier.sheet,
        scorecards=[engine.Scorecard(choices=dict(scorecard.choices), knockouts=tuple(scorecard.knockouts))],
    )


def conclusion_pdf(*, council: Council, viewer: User) -> bytes:
    """The ranked list of the council's concluded products with the meeting's facts, as the
    Vietnamese minutes PDF. For the chair, the secretary and provincial officers."""
    from apps.certificates.documents import ConclusionData, RankedProduct, conclusion_pdf as render

    council_progress(council=council, viewer=viewer)  # same audience as the progress page
    concluded = [a for a in council.assignments.select_related(
        "result", "dossier__product__producer", "dossier__commune").order_by("pk") if hasattr(a, "result")]
    concluded.sort(key=lambda a: (a.result.rejected, -a.result.total))
    ranked = []
    for rank, a in enumerate(concluded, start=1):
        r = a.result
        if r.rejected:
            outcome = _("Rejected (knock-out: %(codes)s)") % {"codes": ", ".join(r.rejected_by)}
        elif r.propose_to_ministry:
            outcome = _("Propose to the ministry for 5 stars")
        elif r.star and r.star >= 3:
            outcome = _("Propose recognition at %(n)s stars") % {"n": r.star}
        else:
            outcome = _("Not recognised (%(n)s stars)") % {"n": r.star}
        ranked.append(RankedProduct(rank=rank, product_name=a.dossier.product.name,
                                    producer_name=a.dossier.product.producer.name,
                                    commune_name=a.dossier.commune.full_name, product_code=None,
                                    mean_score=str(r.total), stars=r.star, outcome=outcome))
    members = list(council.members.select_related("user"))
    chair = next((m for m in members if m.role == MemberRole.CHAIR), None)
    secretary = next((m for m in members if m.role == MemberRole.SECRETARY), None)
    present = max((a.result.scoring_members for a in concluded), default=0)
    last = max((a.result.concluded_at for a in concluded), default=None)
    return render(ConclusionData(
        council_name=council.name, round_label=str(council.round),
        meeting_date=(last.date() if last else council.created_at.date()), place=str(council.round.province or ""),
        chair_name=str(chair.user) if chair else "", secretary_name=str(secretary.user) if secretary else "",
        members_present=present, members_total=len(members), ranked=tuple(ranked), notes="",
        is_demo=council.round.is_demo, quorum_required=math.ceil(len(members) * council.quorum),
    ))
