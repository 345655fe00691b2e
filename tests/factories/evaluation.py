"""Evaluation rounds, councils and their seats (factory-boy), and `council_with_members`, a
provincial council of the pilot province with its members and adviser. The councils work under
QĐ 26/2026 (its criteria set and process regime)."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.accounts.choices import Role
from apps.criteria.models import CriteriaSet
from apps.evaluation.models import Council, CouncilMember, EvaluationRound
from apps.evaluation.services import round_planned
from apps.geo.models import AdminUnit
from tests.factories.accounts import UserFactory

# The password of the council pages' people (tests/evaluation/conftest.py).
COUNCIL_PASSWORD = "Mật-khẩu-hội-đồng-1"
REGIME = "QD26/2026"


def _vinh_long() -> AdminUnit:
    """The pilot province (86), as it is today."""
    return AdminUnit.objects.get(code="86", level="province", valid_to__isnull=True)


class EvaluationRoundFactory(DjangoModelFactory):
    """The provincial round of the pilot province that takes the dossiers proposed today
    (QĐ 26/2026 Đ5.1, the province's plan), unless its fields are given. A round is one per level,
    province, year and number: the factory gets it when it already exists. A central round
    (`province=None`) follows the pilot province's plan."""

    class Meta:
        model = EvaluationRound
        django_get_or_create = ("level", "province", "year", "number")
        exclude = ("plan",)

    level = "province"
    province = factory.LazyFunction(_vinh_long)
    plan = factory.LazyAttribute(
        lambda o: round_planned(
            province_id=(o.province or _vinh_long()).pk, on=timezone.localdate()
        )
    )
    year = factory.LazyAttribute(lambda o: o.plan["year"])
    number = factory.LazyAttribute(lambda o: o.plan["number"])
    proposal_deadline = factory.LazyAttribute(lambda o: o.plan["proposal_deadline"])
    evaluation_deadline = factory.LazyAttribute(lambda o: o.plan["evaluation_deadline"])


class CouncilFactory(DjangoModelFactory):
    """A council of today's round under QĐ 26/2026, with the model's rules unless given (an
    advisory report required, no conflict flagged automatically)."""

    class Meta:
        model = Council

    name = "Hội đồng OCOP tỉnh (thử)"
    round = factory.SubFactory(EvaluationRoundFactory)
    criteria_set = factory.LazyFunction(lambda: CriteriaSet.objects.get(code=REGIME))
    regime_code = REGIME
    created_by = factory.SubFactory(UserFactory, role=Role.PROVINCE_OFFICER)


class CouncilMemberFactory(DjangoModelFactory):
    """A member's seat on a council (its chair with `role="chair"`)."""

    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory, role=Role.COUNCIL_MEMBER)
    role = "member"


def council_with_members(
    make_user,
    unit,
    *,
    members=4,
    rules=("works_for_producer", "relative", "advised_product"),
    creator=None,
    **council_fields,
):
    """A provincial council of today's round with `members` seats (hd0 the chair, hd1 …), the
    adviser "tuvan" and the conflict `rules`: the council, its members' users and the adviser."""
    vinh_long = unit("86", "province")
    creator = creator or make_user(Role.PROVINCE_OFFICER, [vinh_long])
    # The advisory team's report (Đ7.3.c) is left out of these councils' rules unless a test asks
    # for it: tests/evaluation/test_advisory_report.py covers it.
    council_fields.setdefault("advisory_report_required", False)
    council = CouncilFactory(
        round=EvaluationRoundFactory(province=vinh_long),
        created_by=creator,
        conflict_rules=list(rules),
        **council_fields,
    )
    seats = [
        CouncilMemberFactory(
            council=council,
            user=make_user(Role.COUNCIL_MEMBER, [vinh_long], username=f"hd{i}"),
            role="chair" if i == 0 else "member",
        )
        for i in range(members)
    ]
    adviser = make_user(Role.ADVISORY_MEMBER, [vinh_long], username="tuvan")
    council.advisors.add(adviser)
    return council, [s.user for s in seats], adviser
