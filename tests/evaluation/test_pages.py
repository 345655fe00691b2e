"""The council pages (Django test client): my councils, the scoring form, the progress page.

Texts are looked up through gettext (Vietnamese), so the tests hold before and after the
catalogue gets the new msgids."""

from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from apps.dossiers.models import Dossier, EvidenceFile
from apps.evaluation import selectors, services
from apps.evaluation.models import (
    Conflict,
    CouncilResult,
    EvaluationEvent,
    FieldVisit,
    Scorecard,
    ScorecardRevision,
)
from tests.factories.criteria import best_choices, bottom_choices
from tests.factories.dossiers import accepted_dossier
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db
MINE = "/evaluation/"


def t(msgid: str, raw: bool = False, **params) -> str:
    """`msgid` as the page renders it in Vietnamese; English until translated. Messages and
    variables are HTML-escaped; `{% translate %}` output is not (`raw=True`)."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    text = text % params if params else text
    return text if raw else escape(text)


def web(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def score_url(assignment) -> str:
    return f"/evaluation/assignments/{assignment.pk}/score/"


def progress_url(council) -> str:
    return f"/evaluation/councils/{council.pk}/progress/"


def html(response) -> str:
    return response.content.decode()


def submit(panel, user, choices, knockouts=()):
    services.scorecard_save(
        assignment_id=panel.assignment.pk, member=user, choices=choices, knockouts=list(knockouts)
    )
    return services.scorecard_submit(assignment_id=panel.assignment.pk, member=user)


def form_data(op: str, choices: dict, **extra) -> dict:
    data = {"op": op, **{f"c:{code}": str(n) for code, n in choices.items()}}
    data.update(extra)
    return data


def test_urls_are_the_agreed_ones():
    assert reverse("evaluation:mine") == MINE
    assert (
        reverse("evaluation:score", kwargs={"assignment_id": 3})
        == "/evaluation/assignments/3/score/"
    )
    assert (
        reverse("evaluation:progress", kwargs={"council_id": 4})
        == "/evaluation/councils/4/progress/"
    )


# --- my councils -----------------------------------------------------------------------------
def test_member_sees_only_the_products_assigned_to_their_councils(panel, other_panel):
    page = html(web(panel.member1).get(MINE))
    assert t("My councils") in page
    assert "Hội đồng thử" in page and "Kẹo dừa DEMO" in page
    assert "Hội đồng khác" not in page and "Thạch dừa DEMO" not in page
    assert score_url(panel.assignment) in page and score_url(other_panel.assignment) not in page
    assert t("Not started") in page
    assert progress_url(panel.council) not in page  # a plain member follows no progress

    page = html(web(other_panel.member).get(MINE))
    assert "Thạch dừa DEMO" in page and "Kẹo dừa DEMO" not in page
    assert web(other_panel.member).get(score_url(panel.assignment)).status_code == 404


def test_chair_secretary_and_province_officer_get_the_progress_link(panel):
    for user in (panel.chair, panel.secretary, panel.province):
        assert progress_url(panel.council) in html(web(user).get(MINE)), user


def test_member_status_follows_their_scorecard(panel):
    client = web(panel.member1)
    client.post(score_url(panel.assignment), form_data("save", {"1.1": 2}))
    assert t("Saved, not submitted") in html(client.get(MINE))
    submit(panel, panel.member1, best_choices())
    assert 'data-testid="state">' + t("Submitted") in html(client.get(MINE))


def test_adviser_sees_the_products_but_does_not_score(panel):
    client = web(panel.adviser)
    page = html(client.get(MINE))
    assert "Kẹo dừa DEMO" in page and t("You are on the advisory team", raw=True) in page
    assert score_url(panel.assignment) not in page
    assert client.get(score_url(panel.assignment)).status_code == 404
    assert client.get(progress_url(panel.council)).status_code == 403


def test_producer_gets_nothing(panel):
    producer = web(panel.producer)
    for url in (MINE, score_url(panel.assignment), progress_url(panel.council)):
        response = producer.get(url)
        assert response.status_code == 404, url
        assert "chutich" not in html(response) and "Ông/Bà" not in html(response)
    assert (
        producer.post(score_url(panel.assignment), form_data("save", {"1.1": 1})).status_code == 404
    )
    assert not Scorecard.objects.filter(member=panel.producer).exists()


def test_anonymous_is_sent_to_the_login_page(panel):
    response = web(None).get(score_url(panel.assignment))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_commune_officer_gets_a_page_that_says_who_it_is_for(panel):
    response = web(panel.people["commune"]).get(MINE)
    assert response.status_code == 403
    assert t(
        "These pages are for council members, the advisory team and provincial OCOP officers."
    ) in html(response)


# --- conflicts -------------------------------------------------------------------------------
def test_conflicted_member_gets_a_403_with_the_reason_and_cannot_save(panel):
    client = web(panel.related)
    assert Conflict.objects.filter(
        assignment=panel.assignment, user=panel.related, kind="relative"
    ).exists()
    assert t("Conflict of interest") in html(client.get(MINE))
    assert score_url(panel.assignment) not in html(client.get(MINE))

    response = client.get(score_url(panel.assignment))
    assert response.status_code == 403
    assert t("You have a conflict of interest on this product and cannot score it.") in html(
        response
    )
    response = client.post(score_url(panel.assignment), form_data("save", {"1.1": 3}))
    assert response.status_code == 403
    assert not Scorecard.objects.filter(member=panel.related).exists()


def test_member_declares_a_conflict_with_a_note(panel):
    client = web(panel.member1)
    response = client.post(score_url(panel.assignment), {"op": "conflict", "conflict_note": "  "})
    assert response.status_code == 400
    assert t("Describe the conflict of interest.") in html(response)
    assert not Conflict.objects.filter(user=panel.member1).exists()

    response = client.post(
        score_url(panel.assignment), {"op": "conflict", "conflict_note": "Em họ của giám đốc HTX"}
    )
    assert response.status_code == 302 and response["Location"] == MINE
    conflict = Conflict.objects.get(user=panel.member1)
    assert conflict.kind == "declared" and conflict.note == "Em họ của giám đốc HTX"
    assert client.get(score_url(panel.assignment)).status_code == 403


# --- scoring ---------------------------------------------------------------------------------
def test_score_page_shows_options_self_assessment_evidence_and_findings(panel):
    dossier = Dossier.objects.get(pk=panel.dossier_id)
    evidence = EvidenceFile.objects.create(
        dossier=dossier,
        annex_type="raw_material",
        criterion_code="1.1",
        title="Hợp đồng vùng nguyên liệu",
        original_name="vung-nguyen-lieu.pdf",
        storage_name="x/vung-nguyen-lieu.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=panel.producer,
    )
    FieldVisit.objects.create(
        assignment=panel.assignment,
        visited_on=date(2026, 11, 20),
        location=Point(106.3756, 10.2415, srid=4326),
        findings={"1.1": "Vùng dừa 20 ha, có hợp đồng liên kết."},
        recorded_by=panel.province,
    )
    response = web(panel.member1).get(score_url(panel.assignment))
    assert response.status_code == 200
    page = html(response)
    criteria = dossier.sheet.criteria.order_by("order")
    codes = [c.code for c in criteria]
    positions = [page.index(f'id="c-{code}"') for code in codes]
    assert positions == sorted(positions)  # printed order
    assert page.count('name="c:') == sum(c.options.count() for c in criteria)
    # The producer chose the best option everywhere: each criterion shows it highlighted.
    assert page.count('data-testid="self-choice"') == len(codes)
    assert t("Producer's self-assessment", raw=True) in page
    assert "★ min" in page
    download = reverse(
        "dossier-file-download", kwargs={"dossier_id": dossier.pk, "file_id": evidence.pk}
    )
    assert f'href="{download}"' in page and "Hợp đồng vùng nguyên liệu" in page
    assert "20/11/2026: Vùng dừa 20 ha, có hợp đồng liên kết." in page
    knockouts = [c.code for c in criteria if c.knockout]
    assert knockouts and all(f'name="knockout" value="{code}"' in page for code in knockouts)
    assert 'name="knockout" value="dossier"' in page
    assert 'name="comment:1.1"' in page
    assert t("Submit the scorecard") in page
    assert (
        t("The other members' scores are hidden until you submit your own scorecard.", raw=True)
        in page
    )
    assert f'data-api="/api/v1/assignments/{panel.assignment.pk}/scorecard/"' in page


def test_saving_by_form_post(panel):
    client = web(panel.member1)
    response = client.post(
        score_url(panel.assignment),
        form_data(
            "save",
            {"1.1": 2, "1.2": 3},
            knockout="1.1",
            **{"comment:1.1": "Thiếu hợp đồng vùng nguyên liệu"},
        ),
    )
    assert response.status_code == 302
    card = Scorecard.objects.get(assignment=panel.assignment, member=panel.member1)
    assert card.choices == {"1.1": 2, "1.2": 3} and card.knockouts == ["1.1"]
    assert card.comments["1.1"] == "Thiếu hợp đồng vùng nguyên liệu" and card.status == "draft"
    page = html(client.get(score_url(panel.assignment)))
    assert t("Your scorecard is saved.") in page
    assert 'name="c:1.1" value="2" checked' in page
    assert 'name="knockout" value="1.1" checked' in page
    assert "Thiếu hợp đồng vùng nguyên liệu</textarea>" in page


def test_a_bad_choice_saves_nothing_and_keeps_the_input(panel):
    client = web(panel.member1)
    response = client.post(
        score_url(panel.assignment),
        form_data("save", {"1.1": 9}, **{"comment:1.2": "Ghi chú giữ lại"}),
    )
    assert response.status_code == 400
    page = html(response)
    assert t("Criterion %(key)s has no option %(value)s.", key="1.1", value=9) in page
    assert "Ghi chú giữ lại</textarea>" in page
    card = Scorecard.objects.get(assignment=panel.assignment, member=panel.member1)
    assert card.choices == {} and card.comments == {}


def test_submitting_an_incomplete_scorecard_is_refused(panel):
    response = web(panel.member1).post(score_url(panel.assignment), form_data("submit", {"1.1": 3}))
    assert response.status_code == 400
    assert t("Choose an option for every criterion before submitting: %(codes)s.", codes="")[
        :30
    ] in html(response)
    card = Scorecard.objects.get(assignment=panel.assignment, member=panel.member1)
    assert card.status == "draft" and card.choices == {"1.1": 3}


def test_submitting_locks_the_scorecard(panel):
    client = web(panel.member1)
    response = client.post(score_url(panel.assignment), form_data("submit", best_choices()))
    assert response.status_code == 302
    card = Scorecard.objects.get(assignment=panel.assignment, member=panel.member1)
    assert card.status == "submitted" and card.submitted_at is not None
    page = html(client.get(score_url(panel.assignment)))
    assert t("Your scorecard is submitted and locked.") in page
    assert 'data-testid="locked"' in page and 'data-testid="submit"' not in page
    assert page.count("disabled>") >= 32  # every criterion's fieldset is read-only
    assert (
        EvaluationEvent.objects.filter(
            assignment=panel.assignment, action="scorecard_submitted"
        ).count()
        == 1
    )

    again = client.post(score_url(panel.assignment), form_data("save", {"1.1": 1}))
    assert again.status_code == 400
    assert t("Your scorecard is submitted and locked.") in html(again)
    twice = client.post(score_url(panel.assignment), form_data("submit", {"1.1": 1}))
    assert twice.status_code == 400
    card.refresh_from_db()
    assert card.choices == best_choices() and card.status == "submitted" and card.version == 1
    assert (
        EvaluationEvent.objects.filter(
            assignment=panel.assignment, action="scorecard_submitted"
        ).count()
        == 1
    )


def test_others_scores_are_hidden_until_the_member_submits(panel):
    submit(panel, panel.member2, bottom_choices())
    client = web(panel.member1)
    page = html(client.get(score_url(panel.assignment)))
    assert 'data-testid="others-hidden"' in page
    assert "Ông/Bà uyvien2" not in page

    client.post(score_url(panel.assignment), form_data("submit", best_choices()))
    page = html(client.get(score_url(panel.assignment)))
    assert 'data-testid="others-hidden"' not in page
    other = page[page.index('data-testid="others"') :]
    member2_total = selectors.scorecard_result(
        scorecard=Scorecard.objects.get(member=panel.member2)
    ).total
    assert "Ông/Bà uyvien2" in other and str(member2_total) in other


def test_others_scores_are_shown_at_once_when_the_council_reveals_them(panel):
    panel.council.reveal_after_submit = False
    panel.council.save(update_fields=["reveal_after_submit"])
    submit(panel, panel.member2, bottom_choices())
    page = html(web(panel.member1).get(score_url(panel.assignment)))
    assert 'data-testid="others-hidden"' not in page and "Ông/Bà uyvien2" in page


# --- progress --------------------------------------------------------------------------------
def test_progress_page_for_the_chair_secretary_and_province_officer_only(panel):
    submit(panel, panel.member1, best_choices())
    for user in (panel.chair, panel.secretary, panel.province):
        response = web(user).get(progress_url(panel.council))
        assert response.status_code == 200, user
        page = html(response)
        assert t("Scoring progress") in page and "Kẹo dừa DEMO" in page
        row = page[page.index('data-testid="progress-row"') :]
        assert f'data-member="{panel.member1.pk}" data-status="submitted"' in row
        assert f'data-member="{panel.related.pk}" data-status="conflict"' in row
        assert f'data-member="{panel.member2.pk}" data-status="not_started"' in row
        assert "1 / 4" in row  # one of the four members without a conflict
    response = web(panel.member1).get(progress_url(panel.council))
    assert response.status_code == 403
    assert t("Only the chair and the secretary follow the progress.") in html(response)
    assert web(panel.producer).get(progress_url(panel.council)).status_code == 404
    assert web(panel.people["other_province"]).get(progress_url(panel.council)).status_code == 404


def test_chair_reopens_chosen_scorecards_with_a_reason(panel):
    submit(panel, panel.member1, best_choices())
    submit(panel, panel.member2, bottom_choices())
    chair = web(panel.chair)
    page = html(chair.get(progress_url(panel.council)))
    assert 'data-testid="spread-exceeded"' in page and 'data-testid="reopen-form"' in page
    low = Scorecard.objects.get(member=panel.member2)

    # Without a reason: refused, the choice kept, nothing reopened.
    response = chair.post(
        progress_url(panel.council),
        {"op": "reopen", "assignment": panel.assignment.pk, "scorecards": [low.pk], "reason": " "},
    )
    assert response.status_code == 400
    assert t("A reason is required to reopen scorecards.") in html(response)
    assert f'value="{low.pk}" checked' in html(response)
    low.refresh_from_db()
    assert low.status == "submitted"

    # The secretary cannot reopen.
    response = web(panel.secretary).post(
        progress_url(panel.council),
        {
            "op": "reopen",
            "assignment": panel.assignment.pk,
            "scorecards": [low.pk],
            "reason": "Lệch điểm",
        },
    )
    assert response.status_code == 403
    assert t("Only the chair can reopen scorecards.") in html(response)

    reason = "Chênh lệch 60 điểm: chấm lại tiêu chí 6.x sau khi xem mẫu."
    response = chair.post(
        progress_url(panel.council),
        {
            "op": "reopen",
            "assignment": panel.assignment.pk,
            "scorecards": [low.pk],
            "reason": reason,
        },
    )
    assert response.status_code == 302
    low.refresh_from_db()
    assert low.status == "draft" and low.version == 2
    assert ScorecardRevision.objects.get(scorecard=low).reason == reason
    event = EvaluationEvent.objects.get(assignment=panel.assignment, action="scorecard_reopened")
    assert event.actor == panel.chair and event.note == reason and event.data["scorecard"] == low.pk
    # The member sees why, and may score again.
    page = html(web(panel.member2).get(score_url(panel.assignment)))
    assert (
        'data-testid="reopened"' in page
        and escape(reason) in page
        and 'data-testid="submit"' in page
    )


def test_conclude_needs_the_quorum(panel):
    submit(panel, panel.chair, best_choices())
    submit(panel, panel.member1, best_choices())
    chair = web(panel.chair)
    response = chair.post(
        progress_url(panel.council),
        {"op": "conclude", "assignment": panel.assignment.pk, "feedback": "Đạt yêu cầu"},
    )
    assert response.status_code == 400
    assert t(
        "Quorum not reached: %(n)s of the %(need)s required members have submitted.", n=2, need=3
    ) in html(response)
    assert "Đạt yêu cầu</textarea>" in html(response)
    assert not CouncilResult.objects.exists()

    submit(panel, panel.member2, best_choices())
    response = chair.post(
        progress_url(panel.council),
        {"op": "conclude", "assignment": panel.assignment.pk, "feedback": "Đạt yêu cầu"},
    )
    assert response.status_code == 302
    result = CouncilResult.objects.get(assignment=panel.assignment)
    assert result.star == 5 and str(result.total) == "100.00" and result.scoring_members == 3
    page = html(chair.get(progress_url(panel.council)))
    assert t("The council's result is recorded.") in page
    block = page[page.index('data-testid="result"') :]
    assert "100.00" in block and "5★" in block and "Đạt yêu cầu" in block
    assert 'data-testid="conclude-form"' not in page
    assert Dossier.objects.get(pk=panel.dossier_id).status != "assigned_to_council"
    # The members' forms are closed now.
    assert 'data-testid="submit"' not in html(web(panel.member1).get(score_url(panel.assignment)))


def test_conclusion_shows_unmet_minimums_and_knockouts(panel):
    for user in (panel.chair, panel.member1, panel.member2):
        submit(panel, user, bottom_choices(), knockouts=["dossier"])
    chair = web(panel.chair)
    response = chair.post(
        progress_url(panel.council), {"op": "conclude", "assignment": panel.assignment.pk}
    )
    assert response.status_code == 302
    result = CouncilResult.objects.get(assignment=panel.assignment)
    assert result.rejected and result.rejected_by == ["dossier"] and result.unmet_minimums
    page = html(chair.get(progress_url(panel.council)))
    block = page[page.index('data-testid="result"') :]
    assert t("Rejected (knock-out)") in block
    unmet = block[
        block.index('data-testid="result-unmet"') : block.index('data-testid="result-knockouts"')
    ]
    first = result.unmet_minimums[0]
    assert f"{first['criterion']} ({first['star']}★)" in unmet
    assert "dossier" in block[block.index('data-testid="result-knockouts"') :]


# --- query counts ----------------------------------------------------------------------------
def _assign_second_product(panel, client_for):
    people = panel.people
    second = ProductFactory(
        producer=panel.assignment.dossier.product.producer, name="Thạch dừa DEMO"
    )
    dossier_id = accepted_dossier(people, second, client_for)
    return services.assignment_create(
        council=panel.council, dossier_id=dossier_id, actor=people["province"]
    )


def test_pages_take_a_constant_number_of_queries(panel, client_for, django_assert_max_num_queries):
    submit(panel, panel.member1, best_choices())
    submit(panel, panel.member2, bottom_choices())
    pages = ((panel.chair, progress_url(panel.council)), (panel.member1, MINE))
    counts = {}
    for user, url in pages:
        client = web(user)
        client.get(url)  # session and first-visit queries
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    second = _assign_second_product(panel, client_for)
    services.scorecard_save(assignment_id=second.pk, member=panel.member1, choices=best_choices())
    services.scorecard_submit(assignment_id=second.pk, member=panel.member1)
    for user, url in pages:
        client = web(user)
        client.get(url)
        with django_assert_max_num_queries(counts[url]) as captured:
            page = html(client.get(url))
        assert "Thạch dừa DEMO" in page, url
    client = web(panel.member1)
    client.get(score_url(panel.assignment))
    with django_assert_max_num_queries(30):
        assert client.get(score_url(panel.assignment)).status_code == 200
