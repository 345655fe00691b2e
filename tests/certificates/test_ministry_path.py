"""The road to 5★ (QĐ 26/2026 Đ7.3.e and Đ7.4.g), through the engine and the services.

Đ7.3.e: "Đối với các sản phẩm có tiềm năng đạt 5 sao (đạt từ 90 trở lên), Chủ tịch UBND cấp
tỉnh xem xét, quyết định phê duyệt kết quả đánh giá; UBND cấp tỉnh có văn bản và gửi hồ sơ ...
đề nghị Bộ Nông nghiệp và Môi trường đánh giá, phân hạng sản phẩm OCOP 5 sao."

Đ7.4.g: "Trường hợp sản phẩm không đạt 90 điểm, Chủ tịch UBND cấp tỉnh có thể căn cứ vào kết quả
đánh giá của Hội đồng cấp trung ương để xem xét, quyết định công nhận và cấp giấy chứng nhận cho
sản phẩm OCOP đạt 3 sao, 4 sao hoặc tổ chức đánh giá và phân hạng sản phẩm theo thẩm quyền."
"""

from decimal import Decimal

import pytest
from django.test import TestCase

from apps.accounts.choices import Role
from apps.certificates.services import ministry_propose
from apps.core.exceptions import ApplicationError
from apps.criteria import engine
from apps.criteria.models import Sheet
from apps.criteria.services import sheet_spec
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.evaluation.models import Council
from apps.evaluation.services import (
    assignment_create,
    council_conclude,
    scorecard_save,
    scorecard_submit,
)
from tests.factories.criteria import best_choices, choices_for
from tests.factories.evaluation import CouncilFactory, CouncilMemberFactory

pytestmark = pytest.mark.django_db


def ninety_without_a_five_star_minimum(sheet_number: int = 7) -> dict[str, int]:
    """The best options everywhere but one criterion that 5★ requires at its best option: the
    total stays at 90 or more, the 5★ minimum is missed, so the star is 4."""
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=sheet_number)
    spec = sheet_spec(sheet=sheet)
    best = dict(best_choices(sheet_number))
    for criterion in spec.criteria:
        for option in criterion.options:
            trial = {**best, criterion.code: option.number}
            try:
                result = engine.rank(spec, [engine.Scorecard(choices=trial)], engine.CouncilRules())
            except engine.InvalidScorecard:
                continue
            if (
                not result.missing
                and result.total >= 90
                and result.star == 4
                and not result.rejected
            ):
                return trial
    raise AssertionError(f"sheet {sheet_number} has no such choice")


def test_the_engine_proposes_ninety_points_whatever_the_star():
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=7)
    spec = sheet_spec(sheet=sheet)
    result = engine.rank(
        spec,
        [engine.Scorecard(choices=ninety_without_a_five_star_minimum())],
        engine.CouncilRules(),
    )
    assert result.total >= Decimal("90") and result.star == 4 and result.propose_to_ministry


def test_a_rejected_result_of_ninety_is_not_proposed():
    sheet = Sheet.objects.get(criteria_set__code="QD26/2026", number=7)
    spec = sheet_spec(sheet=sheet)
    best = dict(best_choices(7))
    result = engine.rank(
        spec,
        [engine.Scorecard(choices=best, knockouts=(engine.DOSSIER_KNOCKOUT,))],
        engine.CouncilRules(),
    )
    assert result.total == 100 and result.rejected and not result.propose_to_ministry


def test_ninety_points_with_a_missed_five_star_minimum_goes_to_the_ministry(chain, decide, people):
    """The province does not recognise it at 4★ itself: it is proposed for 5★."""
    product = chain.product("Mật hoa dừa DEMO", "28777")
    result = chain.result(
        chain.accepted_dossier(product, "28777"), None, choices=ninety_without_a_five_star_minimum()
    )
    assert result.star == 4 and result.total >= 90 and result.propose_to_ministry
    with pytest.raises(ApplicationError) as refused:
        decide([result.pk])
    assert refused.value.extra["key"] == "result_ids" and "90" in refused.value.message
    ministry_propose(result_id=result.pk, actor=people["leader"])
    assert (
        Dossier.objects.get(pk=result.assignment.dossier_id).status
        == DossierStatus.PROPOSED_CENTRAL
    )


def _second_provincial_council(chain, people, make_user, unit) -> tuple[Council, list]:
    first, _members = chain.council("province")
    council = CouncilFactory(
        name="Hội đồng đánh giá lại (thử)", round=first.round, created_by=people["province"]
    )
    members = []
    for i in range(3):
        user = make_user(Role.COUNCIL_MEMBER, [unit("86", "province")], username=f"lai-hd{i}")
        CouncilMemberFactory(council=council, user=user, role="chair" if i == 0 else "member")
        members.append(user)
    return council, members


def test_below_ninety_at_central_level_the_province_may_evaluate_again(
    chain, decide, people, make_user, unit
):
    provincial = chain.evaluated(5)
    dossier_id = provincial.assignment.dossier_id
    ministry_propose(result_id=provincial.pk, actor=people["leader"])

    # Before the central result, the province cannot take the dossier back.
    again, members = _second_provincial_council(chain, people, make_user, unit)
    with pytest.raises(ApplicationError):
        assignment_create(council=again, dossier_id=dossier_id, actor=people["province"])

    central = chain.result(dossier_id, 4, level="central")
    assert central.total < 90 and central.star == 4
    # The same provincial council does not score it twice.
    first, _m = chain.council("province")
    with pytest.raises(ApplicationError) as twice:
        assignment_create(council=first, dossier_id=dossier_id, actor=people["province"])
    assert twice.value.code == "bad_transition" and twice.value.extra["key"] == "dossier"

    assignment = assignment_create(council=again, dossier_id=dossier_id, actor=people["province"])
    assert Dossier.objects.get(pk=dossier_id).status == DossierStatus.UNDER_EVALUATION
    with TestCase.captureOnCommitCallbacks(execute=True):
        for member in members:
            scorecard_save(assignment_id=assignment.pk, member=member, choices=dict(choices_for(3)))
            scorecard_submit(assignment_id=assignment.pk, member=member)
        result = council_conclude(assignment_id=assignment.pk, chair=members[0])
    with pytest.raises(ApplicationError) as superseded:  # the central result is no longer the one
        decide([central.pk])
    assert superseded.value.code == "bad_transition"
    cert = decide([result.pk]).certificates.get()
    assert cert.stars == 3 and cert.result == result


def test_a_central_five_star_result_is_not_taken_back_by_the_province(
    chain, people, make_user, unit
):
    provincial = chain.evaluated(5)
    dossier_id = provincial.assignment.dossier_id
    ministry_propose(result_id=provincial.pk, actor=people["leader"])
    chain.result(dossier_id, 5, level="central")
    again, _members = _second_provincial_council(chain, people, make_user, unit)
    with pytest.raises(ApplicationError) as refused:
        assignment_create(council=again, dossier_id=dossier_id, actor=people["province"])
    assert refused.value.code == "bad_transition" and refused.value.extra["key"] == "dossier"


def test_a_certificate_names_the_regime_it_was_recognised_under(chain, decide, people, client_for):
    """Records made under earlier decisions keep their regime: each certificate names it."""
    result = chain.evaluated(4)
    cert = decide([result.pk]).certificates.get()
    regime = result.assignment.council.regime_code
    assert regime and cert.regime_code == regime
    body = client_for(people["leader"]).get(f"/api/v1/certificates/{cert.pk}/").json()
    assert body["regime_code"] == regime and body["criteria_set_code"] == "QD26/2026"
