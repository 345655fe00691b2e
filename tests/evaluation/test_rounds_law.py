"""Which round a dossier lands in (QĐ 26/2026 Đ5.1), through the services and the API: the
cut-off day itself is not "before" it, a dossier only ever lands in a round that exists and is
open, and otherwise it is held with a message that tells the officer which round it waits for.

"Đợt 01 trước ngày 30 tháng 6 đối với các hồ sơ được UBND cấp xã đề nghị trước ngày 30 tháng 4;
đợt 02 trước ngày 30 tháng 12 đối với các hồ sơ được UBND cấp xã đề nghị trước ngày 30 tháng 10."
"""

from datetime import date, datetime

import pytest
from django.utils import timezone

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError
from apps.dossiers.models import Dossier, ProvinceRules
from apps.evaluation import services
from apps.evaluation.models import Council, EvaluationRound
from tests.factories.dossiers import accepted_dossier
from tests.factories.evaluation import CouncilFactory, CouncilMemberFactory, EvaluationRoundFactory

pytestmark = pytest.mark.django_db

# Rounds of a year still to come, so that every one of them is open today whatever today is.
YEAR = timezone.localdate().year + 1


def _round(province, number: int, proposals_before: date, ends: date) -> EvaluationRound:
    return EvaluationRoundFactory(
        province=province,
        year=proposals_before.year,
        number=number,
        proposal_deadline=proposals_before,
        evaluation_deadline=ends,
    )


def _council(round_, creator, make_user, unit) -> Council:
    council = CouncilFactory(
        name=f"Hội đồng đợt {round_.number}/{round_.year}", round=round_, created_by=creator
    )
    chair = make_user(Role.COUNCIL_MEMBER, [unit("86", "province")], username=f"chair{round_.pk}")
    CouncilMemberFactory(council=council, user=chair, role="chair")
    return council


@pytest.fixture
def plan(people, make_user, unit):
    """Rounds 1 and 2 of next year, each with its council, as the law's default plan has them."""
    province = unit("86", "province")
    first = _round(province, 1, date(YEAR, 4, 30), date(YEAR, 6, 30))
    second = _round(province, 2, date(YEAR, 10, 30), date(YEAR, 12, 30))
    return {
        n: _council(r, people["province"], make_user, unit) for n, r in ((1, first), (2, second))
    }


def _proposed_on(dossier_id: int, day: date) -> None:
    """The commune proposed (forwarded) the dossier on `day`."""
    at = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    Dossier.objects.filter(pk=dossier_id).update(forwarded_at=at)


@pytest.mark.parametrize(
    "proposed, number",
    [
        (date(YEAR, 4, 29), 1),
        (date(YEAR, 4, 30), 2),  # 30/4 itself is not "before 30/4"
        (date(YEAR, 10, 29), 2),
    ],
)
def test_the_dossier_lands_in_the_round_of_its_proposal_day(
    plan, people, product, client_for, proposed, number
):
    dossier_id = accepted_dossier(people, product, client_for)
    _proposed_on(dossier_id, proposed)
    other = 2 if number == 1 else 1
    with pytest.raises(ApplicationError) as error:
        services.assignment_create(
            council=plan[other], dossier_id=dossier_id, actor=people["province"]
        )
    assert error.value.code == "invalid" and error.value.extra["key"] == "round"
    assert error.value.extra["round"] == {
        "id": plan[number].round_id,
        "year": YEAR,
        "number": number,
    }
    assert f"{number}/{YEAR}" in error.value.message
    assert Dossier.objects.get(pk=dossier_id).status == "accepted"  # nothing changed

    services.assignment_create(
        council=plan[number], dossier_id=dossier_id, actor=people["province"]
    )
    dossier = Dossier.objects.get(pk=dossier_id)
    assert (dossier.status, dossier.round_year, dossier.round_number) == (
        "under_evaluation",
        YEAR,
        number,
    )


def test_proposed_on_the_last_cut_off_the_dossier_is_held_for_next_years_round_1(
    plan, people, product, client_for
):
    dossier_id = accepted_dossier(people, product, client_for)
    _proposed_on(dossier_id, date(YEAR, 10, 30))
    for council in plan.values():
        with pytest.raises(ApplicationError) as error:
            services.assignment_create(
                council=council, dossier_id=dossier_id, actor=people["province"]
            )
        assert error.value.code == "bad_transition" and error.value.extra["key"] == "round"
        assert error.value.extra["planned_round"] == {"year": YEAR + 1, "number": 1}
        assert f"1/{YEAR + 1}" in error.value.message and "30/10" in error.value.message
        assert error.value.extra["proposed_on"] == f"{YEAR}-10-30"
    assert Dossier.objects.get(pk=dossier_id).status == "accepted"


