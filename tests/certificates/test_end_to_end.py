"""From a dossier accepted for the round to a certificate whose QR code decodes to the
product's public page, every step through the API, as the people who do it."""

from datetime import date
from urllib.parse import urlsplit

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.utils import timezone

from apps.producers.services import producer_create
from apps.products.services import product_create
from tests.factories.criteria import choices_for
from tests.factories.dossiers import accepted_dossier
from tests.factories.evaluation import council_with_members
from tests.factories.places import BEN_TRE_CITY

pytestmark = pytest.mark.django_db


def _ok(response, code=200):
    assert response.status_code == code, response.content[:500]
    return response


def test_accepted_dossier_to_certificate_with_a_working_qr_code(
    people, client_for, make_user, unit, client
):
    producer = producer_create(
        actor=people["producer"],
        name="HTX Dừa Xanh Mỏ Cày",
        legal_type="cooperative",
        registration_number="E2E-1",
        registration_date=date(2016, 1, 1),
        address="An Hội",
        location=BEN_TRE_CITY,
        representative_name="Chị E2E",
        email="e2e@example.test",
    )
    product = product_create(
        actor=people["producer"],
        producer=producer,
        name="Kẹo dừa sáp – Đặc sản",
        classification_code="I.3.c",
    )
    dossier_id = accepted_dossier(people, product, client_for)
    council, members, _adviser = council_with_members(make_user, unit, creator=people["province"])
    chair = members[0]

    assignment = _ok(
        client_for(people["province"]).post(
            f"/api/v1/councils/{council.pk}/assignments/", {"dossier": dossier_id}
        ),
        201,
    ).json()["id"]
    choices = dict(choices_for(3))  # a 3★ result (below 70; 90 or more would go to the ministry)
    for member in members[:3]:
        api = client_for(member)
        _ok(
            api.put(
                f"/api/v1/assignments/{assignment}/scorecard/", {"choices": choices}, format="json"
            )
        )
        _ok(api.post(f"/api/v1/assignments/{assignment}/scorecard/submit/"))
    result = _ok(
        client_for(chair).post(f"/api/v1/assignments/{assignment}/conclude/", {"feedback": "Đạt"}),
        201,
    ).json()
    assert result["star"] == 3 and result["certificate_eligible"]

    leader = client_for(people["leader"])
    awaiting = _ok(leader.get("/api/v1/council-results/awaiting-decision/")).json()
    result_id = (awaiting["results"] if isinstance(awaiting, dict) else awaiting)[0]["id"]
    _ok(
        leader.post(
            "/api/v1/recognition-decisions/",
            {
                "result_ids": [result_id],
                "decision_number": "777/QĐ-UBND",
                "decision_date": str(timezone.localdate()),
                "signer_name": "Nguyễn Văn Ký",
                "signer_title": "CHỦ TỊCH",
            },
            format="json",
        ),
        201,
    )

    producer_api = client_for(people["producer"])
    listed = _ok(producer_api.get("/api/v1/certificates/")).json()
    certificate = (listed["results"] if isinstance(listed, dict) else listed)[0]
    assert certificate["stars"] == 3
    pdf = _ok(producer_api.get(f"/api/v1/certificates/{certificate['id']}/pdf/"))
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content

    page = pdfium.PdfDocument(body)[0].render(scale=3).to_pil().convert("L")
    decoded = [
        b.text for b in zxingcpp.read_barcodes(page) if b.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert len(decoded) == 1
    url = decoded[0]
    assert certificate["product_code"] in url
    public = client.get(urlsplit(url).path)
    assert public.status_code == 200
    html = public.content.decode()
    assert "Kẹo dừa sáp – Đặc sản" in html and 'data-status="valid"' in html
