"""Assigning a dossier to a council: to the round QĐ 26/2026 Đ5 gives it, at the level it was
proposed to, and again to a province after the central council's result (Đ7.4.g)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode, not_found
from apps.dossiers.calendar import round_for
from apps.dossiers.choices import Action, DossierStatus
from apps.dossiers.models import Dossier, ProvinceRules
from apps.dossiers.services import dossier_round_record, dossier_transition

from ..choices import CouncilLevel
from ..models import (
    Assignment,
    Council,
    EvaluationRound,
)
from .conflicts import conflicts_flag
from .shared import _error, _event


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
                "A dossier accepted by the province goes to a provincial council; one proposed to "
                "the "
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
                "This council has already evaluated the dossier: assign it to a council of a "
                "later round."
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
                "This dossier, proposed on %(day)s, belongs to round %(n)s/%(y)s (proposals "
                "before %(cutoff)s), "
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
