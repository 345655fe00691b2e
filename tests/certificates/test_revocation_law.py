"""QĐ 26/2026/QĐ-TTg after recognition, through the services and the API: revocation as a case
(Điều 8: grounds, competent authority, procedure, 15-day limit), post-recognition inspections
(Điều 9) and the transitional extension (Điều 12.3). Each test quotes the sentence it checks."""

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from apps.certificates.choices import (
    CertificateStatus,
    PublicStatus,
    RevocationGround,
    RevocationStatus,
)
from apps.certificates.models import Certificate, Revocation, certificate_status
from apps.certificates.services import (
    certificate_extend,
    certificate_revoke,
    certificate_valid_until,
    inspection_record,
    revocation_close,
    revocation_decide,
    revocation_open,
    revocation_open_from_inspection,
)
from apps.core.exceptions import ApplicationError
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier, Notification

pytestmark = pytest.mark.django_db
API = "/api/v1/"
ANONYMOUS = (401, 403)
HERE = Point(106.3756, 10.2415, srid=4326)
DECISION = {
    "decision_number": "45/QĐ-UBND",
    "signer_name": "Trần Văn Ký",
    "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
}


def _today() -> date:
    return timezone.localdate()


def _issued(cert: Certificate, days_ago: int) -> Certificate:
    """Move the certificate's issue `days_ago` days back (36 months' validity kept), so that
    conclusions and decisions can lie between the issue and today."""
    start = _today() - timedelta(days=days_ago)
    Certificate.objects.filter(pk=cert.pk).update(
        valid_from=start, valid_until=certificate_valid_until(start)
    )
    cert.refresh_from_db()
    return cert


def _five_stars(cert: Certificate) -> Certificate:
    """The same certificate at 5★: what is checked here is who acts on which stars (the 5★
    recognition chain through the central council is test_services.py's)."""
    Certificate.objects.filter(pk=cert.pk).update(stars=5)
    cert.refresh_from_db()
    return cert


@pytest.fixture
def cert(chain, decide):
    """A 4★ certificate of the An Hội (28777) producer, Vĩnh Long, issued 60 days ago."""
    return _issued(decide([chain.evaluated(4).pk]).certificates.get(), 60)


@pytest.fixture
def second_cert(chain, decide):
    """Another 4★ certificate of the same producer, issued 60 days ago."""
    decision = decide([chain.evaluated(4, "Thạch dừa DEMO").pk], decision_number="2/QĐ-UBND")
    return _issued(decision.certificates.get(), 60)


def _open(cert, people, **overrides) -> Revocation:
    kwargs = {
        "ground": "c",
        "concluded_on": _today() - timedelta(days=3),
        "concluded_by_body": "Chi cục Quản lý chất lượng nông lâm thủy sản",
        "evidence": "Kết luận kiểm tra số 12/KL-CCQLCL",
        "actor": people["province"],
    }
    return revocation_open(certificate_id=cert.pk, **{**kwargs, **overrides})


def _decide(case, people, **overrides) -> Revocation:
    kwargs = {**DECISION, "decided_on": _today(), "actor": people["leader"]}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return revocation_decide(revocation_id=case.pk, **{**kwargs, **overrides})


def _refused(call, status: int, key: str | None = None) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        call()
    assert refused.value.status_code == status, (refused.value.status_code, refused.value.extra)
    if key is not None:
        assert refused.value.extra.get("key") == key, refused.value.extra
    return refused.value


def _both(cert, day):
    """The Python status and the list annotation must agree on every day."""
    annotated = Certificate.objects.with_public_status(day).get(pk=cert.pk).public_status
    computed = certificate_status(Certificate.objects.get(pk=cert.pk), day)
    assert annotated == computed, (day, annotated, computed)
    return computed


def _call(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, format="json")


# --- Điều 8: revocation, services -----------------------------------------------------------------
def test_a_case_is_due_15_days_after_the_communes_confirmation(cert, people):
    """Đ8.4: "Thời gian thu hồi giấy chứng nhận là 15 ngày kể từ ngày có kết luận của cơ quan có
    thẩm quyền về hành vi vi phạm của chủ thể hoặc xác nhận của UBND cấp xã về chủ thể OCOP
    không còn sản xuất sản phẩm OCOP." Đ8.1.đ: "Chủ thể OCOP không còn hoạt động sản xuất sản
    phẩm OCOP." """
    confirmed = _today() - timedelta(days=2)
    case = _open(
        cert, people, ground="dd", concluded_on=confirmed, concluded_by_body="UBND xã An Hội"
    )
    case.refresh_from_db()
    assert (
        case.status == RevocationStatus.OPEN and case.ground == RevocationGround.PRODUCTION_STOPPED
    )
    assert case.concluded_on == confirmed and case.concluded_by_body == "UBND xã An Hội"
    assert case.deadline == confirmed + timedelta(days=15)
    assert case.opened_by == people["province"] and case.decided_on is None
    assert case.decided_late is None
    # An open case does not revoke: the certificate stays in force until the decision.
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.ACTIVE
    assert _both(cert, _today()) == PublicStatus.VALID


