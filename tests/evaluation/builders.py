"""Builders for evaluation tests: a council of the pilot province and scorecard choices (the
accepted dossier is tests/dossiers/helpers.py's `accepted_dossier`)."""

from django.utils import timezone

from apps.accounts.choices import Role
from apps.criteria.models import CriteriaSet, Sheet
from apps.evaluation.models import Council, CouncilMember, EvaluationRound
from apps.evaluation.services import round_planned

# The password of the council pages' people (tests/evaluation/conftest.py).
PASSWORD = "Mật-khẩu-hội-đồng-1"


def council_with_members(
    make_user,
    unit,
    *,
    members=4,
    rules=("works_for_producer", "relative", "advised_product"),
    creator=None,
    **council_fields,
):
    vinh_long = unit("86", "province")
    plan = round_planned(
        province_id=vinh_long.pk, on=timezone.localdate()
    )  # takes today's proposals
    round_, _created = EvaluationRound.objects.get_or_create(
        level="province",
        province=vinh_long,
        year=plan.pop("year"),
        number=plan.pop("number"),
        defaults=plan,
    )
    creator = creator or make_user(Role.PROVINCE_OFFICER, [vinh_long])
    # The advisory team's report (Đ7.3.c) is left out of these councils' rules unless a test asks
    # for it: tests/evaluation/test_advisory_report.py covers it.
    council_fields.setdefault("advisory_report_required", False)
    council = Council.objects.create(
        name="Hội đồng OCOP tỉnh (thử)",
        round=round_,
        criteria_set=CriteriaSet.objects.get(code="QD26/2026"),
        regime_code="QD26/2026",
        created_by=creator,
        conflict_rules=list(rules),
        **council_fields,
    )
    seats = []
    for i in range(members):
        user = make_user(Role.COUNCIL_MEMBER, [vinh_long], username=f"hd{i}")
        seats.append(
            CouncilMember.objects.create(
                council=council, user=user, role="chair" if i == 0 else "member"
            )
        )
    adviser = make_user(Role.ADVISORY_MEMBER, [vinh_long], username="tuvan")
    council.advisors.add(adviser)
    return council, [s.user for s in seats], adviser


def best_choices(sheet_number=7) -> dict[str, int]:
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=sheet_number)
    return {c.code: c.options.count() for c in sheet.criteria.all()}


def lowest_choices(sheet_number=7) -> dict[str, int]:
    """The first option everywhere, but 5.1 "has a story" so 5.2 applies and is chosen."""
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=sheet_number)
    return {c.code: (2 if c.code == "5.1" else 1) for c in sheet.criteria.all()}


def top_choices(sheet_number: int = 7) -> dict[str, int]:
    """The best option of every criterion (100 points, 5★)."""
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=sheet_number)
    return {c.code: c.options.count() for c in sheet.criteria.all()}


def bottom_choices(sheet_number: int = 7) -> dict[str, int]:
    """The first option everywhere, but 5.1 "has a story" so 5.2 applies and is chosen."""
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=sheet_number)
    return {c.code: (2 if c.code == "5.1" else 1) for c in sheet.criteria.all()}
