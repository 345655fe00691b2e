"""The advisory team's report (QĐ 26/2026 Đ7.3.c), through the services, the API and the scoring
page: "Tổ tư vấn Hội đồng cấp tỉnh tổ chức đánh giá hồ sơ ...; đề xuất bổ sung hồ sơ, tổ chức khảo
sát thực tế tại cơ sở sản xuất, kinh doanh ... và đề nghị bổ sung kết quả kiểm nghiệm chất lượng
(nếu cần); xây dựng báo cáo đánh giá gửi Chủ tịch Hội đồng cấp tỉnh." The council scores after it
(Đ7.3.d)."""

import pytest
from django.utils import timezone

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError
from apps.evaluation import services
from apps.evaluation.models import AdvisoryReport, EvaluationEvent
from tests.factories.criteria import best_choices

pytestmark = pytest.mark.django_db

URL = "/api/v1/assignments/{}/advisory-report/"


@pytest.fixture
def advisory_report_required():
    """`setup`'s council (tests/evaluation/conftest.py) waits for its advisory team's report, the
    default of a new council."""
    return True


def _write(assignment, adviser, **fields):
    fields = {"assessment": "Hồ sơ đầy đủ; minh chứng khớp phiếu tự đánh giá.", **fields}
    return services.advisory_report_save(assignment_id=assignment.pk, adviser=adviser, **fields)


def test_members_submit_only_after_the_report_is_sent(setup):
    a, member, adviser = setup["assignment"], setup["members"][1], setup["adviser"]
    services.scorecard_save(
        assignment_id=a.pk, member=member, choices=best_choices()
    )  # drafting is fine
    with pytest.raises(ApplicationError) as waiting:
        services.scorecard_submit(assignment_id=a.pk, member=member)
    assert (
        waiting.value.code == "bad_transition" and waiting.value.extra["key"] == "advisory_report"
    )

    _write(a, adviser, field_survey="Khảo sát tại cơ sở ngày 02/12: điều kiện sản xuất như hồ sơ.")
    with pytest.raises(ApplicationError):  # a draft is not the report
        services.scorecard_submit(assignment_id=a.pk, member=member)
    report = services.advisory_report_submit(assignment_id=a.pk, adviser=adviser)
    assert report.status == "submitted" and report.submitted_by == adviser
    assert services.scorecard_submit(assignment_id=a.pk, member=member).status == "submitted"
    actions = list(EvaluationEvent.objects.filter(assignment=a).values_list("action", flat=True))
    assert "advisory_report_saved" in actions and "advisory_report_submitted" in actions


def test_the_report_needs_an_assessment_and_a_field_survey(setup):
    a, adviser = setup["assignment"], setup["adviser"]
    with pytest.raises(ApplicationError) as empty:
        services.advisory_report_submit(assignment_id=a.pk, adviser=adviser)
    assert empty.value.extra["key"] == "assessment"
    _write(a, adviser)
    with pytest.raises(ApplicationError) as no_survey:
        services.advisory_report_submit(assignment_id=a.pk, adviser=adviser)
    assert no_survey.value.extra["key"] == "field_survey"
    # A visit recorded at the production site is the survey.
    services.field_visit_record(
        assignment_id=a.pk,
        adviser=adviser,
        visited_on=timezone.localdate(),
        location={"type": "Point", "coordinates": [106.3756, 10.2415]},
        findings={"1.1": "Nguyên liệu tại chỗ"},
        summary="Khảo sát",
    )
    assert (
        services.advisory_report_submit(assignment_id=a.pk, adviser=adviser).status == "submitted"
    )


def test_a_sent_report_is_locked(setup):
    a, adviser = setup["assignment"], setup["adviser"]
    _write(a, adviser, field_survey="Không khảo sát: không thay đổi quy mô (Đ7.6.c).")
    services.advisory_report_submit(assignment_id=a.pk, adviser=adviser)
    with pytest.raises(ApplicationError) as locked:
        _write(a, adviser, assessment="Sửa lại")
    assert locked.value.code == "bad_transition"
    with pytest.raises(ApplicationError):
        services.advisory_report_submit(assignment_id=a.pk, adviser=adviser)
    assert AdvisoryReport.objects.get(assignment=a).assessment.startswith("Hồ sơ đầy đủ")