def test_the_limit_follows_the_setting(cert, people, settings):
    """Đ8.4: "Thời gian thu hồi giấy chứng nhận là 15 ngày kể từ ngày có kết luận của cơ quan có
    thẩm quyền …" (OCOP_REVOCATION_DAYS, 15 calendar days unless set otherwise)."""
    settings.OCOP_REVOCATION_DAYS = 10
    case = _open(cert, people, concluded_on=_today() - timedelta(days=1))
    assert case.deadline == _today() + timedelta(days=9)


def test_the_decision_revokes_and_goes_to_the_producer_and_the_commune(cert, people):
    """Đ8.3.c: "Quyết định thu hồi giấy chứng nhận được gửi cho chủ thể OCOP và các cơ quan liên
    quan." Đ8.3.b: "Chủ tịch UBND cấp tỉnh … xem xét, quyết định thu hồi giấy chứng nhận theo
    thẩm quyền." """
    case = _open(cert, people, ground="c")
    mail.outbox.clear()
    Notification.objects.all().delete()
    decided = _decide(case, people)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED and cert.revocation == decided
    assert decided.status == RevocationStatus.REVOKED and decided.decided_by == people["leader"]
    assert decided.decision_number == "45/QĐ-UBND" and decided.decided_late is False
    assert _both(cert, _today()) == PublicStatus.REVOKED
    ground = str(RevocationGround.LAW_VIOLATION.label)
    for who in ("producer", "commune"):
        [notice] = Notification.objects.filter(recipient=people[who])
        assert notice.dossier_id == cert.dossier_id
        assert "45/QĐ-UBND" in notice.message and ground in notice.message, notice.message
        assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Ký" in notice.message, notice.message
    # only the dossier's commune: not the officers of another commune, nor another producer
    assert not Notification.objects.filter(recipient__in=[people["commune2"], people["producer2"]])
    assert {a for m in mail.outbox for a in m.to} == {"sx@example.test", "xa@example.test"}


def test_a_late_decision_is_recorded_as_late_not_refused(cert, second_cert, people):
    """Đ8.4: "Thời gian thu hồi giấy chứng nhận là 15 ngày kể từ ngày có kết luận của cơ quan có
    thẩm quyền về hành vi vi phạm của chủ thể …": a decision on the 15th day is in time; one
    after it still revokes (the violation stands), recorded as late."""
    today = _today()
    on_time = _open(cert, people, concluded_on=today - timedelta(days=15))
    late = _open(second_cert, people, concluded_on=today - timedelta(days=16))
    listed = {c.pk: c.overdue for c in Revocation.objects.with_overdue(today).filter(status="open")}
    assert listed == {on_time.pk: False, late.pk: True}
    assert (on_time.overdue_on(today), late.overdue_on(today)) == (False, True)
    assert _decide(on_time, people).decided_late is False
    late = _decide(late, people, decision_number="46/QĐ-UBND")
    assert late.decided_late is True and late.status == RevocationStatus.REVOKED
    assert Certificate.objects.get(pk=second_cert.pk).status == CertificateStatus.REVOKED
    # decided: no longer overdue
    assert not Revocation.objects.with_overdue(today).filter(overdue=True).exists()


def test_who_opens_and_who_decides_by_stars(cert, people):
    """Đ8.2.a: "Chủ tịch UBND cấp tỉnh quyết định thu hồi giấy chứng nhận đối với sản phẩm OCOP
    được công nhận 3 sao, 4 sao." Đ8.2.b: "Bộ trưởng Bộ Nông nghiệp và Môi trường quyết định thu
    hồi giấy chứng nhận đối với sản phẩm OCOP được công nhận 5 sao." Đ8.3.a: "… cơ quan tham mưu
    quản lý OCOP tổ chức kiểm tra, xác minh, báo cáo và trình cấp có thẩm quyền xem xét …" """
    for who in ("leader", "ministry", "commune", "producer"):
        _refused(lambda who=who: _open(cert, people, actor=people[who]), 403)
    _refused(lambda: _open(cert, people, actor=people["other_province"]), 404)
    case = _open(cert, people)
    for who in ("province", "ministry"):
        _refused(lambda who=who: _decide(case, people, actor=people[who]), 403)
    _refused(lambda: _decide(case, people, actor=people["other_leader"]), 404)
    assert Revocation.objects.get(pk=case.pk).status == RevocationStatus.OPEN

    revocation_close(revocation_id=case.pk, reason="Chuyển thẩm quyền", actor=people["province"])
    _five_stars(cert)
    _refused(lambda: _open(cert, people), 403)  # the province's office: not for 5★
    five = _open(cert, people, actor=people["ministry"])
    _refused(lambda: _decide(five, people), 403)  # the provincial leader: not for 5★
    decided = _decide(five, people, actor=people["ministry"], signer_title="BỘ TRƯỞNG")
    assert decided.status == RevocationStatus.REVOKED and decided.decided_by == people["ministry"]


