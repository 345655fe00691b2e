"""The officer inbox and review pages (Django test client), in Vietnamese."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from apps.accounts.choices import Role
from apps.dossiers.models import CommuneAssessment, Dossier, DossierEvent
from tests.factories.dossiers import FORM01, FORM02, submitted_dossier
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/dossiers/"
INBOX = "/dossiers/inbox/"


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


@pytest.fixture
def submitted(people, product, client_for):
    return submitted_dossier(people, product, client_for)


@pytest.fixture
def page_for(client):
    def make(user):
        web = Client()
        web.force_login(user)
        return web

    return make


def _review(did):
    return f"/dossiers/{did}/review/"


def _text(response) -> str:
    return response.content.decode()


def vi(msgid: str, **params) -> str:
    """The Vietnamese text of `msgid` as the page renders it (HTML-escaped); fails when the
    catalogue has no Vietnamese for it, so an untranslated page fails the test."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Vietnamese translation for {msgid!r}"
    return escape(text % params if params else text)


# --- inbox -----------------------------------------------------------------------------------
def test_urls_are_the_agreed_ones():
    assert reverse("dossiers:inbox") == INBOX
    assert reverse("dossiers:review", kwargs={"dossier_id": 7}) == _review(7)


@pytest.mark.parametrize("who", ["commune", "province"])
def test_inbox_lists_the_submitted_dossier_for_officers(people, submitted, page_for, who):
    response = page_for(people[who]).get(INBOX)
    assert response.status_code == 200
    html = _text(response)
    dossier = Dossier.objects.get(pk=submitted)
    assert vi("Dossier inbox") in html  # the title, in Vietnamese
    assert dossier.receipt_number in html and "Kẹo dừa DEMO" in html and "DEMO HTX Dừa Xanh" in html
    assert dossier.commune_deadline.strftime("%d/%m/%Y") in html
    assert vi("Submitted to the commune") in html  # the status label
    with translation.override("vi"):
        left = translation.ngettext("%(n)s working day left", "%(n)s working days left", 15) % {
            "n": 15
        }
    assert left in html  # 15 working days left on the day of submission
    assert _review(submitted) in html
    assert 'data-testid="overdue-badge"' not in html


def test_inbox_for_a_province_leader(make_user, unit, submitted):
    leader = make_user(Role.PROVINCE_LEADER, [unit("86", "province")], username="leader")
    web = Client()
    web.force_login(leader)
    assert Dossier.objects.get(pk=submitted).receipt_number in _text(web.get(INBOX))


@pytest.mark.parametrize("who", ["producer", "council"])
def test_inbox_is_forbidden_to_other_roles(people, page_for, who):
    response = page_for(people[who]).get(INBOX)
    assert response.status_code == 403
    only = (
        "This page is for commune officers, provincial OCOP officers, provincial leaders and "
        "the ministry only."
    )
    assert vi(only) in _text(response)


def test_inbox_redirects_anonymous_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert (
        response["Location"].startswith(reverse("accounts:login"))
        and "next=" in response["Location"]
    )


def test_inbox_lists_only_dossiers_in_jurisdiction(people, submitted, page_for):
    receipt = Dossier.objects.get(pk=submitted).receipt_number
    for who in ("other_commune", "other_province"):
        html = _text(page_for(people[who]).get(INBOX))
        assert receipt not in html and 'data-testid="inbox-empty"' in html


def test_inbox_hides_drafts(people, product, client_for, page_for):
    did = _ok(client_for(people["producer"]).post(API, {"product": product.pk}), 201)["id"]
    html = _text(page_for(people["commune"]).get(INBOX))
    assert _review(did) not in html


def test_inbox_filters(people, submitted, page_for):
    web = page_for(people["commune"])
    receipt = Dossier.objects.get(pk=submitted).receipt_number
    assert receipt in _text(web.get(INBOX, {"status": "submitted"}))
    assert receipt not in _text(web.get(INBOX, {"status": "forwarded"}))
    assert receipt in _text(web.get(INBOX, {"commune": "28777"}))
    assert receipt in _text(web.get(INBOX, {"overdue": "no"}))
    assert receipt not in _text(web.get(INBOX, {"overdue": "yes"}))
    # The commune select offers only the communes with dossiers in the jurisdiction.
    html = _text(web.get(INBOX))
    assert 'value="28777"' in html and 'value="28756"' not in html


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"overdue": "maybe"},
        {"commune": "99999"},
        {"page": "abc"},
        {"page": "-3"},
        {"status": ["submitted", "draft"], "overdue": "'; DROP TABLE"},
    ],
)
def test_bad_filter_values_give_a_message_not_a_500(people, submitted, page_for, params):
    response = page_for(people["commune"]).get(INBOX, params)
    assert response.status_code == 200
    html = _text(response)
    if "page" not in params:
        ignored = vi("Some filter values were not valid and were ignored: %(fields)s.", fields="")
        assert ignored.split(":")[0] in html
    # The invalid filter is ignored, so the dossier still shows.
    assert Dossier.objects.get(pk=submitted).receipt_number in html


