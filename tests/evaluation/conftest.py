"""The evaluation tests' fixtures: the dossier tests' people and product; `setup`, an accepted
dossier assigned to a council of `council_with_members` (the services, API and advisory-report
tests); and, for the council pages, `panel`, a provincial council with a chair, a secretary, two
members and a member tied to the producer (flagged conflict), with an accepted dossier assigned to
it.

The panel's usernames are distinct from `council_with_members`' (tests/factories/evaluation.py)
so both can be used in one test."""

from types import SimpleNamespace

import pytest

from apps.accounts.choices import Role
from apps.evaluation import services
from apps.evaluation.models import Council, ProducerLink
from tests.factories.accounts import dossier_people
from tests.factories.dossiers import accepted_dossier, dossier_product
from tests.factories.evaluation import (
    COUNCIL_PASSWORD,
    CouncilFactory,
    CouncilMemberFactory,
    EvaluationRoundFactory,
    council_with_members,
)
from tests.factories.products import ProductFactory


# The dossier tests' people and product (`client_for` is tests/fixtures/recognition.py's).
@pytest.fixture
def people(make_user, unit):
    return dossier_people(make_user, unit)


@pytest.fixture
def product(people):
    return dossier_product(people)


@pytest.fixture
def advisory_report_required():
    """Whether `setup`'s council waits for its advisory team's report before members submit: not
    unless a module says so with a fixture of this name (test_advisory_report.py)."""
    return False


@pytest.fixture
def setup(people, product, client_for, make_user, unit, advisory_report_required):
    """An accepted dossier assigned to a council of four members (hd0 the chair) and an adviser."""
    dossier_id = accepted_dossier(people, product, client_for)
    council, members, adviser = council_with_members(
        make_user,
        unit,
        creator=people["province"],
        advisory_report_required=advisory_report_required,
    )
    assignment = services.assignment_create(
        council=council, dossier_id=dossier_id, actor=people["province"]
    )
    return {
        "assignment": assignment,
        "council": council,
        "members": members,
        "adviser": adviser,
        "people": people,
        "dossier_id": dossier_id,
    }


def _council(name: str, creator, unit) -> Council:
    """A council of the pilot province's round that takes today's proposals, flagging all three
    kinds of conflict; the advisory report is test_advisory_report.py's."""
    return CouncilFactory(
        name=name,
        round=EvaluationRoundFactory(province=unit("86", "province")),
        created_by=creator,
        conflict_rules=["works_for_producer", "relative", "advised_product"],
        advisory_report_required=False,
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
            password=COUNCIL_PASSWORD,
            full_name=f"Ông/Bà {username}",
        )
        CouncilMemberFactory(council=council, user=user, role=role)
        seats[username] = user
    ProducerLink.objects.create(
        producer=product.producer,
        user=seats["nguoithan"],
        kind="relative",
        recorded_by=people["province"],
    )
    adviser = make_user(
        Role.ADVISORY_MEMBER, [vinh_long], username="tovantuvan", password=COUNCIL_PASSWORD
    )
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
    second = ProductFactory(producer=product.producer, name="Thạch dừa DEMO")
    dossier_id = accepted_dossier(people, second, client_for)
    council = _council("Hội đồng khác", people["province"], unit)
    outsider = make_user(
        Role.COUNCIL_MEMBER,
        [unit("86", "province")],
        username="uyvienkhac",
        password=COUNCIL_PASSWORD,
    )
    CouncilMemberFactory(council=council, user=outsider, role="chair")
    assignment = services.assignment_create(
        council=council, dossier_id=dossier_id, actor=people["province"]
    )
    return SimpleNamespace(council=council, assignment=assignment, member=outsider, product=second)