def test_closing_without_revocation_keeps_who_when_and_why(cert, people):
    """Đ8.3.a–b: the office "tổ chức kiểm tra, xác minh, báo cáo và trình cấp có thẩm quyền xem
    xét", and the authority "xem xét, quyết định thu hồi giấy chứng nhận theo thẩm quyền": a case
    may end without revocation, with the reason kept."""
    case = _open(cert, people)
    _refused(
        lambda: revocation_close(revocation_id=case.pk, reason="", actor=people["province"]),
        400,
        "reason",
    )
    _refused(
        lambda: revocation_close(revocation_id=case.pk, reason="x", actor=people["producer"]), 403
    )
    _refused(
        lambda: revocation_close(revocation_id=case.pk, reason="x", actor=people["other_province"]),
        404,
    )
    closed = revocation_close(
        revocation_id=case.pk, reason="Kết luận đã được thu hồi", actor=people["leader"]
    )
    closed.refresh_from_db()
    assert (
        closed.status == RevocationStatus.CLOSED
        and closed.close_reason == "Kết luận đã được thu hồi"
    )
    assert closed.closed_by == people["leader"] and closed.closed_at is not None
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.ACTIVE
    _refused(
        lambda: revocation_close(revocation_id=case.pk, reason="again", actor=people["leader"]),
        409,
        "revocation_id",
    )
    _refused(lambda: _decide(case, people), 409, "revocation_id")
    # a later conclusion opens a new case
    assert _open(cert, people, ground="d").status == RevocationStatus.OPEN


def test_one_open_case_and_one_revocation_per_certificate(cert, people):
    """Đ8.1: "Giấy chứng nhận bị thu hồi trong các trường hợp sau" — a certificate is revoked
    once; while a case is open, no second one is opened beside it."""
    case = _open(cert, people)
    again = _refused(lambda: _open(cert, people, ground="a"), 409, "certificate_id")
    assert again.extra["revocation_id"] == case.pk
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Revocation.objects.create(
            certificate=cert,
            ground="a",
            concluded_on=case.concluded_on,
            deadline=case.deadline,
            opened_by=people["province"],
        )
    _decide(case, people)
    _refused(lambda: _open(cert, people, ground="a"), 409, "certificate_id")


def test_bad_input_names_the_field(cert, people):
    """Đ8.1 lists the grounds a) to e) ("đ" stored as "dd"); Đ8.4 counts from the date of the
    conclusion, which cannot lie in the future nor before the certificate, and the decision
    cannot precede the conclusion it rests on."""
    today = _today()
    _refused(lambda: _open(cert, people, ground="f"), 400, "ground")
    _refused(lambda: _open(cert, people, ground=None), 400, "ground")
    _refused(
        lambda: _open(cert, people, concluded_on=today + timedelta(days=1)), 400, "concluded_on"
    )
    _refused(lambda: _open(cert, people, concluded_on=None), 400, "concluded_on")
    _refused(
        lambda: _open(cert, people, concluded_on=cert.valid_from - timedelta(days=1)),
        400,
        "concluded_on",
    )
    _refused(lambda: _open(cert, people, concluded_by_body="  "), 400, "concluded_by_body")
    case = _open(cert, people, concluded_on=today - timedelta(days=2))
    _refused(lambda: _decide(case, people, decided_on=today - timedelta(days=3)), 400, "decided_on")
    _refused(lambda: _decide(case, people, decided_on=today + timedelta(days=1)), 400, "decided_on")
    _refused(lambda: _decide(case, people, decision_number=""), 400, "decision_number")
    _refused(lambda: _decide(case, people, signer_name=""), 400, "signer_name")
    _refused(lambda: _decide(case, people, signer_title=" "), 400, "signer_title")
    assert Revocation.objects.get(pk=case.pk).status == RevocationStatus.OPEN