def test_overdue_badge_when_the_commune_deadline_has_passed(people, submitted, page_for):
    Dossier.objects.filter(pk=submitted).update(
        commune_deadline=timezone.localdate() - timedelta(days=3)
    )
    web = page_for(people["commune"])
    html = _text(web.get(INBOX))
    assert 'data-testid="overdue-badge"' in html and vi("Overdue") in html
    assert Dossier.objects.get(pk=submitted).receipt_number in _text(
        web.get(INBOX, {"overdue": "yes"})
    )
    assert 'data-testid="overdue-badge"' in _text(web.get(_review(submitted)))


def test_status_counts(people, submitted, page_for):
    html = _text(page_for(people["commune"]).get(INBOX))
    counts = html.split('data-testid="status-counts"')[1].split("</ul>")[0]
    label = vi("Submitted to the commune")
    assert (
        f'<li data-status="submitted"><a href="?status=submitted">{label} <strong>1</strong>'
        in counts
    )
    assert '<li data-status="forwarded"><a href="?status=forwarded">' in counts


def test_inbox_query_count_is_constant(
    people, product, client_for, page_for, django_assert_max_num_queries
):
    submitted_dossier(people, product, client_for)
    web = page_for(people["commune"])
    with django_assert_max_num_queries(10) as first:
        one = web.get(INBOX)
    for n in range(3):
        extra = ProductFactory(producer=product.producer, name=f"Sản phẩm {n}")
        submitted_dossier(people, extra, client_for)
    with django_assert_max_num_queries(10) as second:
        four = web.get(INBOX, {"status": "submitted", "overdue": "no", "commune": "28777"})
    assert one.status_code == four.status_code == 200
    assert _text(four).count('data-testid="inbox-row"') == 4
    assert len(second.captured_queries) == len(first.captured_queries)


def test_review_page_query_count_does_not_grow_with_the_content(
    people, submitted, page_for, django_assert_max_num_queries
):
    # The sheet's 30-odd criteria, their options, the events and their actors: a bounded number.
    web = page_for(people["commune"])
    with django_assert_max_num_queries(16):
        assert web.get(_review(submitted)).status_code == 200


def test_inbox_paginates_by_fifty(people, submitted, page_for, monkeypatch):
    from apps.dossiers import views_officer

    monkeypatch.setattr(views_officer, "PAGE_SIZE", 1)
    dossier = Dossier.objects.get(pk=submitted)
    clone = Dossier.objects.get(pk=submitted)
    clone.pk = None
    clone.receipt_number = "999/PĐK-86-28777-2099"
    clone.commune_deadline = dossier.commune_deadline + timedelta(days=30)
    clone.save()
    web = page_for(people["commune"])
    first = _text(web.get(INBOX))
    assert dossier.receipt_number in first and clone.receipt_number not in first
    assert vi("Page %(n)s of %(total)s", n=1, total=2) in first
    second = _text(web.get(INBOX, {"page": 2}))
    assert clone.receipt_number in second and dossier.receipt_number not in second


def test_real_page_size_is_fifty():
    from apps.dossiers import views_officer

    assert views_officer.PAGE_SIZE == 50


# --- review ----------------------------------------------------------------------------------
def test_review_shows_the_dossier(people, submitted, page_for):
    response = page_for(people["commune"]).get(_review(submitted))
    assert response.status_code == 200
    html = _text(response)
    dossier = Dossier.objects.get(pk=submitted)
    assert dossier.receipt_number in html and "QD26/2026" in html
    assert FORM01["representative"] in html and FORM02["markets"] in html
    assert 'data-criterion="1.1"' in html  # the self-assessment, criterion by criterion
    assert 'data-action="commune_start_review"' in html and 'data-action="commune_return"' in html
    assert 'data-action="province_accept"' not in html
    assert vi("Reason for returning the dossier") in html
    assert 'data-testid="timeline-entry" data-event="submit"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_review_is_404_out_of_jurisdiction(people, submitted, page_for):
    assert page_for(people["other_commune"]).get(_review(submitted)).status_code == 404
    assert page_for(people["other_province"]).get(_review(submitted)).status_code == 404
    assert page_for(people["commune"]).get(_review(999_999)).status_code == 404
    post = page_for(people["other_commune"]).post(
        _review(submitted), {"op": "transition", "action": "commune_start_review"}
    )
    assert post.status_code == 404
    assert Dossier.objects.get(pk=submitted).status == "submitted"


