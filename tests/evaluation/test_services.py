"""The council's rules, through the services: conflicts, locking, hidden scores, reopening,
quorum, and the star with minimums and knock-outs."""

import pytest
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.dossiers.models import Dossier
from apps.evaluation import selectors, services
from apps.evaluation.models import Conflict, EvaluationEvent, ProducerLink, ScorecardRevision
from tests.factories.criteria import best_choices, bottom_choices
from tests.factories.dossiers import accepted_dossier
from tests.factories.evaluation import council_with_members

pytestmark = pytest.mark.django_db


def _score_and_submit(assignment, member, choices, knockouts=()):
    services.scorecard_save(
        assignment_id=assignment.pk, member=member, choices=choices, knockouts=list(knockouts)
    )
    return services.scorecard_submit(assignment_id=assignment.pk, member=member)


def test_assignment_moves_the_dossier_and_opens_it_to_the_council(setup):
    dossier = Dossier.objects.get(pk=setup["dossier_id"])
    assert dossier.status == "under_evaluation"
    member = setup["members"][1]
    assert list(Dossier.objects.for_user(member)) == [dossier]
    outsider = setup["people"]["council"]  # a council member of the province, not on this council
    assert not Dossier.objects.for_user(outsider).exists()


def test_only_accepted_dossiers_can_be_assigned(people, product, client_for, make_user, unit):
    draft = (
        client_for(people["producer"])
        .post("/api/v1/dossiers/", {"product": product.pk})
        .json()["id"]
    )
    council, _m, _a = council_with_members(make_user, unit, creator=people["province"])
    with pytest.raises(ApplicationError) as error:
        services.assignment_create(council=council, dossier_id=draft, actor=people["province"])
    assert error.value.code == "bad_transition"


def test_flagged_conflict_blocks_the_scoring_form(people, product, client_for, make_user, unit):
    dossier_id = accepted_dossier(people, product, client_for)
    council, members, _adviser = council_with_members(make_user, unit, creator=people["province"])
    ProducerLink.objects.create(
        producer=product.producer, user=members[2], kind="relative", recorded_by=people["province"]
    )
    product.producer.users.add(members[3])  # works for the producer
    assignment = services.assignment_create(
        council=council, dossier_id=dossier_id, actor=people["province"]
    )
    kinds = set(
        Conflict.objects.filter(assignment=assignment).values_list("user__username", "kind")
    )
    assert kinds == {("hd2", "relative"), ("hd3", "works_for_producer")}
    for member in members[2:]:
        with pytest.raises(ApplicationError) as error:
            services.scorecard_save(assignment_id=assignment.pk, member=member, choices={"1.1": 1})
        assert error.value.code == "permission_denied" and error.value.extra["key"] == "conflict"
    assert services.eligible_members(assignment) == 2


def test_declared_conflict_blocks_too(setup):
    member = setup["members"][1]
    services.conflict_declare(
        assignment_id=setup["assignment"].pk, member=member, note="Người nhà của chủ thể"
    )
    with pytest.raises(ApplicationError):
        services.scorecard_open(assignment_id=setup["assignment"].pk, member=member)
    assert EvaluationEvent.objects.filter(action="conflict_declared").exists()


def test_rules_not_chosen_by_the_council_are_not_flagged(
    people, product, client_for, make_user, unit
):
    dossier_id = accepted_dossier(people, product, client_for)
    council, members, _ = council_with_members(
        make_user, unit, creator=people["province"], rules=()
    )
    product.producer.users.add(members[1])
    assignment = services.assignment_create(
        council=council, dossier_id=dossier_id, actor=people["province"]
    )
    assert not assignment.conflicts.exists()


def test_submitting_locks_the_scorecard(setup):
    a, member = setup["assignment"], setup["members"][1]
    card = _score_and_submit(a, member, best_choices())
    assert card.status == "submitted"
    with pytest.raises(ApplicationError) as error:
        services.scorecard_save(assignment_id=a.pk, member=member, choices={"1.1": 1})
    assert error.value.code == "bad_transition"
    card.refresh_from_db()
    assert card.choices["1.1"] == best_choices()["1.1"]