def test_the_one_step_revocation_records_a_decided_case(cert, second_cert, people):
    """Đ8.4: "… 15 ngày kể từ ngày có kết luận của cơ quan có thẩm quyền …": recorded in one step
    by the authority, the conclusion defaults to the decision's date; given, it sets the
    deadline."""
    today = _today()
    one = certificate_revoke(
        certificate_id=cert.pk,
        ground="dd",
        decision_number="77/QĐ-UBND",
        decided_on=today,
        actor=people["leader"],
    )
    assert one.status == RevocationStatus.REVOKED and one.concluded_on == today
    assert one.deadline == today + timedelta(days=15) and one.decided_late is False
    assert one.signer_name == people["leader"].username and one.opened_by == people["leader"]
    assert Certificate.objects.get(pk=cert.pk).revocation == one
    late = certificate_revoke(
        certificate_id=second_cert.pk,
        ground="b",
        decision_number="78/QĐ-UBND",
        decided_on=today,
        concluded_on=today - timedelta(days=30),
        concluded_by_body="Sở Nông nghiệp và Môi trường",
        signer_name="Trần Văn Ký",
        signer_title="CHỦ TỊCH",
        actor=people["leader"],
    )
    assert late.decided_late is True and late.signer_title == "CHỦ TỊCH"


def test_the_one_step_revocation_defers_to_an_open_case(cert, people):
    """Đ8.3.a–b: the office's case goes to the authority, which decides it: the authority does
    not record a second revocation beside it."""
    case = _open(cert, people)
    refused = _refused(
        lambda: certificate_revoke(
            certificate_id=cert.pk,
            ground="c",
            decision_number="79/QĐ-UBND",
            decided_on=_today(),
            actor=people["leader"],
        ),
        409,
        "certificate_id",
    )
    assert refused.extra["revocation_id"] == case.pk


# --- Điều 9: inspections --------------------------------------------------------------------------
def _inspect(cert, people, **overrides):
    kwargs = {
        "inspected_on": _today() - timedelta(days=5),
        "kind": "ad_hoc",
        "scope": "criteria",
        "outcome": "non_compliant",
        "location": HERE,
        "findings": "Không duy trì tiêu chí 5.1: chưa có công bố chất lượng còn hiệu lực.",
        "actor": people["province"],
    }
    return inspection_record(certificate_id=cert.pk, **{**kwargs, **overrides})


def test_inspections_record_kind_content_and_outcome(cert, people):
    """Đ9.2.a: "Thực hiện theo nguyên tắc hậu kiểm, kết hợp kiểm tra định kỳ và kiểm tra đột xuất
    khi cần thiết." Đ9.3: "a) Việc duy trì các tiêu chí của sản phẩm OCOP theo hồ sơ đã được đánh
    giá, phân hạng. b) Sử dụng nhãn hiệu OCOP, sử dụng thông tin và quảng bá sản phẩm OCOP." """
    periodic = _inspect(
        cert, people, kind="periodic", scope="criteria_and_mark", outcome="compliant"
    )
    periodic.refresh_from_db()
    assert (periodic.kind, periodic.scope, periodic.outcome) == (
        "periodic",
        "criteria_and_mark",
        "compliant",
    )
    mark = _inspect(cert, people, scope="mark", outcome="violation")
    assert mark.get_scope_display().startswith("b)")
    for key, value in (("kind", "monthly"), ("scope", "price"), ("outcome", ""), ("outcome", None)):
        _refused(lambda key=key, value=value: _inspect(cert, people, **{key: value}), 400, key)
    _refused(lambda: _inspect(cert, people, findings=""), 400, "findings")
    _refused(
        lambda: _inspect(cert, people, inspected_on=_today() + timedelta(days=1)),
        400,
        "inspected_on",
    )


def test_who_inspects(cert, people):
    """Đ9.4.a: "Ủy ban nhân dân cấp tỉnh giao cơ quan tham mưu quản lý OCOP cấp tỉnh chủ trì …
    tổ chức kiểm tra; giám sát đối với sản phẩm OCOP trên địa bàn." Đ9.4.b: "Bộ Nông nghiệp và
    Môi trường giao cơ quan tham mưu quản lý OCOP của Bộ chủ trì … tổ chức kiểm tra, giám sát đối
    với sản phẩm OCOP 5 sao hoặc sản phẩm 3 sao, 4 sao khi cần thiết." """
    assert _inspect(cert, people, actor=people["ministry"]).pk  # 4★, when needed
    assert _inspect(cert, people, actor=people["province"]).pk
    _refused(lambda: _inspect(cert, people, actor=people["other_province"]), 404)
    _refused(lambda: _inspect(cert, people, actor=people["commune"]), 403)
    _refused(lambda: _inspect(cert, people, actor=people["producer"]), 403)
    _five_stars(cert)
    assert _inspect(cert, people, actor=people["ministry"]).pk
    assert _inspect(cert, people, actor=people["province"]).pk  # on its territory


