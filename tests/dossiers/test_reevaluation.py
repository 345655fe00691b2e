"""Re-evaluation at expiry (QĐ 26/2026 Đ7.6): the dossier renews the product's current
certificate, is filed only from 180 to 120 days before its expiry, and is decided within 45 days
of the complete dossier reaching the province (or, for 5★, the ministry)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.core.exceptions import ApplicationError
from apps.dossiers.choices import Action, DossierStatus
from apps.dossiers.models import Dossier
from apps.dossiers.services import dossier_create, dossier_transition
from tests.factories.accounts import recognition_people
from tests.factories.dossiers import COMMUNE_ASSESSMENT

# The recognition chain (producer → certificate; tests/fixtures/recognition.py) with its own
# people, not this package's, and its settings.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]
API = "/api/v1/dossiers/"
INBOX = "/dossiers/inbox/"


def _ok(response, status=200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


@pytest.fixture
def people(make_user, unit):
    """The recognition chain's people, in place of tests/dossiers/conftest.py's."""
    return recognition_people(make_user, unit)


@pytest.fixture
def cert(chain, decide) -> Certificate:
    """A 4★ certificate issued today (valid 36 months) to the product "Kẹo dừa DEMO"."""
    return decide([chain.evaluated(4).pk]).certificates.get()


def _expires_in(cert: Certificate, days: int) -> Certificate:
    """Move the certificate's expiry to `days` days after today."""
    Certificate.objects.filter(pk=cert.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days)
    )
    cert.refresh_from_db()
    return cert


def _draft(people, client_for, cert) -> dict:
    return _ok(
        client_for(people["producer"]).post(
            API, {"product": cert.product_id, "kind": "reevaluation"}
        ),
        201,
    )


def _forwarded(people, client_for, cert) -> int:
    """A re-evaluation filed inside the window and forwarded by the commune to the province."""
    _expires_in(cert, 150)
    did = _draft(people, client_for, cert)["id"]
    producer, commune = client_for(people["producer"]), client_for(people["commune"])
    _ok(producer.post(f"{API}{did}/submit/"))
    _ok(commune.post(f"{API}{did}/commune-start-review/"))
    _ok(commune.put(f"{API}{did}/commune-assessment/", COMMUNE_ASSESSMENT, format="json"))
    _ok(commune.post(f"{API}{did}/commune-assess/"))
    _ok(commune.post(f"{API}{did}/samples/", {"received": 5, "on": str(timezone.localdate())}))
    _ok(commune.post(f"{API}{did}/commune-forward/"))
    return did


# --- 1. the dossier starts from the current certificate -----------------------------------------
def test_a_reevaluation_renews_the_current_certificate_and_copies_its_dossier(
    people, client_for, cert
):
    body = _draft(people, client_for, cert)

    until = cert.valid_until
    assert body["kind"] == "reevaluation" and body["status"] == "draft"
    assert body["renews"] == {
        "id": cert.pk,
        "number": cert.number,
        "product_code": cert.product_code,
        "stars": 4,
        "valid_until": until.isoformat(),
    }
    assert body["filing_window"] == {
        "opens": (until - timedelta(days=180)).isoformat(),
        "closes": (until - timedelta(days=120)).isoformat(),
    }
    assert body["copied_from_id"] == cert.dossier_id
    assert body["form01"] == cert.dossier.form01 and body["form02"] == cert.dossier.form02
    assert body["self_assessment"] == {
        a.criterion_code: a.option_number for a in cert.dossier.self_assessment.all()
    }
    assert body["decision_deadline"] is None and body["overdue"] is False
    assert Dossier.objects.get(pk=body["id"]).renews_id == cert.pk
    # Other kinds of dossier renew nothing and show no window.
    first = _ok(client_for(people["producer"]).get(f"{API}{cert.dossier_id}/"))
    assert (
        first["renews"] is None
        and first["filing_window"] is None
        and first["decision_deadline"] is None
    )