def test_not_awaited_without_an_advisory_team_or_when_the_council_does_not_wait(setup):
    a, member = setup["assignment"], setup["members"][1]
    council = setup["council"]
    council.advisory_report_required = False
    council.save(update_fields=["advisory_report_required"])
    assert not services.advisory_report_awaited(a)
    council.advisory_report_required = True
    council.save(update_fields=["advisory_report_required"])
    council.advisors.clear()
    assert not services.advisory_report_awaited(a)
    services.scorecard_save(assignment_id=a.pk, member=member, choices=best_choices())
    assert services.scorecard_submit(assignment_id=a.pk, member=member).status == "submitted"


def test_api_the_team_writes_members_read_once_sent(setup, client_for):
    a, member, adviser, people = (
        setup["assignment"],
        setup["members"][1],
        setup["adviser"],
        setup["people"],
    )
    url = URL.format(a.pk)
    saved = client_for(adviser).put(
        url, {"assessment": "Bản nháp", "recommendation": "Đề nghị chấm"}, format="json"
    )
    assert (
        saved.status_code == 200
        and saved.json()["status"] == "draft"
        and saved.json()["awaited"] is True
    )
    # Members do not read the draft.
    draft_seen = client_for(member).get(url).json()
    assert (
        draft_seen["status"] == "none"
        and draft_seen["assessment"] == ""
        and draft_seen["awaited"] is True
    )
    assert client_for(adviser).get(url).json()["assessment"] == "Bản nháp"

    refused = client_for(adviser).post(url + "submit/")
    assert refused.status_code == 400 and refused.json()["extra"]["key"] == "field_survey"
    assert (
        client_for(adviser).put(url, {"field_survey": "Đã khảo sát"}, format="json").status_code
        == 200
    )
    sent = client_for(adviser).post(url + "submit/")
    assert (
        sent.status_code == 200
        and sent.json()["status"] == "submitted"
        and sent.json()["awaited"] is False
    )
    read = client_for(member).get(url).json()
    assert read["assessment"] == "Bản nháp" and read["field_survey"] == "Đã khảo sát"
    officer = client_for(people["province"]).get(url)
    assert officer.status_code == 200 and officer.json()["status"] == "submitted"
    assert client_for(adviser).put(url, {"assessment": "x"}, format="json").status_code == 409


def test_api_permissions_and_bad_input(setup, client_for, client, make_user, unit):
    a, member, adviser, people = (
        setup["assignment"],
        setup["members"][1],
        setup["adviser"],
        setup["people"],
    )
    url = URL.format(a.pk)
    assert client.get(url).status_code in (401, 403)
    assert client.put(url, {"assessment": "x"}, format="json").status_code in (401, 403)
    assert client_for(member).put(url, {"assessment": "x"}, format="json").status_code == 403
    assert client_for(member).post(url + "submit/").status_code == 403
    assert client_for(people["producer"]).get(url).status_code == 404
    outsider = make_user(Role.ADVISORY_MEMBER, [unit("86", "province")], username="tuvan-khac")
    assert client_for(outsider).put(url, {"assessment": "x"}, format="json").status_code == 404
    assert client_for(adviser).get(URL.format(999999)).status_code == 404
    too_long = client_for(adviser).put(url, {"assessment": "x" * 20001}, format="json")
    assert too_long.status_code == 400
    not_text = client_for(adviser).put(url, {"assessment": ["a"]}, format="json")
    assert not_text.status_code == 400
    assert not AdvisoryReport.objects.filter(assignment=a).exists()  # nothing saved by bad input


def test_the_scoring_page_shows_the_report(setup, client):
    a, member, adviser = setup["assignment"], setup["members"][1], setup["adviser"]
    client.force_login(member)
    page = client.get(f"/evaluation/assignments/{a.pk}/score/")
    assert page.status_code == 200 and 'data-testid="report-awaited"' in page.content.decode()
    _write(a, adviser, assessment="Nguyên liệu địa phương <b>đạt</b>", field_survey="Đã khảo sát")
    services.advisory_report_submit(assignment_id=a.pk, adviser=adviser)
    html = client.get(f"/evaluation/assignments/{a.pk}/score/").content.decode()
    assert (
        'data-testid="report-assessment"' in html
        and "Nguyên liệu địa phương &lt;b&gt;đạt&lt;/b&gt;" in html
    )
    assert 'data-testid="report-awaited"' not in html