def test_a_non_compliant_inspection_opens_a_case_on_ground_b(cert, second_cert, people):
    """Đ8.1.b: "Sản phẩm OCOP không còn đáp ứng các tiêu chí theo Bộ tiêu chí OCOP theo kết luận
    kiểm tra, giám sát của cơ quan có thẩm quyền." Đ9.1: inspections "kịp thời phát hiện, xử lý
    các trường hợp sản phẩm OCOP không còn đáp ứng yêu cầu hoặc vi phạm quy định của pháp
    luật." """
    inspection = _inspect(cert, people)
    case = revocation_open_from_inspection(inspection_id=inspection.pk, actor=people["province"])
    case.refresh_from_db()
    assert case.ground == RevocationGround.CRITERIA_NOT_MET and case.inspection == inspection
    assert case.concluded_on == inspection.inspected_on
    assert case.deadline == inspection.inspected_on + timedelta(days=15)
    assert case.evidence == inspection.findings
    assert case.concluded_by_body == "Cơ quan tham mưu quản lý OCOP, Tỉnh Vĩnh Long"

    # The officer may choose another ground; the conclusion date stays the inspection's.
    revocation_close(revocation_id=case.pk, reason="Mở lại theo điểm d", actor=people["province"])
    misuse = _inspect(cert, people, scope="mark", outcome="violation", actor=people["ministry"])
    chosen = revocation_open(
        certificate_id=cert.pk,
        ground="d",
        concluded_by_body="Thanh tra Bộ",
        inspection_id=misuse.pk,
        actor=people["province"],
    )
    assert chosen.ground == "d" and chosen.concluded_on == misuse.inspected_on
    assert chosen.concluded_by_body == "Thanh tra Bộ" and chosen.inspection == misuse

    # A compliant inspection grounds nothing; the date is the inspection's; same certificate.
    compliant = _inspect(second_cert, people, outcome="compliant")
    _refused(
        lambda: revocation_open_from_inspection(
            inspection_id=compliant.pk, actor=people["province"]
        ),
        400,
        "inspection_id",
    )
    other = _inspect(second_cert, people)
    _refused(
        lambda: _open(second_cert, people, inspection_id=other.pk, concluded_on=_today()),
        400,
        "concluded_on",
    )
    _refused(lambda: _open(second_cert, people, inspection_id=misuse.pk), 400, "inspection_id")
    _refused(
        lambda: revocation_open_from_inspection(
            inspection_id=other.pk, actor=people["other_province"]
        ),
        404,
        "inspection_id",
    )


