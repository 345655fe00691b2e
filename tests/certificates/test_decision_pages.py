"""The decision pages (issue 16): the leader's list of council results waiting for a decision,
the recognition decision recorded from it, proposals to the ministry, closing without
recognition, and each decision with its certificates — per role and jurisdiction."""

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from apps.certificates.models import Certificate, MinistryProposal, RecognitionDecision
from apps.certificates.services import ministry_propose
from apps.dossiers.choices import DossierStatus
from apps.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
URL = "/certificates/decisions/"


def page(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(user, data: dict):
    """A form post that runs the on-commit callbacks (notifications), as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return page(user).post(URL, data)


def decision_data(*result_ids, **overrides) -> dict:
    return {
        "op": "decide",
        "results": [str(i) for i in result_ids],
        "decision_number": "88/QĐ-UBND",
        "decision_date": timezone.localdate().strftime("%d/%m/%Y"),
        "signer_name": "Trần Văn Ký",
        "signer_title": "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
        **overrides,
    }


def rows(response, testid: str) -> list[int]:
    """The result ids of the rows marked `data-testid=testid` on the page."""
    import re

    html = response.content.decode()
    return [int(m) for m in re.findall(rf'data-testid="{testid}" data-result="(\d+)"', html)]


# --- who may open the pages ----------------------------------------------------------------------
def test_anonymous_goes_to_the_login_page():
    response = page(None).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_producer_gets_404_and_a_commune_officer_a_page_that_says_who_it_is_for(people):
    assert page(people["producer"]).get(URL).status_code == 404
    refused = page(people["commune"]).get(URL)
    assert refused.status_code == 403
    assert "lãnh đạo tỉnh" in refused.content.decode()


def test_a_council_member_is_refused(make_user, unit):
    from apps.accounts.choices import Role

    member = make_user(Role.COUNCIL_MEMBER, [unit("86", "province")], username="tv-hd")
    assert page(member).get(URL).status_code == 403


@pytest.mark.parametrize("role", ["leader", "province", "ministry"])
def test_the_authorities_open_the_list(people, role):
    response = page(people[role]).get(URL)
    assert response.status_code == 200
    assert 'data-testid="worklist-empty"' in response.content.decode()


def test_the_menu_shows_the_pages_to_the_leader_only_among_these(people):
    assert URL in page(people["leader"]).get("/").content.decode()
    assert URL not in page(people["producer"]).get("/").content.decode()


# --- the worklist --------------------------------------------------------------------------------
def test_the_leader_sees_each_result_where_the_law_puts_it(chain, people):
    three, four = chain.evaluated(3, "Kẹo dừa A"), chain.evaluated(4, "Kẹo dừa B")
    two = chain.evaluated(2, "Kẹo dừa C")
    ninety = chain.evaluated(5, "Kẹo dừa D")
    response = page(people["leader"]).get(URL)
    assert sorted(rows(response, "recognise-row")) == sorted([three.pk, four.pk])
    assert rows(response, "propose-row") == [ninety.pk]
    assert rows(response, "close-row") == [two.pk]
    # Another province's leader sees none of them.
    other = page(people["other_leader"]).get(URL)
    assert rows(other, "recognise-row") == rows(other, "propose-row") == rows(other, "close-row")
    assert rows(other, "recognise-row") == []


def test_the_office_sees_the_list_but_cannot_decide(chain, people):
    result = chain.evaluated(4)
    response = page(people["province"]).get(URL)
    html = response.content.decode()
    assert rows(response, "recognise-row") == [result.pk]
    assert 'data-testid="decide"' not in html and 'data-testid="leader-decides"' in html
    refused = post(people["province"], decision_data(result.pk))
    assert refused.status_code == 403
    assert not RecognitionDecision.objects.exists()


# --- the decision --------------------------------------------------------------------------------
def test_the_leader_records_a_decision_and_gets_the_certificates(chain, people):
    a, b = chain.evaluated(3, "Kẹo dừa A"), chain.evaluated(4, "Kẹo dừa B")
    response = post(people["leader"], decision_data(a.pk, b.pk))
    decision = RecognitionDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/decisions/{decision.pk}/"
    assert decision.number == "88/QĐ-UBND" and decision.signer_name == "Trần Văn Ký"
    assert decision.date == timezone.localdate() and decision.created_by == people["leader"]
    codes = sorted(decision.certificates.values_list("product_code", flat=True))
    assert len(codes) == 2
    for result in (a, b):
        assert Dossier.objects.get(pk=result.assignment.dossier_id).status == (
            DossierStatus.RECOGNISED
        )

    shown = page(people["leader"]).get(response["Location"])
    html = shown.content.decode()
    assert shown.status_code == 200
    for code in codes:
        assert f'data-code="{code}"' in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html
    assert "Ủy ban nhân dân tỉnh Vĩnh Long" in html
    # The list no longer offers them, and shows the decision.
    after = page(people["leader"]).get(URL)
    assert rows(after, "recognise-row") == []
    assert "88/QĐ-UBND" in after.content.decode()


def test_the_certificate_pdf_opens_for_those_who_may_see_it(chain, people, decide):
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    pdf_url = f"/certificates/{cert.pk}/pdf/"
    for role in ("leader", "producer", "commune", "province"):
        response = page(people[role]).get(pdf_url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for role in ("other_leader", "producer2", "commune2"):
        assert page(people[role]).get(pdf_url).status_code == 404, role
    assert page(people["leader"]).get("/certificates/999999/pdf/").status_code == 404
    assert page(None).get(pdf_url).status_code == 302


def test_a_decision_is_404_outside_the_jurisdiction(chain, people, decide):
    decision = decide([chain.evaluated(4).pk])
    url = f"/certificates/decisions/{decision.pk}/"
    assert page(people["leader"]).get(url).status_code == 200
    assert page(people["ministry"]).get(url).status_code == 200
    assert page(people["other_leader"]).get(url).status_code == 404
    assert page(people["other_province"]).get(url).status_code == 404
    assert page(people["producer"]).get(url).status_code == 404
    assert page(people["leader"]).get("/certificates/decisions/999999/").status_code == 404


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"decision_number": ""}, "decision_number"),
        ({"decision_date": "31/02/2026"}, "decision_date"),
        ({"decision_date": "hôm nay"}, "decision_date"),
        ({"signer_name": "   "}, "signer_name"),
        ({"signer_title": ""}, "signer_title"),
        ({"decision_number": "x" * 61}, "decision_number"),
    ],
)
def test_bad_input_is_a_400_that_keeps_what_was_typed(chain, people, overrides, field):
    result = chain.evaluated(4)
    data = decision_data(result.pk, **overrides)
    response = post(people["leader"], data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}"' in html and 'class="error"' in html
    kept = {"decision_number", "signer_name", "signer_title"} - {field}
    for name in kept:
        assert f'value="{data[name]}"' in html, name
    assert not RecognitionDecision.objects.exists() and not Certificate.objects.exists()


def test_no_result_ticked_is_refused(chain, people):
    chain.evaluated(4)
    data = decision_data()
    response = post(people["leader"], data)
    assert response.status_code == 400
    assert "Chọn ít nhất một" in response.content.decode()
    assert not RecognitionDecision.objects.exists()


def test_a_result_not_on_the_list_cannot_be_slipped_in(chain, people):
    """A result id that the list does not offer (another province's, a closed one, a forged
    number) is a form error: the decision is not recorded for any of the ticked results."""
    ours = chain.evaluated(4)
    closed = chain.evaluated(2, "Kẹo dừa C")
    for forged in (closed.pk, 999999, "abc"):
        response = post(people["leader"], decision_data(ours.pk, forged))
        assert response.status_code == 400, forged
    assert not RecognitionDecision.objects.exists()


def test_a_future_date_and_a_used_number_are_refused_with_the_services_reason(
    chain, people, decide
):
    decide([chain.evaluated(3, "Kẹo dừa A").pk], decision_number="88/QĐ-UBND")
    result = chain.evaluated(4, "Kẹo dừa B")
    used = post(people["leader"], decision_data(result.pk))
    assert used.status_code == 400 and "88/QĐ-UBND" in used.content.decode()
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).strftime("%d/%m/%Y")
    future = post(
        people["leader"],
        decision_data(result.pk, decision_number="89/QĐ-UBND", decision_date=tomorrow),
    )
    assert future.status_code == 400
    assert RecognitionDecision.objects.count() == 1


# --- proposals and closing -----------------------------------------------------------------------
def test_the_leader_proposes_a_ninety_point_result_to_the_ministry(chain, people):
    ninety = chain.evaluated(5)
    assert post(people["province"], {"op": "propose", "result": ninety.pk}).status_code == 403
    response = post(people["leader"], {"op": "propose", "result": ninety.pk})
    assert response.status_code == 302
    proposal = MinistryProposal.objects.get()
    assert proposal.result == ninety and proposal.proposed_by == people["leader"]
    assert Dossier.objects.get(pk=ninety.assignment.dossier_id).status == (
        DossierStatus.PROPOSED_CENTRAL
    )
    assert rows(page(people["leader"]).get(URL), "propose-row") == []
    # Twice: the result is no longer waiting, so it is not found in the list's scope either.
    again = post(people["leader"], {"op": "propose", "result": ninety.pk})
    assert again.status_code in (400, 409) and MinistryProposal.objects.count() == 1


def test_the_office_closes_a_two_star_result_with_a_note(chain, people, mailoutbox):
    two = chain.evaluated(2)
    response = post(
        people["province"], {"op": "close", "result": two.pk, "note": "Bao bì chưa đạt."}
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=two.assignment.dossier_id)
    assert dossier.status == DossierStatus.NOT_RECOGNISED
    assert any("Bao bì chưa đạt." in m.body for m in mailoutbox)
    assert rows(page(people["leader"]).get(URL), "close-row") == []


def test_a_result_of_another_province_is_404(chain, people):
    two = chain.evaluated(2)
    for op in ("close", "propose"):
        response = post(people["other_leader"], {"op": op, "result": two.pk})
        assert response.status_code == 404
    assert Dossier.objects.get(pk=two.assignment.dossier_id).status == DossierStatus.EVALUATED


@pytest.mark.parametrize(
    "data",
    [{"op": "close", "result": "x"}, {"op": "propose"}, {"op": "dance"}, {}],
)
def test_malformed_posts_are_400(people, data):
    response = post(people["leader"], data)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ." in response.content.decode()
    assert not MinistryProposal.objects.exists()


def test_a_four_star_result_cannot_be_closed(chain, people):
    four = chain.evaluated(4)
    response = post(people["leader"], {"op": "close", "result": four.pk})
    assert response.status_code == 400
    assert Dossier.objects.get(pk=four.assignment.dossier_id).status == DossierStatus.EVALUATED


# --- the ministry --------------------------------------------------------------------------------
def test_the_ministry_recognises_the_central_five_star_result(chain, people):
    provincial = chain.evaluated(5)
    ministry_propose(result_id=provincial.pk, actor=people["leader"])
    central = chain.result(provincial.assignment.dossier_id, 5, level="central")
    # The province no longer has it to decide; the ministry does.
    assert rows(page(people["leader"]).get(URL), "recognise-row") == []
    listed = page(people["ministry"]).get(URL)
    assert rows(listed, "recognise-row") == [central.pk]
    assert "KT. BỘ TRƯỞNG - THỨ TRƯỞNG" in listed.content.decode()
    response = post(
        people["ministry"],
        decision_data(central.pk, decision_number="15/QĐ-BNNMT", signer_title="BỘ TRƯỞNG"),
    )
    assert response.status_code == 302
    cert = Certificate.objects.get()
    assert cert.stars == 5 and cert.decision.level == "ministry"
    assert (
        page(people["leader"]).get(f"/certificates/decisions/{cert.decision_id}/").status_code
        == 200
    )


# --- the signed decision ------------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def scan(name: str = "QD-2468-ky.pdf", content: bytes = PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_scans(media_root) -> list:
    folder = media_root / "decisions"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_the_office_files_the_signed_decision_and_a_corrected_copy(
    chain, people, decide, media_in_tmp
):
    decision = decide([chain.evaluated(4).pk])
    url = f"/certificates/decisions/{decision.pk}/"
    assert 'data-testid="signed-missing"' in page(people["leader"]).get(url).content.decode()

    first = page(people["province"]).post(url, {"file": scan()})
    assert first.status_code == 302 and first["Location"] == url
    second = page(people["leader"]).post(url, {"file": scan("QD-2468-ban-dung.pdf", PDF + b"\n")})
    assert second.status_code == 302
    newest, earlier = decision.scans.all()
    assert newest.original_name == "QD-2468-ban-dung.pdf" and newest.uploaded_by == people["leader"]
    assert earlier.uploaded_by == people["province"] and len(stored_scans(media_in_tmp)) == 2

    html = page(people["leader"]).get(url).content.decode()
    assert "QD-2468-ban-dung.pdf" in html and 'data-testid="signed-earlier"' in html
    served = page(people["ministry"]).get(f"{url}signed/{newest.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF + b"\n"
    listed = page(people["leader"]).get(URL).content.decode()
    assert "Đã lưu" in listed


def test_the_signed_decision_is_out_of_reach_outside_the_jurisdiction(
    chain, people, decide, media_in_tmp
):
    decision = decide([chain.evaluated(4).pk])
    url = f"/certificates/decisions/{decision.pk}/"
    page(people["province"]).post(url, {"file": scan()})
    signed = f"{url}signed/{decision.scans.get().pk}/"
    assert page(people["other_leader"]).get(signed).status_code == 404
    assert page(people["producer"]).get(signed).status_code == 404
    assert page(people["commune"]).get(signed).status_code == 403
    assert page(None).get(signed).status_code == 302
    assert page(people["leader"]).get(f"{url}signed/999999/").status_code == 404
    # Another province's leader cannot file a copy either, and the ministry does not file the
    # province's decisions.
    assert page(people["other_leader"]).post(url, {"file": scan()}).status_code == 404
    refused = page(people["ministry"]).post(url, {"file": scan()})
    assert refused.status_code == 403
    assert decision.scans.count() == 1 and len(stored_scans(media_in_tmp)) == 1


@pytest.mark.parametrize(
    "upload, reason",
    [
        (None, "Hãy chọn tệp PDF"),
        (lambda: scan("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64), ".pdf"),
        (lambda: scan("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64), "PDF"),
        (lambda: scan("rong.pdf", b""), "Tệp trống."),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_kept(
    chain, people, decide, media_in_tmp, upload, reason
):
    decision = decide([chain.evaluated(4).pk])
    url = f"/certificates/decisions/{decision.pk}/"
    response = page(people["leader"]).post(url, {"file": upload()} if upload else {})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not decision.scans.exists() and stored_scans(media_in_tmp) == []
