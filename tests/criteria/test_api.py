"""The public criteria API: reading sheets, evaluating scorecards, errors, schema."""

import re

import pytest
from django.db.models import Max
from rest_framework.test import APIClient

from apps.criteria.loading import criteria_load
from apps.criteria.models import Sheet

from .conftest import QD26_SLUG

pytestmark = pytest.mark.django_db

BASE = "/api/v1/criteria-sets/"
SHEET_7 = f"{BASE}{QD26_SLUG}/sheets/7/"
EVALUATE_7 = f"{SHEET_7}evaluate/"
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@pytest.fixture
def api(qd26) -> APIClient:
    return APIClient()  # anonymous: these endpoints are public


def best_choices(number: int, **overrides: int) -> dict[str, int]:
    """The top-scoring option of every criterion of a sheet, with some choices replaced."""
    sheet = Sheet.objects.get(criteria_set__slug=QD26_SLUG, number=number)
    choices = {}
    for criterion in sheet.criteria.annotate(best=Max("options__points")).prefetch_related(
        "options"
    ):
        choices[criterion.code] = next(
            o.number for o in criterion.options.all() if o.points == criterion.best
        )
    choices.update({code.replace("_", "."): option for code, option in overrides.items()})
    return choices


def post(api: APIClient, body, url: str = EVALUATE_7):
    return api.post(url, body, format="json")


# --- reading ---------------------------------------------------------------------------------


def test_criteria_sets_are_listed_anonymously(api):
    response = api.get(BASE)
    assert response.status_code == 200
    (qd26,) = [s for s in response.json() if s["code"] == "QD26/2026"]
    assert qd26["slug"] == "QD26-2026"
    assert qd26["effective_from"] == "2026-05-22" and qd26["effective_to"] is None
    assert qd26["regime"] == {
        "code": "province-ministry",
        "recognition": {"province": [3, 4], "ministry": [5]},
    }


def test_sheets_are_listed_with_their_classification(api):
    response = api.get(f"{BASE}{QD26_SLUG}/sheets/")
    assert response.status_code == 200
    sheets = response.json()
    assert [s["number"] for s in sheets] == list(range(1, 27))
    assert sheets[6]["title"] == "Chế biến từ rau, củ, quả, hạt"
    assert sheets[6]["classification"] == "I.3.c"


def test_a_sheet_is_a_flat_list_of_criteria_in_printed_order(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = api.get(SHEET_7)
    assert response.status_code == 200
    sheet = response.json()
    criteria = sheet["criteria"]
    assert [c["code"] for c in criteria][:5] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert [c["code"] for c in criteria][-5:] == ["7", "8", "9", "10", "11"]
    first = criteria[0]
    assert first["title"] == "Nguồn nguyên liệu" and first["part"] == "A"
    assert first["max_points"] == "3.00" and first["knockout"] is True
    assert first["applies_when"] is None
    assert first["options"][0] == {
        "number": 1,
        "text": "Có sử dụng nguyên liệu có nguồn gốc trong tỉnh, nhưng có tỷ lệ dưới 50%",
        "points": "1.00",
        "min_star": 3,
        "blank_points": False,
        "variant": "",
        "knockout_rule": "",
        "errata": [],
        "review": False,
        "review_note": "",
    }
    assert first["errata"] == [] and first["errata_notes"] == []
    story = next(c for c in criteria if c["code"] == "5.2")
    assert story["applies_when"] == {
        "criterion": "5.1",
        "min_option": 2,
        "text": "Chỉ áp dụng khi có câu chuyện sản phẩm",
    }
    assert [(p["part"], p["max_points"]) for p in sheet["parts"]] == [
        ("A", "40.00"),
        ("B", "25.00"),
        ("C", "35.00"),
    ]
    assert sheet["knockout_text"].startswith("Hồ sơ bị loại khi:")
    assert sheet["classification"] == "I.3.c"


def test_sheet_26_shows_the_printed_part_a_maximum_and_its_flag(api):
    parts = api.get(f"{BASE}{QD26_SLUG}/sheets/26/").json()["parts"]
    assert parts[0]["max_points"] == "35.00" and parts[0]["column_points"] == "40.00"
    assert parts[0]["review"] is True


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"{BASE}QD99-2030/sheets/", "Không tìm thấy bộ tiêu chí “QD99-2030”."),
        (f"{BASE}QD99-2030/sheets/7/", "Không tìm thấy bộ tiêu chí “QD99-2030”."),
        (f"{BASE}{QD26_SLUG}/sheets/27/", "Bộ tiêu chí QD26/2026 không có phiếu số 27."),
    ],
)
def test_unknown_sets_and_sheets_are_404_in_vietnamese(api, url, message):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"] == message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"{BASE}QD99-2030/sheets/7/evaluate/", "Không tìm thấy bộ tiêu chí “QD99-2030”."),
        (f"{BASE}{QD26_SLUG}/sheets/0/evaluate/", "Bộ tiêu chí QD26/2026 không có phiếu số 0."),
    ],
)
def test_evaluating_an_unknown_set_or_sheet_is_404(api, url, message):
    response = post(api, {"choices": {}}, url)
    assert response.status_code == 404
    assert response.json()["message"] == message