# --- Điều 12.3: the transitional extension --------------------------------------------------------
def test_the_transitional_extension_is_for_certificates_in_force_on_22_05_2026(cert, people):
    """Đ12.3: "Những sản phẩm thuộc đối tượng đánh giá, phân hạng lại, nhưng thời gian nộp hồ sơ
    không đáp ứng được thời hạn … thì giấy chứng nhận tiếp tục có hiệu lực đến ngày có kết quả
    xử lý của cơ quan có thẩm quyền, nhưng không quá 180 ngày tính từ ngày hết thời hạn." A
    transitional provision: for certificates in force on the day QĐ 26/2026 took effect
    (22/05/2026, Đ11), i.e. valid_from <= 22/05/2026 <= valid_until."""
    effective = date(2026, 5, 22)
    dossier = cert.dossier
    Dossier.objects.create(  # a late re-evaluation dossier, awaiting its decision
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
    cases = {
        # (valid_from, valid_until): extended after expiry?
        (date(2023, 5, 20), date(2026, 5, 21)): False,  # expired the day before
        (date(2023, 5, 22), date(2026, 5, 22)): True,  # expires on the day
        (date(2024, 1, 10), date(2027, 1, 10)): True,  # valid across it
        (effective, date(2029, 5, 22)): True,  # issued on the day
        (date(2026, 5, 23), date(2029, 5, 23)): False,  # issued after it
    }
    for (valid_from, valid_until), extended in cases.items():
        Certificate.objects.filter(pk=cert.pk).update(
            valid_from=valid_from, valid_until=valid_until, extended_until=None
        )
        cert.refresh_from_db()
        after = valid_until + timedelta(days=1)
        expected = PublicStatus.EXTENDED if extended else PublicStatus.EXPIRED
        assert _both(cert, after) == expected, (valid_from, valid_until)
        assert _both(cert, valid_until + timedelta(days=180)) == expected
        assert _both(cert, valid_until + timedelta(days=181)) == PublicStatus.EXPIRED
        listed = Certificate.objects.with_public_status(after).filter(public_status=expected)
        assert listed.filter(pk=cert.pk).exists()
        # the authority's extension (Đ12.3) follows the same rule
        until = valid_until + timedelta(days=90)

        def extend(until=until):
            return certificate_extend(certificate_id=cert.pk, until=until, actor=people["leader"])

        if extended:
            assert extend().extended_until == until
        else:
            refused = _refused(extend, 409, "certificate_id")
            assert refused.extra["effective_on"] == "2026-05-22"


def test_the_effective_day_is_a_setting(cert, people, settings):
    """Đ11 sets the day QĐ 26/2026 takes effect (22/05/2026); OCOP_QD26_EFFECTIVE_ON holds it,
    and Đ12.3 follows it."""
    assert settings.OCOP_QD26_EFFECTIVE_ON == date(2026, 5, 22)
    Certificate.objects.filter(pk=cert.pk).update(
        valid_from=date(2023, 5, 20), valid_until=date(2026, 5, 21)
    )
    settings.OCOP_QD26_EFFECTIVE_ON = date(2026, 5, 21)
    extended = certificate_extend(
        certificate_id=cert.pk, until=date(2026, 6, 30), actor=people["leader"]
    )
    assert extended.extended_until == date(2026, 6, 30)


# --- the API --------------------------------------------------------------------------------------
def test_open_case_endpoint(cert, people, client_for):
    """Đ8.3.a: "Khi phát hiện sản phẩm OCOP thuộc một trong các trường hợp quy định tại khoản 1
    Điều này, cơ quan tham mưu quản lý OCOP tổ chức kiểm tra, xác minh, báo cáo và trình cấp có
    thẩm quyền xem xét, ban hành quyết định thu hồi giấy chứng nhận." """
    url = f"{API}certificates/{cert.pk}/revocation-cases/"
    body = {
        "ground": "dd",
        "concluded_on": str(_today() - timedelta(days=1)),
        "concluded_by_body": "UBND xã An Hội",
        "evidence": "Văn bản xác nhận số 5/XN-UBND",
    }
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    for who in ("producer", "commune", "leader", "ministry"):
        assert _call(client_for(people[who]), "post", url, body).status_code == 403, who
    assert _call(client_for(people["other_province"]), "post", url, body).status_code == 404
    assert (
        _call(
            client_for(people["province"]),
            "post",
            f"{API}certificates/999999/revocation-cases/",
            body,
        ).status_code
        == 404
    )
    officer = client_for(people["province"])
    for bad, key in (
        ({**body, "ground": "f"}, "ground"),
        ({**body, "ground": "đ"}, "ground"),
        ({k: v for k, v in body.items() if k != "ground"}, "ground"),
        ({k: v for k, v in body.items() if k != "concluded_on"}, "concluded_on"),
        ({**body, "concluded_on": "hôm qua"}, "concluded_on"),
        ({**body, "concluded_on": str(_today() + timedelta(days=1))}, "concluded_on"),
        ({**body, "concluded_on": str(cert.valid_from - timedelta(days=1))}, "concluded_on"),
        ({k: v for k, v in body.items() if k != "concluded_by_body"}, "concluded_by_body"),
        ({**body, "inspection_id": "x"}, "inspection_id"),
        ({**body, "inspection_id": 999999}, "inspection_id"),
    ):
        answer = _call(officer, "post", url, bad)
        assert answer.status_code == 400 and answer.json()["extra"]["key"] == key, (
            bad,
            answer.content,
        )
    created = _call(officer, "post", url, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "open" and data["ground"] == "dd" and data["overdue"] is False
    assert data["deadline"] == str(_today() + timedelta(days=14))
    assert data["product_code"] == cert.product_code and data["decided_late"] is None
    assert _call(officer, "post", url, body).status_code == 409

    listed = client_for(people["leader"]).get(url)
    assert listed.status_code == 200 and [c["id"] for c in listed.json()["results"]] == [data["id"]]
    assert client_for(people["producer"]).get(url).status_code == 403
    assert client_for(people["other_province"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code in ANONYMOUS


def test_case_list_flags_overdue_cases(
    cert, second_cert, people, client_for, django_assert_max_num_queries
):
    """Đ8.4: "Thời gian thu hồi giấy chứng nhận là 15 ngày kể từ ngày có kết luận của cơ quan có
    thẩm quyền …": open cases past it are flagged on the office's list."""
    overdue = _open(cert, people, concluded_on=_today() - timedelta(days=16))
    in_time = _open(second_cert, people, concluded_on=_today() - timedelta(days=15))
    url = f"{API}revocation-cases/"
    leader = client_for(people["leader"])
    with django_assert_max_num_queries(6):
        body = leader.get(url).json()
    assert {c["id"]: c["overdue"] for c in body["results"]} == {overdue.pk: True, in_time.pk: False}
    flagged = leader.get(url, {"overdue": "true"}).json()["results"]
    assert [c["id"] for c in flagged] == [overdue.pk]
    assert [c["id"] for c in leader.get(url, {"status": "open"}).json()["results"]] == [
        overdue.pk,
        in_time.pk,
    ]  # oldest deadline first
    assert leader.get(url, {"status": "revoked"}).json()["count"] == 0
    for bad, key in (({"status": "done"}, "status"), ({"overdue": "yes"}, "overdue")):
        answer = leader.get(url, bad)
        assert answer.status_code == 400 and answer.json()["extra"]["key"] == key
    assert client_for(people["ministry"]).get(url).json()["count"] == 2
    assert client_for(people["province"]).get(url).json()["count"] == 2
    assert client_for(people["other_province"]).get(url).json()["count"] == 0
    for who in ("producer", "commune"):
        assert client_for(people[who]).get(url).status_code == 403
    assert client_for(None).get(url).status_code in ANONYMOUS

    detail = f"{url}{overdue.pk}/"
    answer = leader.get(detail)
    assert answer.status_code == 200 and answer.json()["overdue"] is True
    assert answer.json()["concluded_by_body"] == overdue.concluded_by_body
    assert client_for(people["other_leader"]).get(detail).status_code == 404
    assert client_for(people["producer"]).get(detail).status_code == 403
    assert client_for(None).get(detail).status_code in ANONYMOUS
    assert leader.get(f"{url}999999/").status_code == 404


def test_decide_endpoint(cert, people, client_for):
    """Đ8.2.a: "Chủ tịch UBND cấp tỉnh quyết định thu hồi giấy chứng nhận đối với sản phẩm OCOP
    được công nhận 3 sao, 4 sao." Đ8.3.c: "Quyết định thu hồi giấy chứng nhận được gửi cho chủ thể
    OCOP và các cơ quan liên quan." """
    case = _open(cert, people, concluded_on=_today() - timedelta(days=20))
    url = f"{API}revocation-cases/{case.pk}/decide/"
    body = {**DECISION, "decided_on": str(_today()), "note": "Đã xác minh"}
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    for who in ("producer", "commune", "province", "ministry"):
        assert _call(client_for(people[who]), "post", url, body).status_code == 403, who
    assert _call(client_for(people["other_leader"]), "post", url, body).status_code == 404
    leader = client_for(people["leader"])
    for bad, key in (
        ({k: v for k, v in body.items() if k != "decision_number"}, "decision_number"),
        ({k: v for k, v in body.items() if k != "signer_name"}, "signer_name"),
        ({k: v for k, v in body.items() if k != "signer_title"}, "signer_title"),
        ({k: v for k, v in body.items() if k != "decided_on"}, "decided_on"),
        ({**body, "decided_on": str(_today() + timedelta(days=1))}, "decided_on"),
        ({**body, "decided_on": str(_today() - timedelta(days=21))}, "decided_on"),
    ):
        answer = _call(leader, "post", url, bad)
        assert answer.status_code == 400 and answer.json()["extra"]["key"] == key, (
            bad,
            answer.content,
        )
    Notification.objects.all().delete()
    decided = _call(leader, "post", url, body)
    assert decided.status_code == 200, decided.content
    data = decided.json()
    assert data["status"] == "revoked" and data["decided_late"] is True and data["overdue"] is False
    assert data["signer_name"] == "Trần Văn Ký" and data["decided_by"] == str(people["leader"])
    assert Notification.objects.filter(recipient=people["producer"]).count() == 1
    assert Notification.objects.filter(recipient=people["commune"]).count() == 1
    shown = client_for(people["producer"]).get(f"{API}certificates/{cert.pk}/").json()
    assert shown["public_status"] == "revoked"
    assert shown["revocation"]["decision_number"] == "45/QĐ-UBND"
    assert shown["revocation"]["decided_late"] is True and shown["revocation"]["ground"] == "c"
    assert _call(leader, "post", url, body).status_code == 409
    assert _call(leader, "post", f"{API}revocation-cases/999999/decide/", body).status_code == 404


def test_close_endpoint(cert, people, client_for):
    """Đ8.3.b: the authority "xem xét, quyết định thu hồi giấy chứng nhận theo thẩm quyền": it may
    also decide not to revoke; the case is closed with the reason."""
    case = _open(cert, people)
    url = f"{API}revocation-cases/{case.pk}/close/"
    body = {"reason": "Chủ thể đã khắc phục; kết luận được thu hồi."}
    assert _call(client_for(None), "post", url, body).status_code in ANONYMOUS
    for who in ("producer", "commune", "ministry"):
        assert _call(client_for(people[who]), "post", url, body).status_code == 403, who
    assert _call(client_for(people["other_province"]), "post", url, body).status_code == 404
    officer = client_for(people["province"])
    for bad in ({}, {"reason": ""}, {"reason": ["x"]}):
        answer = _call(officer, "post", url, bad)
        assert answer.status_code == 400 and answer.json()["extra"]["key"] == "reason"
    closed = _call(officer, "post", url, body)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["close_reason"] == body["reason"]
    assert closed.json()["closed_by"] == str(people["province"])
    assert _call(officer, "post", url, body).status_code == 409
    cert_data = client_for(people["province"]).get(f"{API}certificates/{cert.pk}/").json()
    assert cert_data["status"] == "active" and cert_data["revocation"] is None


def test_open_from_inspection_endpoint(cert, people, client_for):
    """Đ8.1.b: "Sản phẩm OCOP không còn đáp ứng các tiêu chí theo Bộ tiêu chí OCOP theo kết luận
    kiểm tra, giám sát của cơ quan có thẩm quyền." """
    inspection = _inspect(cert, people, actor=people["ministry"])
    url = f"{API}inspections/{inspection.pk}/revocation-case/"
    assert _call(client_for(None), "post", url).status_code in ANONYMOUS
    for who in ("producer", "commune", "leader", "ministry"):
        assert _call(client_for(people[who]), "post", url).status_code == 403, who
    assert _call(client_for(people["other_province"]), "post", url).status_code == 404
    officer = client_for(people["province"])
    assert _call(officer, "post", f"{API}inspections/999999/revocation-case/").status_code == 404
    for bad, key in (
        ({"ground": "g"}, "ground"),
        ({"concluded_by_body": "x" * 256}, "concluded_by_body"),
        ({"evidence": ["x"]}, "evidence"),
    ):
        answer = _call(officer, "post", url, bad)
        assert answer.status_code == 400 and answer.json()["extra"]["key"] == key, answer.content
    compliant = _inspect(cert, people, outcome="compliant")
    answer = _call(officer, "post", f"{API}inspections/{compliant.pk}/revocation-case/")
    assert answer.status_code == 400 and answer.json()["extra"]["key"] == "inspection_id"
    created = _call(officer, "post", url)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["ground"] == "b" and data["inspection_id"] == inspection.pk
    assert data["concluded_on"] == str(inspection.inspected_on)
    assert (
        data["concluded_by_body"] == "Cơ quan tham mưu quản lý OCOP, Bộ Nông nghiệp và Môi trường"
    )


def test_inspection_endpoint_requires_kind_content_and_outcome(cert, people, client_for):
    """Đ9.2.a: "… kết hợp kiểm tra định kỳ và kiểm tra đột xuất khi cần thiết." Đ9.3: "Nội dung
    kiểm tra, giám sát: a) Việc duy trì các tiêu chí …; b) Sử dụng nhãn hiệu OCOP …" """
    url = f"{API}certificates/{cert.pk}/inspections/"
    body = {
        "inspected_on": str(_today() - timedelta(days=1)),
        "kind": "ad_hoc",
        "scope": "mark",
        "outcome": "violation",
        "location": {"type": "Point", "coordinates": [106.3756, 10.2415]},
        "findings": "Dùng nhãn OCOP 5 sao cho sản phẩm 4 sao.",
    }
    province = client_for(people["province"])
    for bad, key in (
        ({k: v for k, v in body.items() if k != "kind"}, "kind"),
        ({**body, "kind": "weekly"}, "kind"),
        ({k: v for k, v in body.items() if k != "scope"}, "scope"),
        ({**body, "scope": "c"}, "scope"),
        ({k: v for k, v in body.items() if k != "outcome"}, "outcome"),
        ({**body, "outcome": "bad"}, "outcome"),
        ({**body, "inspected_on": str(_today() + timedelta(days=1))}, "inspected_on"),
    ):
        answer = _call(province, "post", url, bad)
        assert answer.status_code == 400 and answer.json()["extra"]["key"] == key, (
            bad,
            answer.content,
        )
    created = _call(province, "post", url, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["kind"], data["scope"], data["outcome"]) == ("ad_hoc", "mark", "violation")
    assert data["scope_label"] and data["kind_label"] and data["outcome_label"]


def test_one_step_revoke_endpoint_takes_the_conclusion(cert, people, client_for):
    """Đ8.4: "… 15 ngày kể từ ngày có kết luận của cơ quan có thẩm quyền về hành vi vi phạm của
    chủ thể …" """
    url = f"{API}certificates/{cert.pk}/revoke/"
    body = {
        "ground": "a",
        "decision_number": "88/QĐ-UBND",
        "decided_on": str(_today()),
        "concluded_on": str(_today() - timedelta(days=40)),
        "concluded_by_body": "Thanh tra tỉnh",
        "signer_name": "Trần Văn Ký",
        "signer_title": "CHỦ TỊCH",
    }
    leader = client_for(people["leader"])
    bad = _call(leader, "post", url, {**body, "concluded_on": str(_today() + timedelta(days=1))})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "concluded_on"
    bad = _call(leader, "post", url, {**body, "ground": "dđ"})
    assert bad.status_code == 400 and bad.json()["extra"]["key"] == "ground"
    revoked = _call(leader, "post", url, body)
    assert revoked.status_code == 200, revoked.content
    revocation = revoked.json()["revocation"]
    assert (
        revocation["decided_late"] is True and revocation["concluded_by_body"] == "Thanh tra tỉnh"
    )
    assert revocation["signer_title"] == "CHỦ TỊCH"
    case = Revocation.objects.get(certificate=cert)
    listed = leader.get(f"{API}revocation-cases/", {"status": "revoked"}).json()["results"]
    assert [c["id"] for c in listed] == [case.pk]
