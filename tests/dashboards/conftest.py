"""A small province for the dashboards, built with the real services (tests/certificates'
`chain`): a recognised 4★ product in An Hội (28777), an accepted dossier in Phú Khương (28756),
and a dossier submitted to Phú Khương whose commune deadline has passed."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.dossiers.models import Dossier
from tests.certificates import conftest as certificate_fixtures
from tests.dossiers.conftest import FORM01, FORM02, full_choices

# The recognition chain's fixtures (tests/certificates/conftest.py), made visible here.
chain, client_for, decide, media_in_tmp, people = (
    certificate_fixtures.chain,
    certificate_fixtures.client_for,
    certificate_fixtures.decide,
    certificate_fixtures.media_in_tmp,
    certificate_fixtures.people,
)

PASSWORD = "Mật-khẩu-thử-1"  # tests/conftest.py make_user's default
API = "/api/v1/dossiers/"


def submitted_dossier(chain, product, commune: str) -> int:
    """A dossier filed by the producer and submitted to the commune (its clock runs)."""
    producer = chain.client_for(
        chain.people["producer"] if commune == "28777" else chain.people["producer2"]
    )
    did = producer.post(API, {"product": product.pk, "kind": "first"}).json()["id"]
    assert (
        producer.patch(
            f"{API}{did}/forms/", {"form01": FORM01, "form02": FORM02}, format="json"
        ).status_code
        == 200
    )
    assert (
        producer.put(
            f"{API}{did}/self-assessment/", {"choices": full_choices()}, format="json"
        ).status_code
        == 200
    )
    assert producer.post(f"{API}{did}/submit/").status_code == 200
    return did


@pytest.fixture
def province(chain, decide, people):
    today = timezone.localdate()
    result = chain.evaluated(4, name="Kẹo dừa DEMO", commune="28777")
    decide([result.pk])
    certificate = Certificate.objects.get(result=result)
    recognised = certificate.product
    accepted_product = chain.product("Bánh phồng DEMO", "28756")
    accepted = chain.accepted_dossier(accepted_product, "28756")
    late_product = chain.product("Mứt dừa DEMO", "28756")
    late = submitted_dossier(chain, late_product, "28756")
    # The commune's 15 working days ran out last week (the clock itself is tested in dossiers).
    Dossier.objects.filter(pk=late).update(commune_deadline=today - timedelta(days=7))
    council, members = chain.council("province")
    return SimpleNamespace(
        today=today,
        certificate=certificate,
        recognised=recognised,
        recognised_dossier=certificate.dossier,
        accepted_product=accepted_product,
        accepted=Dossier.objects.get(pk=accepted),
        late_product=late_product,
        late=Dossier.objects.get(pk=late),
        council=council,
        members=members,
        assignment=result.assignment,
        people=people,
    )