def test_incomplete_scorecard_cannot_be_submitted(setup):
    a, member = setup["assignment"], setup["members"][1]
    services.scorecard_save(assignment_id=a.pk, member=member, choices={"1.1": 2})
    with pytest.raises(ApplicationError) as error:
        services.scorecard_submit(assignment_id=a.pk, member=member)
    assert error.value.extra["key"] == "choices" and "1.2" in error.value.extra["missing"]


def test_bad_choice_saves_nothing(setup):
    a, member = setup["assignment"], setup["members"][1]
    services.scorecard_save(assignment_id=a.pk, member=member, choices={"1.1": 2})
    with pytest.raises(ApplicationError) as error:
        services.scorecard_save(assignment_id=a.pk, member=member, choices={"1.1": 3, "1.2": 9})
    assert error.value.code == "option_out_of_range"
    assert services.scorecard_open(assignment_id=a.pk, member=member).choices == {"1.1": 2}


def test_others_scores_are_hidden_until_one_submits(setup):
    a, (_chair, m1, m2, _m3) = setup["assignment"], setup["members"]
    _score_and_submit(a, m1, best_choices())
    own = services.scorecard_open(assignment_id=a.pk, member=m2)
    view = selectors.scoring_view(assignment=a, scorecard=own, viewer=m2)
    assert view.others_hidden and view.others == ()
    _score_and_submit(a, m2, best_choices())
    own.refresh_from_db()
    view = selectors.scoring_view(assignment=a, scorecard=own, viewer=m2)
    assert not view.others_hidden and [o.member for o in view.others] == [m1]


def test_scoring_view_shows_self_assessment_evidence_and_findings(setup):
    a, adviser = setup["assignment"], setup["adviser"]
    services.field_visit_record(
        assignment_id=a.pk,
        adviser=adviser,
        visited_on=timezone.localdate(),
        location={"type": "Point", "coordinates": [106.3756, 10.2415]},
        findings={"1.1": "Nguyên liệu dừa tại chỗ"},
        summary="Khảo sát cơ sở",
    )
    member = setup["members"][1]
    view = selectors.scoring_view(
        assignment=a,
        scorecard=services.scorecard_open(assignment_id=a.pk, member=member),
        viewer=member,
    )
    row = next(r for r in view.rows if r.criterion.code == "1.1")
    assert row.self_option == best_choices()["1.1"]
    assert any("Nguyên liệu dừa" in f for f in row.findings)


def test_field_visit_validates_location_and_criteria(setup):
    a, adviser = setup["assignment"], setup["adviser"]
    for location, findings, key in (
        ({"type": "Point", "coordinates": [107.3, 9.6]}, {}, "location"),
        ("106,10", {}, "location"),
        ({"type": "Point", "coordinates": [106.3756, 10.2415]}, {"99": "x"}, "findings.99"),
    ):
        with pytest.raises(ApplicationError) as error:
            services.field_visit_record(
                assignment_id=a.pk,
                adviser=adviser,
                visited_on=timezone.localdate(),
                location=location,
                findings=findings,
            )
        assert error.value.extra["key"] == key
    with pytest.raises(ApplicationError):  # a council member is not the advisory team
        services.lab_request_create(
            assignment_id=a.pk, adviser=setup["members"][1], tests="Vi sinh"
        )


def test_reopen_is_for_the_chair_with_a_reason_when_the_spread_is_too_wide(setup):
    a, (chair, m1, m2, _m3) = setup["assignment"], setup["members"]
    low = _score_and_submit(a, m1, bottom_choices())
    for m in (chair, m2):
        _score_and_submit(a, m, best_choices())
    with pytest.raises(ApplicationError) as error:
        services.council_conclude(assignment_id=a.pk, chair=chair)
    assert error.value.extra["key"] == "spread"
    with pytest.raises(ApplicationError):
        services.scorecards_reopen(assignment_id=a.pk, chair=m2, scorecard_ids=[low.pk], reason="x")
    with pytest.raises(ApplicationError) as error:
        services.scorecards_reopen(
            assignment_id=a.pk, chair=chair, scorecard_ids=[low.pk], reason=" "
        )
    assert error.value.extra["key"] == "reason"

    services.scorecards_reopen(
        assignment_id=a.pk, chair=chair, scorecard_ids=[low.pk], reason="Chênh lệch >10 điểm"
    )
    low.refresh_from_db()
    assert (low.status, low.version) == ("draft", 2)
    revision = ScorecardRevision.objects.get(scorecard=low)
    assert (
        revision.version == 1
        and revision.choices == bottom_choices()
        and revision.reason == "Chênh lệch >10 điểm"
    )
    assert EvaluationEvent.objects.get(action="scorecard_reopened").actor == chair

    _score_and_submit(a, m1, best_choices())
    result = services.council_conclude(assignment_id=a.pk, chair=chair)
    assert result.star == 5 and str(result.total) == "100.00"