def test_a_reevaluation_without_an_active_certificate_is_refused(people, client_for, chain, cert):
    producer = client_for(people["producer"])
    # A product that was never recognised.
    fresh = chain.product("Mứt dừa DEMO")
    refused = producer.post(API, {"product": fresh.pk, "kind": "reevaluation"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid" and refused.json()["extra"]["key"] == "kind"
    assert not fresh.dossiers.exists()
    # A product whose only certificate is revoked.
    Certificate.objects.filter(pk=cert.pk).update(status="revoked")
    refused = producer.post(API, {"product": cert.product_id, "kind": "reevaluation"})
    assert refused.status_code == 400 and refused.json()["extra"]["key"] == "kind"
    assert not cert.product.dossiers.filter(kind="reevaluation").exists()
    # The service says the same to a direct caller.
    with pytest.raises(ApplicationError) as caught:
        dossier_create(product=fresh, kind="reevaluation", actor=people["producer"])
    assert caught.value.extra == {"key": "kind"}


def test_creation_permissions_and_bad_input(people, client_for, cert):
    payload = {"product": cert.product_id, "kind": "reevaluation"}
    assert client_for(None).post(API, payload).status_code in (401, 403)
    # Another producer's product, and officers, who never open dossiers: not found.
    assert client_for(people["producer2"]).post(API, payload).status_code == 404
    assert client_for(people["commune"]).post(API, payload).status_code == 404
    assert client_for(people["province"]).post(API, payload).status_code == 404
    bad = client_for(people["producer"]).post(API, {"product": cert.product_id, "kind": "renewal"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "kind"
    assert not Dossier.objects.filter(kind="reevaluation").exists()
    # The draft is the producer's: out of scope it does not exist.
    did = _draft(people, client_for, cert)["id"]
    assert client_for(people["producer2"]).get(f"{API}{did}/").status_code == 404
    assert client_for(people["other_province"]).get(f"{API}{did}/").status_code == 404
    assert client_for(people["producer2"]).post(f"{API}{did}/submit/").status_code == 404
    assert client_for(people["commune"]).post(f"{API}{did}/submit/").status_code in (403, 404)
    assert Dossier.objects.get(pk=did).status == DossierStatus.DRAFT


# --- 2. the filing window ----------------------------------------------------------------------
@pytest.mark.parametrize("days", [180, 120])
def test_filing_is_allowed_on_both_ends_of_the_window(people, client_for, cert, days):
    _expires_in(cert, days)
    did = _draft(people, client_for, cert)["id"]
    filed = _ok(client_for(people["producer"]).post(f"{API}{did}/submit/"))
    assert filed["status"] == "submitted" and filed["receipt_number"]
    assert Dossier.objects.get(pk=did).submitted_at is not None


@pytest.mark.parametrize(("days", "too_early"), [(181, True), (119, False)])
def test_filing_outside_the_window_is_refused_with_its_dates(
    people, client_for, cert, days, too_early
):
    did = _draft(people, client_for, cert)["id"]  # a draft may be prepared at any time
    cert = _expires_in(cert, days)
    opens, closes = cert.valid_until - timedelta(days=180), cert.valid_until - timedelta(days=120)

    refused = client_for(people["producer"]).post(f"{API}{did}/submit/")

    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "bad_transition"
    assert body["extra"] == {
        "key": "window",
        "window_opens": opens.isoformat(),
        "window_closes": closes.isoformat(),
        "valid_until": cert.valid_until.isoformat(),
    }
    assert f"{closes:%d/%m/%Y}" in body["message"] and f"{opens:%d/%m/%Y}" in body["message"]
    assert (timezone.localdate() < opens) is too_early
    dossier = Dossier.objects.get(pk=did)
    assert (
        dossier.status == DossierStatus.DRAFT
        and dossier.submitted_at is None
        and not dossier.receipt_number
    )


def test_the_producer_page_shows_the_window_and_the_refusal(people, cert):
    cert = _expires_in(cert, 119)
    web = Client()
    web.force_login(people["producer"])
    created = web.post(f"/dossiers/new/{cert.product_id}/", {"kind": "reevaluation"}, follow=True)
    closes = cert.valid_until - timedelta(days=120)
    page = created.content.decode()
    assert (
        created.status_code == 200
        and 'data-testid="filing-window"' in page
        and f"{closes:%d/%m/%Y}" in page
    )
    dossier = Dossier.objects.get(product=cert.product, kind="reevaluation")
    refused = web.post(f"/dossiers/{dossier.pk}/", follow=True)
    assert f"{closes:%d/%m/%Y}" in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_a_dossier_returned_by_the_commune_is_resubmitted_after_the_window(
    people, client_for, cert
):
    _expires_in(cert, 150)
    did = _draft(people, client_for, cert)["id"]
    producer, commune = client_for(people["producer"]), client_for(people["commune"])
    _ok(producer.post(f"{API}{did}/submit/"))
    _ok(commune.post(f"{API}{did}/commune-return/", {"note": "Bổ sung phiếu kiểm nghiệm"}))
    _expires_in(cert, 100)  # the window has closed since the filing
    assert _ok(producer.post(f"{API}{did}/submit/"))["status"] == "submitted"


def test_a_certificate_revoked_after_the_draft_blocks_the_filing(people, client_for, cert):
    _expires_in(cert, 150)
    did = _draft(people, client_for, cert)["id"]
    Certificate.objects.filter(pk=cert.pk).update(status="revoked")
    refused = client_for(people["producer"]).post(f"{API}{did}/submit/")
    assert refused.status_code == 409 and refused.json()["extra"] == {"key": "renews"}
    assert Dossier.objects.get(pk=did).status == DossierStatus.DRAFT


# --- 3. the 45-day decision deadline -----------------------------------------------------------
def test_forwarding_sets_the_decision_deadline(people, client_for, cert):
    did = _forwarded(people, client_for, cert)

    dossier = Dossier.objects.get(pk=did)
    forwarded_on = timezone.localdate(dossier.forwarded_at)
    assert dossier.decision_deadline == forwarded_on + timedelta(days=45)
    body = _ok(client_for(people["province"]).get(f"{API}{did}/"))
    assert body["status"] == "forwarded"
    assert body["decision_deadline"] == (forwarded_on + timedelta(days=45)).isoformat()
    assert body["overdue"] is False
    # The first evaluation that led to the certificate had no such deadline.
    assert Dossier.objects.get(pk=cert.dossier_id).decision_deadline is None


def test_the_decision_deadline_is_flagged_once_passed_not_on_its_last_day(people, client_for, cert):
    did = _forwarded(people, client_for, cert)
    province = client_for(people["province"])
    _ok(province.post(f"{API}{did}/province-start-check/"))
    today = timezone.localdate()

    Dossier.objects.filter(pk=did).update(decision_deadline=today)  # the last day
    assert _ok(province.get(f"{API}{did}/"))["overdue"] is False
    assert did in [d["id"] for d in _ok(province.get(API, {"overdue": "false"}))["results"]]
    assert did not in [d["id"] for d in _ok(province.get(API, {"overdue": "true"}))["results"]]

    Dossier.objects.filter(pk=did).update(decision_deadline=today - timedelta(days=1))  # passed
    assert _ok(province.get(f"{API}{did}/"))["overdue"] is True
    late = _ok(province.get(API, {"overdue": "true"}))["results"]
    assert [d["id"] for d in late] == [did] and late[0]["decision_deadline"] == (
        today - timedelta(days=1)
    ).isoformat()
    assert did not in [d["id"] for d in _ok(province.get(API, {"overdue": "false"}))["results"]]


def test_officer_pages_show_and_flag_the_decision_deadline(people, client_for, cert):
    did = _forwarded(people, client_for, cert)
    web = Client()
    web.force_login(people["province"])
    today = timezone.localdate()

    Dossier.objects.filter(pk=did).update(decision_deadline=today + timedelta(days=3))
    inbox = web.get(INBOX).content.decode()
    row = inbox[inbox.index(f'data-dossier="{did}"') :]
    cell = row[
        row.index('data-testid="decision-deadline"') : row.index(
            "</td>", row.index('data-testid="decision-deadline"')
        )
    ]
    assert f"{today + timedelta(days=3):%d/%m/%Y}" in cell and "decision-overdue-badge" not in cell
    review = web.get(f"/dossiers/{did}/review/").content.decode()
    assert (
        f"{today + timedelta(days=3):%d/%m/%Y}" in review and "decision-overdue-badge" not in review
    )
    assert 'data-testid="renews"' in review and cert.number in review

    Dossier.objects.filter(pk=did).update(decision_deadline=today - timedelta(days=2))
    inbox = web.get(INBOX, {"overdue": "yes"}).content.decode()
    row = inbox[inbox.index(f'data-dossier="{did}"') :]
    assert row.startswith(f'data-dossier="{did}" class="overdue"')
    assert 'data-testid="decision-overdue-badge"' in row[: row.index("</tr>")]
    review = web.get(f"/dossiers/{did}/review/").content.decode()
    assert (
        'data-testid="decision-overdue-badge"' in review and 'data-testid="overdue-badge"' in review
    )


def test_a_return_by_the_province_pauses_then_restarts_the_clock(
    people, client_for, cert, settings
):
    did = _forwarded(people, client_for, cert)
    province, producer = client_for(people["province"]), client_for(people["producer"])
    _ok(province.post(f"{API}{did}/province-return/", {"note": "Hồ sơ chưa đủ"}))
    today = timezone.localdate()
    Dossier.objects.filter(pk=did).update(decision_deadline=today - timedelta(days=10))
    # With the producer, the province's clock does not run: not overdue.
    assert _ok(province.get(f"{API}{did}/"))["overdue"] is False

    settings.OCOP_REEVALUATION_DAYS = 30  # the setting, not a constant
    back = _ok(producer.post(f"{API}{did}/submit/"))
    assert back["status"] == "forwarded"
    assert (
        back["decision_deadline"] == (today + timedelta(days=30)).isoformat()
        and back["overdue"] is False
    )


def test_a_proposal_to_the_ministry_restarts_the_clock_there(people, client_for, chain, cert):
    _expires_in(cert, 150)
    did = chain.accepted_dossier(cert.product, kind="reevaluation")
    chain.result(did, 5)
    assert Dossier.objects.get(pk=did).status == DossierStatus.EVALUATED
    Dossier.objects.filter(pk=did).update(
        decision_deadline=timezone.localdate() - timedelta(days=5)
    )

    dossier_transition(
        dossier_id=did, action=Action.PROPOSE_CENTRAL, actor=people["leader"], internal=True
    )

    dossier = Dossier.objects.get(pk=did)
    assert dossier.status == DossierStatus.PROPOSED_CENTRAL
    assert dossier.decision_deadline == timezone.localdate() + timedelta(days=45)
