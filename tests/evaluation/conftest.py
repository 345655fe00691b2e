"""Fixtures for the council pages: a provincial council with a chair, a secretary, two members
and a member tied to the producer (flagged conflict), and an accepted dossier assigned to it.

Names are distinct from the lead's `builders.py` (usernames, round number) so both can be used in
one test database."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.accounts.choices import Role
from apps.criteria.models import CriteriaSet
from apps.evaluation import services
from apps.evaluation.models import Council, CouncilMember, EvaluationRound, ProducerLink
from tests.dossiers.helpers import accepted_dossier, dossier_people, dossier_product

from .builders import PASSWORD


# The dossier tests' people and product (`client_for` is tests/fixtures/recognition.py's).
@pytest.fixture
def people(make_user, unit):
    return dossier_people(make_user, unit)


@pytest.fixture
def product(people):
    return dossier_product(people)


def _round(unit) -> EvaluationRound:
    """The pilot province's round that takes dossiers proposed today (Đ5.1)."""
    province = unit("86", "province")
    plan = services.round_planned(province_id=province.pk, on=timezone.localdate())
    found, _created = EvaluationRound.objects.get_or_create(
        level="province",
        province=province,
        year=plan.pop("year"),
        number=plan.pop("number"),
        defaults=plan,
    )
    return found


def _council(name: str, creator, unit, **fields) -> Council:
    fields.setdefault("advisory_report_required", False)  # covered by test_advisory_report.py
    return Council.objects.create(
        name=name,
        round=_round(unit),
        criteria_set=CriteriaSet.objects.get(code="QD26/2026"),
        regime_code="QD26/2026",
        created_by=creator,
        conflict_rules=["works_for_producer", "relative", "advised_product"],
        **fields,
    )


@pytest.fixture
def panel(people, product, client_for, make_user, unit):
    """Council "Hội đồng thử" of five seats; the member `related` is recorded as a relative of the
    producer's people, so assigning the dossier flags a conflict for them. Four members can
    score: the quorum (0.75) is three."""
    vinh_long = unit("86", "province")
    dossier_id = accepted_dossier(people, product, client_for)
    council = _council("Hội đồng thử", people["province"], unit)
    seats = {}
    for username, role in (
        ("chutich", "chair"),
        ("thuky", "secretary"),
        ("uyvien1", "member"),
        ("uyvien2", "member"),
        ("nguoithan", "member"),
    ):
        user = make_user(
            Role.COUNCIL_MEMBER,
            [vinh_long],
            username=username,
            password=PASSWORD,
            full_name=f"Ông/Bà {username}",
        )
        CouncilMember.objects.create(council=council, user=user, role=role)
        seats[username] = user
    ProducerLink.objects.create(
        producer=product.producer,
        user=seats["nguoithan"],
        kind="relative",
        recorded_by=people["province"],
    )
    adviser = make_user(Role.ADVISORY_MEMBER, [vinh_long], username="tovantuvan", password=PASSWORD)
    council.advisors.add(adviser)
    assignment = services.assignment_create(
        council=council, dossier_id=dossier_id, actor=people["province"]
    )
    return SimpleNamespace(
        adviser=adviser,
        council=council,
        assignment=assignment,
        dossier_id=dossier_id,
        people=people,
        chair=seats["chutich"],
        secretary=seats["thuky"],
        member1=seats["uyvien1"],
        member2=seats["uyvien2"],
        related=seats["nguoithan"],
        province=people["province"],
        producer=people["producer"],
    )


@pytest.fixture
def other_panel(panel, people, product, client_for, make_user, unit):
    """A second council of the same round, with its own member and its own (second) product."""
    from apps.products.services import product_create

    second = product_create(
        actor=people["producer"],
        producer=product.producer,
        name="Thạch dừa DEMO",
        classification_code="I.3.c",
    )
    dossier_id = accepted_dossier(people, second, client_for)
    council = _council("Hội đồng khác", people["province"], unit)
    outsider = make_user(
        Role.COUNCIL_MEMBER, [unit("86", "province")], username="uyvienkhac", password=PASSWORD
    )
    CouncilMember.objects.create(council=council, user=outsider, role="chair")
    assignment = services.assignment_create(
        council=council, dossier_id=dossier_id, actor=people["province"]
    )
    return SimpleNamespace(council=council, assignment=assignment, member=outsider, product=second)
