"""Reads of the evaluation context. Everything starts from `for_user()`; a producer never reads
anything here (members' names and scores stay inside the council)."""

import math
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode, not_found
from apps.criteria import engine
from apps.criteria.models import CriteriaSet, Criterion, Sheet
from apps.criteria.selectors import criteria_set_list, sheet_get
from apps.criteria.services import sheet_evaluate
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier

from . import documents, services
from .choices import (
    FOLLOWER_ROLES,
    PROGRESS_SEATS,
    STATUS_LABELS,
    CouncilLevel,
    MemberRole,
    ScorecardStatus,
)
from .models import (
    AdvisoryReport,
    Assignment,
    Conflict,
    Council,
    CouncilMember,
    CouncilResult,
    EvaluationRound,
    Scorecard,
)


def council_list(*, user: User) -> QuerySet[Council]:
    return Council.objects.for_user(user).select_related("round", "round__province", "criteria_set")


def council_get(*, user: User, council_id: int) -> Council:
    council = council_list(user=user).filter(pk=council_id).first()
    if council is None:
        raise not_found()
    return council


def assignment_list(*, user: User, council_id: int | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.for_user(user).select_related(
        "council",
        "dossier",
        "dossier__product",
        "dossier__product__producer",
        "dossier__commune",
        "result",
    )
    if council_id is not None:
        qs = qs.filter(council_id=council_id)
    return qs.order_by("assigned_at", "pk")


def assignment_get(*, user: User, assignment_id: int) -> Assignment:
    found = assignment_list(user=user).filter(pk=assignment_id).first()
    if found is None:
        raise not_found()
    return found


def advisory_report_get(
    *, user: User, assignment_id: int
) -> tuple[Assignment, "AdvisoryReport | None"]:
    """The advisory team's report on an assignment as `user` may read it: the team sees its draft,
    everyone else who sees the assignment (members, officers) only the report sent to the chair."""
    assignment = assignment_get(user=user, assignment_id=assignment_id)
    report = AdvisoryReport.objects.filter(assignment=assignment).first()
    if (
        report
        and report.status != AdvisoryReport.Status.SUBMITTED
        and not assignment.council.advisors.filter(pk=user.pk).exists()
    ):
        report = None
    return assignment, report


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
    # The advisory team's report, once sent to the chair (Đ7.3.c); None before.
    advisory_report: "AdvisoryReport | None" = None
    advisory_report_awaited: bool = False


def scoring_view(*, assignment: Assignment, scorecard: Scorecard, viewer: User) -> ScoringView:
    """Everything the member needs to score: per criterion the options, the producer's own
    choice, the evidence files attached to it and the advisory team's findings; and the other
    members' scores only once the viewer has submitted (when the council says so)."""
    dossier = assignment.dossier
    criteria = (
        dossier.sheet.criteria.select_related("depends_on")
        .prefetch_related("options")
        .order_by("order")
    )
    self_options = {a.criterion_code: a.option_number for a in dossier.self_assessment.all()}
    evidence: dict[str, list] = {}
    for f in dossier.files.filter(replaced_by__isnull=True).exclude(criterion_code=""):
        evidence.setdefault(f.criterion_code, []).append(f)
    findings: dict[str, list[str]] = {}
    for visit in assignment.field_visits.order_by("visited_on"):
        for code, text in (visit.findings or {}).items():
            findings.setdefault(code, []).append(f"{visit.visited_on:%d/%m/%Y}: {text}")
    rows = tuple(
        CriterionRow(
            c,
            self_options.get(c.code),
            tuple(evidence.get(c.code, ())),
            tuple(findings.get(c.code, ())),
        )
        for c in criteria
    )
    hidden = (
        assignment.council.reveal_after_submit and scorecard.status != ScorecardStatus.SUBMITTED
    )
    others = (
        ()
        if hidden
        else tuple(
            assignment.scorecards.filter(status=ScorecardStatus.SUBMITTED)
            .exclude(pk=scorecard.pk)
            .select_related("member")
            .order_by("member__username")
        )
    )
    report = AdvisoryReport.objects.filter(
        assignment=assignment, status=AdvisoryReport.Status.SUBMITTED
    ).first()
    return ScoringView(
        assignment,
        scorecard,
        rows,
        others,
        hidden,
        report,
        services.advisory_report_awaited(assignment),
    )


@dataclass(frozen=True)
class ProgressRow:
    assignment: Assignment
    statuses: dict[int, str]  # member user id -> "not_started" | "draft" | "submitted" | "conflict"


def council_progress(*, council: Council, viewer: User) -> tuple[list, list[ProgressRow]]:
    """Progress per member and product, for the chair (and the provincial officers)."""
    seat = council.members.filter(user=viewer).first()
    if not (
        viewer.is_national
        or viewer.role in (Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER)
        or (seat is not None and seat.role in (MemberRole.CHAIR, MemberRole.SECRETARY))
    ):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("Only the chair and the secretary follow the progress.")
        )
    members = list(council.members.select_related("user").order_by("role", "user__username"))
    assignments = list(
        council.assignments.select_related("dossier__product__producer", "dossier__sheet", "result")
        .prefetch_related(
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.only("assignment_id", "member_id", "status"),
            ),
            "conflicts",
        )
        .order_by("assigned_at", "pk")
    )
    rows = []
    for a in assignments:
        cards = {s.member_id: s.status for s in a.scorecards.all()}
        conflicted = {c.user_id for c in a.conflicts.all()}
        rows.append(
            ProgressRow(
                a,
                {
                    m.user_id: "conflict"
                    if m.user_id in conflicted
                    else cards.get(m.user_id, "not_started")
                    for m in members
                },
            )
        )
    return members, rows


