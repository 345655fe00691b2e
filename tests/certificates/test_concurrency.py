"""Product codes stay unique when decisions run at the same time (row locks on PostgreSQL), and
a decision that fails half-way leaves neither rows nor stored PDFs."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from apps.certificates.models import Certificate, RecognitionDecision
from apps.certificates.services import ministry_propose, recognition, recognition_decide
from tests.factories.certificates import ROUND_YEAR


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_take_distinct_serials(boundaries, chain, people):
    if not connection.features.has_select_for_update:
        pytest.skip("needs row locks (SELECT ... FOR UPDATE): run on PostGIS")
    first = chain.evaluated(4, "Kẹo dừa DEMO")
    second = chain.evaluated(3, "Thạch dừa DEMO")
    five = chain.evaluated(5, "Dầu dừa DEMO")
    ministry_propose(result_id=five.pk, actor=people["leader"])
    central = chain.result(five.assignment.dossier_id, 5, level="central")

    jobs = [
        (first.pk, "101/QĐ-UBND", people["leader"]),
        (second.pk, "102/QĐ-UBND", people["leader"]),
        (central.pk, "103/QĐ-BNNMT", people["ministry"]),  # another issuer, the same commune
    ]
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(result_id, number, actor):
        try:
            barrier.wait(timeout=30)
            recognition_decide(
                result_ids=[result_id],
                decision_number=number,
                decision_date=timezone.localdate(),
                signer_name="Nguyễn Văn Ký",
                signer_title="CHỦ TỊCH",
                actor=actor,
            )
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert RecognitionDecision.objects.count() == 3
    codes = sorted(Certificate.objects.values_list("product_code", flat=True))
    assert codes == [
        f"86-28777-001-{ROUND_YEAR}",
        f"86-28777-002-{ROUND_YEAR}",
        f"86-28777-003-{ROUND_YEAR}",
    ]
    assert sorted(
        Certificate.objects.filter(decision__level="province").values_list("number", flat=True)
    ) == ["1/GCN-UBND", "2/GCN-UBND"]


@pytest.mark.django_db
def test_a_failed_decision_leaves_no_rows_and_no_files(chain, decide, monkeypatch, media_in_tmp):
    results = [chain.evaluated(4, "Kẹo dừa DEMO"), chain.evaluated(3, "Thạch dừa DEMO")]
    real = recognition.dossier_transition
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["dossier_id"])
        if len(calls) == 2:
            raise RuntimeError("lost connection")
        return real(**kwargs)

    monkeypatch.setattr(recognition, "dossier_transition", flaky)
    with pytest.raises(RuntimeError):
        decide([r.pk for r in results])
    assert len(calls) == 2  # the first certificate and its PDF were made before the failure
    assert not Certificate.objects.exists() and not RecognitionDecision.objects.exists()
    assert not list(media_in_tmp.rglob("*.pdf"))
    monkeypatch.setattr(recognition, "dossier_transition", real)
    decision = decide([r.pk for r in results])
    # the counters rolled back with the failed decision: no gap in the codes
    assert sorted(decision.certificates.values_list("product_code", flat=True)) == [
        f"86-28777-001-{ROUND_YEAR}",
        f"86-28777-002-{ROUND_YEAR}",
    ]