# --- evaluating ------------------------------------------------------------------------------


def test_a_partial_self_assessment_has_no_star(api):
    response = post(api, {"choices": {"1.1": 3, "2.4": 2}, "knockouts": []})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "4.00"
    assert body["parts"] == {"A": "4.00", "B": "0.00", "C": "0.00"}
    assert body["band_star"] == 1 and body["star"] is None
    assert "1.2" in body["missing"] and "1.1" not in body["missing"]
    assert body["members"] == [
        {
            "member": None,
            "total": "4.00",
            "parts": {"A": "4.00", "B": "0.00", "C": "0.00"},
            "missing": body["missing"],
            "band_star": 1,
        }
    ]


def test_a_high_total_is_capped_by_an_unmet_minimum(api):
    # Everything at its best except 2.2 "Đóng gói": option 2 (1 point) is below the 3★ marker.
    body = post(api, {"choices": best_choices(7, **{"2_2": 2})}).json()
    assert body["total"] == "98.00" and body["band_star"] == 5
    assert body["unmet_minimums"] == [
        {"criterion": "2.2", "star": 3},
        {"criterion": "2.2", "star": 4},
        {"criterion": "2.2", "star": 5},
    ]
    assert body["min_star_met"] == 2 and body["star"] == 2
    assert body["certificate_eligible"] is False and body["missing"] == []


def test_a_full_sheet_7_council(api):
    """Three members (hand-computed): totals 100, 96, 97; mean 97.67; 5★; proposed to Bộ NN&MT."""
    best = best_choices(7)
    assert len(best) == 32
    scorecards = [
        {"member": "Chủ tịch", "choices": best},
        # 6.5 "Vị" and 7 "Tính độc đáo" at option 3 (3 points instead of 5, still their 4★ marker)
        {"member": "Ủy viên 1", "choices": {**best, "6.5": 3, "7": 3}},
        # 4.1 at ≥5 agents (3 instead of 5, below 5★) and 1.5 at >75% (2 instead of 3, below 5★)
        {"member": "Ủy viên 2", "choices": {**best, "4.1": 3, "1.5": 3}},
    ]
    response = post(
        api, {"scorecards": scorecards, "rules": {"council_size": 3, "spread_threshold": 3}}
    )
    assert response.status_code == 200
    body = response.json()
    assert [m["total"] for m in body["members"]] == ["100.00", "96.00", "97.00"]
    assert body["total"] == "97.67"
    assert body["parts"] == {"A": "39.67", "B": "24.33", "C": "33.67"}
    assert body["band_star"] == 5 and body["min_star_met"] == 5 and body["star"] == 5
    assert body["unmet_minimums"] == []  # the 5★ minimums of 4.1 and 1.5 are met by 2 of 3
    assert body["spread"] == "4.00" and body["spread_exceeded"] is True  # threshold 3
    assert body["quorum_met"] is True and body["quorum_required"] == 3
    assert body["certificate_eligible"] is True and body["propose_to_ministry"] is True
    assert body["rejected"] is False and body["missing"] == []


def test_a_majority_knockout_rejects_and_a_missing_quorum_withholds_the_star(api):
    best = best_choices(7)
    rejected = post(
        api,
        {
            "scorecards": [
                {"choices": best, "knockouts": ["1.1"]},
                {"choices": best, "knockouts": ["1.1", "dossier"]},
                {"choices": best},
            ]
        },
    ).json()
    assert rejected["rejected"] is True and rejected["rejected_by"] == ["1.1"]
    assert rejected["star"] is None and rejected["total"] == "100.00"

    no_quorum = post(
        api, {"scorecards": [{"choices": best}] * 3, "rules": {"council_size": 5}}
    ).json()
    assert no_quorum["quorum_required"] == 4 and no_quorum["quorum_met"] is False
    assert no_quorum["star"] is None and no_quorum["band_star"] == 5


def test_sheets_with_values_above_their_maximum_cannot_be_scored_without_errata(api, data_copy):
    # the set loaded without its errata file: the printed 13 and 11 exceed their maxima
    criteria_load(paths=[data_copy(errata=False)])
    for number, key in ((4, "7"), (11, "6.1.1")):
        response = post(api, {"choices": {}}, f"{BASE}TEST-2026/sheets/{number}/evaluate/")
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "sheet_not_evaluable" and body["extra"]["key"] == key
        assert body["message"].startswith(f"Chưa thể tính điểm phiếu số {number}")


def test_sheets_corrected_by_errata_are_scored(api):
    for number in (4, 11):
        url = f"{BASE}{QD26_SLUG}/sheets/{number}/evaluate/"
        body = post(api, {"choices": best_choices(number)}, url).json()
        assert body["total"] == "100.00" and body["star"] == 5, number