def scorecard_result(*, scorecard: Scorecard):
    """The engine's result for one member's scorecard as it stands (nothing stored)."""
    from apps.criteria import engine
    from apps.criteria.services import sheet_evaluate

    return sheet_evaluate(
        sheet=scorecard.assignment.dossier.sheet,
        scorecards=[
            engine.Scorecard(choices=dict(scorecard.choices), knockouts=tuple(scorecard.knockouts))
        ],
    )


def conclusion_pdf(*, council: Council, viewer: User) -> bytes:
    """The ranked list of the council's concluded products with the meeting's facts, as the
    Vietnamese minutes PDF. For the chair, the secretary and provincial officers."""
    council_progress(council=council, viewer=viewer)  # same audience as the progress page
    concluded = [
        a
        for a in council.assignments.select_related(
            "result", "dossier__product__producer", "dossier__commune"
        ).order_by("pk")
        if hasattr(a, "result")
    ]
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
        ranked.append(
            documents.RankedProduct(
                rank=rank,
                product_name=a.dossier.product.name,
                producer_name=a.dossier.product.producer.name,
                commune_name=a.dossier.commune.full_name,
                product_code=None,
                mean_score=str(r.total),
                stars=r.star,
                outcome=outcome,
            )
        )
    members = list(council.members.select_related("user"))
    chair = next((m for m in members if m.role == MemberRole.CHAIR), None)
    secretary = next((m for m in members if m.role == MemberRole.SECRETARY), None)
    present = max((a.result.scoring_members for a in concluded), default=0)
    last = max((a.result.concluded_at for a in concluded), default=None)
    return documents.conclusion_pdf(
        documents.ConclusionData(
            council_name=council.name,
            round_label=str(council.round),
            meeting_date=(last.date() if last else council.created_at.date()),
            place=str(council.round.province or ""),
            chair_name=str(chair.user) if chair else "",
            secretary_name=str(secretary.user) if secretary else "",
            members_present=present,
            members_total=len(members),
            ranked=tuple(ranked),
            notes="",
            is_demo=council.round.is_demo,
            quorum_required=math.ceil(len(members) * council.quorum),
        )
    )


def latest_council_result(dossier) -> CouncilResult | None:
    """The most recent council result on `dossier` (provincial, or central after a proposal)."""
    return (
        CouncilResult.objects.filter(assignment__dossier=dossier)
        .order_by("-concluded_at", "-pk")
        .first()
    )


