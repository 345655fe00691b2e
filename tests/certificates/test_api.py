"""The certificates API: for every endpoint the allowed role, a wrong role (403), a wrong
jurisdiction (404), anonymous (401/403) and bad input (400 naming the key)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.certificates.models import Certificate, Inspection
from tests.factories.certificates import ROUND_YEAR

pytestmark = pytest.mark.django_db
API = "/api/v1/"
ANONYMOUS = (401, 403)


@pytest.fixture
def cert(chain, decide):
    return decide([chain.evaluated(4).pk]).certificates.get()


def _call(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, format="json")


def test_list_is_scoped_and_filtered(cert, people, client_for, chain, decide):
    other = decide(
        [chain.evaluated(3, "Thạch dừa DEMO", commune="28756").pk], decision_number="2/QĐ-UBND"
    ).certificates.get()
    listed = client_for(people["producer"]).get(f"{API}certificates/").json()
    assert [c["product_code"] for c in listed["results"]] == [cert.product_code]
    assert listed["results"][0]["public_status"] == "valid"
    assert listed["results"][0]["public_url"] == f"https://ocop.example.test/p/{cert.product_code}"
    leader = client_for(people["leader"])
    assert leader.get(f"{API}certificates/").json()["count"] == 2
    assert [c["id"] for c in leader.get(f"{API}certificates/", {"stars": 3}).json()["results"]] == [
        other.pk
    ]
    assert leader.get(f"{API}certificates/", {"status": "revoked"}).json()["count"] == 0
    assert client_for(people["commune2"]).get(f"{API}certificates/").json()["count"] == 1
    assert client_for(people["other_province"]).get(f"{API}certificates/").json()["count"] == 0
    assert client_for(people["ministry"]).get(f"{API}certificates/").json()["count"] == 2
    bad = leader.get(f"{API}certificates/", {"status": "valide"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "status"
    bad = leader.get(f"{API}certificates/", {"stars": 2})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "stars"
    assert client_for(None).get(f"{API}certificates/").status_code in ANONYMOUS


def test_list_queries_do_not_grow_with_rows(
    cert, people, client_for, chain, decide, django_assert_max_num_queries
):
    for i in range(3):
        decide([chain.evaluated(3, f"Sản phẩm {i} DEMO").pk], decision_number=f"{10 + i}/QĐ-UBND")
    with django_assert_max_num_queries(6):
        body = client_for(people["leader"]).get(f"{API}certificates/").json()
    assert body["count"] == 4


def test_detail_and_pdf(cert, people, client_for):
    url = f"{API}certificates/{cert.pk}/"
    detail = client_for(people["producer"]).get(url)
    assert detail.status_code == 200 and detail.json()["product_name"] == "Kẹo dừa DEMO"
    assert detail.json()["decision"]["number"] == "1234/QĐ-UBND"
    assert client_for(people["other_leader"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code in ANONYMOUS
    pdf = client_for(people["commune"]).get(f"{url}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert client_for(people["other_province"]).get(f"{url}pdf/").status_code == 404
    assert client_for(people["commune2"]).get(f"{url}pdf/").status_code == 404
    assert client_for(None).get(f"{url}pdf/").status_code in ANONYMOUS


def test_recognition_decision_endpoint(chain, people, client_for):
    result = chain.evaluated(4)
    url = f"{API}recognition-decisions/"
    body = {
        "result_ids": [result.pk],
        "decision_number": "15/QĐ-UBND",
        "decision_date": str(timezone.localdate()),
        "signer_name": "Nguyễn Văn Ký",
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    }
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    assert _call(client_for(people["province"]), "post", url, body).status_code == 403
    assert _call(client_for(people["producer"]), "post", url, body).status_code == 403
    assert _call(client_for(people["other_leader"]), "post", url, body).status_code == 404
    missing = _call(client_for(people["leader"]), "post", url, {**body, "decision_number": ""})
    assert missing.status_code == 400 and missing.json()["extra"]["key"] == "decision_number"
    empty = _call(client_for(people["leader"]), "post", url, {**body, "result_ids": []})
    assert empty.status_code == 400 and empty.json()["extra"]["key"] == "result_ids"
    # Found by schemathesis: an id beyond BIGINT overflowed SQLite's INTEGER (500).
    huge = _call(client_for(people["leader"]), "post", url, {**body, "result_ids": [2**85]})
    assert huge.status_code == 400 and huge.json()["extra"]["key"] == "result_ids.0"
    future = _call(
        client_for(people["leader"]),
        "post",
        url,
        {**body, "decision_date": str(timezone.localdate() + timedelta(days=1))},
    )
    assert future.status_code == 400 and future.json()["extra"]["key"] == "decision_date"
    created = _call(client_for(people["leader"]), "post", url, body)
    assert created.status_code == 201, created.content
    [issued] = created.json()["certificates"]
    assert issued["product_code"] == f"86-28777-001-{ROUND_YEAR}" and issued["stars"] == 4
    assert issued["valid_until"] == str(Certificate.objects.get().valid_until)


def test_awaiting_decision_list(chain, people, client_for):
    result = chain.evaluated(3)
    listed = client_for(people["leader"]).get(f"{API}council-results/awaiting-decision/").json()
    assert [r["id"] for r in listed["results"]] == [result.pk]
    assert (
        client_for(people["other_leader"])
        .get(f"{API}council-results/awaiting-decision/")
        .json()["count"]
        == 0
    )
    assert client_for(None).get(f"{API}council-results/awaiting-decision/").status_code in ANONYMOUS


def test_propose_endpoint(chain, people, client_for):
    result = chain.evaluated(5)
    url = f"{API}council-results/{result.pk}/propose-to-ministry/"
    assert client_for(None).post(url).status_code in ANONYMOUS
    assert client_for(people["province"]).post(url).status_code == 403
    assert client_for(people["other_leader"]).post(url).status_code == 404
    assert (
        client_for(people["leader"])
        .post(f"{API}council-results/999999/propose-to-ministry/")
        .status_code
        == 404
    )
    response = client_for(people["leader"]).post(url)
    assert response.status_code == 201 and response.json()["result_id"] == result.pk
    low = chain.evaluated(4, "Thạch dừa DEMO")
    refused = client_for(people["leader"]).post(
        f"{API}council-results/{low.pk}/propose-to-ministry/"
    )
    assert refused.status_code == 400 and refused.json()["extra"]["key"] == "result_id"


def test_close_unrecognised_endpoint(chain, people, client_for):
    result = chain.evaluated(2, feedback="Chưa đạt yêu cầu tối thiểu 3 sao.")
    url = f"{API}council-results/{result.pk}/close-unrecognised/"
    assert client_for(None).post(url).status_code in ANONYMOUS
    assert client_for(people["producer"]).post(url).status_code == 403
    assert client_for(people["other_leader"]).post(url).status_code == 404
    bad = _call(client_for(people["leader"]), "post", url, {"note": ["x"]})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "note"
    closed = client_for(people["province"]).post(url)
    assert closed.status_code == 200 and closed.json()["status"] == "not_recognised"


def test_revoke_endpoint(cert, people, client_for):
    url = f"{API}certificates/{cert.pk}/revoke/"
    body = {
        "ground": "b",
        "decision_number": "88/QĐ-UBND",
        "decided_on": str(timezone.localdate()),
        "note": "Kết luận kiểm tra",
    }
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    assert _call(client_for(people["producer"]), "post", url, body).status_code == 403
    assert _call(client_for(people["province"]), "post", url, body).status_code == 403
    assert (
        _call(client_for(people["ministry"]), "post", url, body).status_code == 403
    )  # 4★: the province's
    assert _call(client_for(people["other_leader"]), "post", url, body).status_code == 404
    bad = _call(client_for(people["leader"]), "post", url, {**body, "ground": "f"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "ground"
    bad = _call(client_for(people["leader"]), "post", url, {**body, "decided_on": "hôm nay"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "decided_on"
    revoked = _call(client_for(people["leader"]), "post", url, body)
    assert revoked.status_code == 200
    data = revoked.json()
    assert data["public_status"] == "revoked" and data["status"] == "revoked"
    assert data["revocation"]["ground"] == "b" and data["revocation"]["ground_text"].startswith(
        "Sản phẩm OCOP"
    )
    # public at once, for everyone who can see it
    assert (
        client_for(people["producer"]).get(f"{API}certificates/{cert.pk}/").json()["public_status"]
        == "revoked"
    )
    assert _call(client_for(people["leader"]), "post", url, body).status_code == 409


def test_extend_endpoint(cert, people, client_for, settings):
    settings.OCOP_QD26_EFFECTIVE_ON = cert.valid_from  # in force then: Đ12.3 applies
    url = f"{API}certificates/{cert.pk}/extend/"
    body = {"until": str(cert.valid_until + timedelta(days=100)), "note": "QĐ gia hạn số 9"}
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    assert _call(client_for(people["province"]), "post", url, body).status_code == 403
    assert _call(client_for(people["other_leader"]), "post", url, body).status_code == 404
    bad = _call(
        client_for(people["leader"]),
        "post",
        url,
        {"until": str(cert.valid_until + timedelta(days=200))},
    )
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "until"
    ok = _call(client_for(people["leader"]), "post", url, body)
    assert ok.status_code == 200 and ok.json()["extended_until"] == body["until"]


def test_inspections_endpoint(cert, people, client_for):
    url = f"{API}certificates/{cert.pk}/inspections/"
    body = {
        "inspected_on": str(timezone.localdate()),
        "kind": "periodic",
        "scope": "criteria_and_mark",
        "outcome": "compliant",
        "location": {"type": "Point", "coordinates": [106.3756, 10.2415]},
        "findings": "Duy trì đủ tiêu chí; nhãn đúng quy định.",
        "follow_up": "",
    }
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    assert _call(client_for(people["producer"]), "post", url, body).status_code == 403
    assert _call(client_for(people["commune"]), "post", url, body).status_code == 403
    assert _call(client_for(people["other_province"]), "post", url, body).status_code == 404
    bad = _call(
        client_for(people["province"]), "post", url, {**body, "location": {"type": "Point"}}
    )
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "location"
    bad = _call(client_for(people["province"]), "post", url, {**body, "findings": ""})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "findings"
    early = _call(
        client_for(people["province"]),
        "post",
        url,
        {**body, "inspected_on": str(cert.valid_from - timedelta(days=1))},
    )
    assert early.status_code == 400 and early.json()["extra"]["key"] == "inspected_on"
    created = _call(client_for(people["province"]), "post", url, body)
    assert created.status_code == 201 and created.json()["location"]["coordinates"] == [
        106.3756,
        10.2415,
    ]
    assert _call(client_for(people["ministry"]), "post", url, body).status_code == 201
    listed = client_for(people["producer"]).get(url)
    assert listed.status_code == 200 and listed.json()["count"] == 2 == Inspection.objects.count()
    assert client_for(people["other_province"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code in ANONYMOUS