def test_a_round_whose_evaluation_ended_takes_no_more_dossiers(
    people, product, client_for, make_user, unit
):
    """The plan's round closed before the province accepted the dossier: the next open round
    takes it; with none set up, it is held."""
    province = unit("86", "province")
    today = timezone.localdate()
    closed = _round(province, 1, date(today.year - 1, 4, 30), date(today.year - 1, 6, 30))
    dossier_id = accepted_dossier(people, product, client_for)
    _proposed_on(dossier_id, date(today.year - 1, 3, 1))
    with pytest.raises(ApplicationError) as error:
        services.assignment_create(
            council=_council(closed, people["province"], make_user, unit),
            dossier_id=dossier_id,
            actor=people["province"],
        )
    assert error.value.code == "bad_transition" and error.value.extra["key"] == "round"

    later = _round(province, 2, date(YEAR, 10, 30), date(YEAR, 12, 30))
    services.assignment_create(
        council=_council(later, people["province"], make_user, unit),
        dossier_id=dossier_id,
        actor=people["province"],
    )
    assert Dossier.objects.get(pk=dossier_id).round_number == 2


def test_the_held_message_follows_the_provinces_own_cut_offs(
    people, product, client_for, make_user, unit
):
    """A province that plans three rounds (Đ5.1 lets it add rounds in its Quy chế)."""
    province = unit("86", "province")
    ProvinceRules.objects.create(province=province, round_cutoffs=["03-31", "06-30", "10-30"])
    council = _council(
        _round(province, 1, date(YEAR, 3, 31), date(YEAR, 5, 31)),
        people["province"],
        make_user,
        unit,
    )
    dossier_id = accepted_dossier(people, product, client_for)
    _proposed_on(dossier_id, date(YEAR, 5, 2))
    with pytest.raises(ApplicationError) as error:
        services.assignment_create(council=council, dossier_id=dossier_id, actor=people["province"])
    assert error.value.extra["planned_round"] == {"year": YEAR, "number": 2}


def test_the_api_reports_a_held_dossier(people, product, client_for, make_user, unit):
    province = unit("86", "province")
    council = _council(
        _round(province, 2, date(YEAR, 10, 30), date(YEAR, 12, 30)),
        people["province"],
        make_user,
        unit,
    )
    dossier_id = accepted_dossier(people, product, client_for)
    _proposed_on(dossier_id, date(YEAR, 11, 2))
    response = client_for(people["province"]).post(
        f"/api/v1/councils/{council.pk}/assignments/", {"dossier": dossier_id}, format="json"
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["extra"]["key"] == "round" and body["extra"]["planned_round"] == {
        "year": YEAR + 1,
        "number": 1,
    }
    assert f"1/{YEAR + 1}" in body["message"]


def test_round_dates_default_to_the_plan(people, client_for):
    officer = client_for(people["province"])
    created = officer.post("/api/v1/rounds/", {"year": YEAR, "number": 2}, format="json")
    assert created.status_code == 201, created.content
    round_ = EvaluationRound.objects.get(pk=created.json()["id"])
    assert (round_.proposal_deadline, round_.evaluation_deadline) == (
        date(YEAR, 10, 30),
        date(YEAR, 12, 30),
    )
    extra = officer.post("/api/v1/rounds/", {"year": YEAR, "number": 3}, format="json")
    assert extra.status_code == 400 and extra.json()["extra"]["key"] == "number"
    with_dates = officer.post(
        "/api/v1/rounds/",
        {
            "year": YEAR,
            "number": 3,
            "proposal_deadline": f"{YEAR}-12-01",
            "evaluation_deadline": f"{YEAR}-12-28",
        },
        format="json",
    )
    assert with_dates.status_code == 201


def test_round_planned_takes_todays_proposals(unit):
    province = unit("86", "province")
    today = timezone.localdate()
    plan = services.round_planned(province_id=province.pk, on=today)
    assert (
        plan["proposal_deadline"] > today
        and plan["evaluation_deadline"] > plan["proposal_deadline"]
    )