def test_the_sheet_shows_errata_and_automatic_knockouts(api):
    sheet_4 = api.get(f"{BASE}{QD26_SLUG}/sheets/4/").json()
    nutrition = next(c for c in sheet_4["criteria"] if c["code"] == "7")
    option = nutrition["options"][2]
    assert option["points"] == "3.00" and option["errata"][0]["printed"] == 13
    assert option["errata"][0]["used"] == 3 and option["errata"][0]["status"] == "corrected"
    assert nutrition["errata_notes"][0].startswith("Phương án 3: in bản gốc: 13; áp dụng: 3, vì ")
    sheet_26 = api.get(f"{BASE}{QD26_SLUG}/sheets/26/").json()
    assert sheet_26["parts"][0]["errata"][0]["status"] == "queried"
    assert sheet_26["parts"][0]["errata_notes"][0].startswith("in bản gốc: 35; áp dụng: 35")
    sheet_16 = api.get(f"{BASE}{QD26_SLUG}/sheets/16/").json()
    section = next(s for s in sheet_16["sections"] if s["number"] == 6)
    assert section["knockout_rule"] == {
        "when": "zero_points",
        "text": "Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá "
        "các bước tiếp theo.",
    }
    sheet_19 = api.get(f"{BASE}{QD26_SLUG}/sheets/19/").json()
    declaration = next(c for c in sheet_19["criteria"] if c["code"] == "6")
    assert declaration["options"][0]["knockout_rule"].startswith("Ghi chú: Không đánh giá")
    assert declaration["knockout"] is False


@pytest.mark.parametrize(
    ("body", "code", "key"),
    [
        ({"choices": {"9.9": 1}}, "unknown_criterion", "9.9"),
        ({"choices": {"1.1": 4}}, "option_out_of_range", "1.1"),
        ({"choices": {"1.1": 0}}, "option_out_of_range", "1.1"),
        ({"choices": {"5.1": 1, "5.2": 2}}, "not_applicable", "5.2"),
        ({"choices": ["1.1", 3]}, "invalid", "choices"),
        ({"choices": {"1.1": "3"}}, "invalid", "1.1"),
        ({"choices": {"1.1": 2.5}}, "invalid", "1.1"),
        ({"choices": {"1.1": True}}, "invalid", "1.1"),
        ({"choices": {}, "knockouts": "1.1"}, "invalid", "knockouts"),
        ({"choices": {}, "knockouts": ["1.2"]}, "unknown_knockout", "knockouts"),
        ({"choices": {}, "extra": 1}, "invalid", "extra"),
        ([{"choices": {}}], "invalid", "body"),
        ({"scorecards": {"choices": {}}}, "invalid", "scorecards"),
        ({"scorecards": []}, "no_scorecards", "scorecards"),
        ({"scorecards": [{"choices": {}}], "choices": {}}, "invalid", "scorecards"),
        ({"choices": {}, "rules": {"council_size": "5"}}, "invalid", "council_size"),
        ({"choices": {}, "rules": {"spread_threshold": "mười"}}, "invalid", "spread_threshold"),
        ({"choices": {}, "rules": {"minimum_rule": "most"}}, "bad_rule", "minimum_rule"),
        ({"choices": {}, "rules": {"quorum": 0}}, "bad_rule", "quorum"),
        ({"choices": {}, "rules": {"speed": 1}}, "invalid", "speed"),
    ],
)
def test_bad_input_is_400_naming_the_key(api, body, code, key):
    response = post(api, body)
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == code
    assert error["extra"]["key"] == key
    assert VIETNAMESE.search(error["message"]), error["message"]


def test_errors_in_a_council_name_the_member(api):
    response = post(api, {"scorecards": [{"choices": {"1.1": 1}}, {"choices": {"1.1": 9}}]})
    assert response.status_code == 400
    assert response.json()["extra"] == {"key": "1.1", "member": 1}
    assert response.json()["message"] == "Tiêu chí 1.1 không có phương án 9."


def test_not_applicable_message_quotes_the_condition(api):
    message = post(api, {"choices": {"5.1": 1, "5.2": 1}}).json()["message"]
    assert message == "Tiêu chí 5.2 không được áp dụng: Chỉ áp dụng khi có câu chuyện sản phẩm."


def test_the_openapi_schema_documents_the_endpoints(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/criteria-sets/",
        "/api/v1/criteria-sets/{slug}/sheets/",
        "/api/v1/criteria-sets/{slug}/sheets/{number}/",
    ):
        assert "get" in paths[path]
    evaluate = paths["/api/v1/criteria-sets/{slug}/sheets/{number}/evaluate/"]["post"]
    assert evaluate["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EvaluateInput"
    )
    assert {"200", "400", "404", "409"} <= set(evaluate["responses"])
    assert {"total", "parts", "star", "unmet_minimums", "members"} <= set(
        schema["components"]["schemas"]["EvaluationOutput"]["properties"]
    )


def test_a_signed_in_user_evaluates_with_the_pages_csrf_token(qd26, make_user):
    """What selfcheck.js does for a signed-in user: the session needs the CSRF header."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user())
    page = client.get(f"/criteria/{QD26_SLUG}/sheets/7/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    assert post(client, {"choices": {"1.1": 1}}).status_code == 403
    response = client.post(
        EVALUATE_7, {"choices": {"1.1": 1}}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and response.json()["total"] == "1.00"