def test_review_is_forbidden_to_producers_and_their_posts_change_nothing(
    people, submitted, page_for
):
    web = page_for(people["producer"])
    assert web.get(_review(submitted)).status_code == 403
    response = web.post(_review(submitted), {"op": "transition", "action": "commune_start_review"})
    assert response.status_code == 403
    assert Dossier.objects.get(pk=submitted).status == "submitted"
    assert not DossierEvent.objects.filter(
        dossier_id=submitted, action="commune_start_review"
    ).exists()


def test_wrong_officer_role_post_is_refused_with_the_message(people, submitted, page_for):
    response = page_for(people["province"]).post(
        _review(submitted), {"op": "transition", "action": "commune_start_review"}
    )
    assert response.status_code == 400
    assert vi("Your role cannot do this on a dossier.") in _text(response)
    assert Dossier.objects.get(pk=submitted).status == "submitted"


def _post_action(web, did, action, note=""):
    return web.post(_review(did), {"op": "transition", "action": action, "note": note}, follow=True)


def test_each_commune_and_province_action_through_the_page(people, submitted, page_for):
    commune, province = page_for(people["commune"]), page_for(people["province"])
    did = submitted

    response = _post_action(commune, did, "commune_start_review")
    assert response.redirect_chain == [(_review(did), 302)]
    assert Dossier.objects.get(pk=did).status == "commune_reviewing"
    assert vi("Done: %(action)s.", action="").split(":")[0] in _text(response)

    # Form 03, then the samples, then assess and forward.
    form03 = {
        "op": "form03",
        "raw_material": "Dừa trong tỉnh 100%.",
        "local_labour": "25 lao động.",
        "product_idea": "Nghề truyền thống.",
        "local_identity": "Xứ dừa.",
        "proposal": "Đề nghị đánh giá.",
        "consultation_held": "on",
    }
    response = commune.post(_review(did), form03, follow=True)
    assert response.status_code == 200
    saved = CommuneAssessment.objects.get(dossier_id=did)
    assert (
        saved.raw_material == "Dừa trong tỉnh 100%."
        and saved.consultation_held
        and saved.author == people["commune"]
    )
    assert "Dừa trong tỉnh 100%." in _text(response)

    response = commune.post(
        _review(did),
        {"op": "samples", "received": "5", "on": str(timezone.localdate())},
        follow=True,
    )
    assert response.status_code == 200 and Dossier.objects.get(pk=did).samples_received == 5

    _post_action(commune, did, "commune_assess")
    assert Dossier.objects.get(pk=did).status == "commune_assessed"
    _post_action(commune, did, "commune_forward")
    assert Dossier.objects.get(pk=did).status == "forwarded"

    # Province: the commune's actions are gone, the province's appear.
    html = _text(province.get(_review(did)))
    assert (
        'data-action="province_start_check"' in html and 'data-action="commune_forward"' not in html
    )
    _post_action(province, did, "province_start_check")
    assert Dossier.objects.get(pk=did).status == "province_checking"
    _post_action(province, did, "province_return", note="Bổ sung hợp đồng liên kết")
    dossier = Dossier.objects.get(pk=did)
    assert dossier.status == "returned_by_province"
    event = dossier.events.get(action="province_return")
    assert event.actor == people["province"] and event.note == "Bổ sung hợp đồng liên kết"
    assert (event.from_status, event.to_status) == ("province_checking", "returned_by_province")

    trail = list(dossier.events.exclude(from_status="").values_list("action", flat=True))
    assert trail == [
        "submit",
        "commune_start_review",
        "commune_assess",
        "commune_forward",
        "province_start_check",
        "province_return",
    ]


def test_province_accept_through_the_page(people, submitted, page_for):
    commune, province = page_for(people["commune"]), page_for(people["province"])
    did = submitted
    _post_action(commune, did, "commune_start_review")
    commune.post(
        _review(did),
        {
            "op": "form03",
            **{
                k: "Đạt"
                for k in (
                    "raw_material",
                    "local_labour",
                    "product_idea",
                    "local_identity",
                    "proposal",
                )
            },
        },
    )
    commune.post(_review(did), {"op": "samples", "received": "5", "on": str(timezone.localdate())})
    for action in ("commune_assess", "commune_forward"):
        _post_action(commune, did, action)
    for action in ("province_start_check", "province_accept"):
        _post_action(province, did, action)
    assert Dossier.objects.get(pk=did).status == "accepted"
    assert DossierEvent.objects.filter(
        dossier_id=did, action="province_accept", actor=people["province"]
    ).exists()


