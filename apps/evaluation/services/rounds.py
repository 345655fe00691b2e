"""Setting up a province's rounds (QĐ 26/2026 Đ5.1) and their councils."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode, not_found
from apps.dossiers.calendar import round_dates, round_for
from apps.dossiers.models import ProvinceRules

from ..choices import FLAGGED_KINDS, CouncilLevel, MemberRole
from ..models import (
    Council,
    CouncilMember,
    EvaluationRound,
)
from .shared import _error


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