# --- reads for the scoring pages -------------------------------------------------------------
def council_board(user) -> list[dict]:
    """The user's councils (newest round first), each with its products and, for the user's
    seat, their own scorecard status and whether they may score it."""
    councils = list(council_list(user=user).order_by("-round__year", "-round__number", "name"))
    if not councils:
        return []
    seats = {s.council_id: s for s in CouncilMember.objects.filter(user=user, council__in=councils)}
    assignments = list(assignment_list(user=user).filter(council__in=councils))
    cards = {
        s.assignment_id: s
        for s in Scorecard.objects.filter(member=user, assignment__in=assignments).only(
            "assignment_id", "status", "choices", "version"
        )
    }
    conflicts = set(
        Conflict.objects.filter(user=user, assignment__in=assignments).values_list(
            "assignment_id", flat=True
        )
    )
    by_council: dict[int, list] = {}
    for a in assignments:
        seat = seats.get(a.council_id)
        card = cards.get(a.pk)
        concluded = hasattr(a, "result")
        if seat is None:
            state = ""
        elif a.pk in conflicts:
            state = "conflict"
        elif card is None or (
            card.status == ScorecardStatus.DRAFT and not card.choices and card.version == 1
        ):
            state = "not_started"
        else:
            state = card.status
        by_council.setdefault(a.council_id, []).append(
            {
                "assignment": a,
                "state": state,
                "label": STATUS_LABELS.get(state, ""),
                "can_score": seat is not None
                and state != "conflict"
                and (not concluded or card is not None),
                "concluded": concluded,
            }
        )
    board = []
    for c in councils:
        seat = seats.get(c.pk)
        board.append(
            {
                "council": c,
                "seat": seat,
                "adviser": seat is None and user.role == Role.ADVISORY_MEMBER,
                "rows": by_council.get(c.pk, []),
                "progress": (seat is not None and seat.role in PROGRESS_SEATS)
                or user.role in FOLLOWER_ROLES
                or user.is_superuser,
            }
        )
    return board


def submitted_scorecards(council) -> dict[int, list[Scorecard]]:
    found: dict[int, list[Scorecard]] = {}
    for card in (
        Scorecard.objects.filter(assignment__council=council, status=ScorecardStatus.SUBMITTED)
        .select_related("member")
        .order_by("member__username")
    ):
        found.setdefault(card.assignment_id, []).append(card)
    return found


def council_standing(council, sheet, eligible: int, cards: list[Scorecard]) -> dict:
    """The council's standing on a product from the scorecards submitted so far, under its
    rules (quorum over the members without a conflict): mean, spread, whether the spread
    exceeds the threshold, and each scorecard's total (for the chair's reopen form)."""
    if not cards:
        return {"eligible": eligible, "result": None, "totals": []}
    result = scorecards_evaluate(
        sheet, cards, rules=services.council_rules(council, council_size=eligible)
    )
    by_card = {m.member: m for m in result.members}
    totals = [{"scorecard": c, "total": by_card[str(c.pk)].total} for c in cards]
    return {"eligible": eligible, "result": result, "totals": totals}


class SheetCache:
    """Criteria sheets with their criteria and options prefetched (`criteria.selectors.sheet_get`),
    fetched once per page: the engine then ranks without further queries."""

    def __init__(self):
        self._found: dict[int, Sheet] = {}

    def get(self, sheet_id: int) -> Sheet:
        if sheet_id not in self._found:
            plain = Sheet.objects.select_related("criteria_set").get(pk=sheet_id)
            self._found[sheet_id] = sheet_get(slug=plain.criteria_set.slug, number=plain.number)
        return self._found[sheet_id]


def scorecards_evaluate(
    sheet: Sheet, cards: list[Scorecard], rules: engine.CouncilRules | None = None
):
    """The engine's result for these scorecards (members labelled by scorecard id)."""
    return sheet_evaluate(
        sheet=sheet,
        scorecards=[
            engine.Scorecard(
                choices=dict(c.choices), knockouts=tuple(c.knockouts), member=str(c.pk)
            )
            for c in cards
        ],
        rules=rules,
    )


