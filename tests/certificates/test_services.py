"""Recognition and after-recognition services, on the real chain
(tests/factories/certificates.py)."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.certificates.choices import CertificateStatus, PublicStatus
from apps.certificates.models import Certificate, MinistryProposal, certificate_status
from apps.certificates.services import (
    add_months,
    certificate_extend,
    certificate_revoke,
    certificate_valid_until,
    ministry_propose,
    result_close_unrecognised,
)
from apps.core.exceptions import ApplicationError
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier
from apps.products.choices import ProductStatus
from tests.factories.certificates import ROUND_YEAR

pytestmark = pytest.mark.django_db
CODE = re.compile(rf"^86-(\d{{5}})-(\d{{3}})-{ROUND_YEAR}$")


def test_recognition_issues_a_certificate_and_recognises_the_dossier(chain, decide, people):
    result = chain.evaluated(4)
    decision = decide([result.pk])
    cert = decision.certificates.get()
    assert cert.stars == 4 and cert.result == result and cert.decision.province.code == "86"
    assert CODE.match(cert.product_code) and cert.product_code == f"86-28777-001-{ROUND_YEAR}"
    assert cert.valid_from == timezone.localdate()
    assert cert.valid_until == add_months(cert.valid_from, 36)
    dossier = Dossier.objects.get(pk=result.assignment.dossier_id)
    assert dossier.status == DossierStatus.RECOGNISED
    cert.product.refresh_from_db()
    assert cert.product.status == ProductStatus.ACTIVE
    assert cert.number == "1/GCN-UBND" and len(cert.sha256) == 64


def test_product_codes_count_per_commune_across_decisions(chain, decide):
    first = chain.evaluated(4, "Kẹo dừa DEMO")
    second = chain.evaluated(3, "Thạch dừa DEMO")
    elsewhere = chain.evaluated(4, "Bánh tráng DEMO", commune="28756")
    one = decide([first.pk]).certificates.get()
    two = decide([second.pk, elsewhere.pk], decision_number="1300/QĐ-UBND").certificates.order_by(
        "product_code"
    )
    codes = [one.product_code, *(c.product_code for c in two)]
    assert codes == [
        f"86-28777-001-{ROUND_YEAR}",
        f"86-28756-001-{ROUND_YEAR}",
        f"86-28777-002-{ROUND_YEAR}",
    ]
    # certificate numbers count per issuer and year, in commune-code order within a decision
    assert [c.number for c in (one, *two)] == ["1/GCN-UBND", "2/GCN-UBND", "3/GCN-UBND"]
    # The database refuses a duplicate code whatever the service does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=two[0].pk).update(product_code=one.product_code)


def test_validity_is_36_months_from_the_decision():
    assert certificate_valid_until(date(2026, 11, 28)) == date(2029, 11, 28)
    assert certificate_valid_until(date(2028, 2, 29)) == date(2031, 2, 28)
    assert certificate_valid_until(date(2026, 8, 31)) == date(2029, 8, 31)


def _both(cert, day):
    """The Python status and the list annotation must agree on every day."""
    annotated = Certificate.objects.with_public_status(day).get(pk=cert.pk).public_status
    computed = certificate_status(Certificate.objects.get(pk=cert.pk), day)
    assert annotated == computed, (day, annotated, computed)
    return computed


def test_status_over_time(chain, decide, people, settings):
    result = chain.evaluated(4)
    cert = decide([result.pk]).certificates.get()
    # In force on the day QĐ 26/2026 took effect, so the transitional extension (Đ12.3) applies
    # (tests/certificates/test_revocation_law.py checks the boundaries against the real day).
    settings.OCOP_QD26_EFFECTIVE_ON = cert.valid_from
    until = cert.valid_until
    expected = {
        cert.valid_from: PublicStatus.VALID,
        until - timedelta(days=181): PublicStatus.VALID,
        until - timedelta(days=180): PublicStatus.REEVALUATION_WINDOW,
        until - timedelta(days=120): PublicStatus.REEVALUATION_WINDOW,
        until - timedelta(days=119): PublicStatus.VALID,
        until: PublicStatus.VALID,
        until + timedelta(days=1): PublicStatus.EXPIRED,
    }
    assert {day: _both(cert, day) for day in expected} == expected

    # A re-evaluation dossier filed (late) keeps it in force for at most 180 days after expiry.
    # (Created directly: the dossier service does not yet let a recognised product file one.)
    dossier = cert.dossier
    reeval = Dossier.objects.create(
        product=cert.product,
        kind="reevaluation",
        status=DossierStatus.SUBMITTED,
        sheet=dossier.sheet,
        regime_code=dossier.regime_code,
        commune=dossier.commune,
        province=dossier.province,
        created_by=people["producer"],
        submitted_at=timezone.now(),
    )
    assert _both(cert, until + timedelta(days=1)) == PublicStatus.EXTENDED
    assert _both(cert, until + timedelta(days=180)) == PublicStatus.EXTENDED
    assert _both(cert, until + timedelta(days=181)) == PublicStatus.EXPIRED
    Dossier.objects.filter(pk=reeval.pk).update(
        status=DossierStatus.NOT_RECOGNISED
    )  # the authority decided
    assert _both(cert, until + timedelta(days=1)) == PublicStatus.EXPIRED

    # Or the authority extends it.
    certificate_extend(
        certificate_id=cert.pk, until=until + timedelta(days=90), actor=people["leader"]
    )
    assert _both(cert, until + timedelta(days=90)) == PublicStatus.EXTENDED
    assert _both(cert, until + timedelta(days=91)) == PublicStatus.EXPIRED


def test_extension_is_limited_to_180_days_and_to_the_authority(chain, decide, people, settings):
    cert = decide([chain.evaluated(3).pk]).certificates.get()
    settings.OCOP_QD26_EFFECTIVE_ON = cert.valid_from  # in force then: Đ12.3 applies
    with pytest.raises(ApplicationError) as too_long:
        certificate_extend(
            certificate_id=cert.pk,
            until=cert.valid_until + timedelta(days=181),
            actor=people["leader"],
        )
    assert too_long.value.extra["key"] == "until"
    with pytest.raises(ApplicationError) as before:
        certificate_extend(certificate_id=cert.pk, until=cert.valid_until, actor=people["leader"])
    assert before.value.extra["key"] == "until"
    with pytest.raises(ApplicationError) as wrong_role:
        certificate_extend(
            certificate_id=cert.pk,
            until=cert.valid_until + timedelta(days=10),
            actor=people["ministry"],
        )
    assert wrong_role.value.status_code == 403
    with pytest.raises(ApplicationError) as out_of_scope:
        certificate_extend(
            certificate_id=cert.pk,
            until=cert.valid_until + timedelta(days=10),
            actor=people["other_leader"],
        )
    assert out_of_scope.value.status_code == 404


def test_revocation_changes_the_public_status_at_once(chain, decide, people):
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    today = timezone.localdate()
    assert _both(cert, today) == PublicStatus.VALID
    revocation = certificate_revoke(
        certificate_id=cert.pk,
        ground="dd",
        decision_number="77/QĐ-UBND",
        decided_on=today,
        actor=people["leader"],
        note="Ngừng sản xuất",
    )
    assert _both(cert, today) == PublicStatus.REVOKED
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.REVOKED
    assert revocation.ground_text.startswith("Chủ thể OCOP không còn hoạt động sản xuất")
    with pytest.raises(ApplicationError) as again:
        certificate_revoke(
            certificate_id=cert.pk,
            ground="a",
            decision_number="78/QĐ-UBND",
            decided_on=today,
            actor=people["leader"],
        )
    assert again.value.status_code == 409


def test_revocation_authority_and_input(chain, decide, people):
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    today = timezone.localdate()
    args = {"certificate_id": cert.pk, "decision_number": "77/QĐ-UBND", "decided_on": today}
    with pytest.raises(ApplicationError) as ministry:  # 3★/4★ are the province's
        certificate_revoke(ground="a", actor=people["ministry"], **args)
    assert ministry.value.status_code == 403
    with pytest.raises(ApplicationError) as bad:
        certificate_revoke(ground="f", actor=people["leader"], **args)
    assert bad.value.status_code == 400 and bad.value.extra["key"] == "ground"
    with pytest.raises(ApplicationError) as future:
        certificate_revoke(
            ground="a", actor=people["leader"], **{**args, "decided_on": today + timedelta(days=1)}
        )
    assert future.value.extra["key"] == "decided_on"
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.ACTIVE


@pytest.mark.parametrize("star", [1, 2])
def test_one_and_two_stars_get_no_decision(chain, decide, people, star, media_in_tmp):
    low = chain.evaluated(star, feedback="Cần hoàn thiện bao bì và công bố chất lượng.")
    good = chain.evaluated(4, "Thạch dừa DEMO")
    with pytest.raises(ApplicationError) as refused:
        decide([good.pk, low.pk])
    assert refused.value.status_code == 400 and refused.value.extra == {
        "key": "result_ids",
        "result": low.pk,
    }
    # all or nothing: no decision, no certificate, no stored PDF, no dossier moved
    assert not Certificate.objects.exists()
    assert not list(media_in_tmp.rglob("*.pdf"))
    assert Dossier.objects.get(pk=good.assignment.dossier_id).status == DossierStatus.EVALUATED
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        dossier = result_close_unrecognised(result_id=low.pk, actor=people["leader"])
    assert dossier.status == DossierStatus.NOT_RECOGNISED
    assert dossier.events.last().note == "Cần hoàn thiện bao bì và công bố chất lượng."
    assert any("Cần hoàn thiện bao bì" in m.body and "sx@example.test" in m.to for m in mail.outbox)


def test_close_refuses_a_recognisable_result(chain, people):
    result = chain.evaluated(3)
    with pytest.raises(ApplicationError) as refused:
        result_close_unrecognised(result_id=result.pk, actor=people["leader"])
    assert refused.value.extra["key"] == "result_id"


def test_ninety_and_above_go_to_the_ministry(chain, decide, people):
    result = chain.evaluated(5)
    assert result.total >= 90 and result.propose_to_ministry
    with pytest.raises(ApplicationError) as refused:
        decide([result.pk])
    assert refused.value.status_code == 400 and refused.value.extra["key"] == "result_ids"
    with pytest.raises(ApplicationError) as ministry_on_provincial:
        decide([result.pk], actor=people["ministry"], decision_number="99/QĐ-BNNMT")
    assert ministry_on_provincial.value.status_code == 403

    proposal = ministry_propose(result_id=result.pk, actor=people["leader"])
    dossier_id = result.assignment.dossier_id
    assert Dossier.objects.get(pk=dossier_id).status == DossierStatus.PROPOSED_CENTRAL
    assert proposal.dossier_id == dossier_id
    with pytest.raises(ApplicationError):
        ministry_propose(result_id=result.pk, actor=people["leader"])
    assert MinistryProposal.objects.count() == 1

    central = chain.result(dossier_id, 5, level="central")
    with pytest.raises(ApplicationError) as leader_on_5:
        decide([central.pk])
    assert leader_on_5.value.status_code == 403
    decision = decide(
        [central.pk],
        actor=people["ministry"],
        decision_number="99/QĐ-BNNMT",
        signer_title="BỘ TRƯỞNG",
    )
    cert = decision.certificates.get()
    assert decision.level == "ministry" and decision.province is None
    assert (
        cert.stars == 5
        and cert.number == "1/GCN-BNNMT"
        and cert.product_code == f"86-28777-001-{ROUND_YEAR}"
    )
    assert Dossier.objects.get(pk=dossier_id).status == DossierStatus.RECOGNISED


def test_below_ninety_at_central_level_the_province_recognises_on_that_result(
    chain, decide, people
):
    provincial = chain.evaluated(5)
    ministry_propose(result_id=provincial.pk, actor=people["leader"])
    central = chain.result(provincial.assignment.dossier_id, 4, level="central")
    assert central.star == 4
    with pytest.raises(ApplicationError) as stale:  # the provincial result was superseded
        decide([provincial.pk])
    assert stale.value.status_code == 409
    with pytest.raises(ApplicationError) as ministry:  # the ministry recognises 5★ only
        decide([central.pk], actor=people["ministry"], decision_number="98/QĐ-BNNMT")
    assert ministry.value.status_code == 403
    cert = decide([central.pk]).certificates.get()
    assert cert.stars == 4 and cert.result == central and cert.decision.level == "province"


def test_proposal_refused_below_ninety_and_for_other_roles(chain, people):
    result = chain.evaluated(4)
    with pytest.raises(ApplicationError) as low:
        ministry_propose(result_id=result.pk, actor=people["leader"])
    assert low.value.extra["key"] == "result_id"
    high = chain.evaluated(5, "Thạch dừa DEMO")
    with pytest.raises(ApplicationError) as officer:
        ministry_propose(result_id=high.pk, actor=people["province"])
    assert officer.value.status_code == 403
    with pytest.raises(ApplicationError) as elsewhere:
        ministry_propose(result_id=high.pk, actor=people["other_leader"])
    assert elsewhere.value.status_code == 404


def test_decision_number_is_unique_per_province(chain, decide):
    decide([chain.evaluated(4).pk])
    with pytest.raises(ApplicationError) as dup:
        decide([chain.evaluated(3, "Thạch dừa DEMO").pk])
    assert dup.value.extra["key"] == "decision_number"


def test_a_result_is_recognised_once(chain, decide):
    result = chain.evaluated(4)
    decide([result.pk])
    with pytest.raises(ApplicationError) as again:
        decide([result.pk], decision_number="2/QĐ-UBND")
    assert again.value.status_code == 409


def test_pdf_has_the_product_name_and_code(chain, decide, media_in_tmp):
    pypdf = pytest.importorskip("pypdf")
    cert = decide([chain.evaluated(4, "Kẹo dừa Bến Tre DEMO").pk]).certificates.get()
    path = media_in_tmp / cert.pdf_storage_name
    assert path.is_file() and cert.pdf_storage_name.startswith("certificates/")
    import hashlib

    assert hashlib.sha256(path.read_bytes()).hexdigest() == cert.sha256
    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    assert "Kẹo dừa Bến Tre DEMO" in text and cert.product_code in text


def test_model_validation_is_reported_as_a_400_naming_the_key(chain, decide):
    result = chain.evaluated(4)
    with pytest.raises(ApplicationError) as long_number:
        decide([result.pk], decision_number="1" * 61)
    assert long_number.value.status_code == 400
    assert long_number.value.extra["key"] == "decision_number"
    assert not Certificate.objects.exists()
