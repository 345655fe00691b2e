"""The page behind the QR code: live status, no personal data, cacheable for a minute."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_qr_url_resolves_to_the_live_status(chain, decide, people, client):
    from apps.certificates.models import Certificate
    from apps.certificates.services import certificate_revoke, public_url

    result = chain.evaluated(4)
    decide([result.pk])
    certificate = Certificate.objects.get(result=result)
    url = public_url(certificate.product_code)
    path = urlsplit(url).path
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.product.name in html and certificate.product_code in html
    assert "★★★★" in html and "★★★★★" not in html
    assert 'data-testid="certificate-status" class="status-valid"' in html
    assert "max-age=60" in response["Cache-Control"]
    # No personal data of the legal representative on the public page.
    assert certificate.product.producer.representative_name not in html

    certificate_revoke(certificate_id=certificate.pk, ground="b", decision_number="99/QĐ-UBND",
                       decided_on=timezone.localdate(), actor=people["leader"], note="Hậu kiểm")
    assert 'class="status-revoked"' in client.get(path).content.decode()


def test_unknown_code_is_a_404(client):
    assert client.get("/p/86-99999-001-2026").status_code == 404
