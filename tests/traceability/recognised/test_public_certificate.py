"""The public trace page of a lot of a recognised product shows the certificate's live status."""

import pytest
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.traceability import services

pytestmark = pytest.mark.django_db


def test_trace_page_shows_live_certificate_status(chain, decide, people, client):
    from apps.certificates.services import certificate_revoke

    result = chain.evaluated(4)
    decide([result.pk])
    certificate = Certificate.objects.get(result=result)
    lot = services.lot_create(
        actor=people["producer"], product_id=certificate.product_id, lot_number="R1", published=True
    )
    html = client.get(f"/trace/lots/{lot.public_id}/").content.decode()
    assert 'data-testid="certificate-status" class="status-valid"' in html
    assert certificate.product_code in html and "★★★★" in html and "★★★★★" not in html
    certificate_revoke(
        certificate_id=certificate.pk,
        ground="b",
        decision_number="99/QĐ-UBND",
        decided_on=timezone.localdate(),
        actor=people["leader"],
        note="Hậu kiểm",
    )
    assert 'class="status-revoked"' in client.get(f"/trace/lots/{lot.public_id}/").content.decode()
