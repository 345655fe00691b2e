"""The dossier from draft to "accepted for round", through the API, with the audit trail."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.dossiers.models import Dossier, Notification, PublicHoliday
from tests.factories.criteria import best_choices
from tests.factories.dossiers import FORM01, FORM02, accepted_dossier, submitted_dossier
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/dossiers/"


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_end_to_end_from_draft_to_accepted(people, product, client_for):
    producer = client_for(people["producer"])
    commune = client_for(people["commune"])
    province = client_for(people["province"])

    dossier = _ok(producer.post(API, {"product": product.pk}), 201)
    did = dossier["id"]
    assert dossier["status"] == "draft"
    assert dossier["criteria_set"] == "QD26/2026" and dossier["sheet"] == 7
    assert dossier["commune"]["code"] == "28777" and dossier["province"]["code"] == "86"
    assert dossier["samples_required"] == 5

    # Submitting an incomplete dossier is refused and changes nothing.
    response = producer.post(f"{API}{did}/submit/")
    assert response.status_code == 400 and response.json()["extra"]["key"].startswith("form01.")
    assert Dossier.objects.get(pk=did).status == "draft"

    _ok(producer.patch(f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"))
    choices = best_choices()
    score = _ok(producer.put(f"{API}{did}/self-assessment/", {"choices": choices}, format="json"))
    assert score["missing"] == [] and score["total"] == "100.00" and score["star"] == 5

    PublicHoliday.objects.create(day=timezone.localdate() + timedelta(days=1), name="Ngày nghỉ thử")
    submitted = _ok(producer.post(f"{API}{did}/submit/"))
    assert submitted["status"] == "submitted"
    year = timezone.localdate().year
    assert submitted["receipt_number"] == f"001/PĐK-86-28777-{year}"
    assert submitted["self_score"] == "100.00" and submitted["self_star"] == 5
    assert submitted["commune_deadline"] > str(timezone.localdate() + timedelta(days=15))
    assert mail.outbox[-1].to == ["xa@example.test"]

    _ok(commune.post(f"{API}{did}/commune-start-review/"))
    missing_reason = commune.post(f"{API}{did}/commune-return/", {"note": "  "})
    assert missing_reason.status_code == 400 and missing_reason.json()["extra"]["key"] == "note"
    returned = _ok(commune.post(f"{API}{did}/commune-return/", {"note": "Thiếu phiếu kiểm nghiệm"}))
    assert returned["status"] == "returned_by_commune"
    assert Notification.objects.filter(
        recipient=people["producer"], message__contains="Thiếu phiếu"
    ).exists()

    # The returned dossier keeps everything; resubmitting shows what changed.
    detail = _ok(producer.get(f"{API}{did}/"))
    assert detail["form01"]["unit_name"] == FORM01["unit_name"]
    assert detail["self_assessment"] == choices
    _ok(
        producer.patch(
            f"{API}{did}/forms/", {"form02": {"markets": "Thêm siêu thị Co.op"}}, format="json"
        )
    )
    lower = {**choices, "4.1": 2}
    _ok(producer.put(f"{API}{did}/self-assessment/", {"choices": lower}, format="json"))
    resubmitted = _ok(producer.post(f"{API}{did}/submit/"))
    assert resubmitted["receipt_number"] == submitted["receipt_number"]
    last_submit = [e for e in resubmitted["events"] if e["action"] == "submit"][-1]
    changed = {(c["part"], c["key"]) for c in last_submit["changes"]}
    assert changed == {("form02", "markets"), ("self_assessment", "4.1")}

    _ok(commune.post(f"{API}{did}/commune-start-review/"))
    no_form03 = commune.post(f"{API}{did}/commune-assess/")
    assert no_form03.status_code == 400 and no_form03.json()["extra"]["key"] == "commune_assessment"
    _ok(
        commune.put(
            f"{API}{did}/commune-assessment/",
            {
                "raw_material": "Dừa trong tỉnh 100%.",
                "local_labour": "25 lao động địa phương.",
                "product_idea": "Nghề truyền thống.",
                "local_identity": "Gắn với xứ dừa Bến Tre.",
                "proposal": "Đề nghị UBND tỉnh đánh giá, phân hạng.",
            },
            format="json",
        )
    )
    _ok(commune.post(f"{API}{did}/commune-assess/"))
    no_samples = commune.post(f"{API}{did}/commune-forward/")
    assert no_samples.status_code == 400 and no_samples.json()["extra"]["key"] == "samples_received"
    _ok(commune.post(f"{API}{did}/samples/", {"received": 5, "on": str(timezone.localdate())}))
    forwarded = _ok(commune.post(f"{API}{did}/commune-forward/"))
    assert forwarded["status"] == "forwarded" and forwarded["round_number"] in (1, 2)
    assert "tinh@example.test" in mail.outbox[-1].to

    _ok(province.post(f"{API}{did}/province-start-check/"))
    _ok(province.post(f"{API}{did}/province-return/", {"note": "Bổ sung hợp đồng liên kết"}))
    back = _ok(producer.post(f"{API}{did}/submit/"))
    assert back["status"] == "forwarded"  # a province return goes back to the province
    _ok(province.post(f"{API}{did}/province-start-check/"))
    accepted = _ok(province.post(f"{API}{did}/province-accept/"))
    assert accepted["status"] == "accepted"

    trail = [
        (e["action"], e["from_status"], e["to_status"], e["actor"])
        for e in accepted["events"]
        if e["from_status"]
    ]
    assert trail == [
        ("submit", "draft", "submitted", "producer"),
        ("commune_start_review", "submitted", "commune_reviewing", "commune"),
        ("commune_return", "commune_reviewing", "returned_by_commune", "commune"),
        ("submit", "returned_by_commune", "submitted", "producer"),
        ("commune_start_review", "submitted", "commune_reviewing", "commune"),
        ("commune_assess", "commune_reviewing", "commune_assessed", "commune"),
        ("commune_forward", "commune_assessed", "forwarded", "commune"),
        ("province_start_check", "forwarded", "province_checking", "province"),
        ("province_return", "province_checking", "returned_by_province", "province"),
        ("submit", "returned_by_province", "forwarded", "producer"),
        ("province_start_check", "forwarded", "province_checking", "province"),
        ("province_accept", "province_checking", "accepted", "province"),
    ]
    assert all(e["at"] for e in accepted["events"])


def test_an_accepted_dossier_is_still_in_progress(people, product, client_for):
    """Accepted for a round is not the end: the product cannot open another dossier yet."""
    accepted_dossier(people, product, client_for)
    response = client_for(people["producer"]).post(API, {"product": product.pk, "kind": "upgrade"})
    assert response.status_code == 409 and response.json()["extra"]["key"] == "product"


def test_upgrade_without_a_recognised_dossier_is_refused(people, product, client_for):
    response = client_for(people["producer"]).post(API, {"product": product.pk, "kind": "upgrade"})
    assert response.status_code == 400 and response.json()["extra"]["key"] == "kind"


def test_second_open_dossier_is_refused(people, product, client_for):
    producer = client_for(people["producer"])
    _ok(producer.post(API, {"product": product.pk}), 201)
    response = producer.post(API, {"product": product.pk})
    assert response.status_code == 409 and response.json()["code"] == "bad_transition"


def test_overdue_dossiers_are_flagged_and_filtered(people, product, client_for):
    did = submitted_dossier(people, product, client_for)
    commune = client_for(people["commune"])
    assert _ok(commune.get(API, {"overdue": "true"}))["count"] == 0
    Dossier.objects.filter(pk=did).update(commune_deadline=timezone.localdate() - timedelta(days=1))
    listed = _ok(commune.get(API, {"overdue": "true"}))
    assert listed["count"] == 1 and listed["results"][0]["overdue"] is True


def test_receipt_numbers_count_per_commune_and_year(people, product, client_for):
    second = ProductFactory(producer=product.producer, name="Thạch dừa DEMO")
    producer = client_for(people["producer"])
    numbers = []
    for p in (product, second):
        did = _ok(producer.post(API, {"product": p.pk}), 201)["id"]
        _ok(
            producer.patch(
                f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"
            )
        )
        _ok(
            producer.put(f"{API}{did}/self-assessment/", {"choices": best_choices()}, format="json")
        )
        numbers.append(_ok(producer.post(f"{API}{did}/submit/"))["receipt_number"])
    assert [re.match(r"(\d{3})/PĐK-86-28777-\d{4}$", n).group(1) for n in numbers] == ["001", "002"]