# --- reads for the provincial office's pages (views_office.py) -------------------------------
def round_list(*, user: User) -> QuerySet[EvaluationRound]:
    """The provincial rounds the user may see, newest first, each with its councils (their seats
    and assignments counted) and the number of councils and of dossiers assigned in it."""
    councils = Council.objects.annotate(
        member_count=Count("members", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    ).order_by("name", "pk")
    return (
        EvaluationRound.objects.for_user(user)
        .filter(level=CouncilLevel.PROVINCE)
        .select_related("province")
        .annotate(
            council_count=Count("councils", distinct=True),
            dossier_count=Count("councils__assignments__dossier", distinct=True),
        )
        .prefetch_related(Prefetch("councils", queryset=councils, to_attr="council_rows"))
        .order_by("-year", "-number", "province__name")
    )


def round_open_list(*, user: User, today) -> list[EvaluationRound]:
    """The provincial rounds whose evaluation has not ended by `today`, earliest first: the
    rounds a new council may work in."""
    return list(
        EvaluationRound.objects.for_user(user)
        .filter(level=CouncilLevel.PROVINCE, evaluation_deadline__gte=today)
        .select_related("province")
        .order_by("proposal_deadline", "year", "number")
    )


def round_suggested(*, user: User, today) -> dict | None:
    """The next round to open for the user's one province: the round of the plan that takes the
    dossiers proposed `today`, or, when it is set up already, the first round of the plan after
    the last one set up (`services.round_planned`). None when the user acts in no province or in
    several (only an officer of one province sets up rounds)."""
    provinces = list(user.jurisdiction_provinces().filter(valid_to__isnull=True)[:2])
    if len(provinces) != 1:
        return None
    province = provinces[0]
    existing = set(
        EvaluationRound.objects.filter(level=CouncilLevel.PROVINCE, province=province).values_list(
            "year", "number"
        )
    )
    planned = services.round_planned(province_id=province.pk, on=today)
    for _attempt in range(24):  # a plan has at most 12 rounds a year: two years ahead at most
        if (planned["year"], planned["number"]) not in existing:
            break
        # A dossier proposed on the cut-off day belongs to the next round of the plan.
        planned = services.round_planned(province_id=province.pk, on=planned["proposal_deadline"])
    return planned


def criteria_sets_for_councils() -> list[CriteriaSet]:
    """The published criteria sets a council may work under, newest first."""
    return list(criteria_set_list().published())


def council_candidates(*, user: User) -> tuple[list[User], list[User]]:
    """The active council-member and advisory-team accounts of the user's current provinces
    (the accounts `services.council_create` accepts), by name."""
    provinces = user.jurisdiction_provinces().filter(valid_to__isnull=True)
    people = (
        User.objects.for_user(user)
        .filter(is_active=True, units__in=provinces)
        .distinct()
        .order_by("full_name", "username")
    )
    return (
        list(people.filter(role=Role.COUNCIL_MEMBER)),
        list(people.filter(role=Role.ADVISORY_MEMBER)),
    )


def council_detail(*, user: User, council_id: int) -> Council:
    """One council the user may see, with its seats (chair first) and its advisory team."""
    council = (
        council_list(user=user)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=CouncilMember.objects.select_related("user").order_by("role", "pk"),
                to_attr="seats",
            ),
            Prefetch(
                "advisors",
                queryset=User.objects.order_by("full_name", "username"),
                to_attr="advisory_team",
            ),
        )
        .filter(pk=council_id)
        .first()
    )
    if council is None:
        raise not_found()
    order = {role: i for i, role in enumerate(MemberRole.values)}
    council.seats.sort(key=lambda seat: (order.get(seat.role, 99), str(seat.user)))
    return council


def dossiers_awaiting_council(*, user: User, council: Council) -> QuerySet[Dossier]:
    """The dossiers of the council's province that this provincial council may take, by the
    rule `services.assignment_create` enforces: accepted for a round, or evaluated by the
    central council without a 5★ standing result and not evaluated again since (Đ7.4.g); filed
    under the council's criteria set. Whether the council's round takes each one (Đ5) is the
    service's check, with its message. Oldest proposal first."""
    latest = Assignment.objects.filter(dossier=OuterRef("pk")).order_by("-pk")
    back_from_central = Q(status=DossierStatus.EVALUATED, latest_level=CouncilLevel.CENTRAL) & (
        Q(latest_star__lt=5) | Q(latest_star__isnull=True) | Q(latest_rejected=True)
    )
    return (
        Dossier.objects.for_user(user)
        .filter(
            province_id=council.round.province_id,
            sheet__criteria_set_id=council.criteria_set_id,
        )
        .annotate(
            latest_level=Subquery(latest.values("council__round__level")[:1]),
            latest_star=Subquery(latest.values("result__star")[:1]),
            latest_rejected=Subquery(latest.values("result__rejected")[:1]),
        )
        .filter(Q(status=DossierStatus.ACCEPTED) | back_from_central)
        .select_related("product__producer", "commune")
        .order_by("forwarded_at", "pk")
    )