def test_commune_return_with_a_reason_shows_in_the_timeline(people, submitted, page_for):
    web = page_for(people["commune"])
    response = _post_action(web, submitted, "commune_return", note="Thiếu phiếu kiểm nghiệm")
    assert Dossier.objects.get(pk=submitted).status == "returned_by_commune"
    html = _text(response)
    assert 'data-event="commune_return"' in html and "Thiếu phiếu kiểm nghiệm" in html
    assert vi("Return to the producer") in html


def test_return_without_a_reason_shows_the_error_and_changes_nothing(people, submitted, page_for):
    web = page_for(people["commune"])
    before = DossierEvent.objects.filter(dossier_id=submitted).count()
    response = web.post(
        _review(submitted), {"op": "transition", "action": "commune_return", "note": "   "}
    )
    assert response.status_code == 400
    assert vi("A reason is required when returning a dossier.") in _text(response)
    assert Dossier.objects.get(pk=submitted).status == "submitted"
    assert DossierEvent.objects.filter(dossier_id=submitted).count() == before


def test_refused_action_keeps_the_typed_reason(people, submitted, page_for):
    web = page_for(people["commune"])
    _post_action(web, submitted, "commune_start_review")
    # Forwarding before assessing is refused; a reason typed in the return box is kept when the
    # return itself is refused because the dossier moved on meanwhile.
    Dossier.objects.filter(pk=submitted).update(status="commune_assessed")
    response = web.post(_review(submitted), {"op": "transition", "action": "commune_forward"})
    assert response.status_code == 400
    assert vi(
        "%(n)s product samples are required before forwarding (received: %(r)s).", n=5, r=0
    ) in _text(response)
    Dossier.objects.filter(pk=submitted).update(status="commune_reviewing")
    response = web.post(
        _review(submitted), {"op": "transition", "action": "commune_return", "note": "x" * 4001}
    )
    assert response.status_code == 400 and "x" * 4001 in _text(response)
    assert 'class="errorlist"' in _text(response)


def test_form03_error_keeps_what_was_typed(people, submitted, page_for):
    web = page_for(people["commune"])
    # Not reviewing yet: the service refuses, the page shows why and keeps the text.
    response = web.post(
        _review(submitted),
        {
            "op": "form03",
            "raw_material": "Nội dung đã gõ",
            "local_labour": "a",
            "product_idea": "b",
            "local_identity": "c",
            "proposal": "d",
        },
    )
    assert response.status_code == 400
    html = _text(response)
    assert vi("Form 03 is written while the commune reviews the dossier.") in html
    assert "Nội dung đã gõ" in html
    assert not CommuneAssessment.objects.filter(dossier_id=submitted).exists()

    _post_action(web, submitted, "commune_start_review")
    response = web.post(_review(submitted), {"op": "form03", "raw_material": "Chỉ một ô"})
    assert response.status_code == 400 and "Chỉ một ô" in _text(response)
    assert not CommuneAssessment.objects.filter(dossier_id=submitted).exists()


def test_samples_out_of_range_is_refused(people, submitted, page_for):
    web = page_for(people["commune"])
    response = web.post(
        _review(submitted), {"op": "samples", "received": "50", "on": str(timezone.localdate())}
    )
    assert response.status_code == 400 and 'value="50"' in _text(response)
    assert Dossier.objects.get(pk=submitted).samples_received == 0


def test_unknown_operation_and_unknown_action_are_refused(people, submitted, page_for):
    web = page_for(people["commune"])
    assert web.post(_review(submitted), {"op": "explode"}).status_code == 400
    assert web.post(_review(submitted), {"op": "transition", "action": "submit"}).status_code == 400
    assert web.post(_review(submitted), {"op": "transition", "action": "nope"}).status_code == 400
    assert Dossier.objects.get(pk=submitted).status == "submitted"


def test_posts_need_the_csrf_token(people, submitted):
    web = Client(enforce_csrf_checks=True)
    web.force_login(people["commune"])
    response = web.post(_review(submitted), {"op": "transition", "action": "commune_start_review"})
    assert response.status_code == 403
    assert Dossier.objects.get(pk=submitted).status == "submitted"


def test_resubmission_changes_appear_in_the_timeline(people, submitted, page_for, client_for):
    web = page_for(people["commune"])
    _post_action(web, submitted, "commune_return", note="Sửa thị trường")
    producer = client_for(people["producer"])
    _ok(
        producer.patch(
            f"{API}{submitted}/forms/",
            {"form02": {"markets": "Thêm siêu thị Co.op"}},
            format="json",
        )
    )
    _ok(producer.post(f"{API}{submitted}/submit/"))
    html = _text(web.get(_review(submitted)))
    assert "Thêm siêu thị Co.op" in html and "Trong tỉnh và TP. Hồ Chí Minh." in html
    assert "<details>" in html
