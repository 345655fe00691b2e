"""A product that stands recognised is not evaluated for the first time again (issue 16): only an
upgrade or a re-evaluation, and the producer is told why — through the API and on the page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.certificates.services import certificate_revoke
from apps.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(chain, decide):
    return decide([chain.evaluated(4).pk]).certificates.get()


def test_the_api_refuses_a_first_evaluation_and_names_the_certificate(
    certificate, people, client_for
):
    producer = client_for(people["producer"])
    response = producer.post("/api/v1/dossiers/", {"product": certificate.product_id})
    assert response.status_code == 400
    body = response.json()
    assert body["extra"]["key"] == "kind"
    assert certificate.product_code in body["message"]
    assert certificate.valid_until.strftime("%d/%m/%Y") in body["message"]
    upgrade = producer.post(
        "/api/v1/dossiers/", {"product": certificate.product_id, "kind": "upgrade"}
    )
    assert upgrade.status_code == 201


def test_the_page_shows_the_reason(certificate, people):
    page = Client()
    page.force_login(people["producer"])
    before = Dossier.objects.count()
    response = page.post(f"/dossiers/new/{certificate.product_id}/", {"kind": "first"}, follow=True)
    html = response.content.decode()
    assert certificate.product_code in html and "nâng hạng" in html
    assert Dossier.objects.count() == before


def test_an_expired_or_revoked_certificate_no_longer_stands_in_the_way(
    certificate, people, client_for
):
    producer = client_for(people["producer"])
    long_ago = timezone.localdate() - timedelta(days=5 * 365)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=long_ago, valid_until=long_ago + timedelta(days=3 * 365)
    )
    first = producer.post("/api/v1/dossiers/", {"product": certificate.product_id})
    assert first.status_code == 201, first.content
    Dossier.objects.filter(pk=first.json()["id"]).delete()

    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=timezone.localdate(), valid_until=timezone.localdate() + timedelta(days=1000)
    )
    certificate_revoke(
        certificate_id=certificate.pk,
        ground="b",
        decision_number="9/QĐ-THU-HỒI",
        decided_on=timezone.localdate(),
        actor=people["leader"],
        note="Hậu kiểm không đạt.",
    )
    again = producer.post("/api/v1/dossiers/", {"product": certificate.product_id})
    assert again.status_code == 201, again.content
