"""The ministry's inbox (issue 16: "its inbox works"): a ministry officer reads every
province's dossiers, the 5★ proposals among them, without actions on the review page (the
recognition chain's people and dossiers, hence in tests/certificates)."""

import pytest
from django.test import Client

from apps.certificates.services import ministry_propose
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
INBOX = "/dossiers/inbox/"


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ministry_finds_the_proposed_dossier_and_reads_it(chain, people):
    result = chain.evaluated(5)
    ministry_propose(result_id=result.pk, actor=people["leader"])
    dossier = Dossier.objects.get(pk=result.assignment.dossier_id)
    assert dossier.status == DossierStatus.PROPOSED_CENTRAL

    inbox = page(people["ministry"]).get(INBOX, {"status": DossierStatus.PROPOSED_CENTRAL})
    html = inbox.content.decode()
    assert inbox.status_code == 200
    assert dossier.receipt_number in html and "Kẹo dừa DEMO" in html
    assert "Hồ sơ cần xử lý" in page(people["ministry"]).get("/").content.decode()

    review = page(people["ministry"]).get(f"/dossiers/{dossier.pk}/review/")
    assert review.status_code == 200
    assert dossier.receipt_number in review.content.decode()
    assert 'name="action"' not in review.content.decode()


def test_a_province_still_sees_only_its_own(chain, people):
    result = chain.evaluated(4)
    receipt = result.assignment.dossier.receipt_number
    assert receipt in page(people["ministry"]).get(INBOX).content.decode()
    assert receipt not in page(people["other_province"]).get(INBOX).content.decode()
    review = f"/dossiers/{result.assignment.dossier_id}/review/"
    assert page(people["other_province"]).get(review).status_code == 404