def test_quorum_is_enforced(setup):
    a, (chair, m1, _m2, _m3) = setup["assignment"], setup["members"]
    _score_and_submit(a, chair, best_choices())
    _score_and_submit(a, m1, best_choices())
    with pytest.raises(ApplicationError) as error:  # 2 of 4: the quorum is 3
        services.council_conclude(assignment_id=a.pk, chair=chair)
    assert error.value.extra["key"] == "quorum"


def test_only_the_chair_concludes(setup):
    a, (chair, m1, m2, _m3) = setup["assignment"], setup["members"]
    for m in (chair, m1, m2):
        _score_and_submit(a, m, best_choices())
    with pytest.raises(ApplicationError):
        services.council_conclude(assignment_id=a.pk, chair=m1)
    result = services.council_conclude(assignment_id=a.pk, chair=chair, feedback="Rất tốt")
    assert result.propose_to_ministry and result.scoring_members == 3 and result.council_size == 4
    assert Dossier.objects.get(pk=setup["dossier_id"]).status == "evaluated"
    with pytest.raises(ApplicationError):  # concluded: no more saving or concluding
        services.council_conclude(assignment_id=a.pk, chair=chair)


def test_unmet_minimum_lowers_the_star_through_the_whole_flow(setup):
    a, (chair, m1, m2, _m3) = setup["assignment"], setup["members"]
    choices = {**best_choices(), "2.3": 2}  # 2.3 below its 4★ minimum (option 3)
    for m in (chair, m1, m2):
        _score_and_submit(a, m, choices)
    result = services.council_conclude(assignment_id=a.pk, chair=chair)
    assert result.band_star == 5 and result.star == 3
    assert {"criterion": "2.3", "star": 4} in result.unmet_minimums
    # 90 points or more: proposed to the ministry whatever the star (Đ7.3.e "đạt từ 90 trở lên").
    assert result.total >= 90 and result.propose_to_ministry


def test_knockout_rejects_through_the_whole_flow(setup):
    a, (chair, m1, m2, _m3) = setup["assignment"], setup["members"]
    for m in (chair, m1):
        _score_and_submit(a, m, best_choices(), knockouts=["1.1"])
    _score_and_submit(a, m2, best_choices())
    result = services.council_conclude(assignment_id=a.pk, chair=chair)
    assert result.rejected and result.rejected_by == ["1.1"] and result.star is None
    assert not result.certificate_eligible


def test_lowering_5_1_drops_the_5_2_choice_instead_of_blocking(setup):
    a, member = setup["assignment"], setup["members"][1]
    services.scorecard_save(assignment_id=a.pk, member=member, choices={"5.1": 3, "5.2": 2})
    card, result = services.scorecard_save(assignment_id=a.pk, member=member, choices={"5.1": 1})
    assert card.choices == {"5.1": 1} and "5.2" not in result.missing


def test_every_change_of_a_score_is_audited_under_the_members_account(setup):
    a, member = setup["assignment"], setup["members"][1]
    services.scorecard_save(assignment_id=a.pk, member=member, choices={"1.1": 1})
    services.scorecard_save(
        assignment_id=a.pk, member=member, choices={"1.1": 1}
    )  # no change: no event
    services.scorecard_save(
        assignment_id=a.pk, member=member, choices={"1.1": 3}, knockouts=["1.1"]
    )
    events = list(
        EvaluationEvent.objects.filter(assignment=a, action="scorecard_changed").order_by("pk")
    )
    assert [e.data["choices"] for e in events] == [{"1.1": [None, 1]}, {"1.1": [1, 3]}]
    assert events[1].data["knockouts"] == ["1.1"] and all(e.actor == member for e in events)
