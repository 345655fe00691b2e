"""The commune officer's inbox and review page in headless Chromium, through the real login page."""

from datetime import date

import pytest
from django.utils import timezone, translation

from apps.accounts.choices import Role
from apps.dossiers import services
from apps.dossiers.choices import Action
from apps.dossiers.models import Dossier
from apps.producers.services import producer_create
from apps.products.services import product_create
from tests.factories.criteria import best_choices
from tests.factories.dossiers import FORM01, FORM02
from tests.factories.places import BEN_TRE_CITY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Cán-bộ-xã-2026!"


def vi(msgid: str, plural: str | None = None, n: int = 1) -> str:
    with translation.override("vi"):
        if plural:
            return translation.ngettext(msgid, plural, n) % {"n": n}
        return translation.gettext(msgid)


@pytest.fixture
def submitted_dossier(boundaries, make_user, unit):
    an_hoi = unit("28777")
    officer = make_user(
        Role.COMMUNE_OFFICER,
        [an_hoi],
        username="canbo.anhoi",
        password=PASSWORD,
        full_name="Cán bộ An Hội",
    )
    owner = make_user(Role.PRODUCER, [an_hoi], username="htx.duaxanh")
    producer = producer_create(
        actor=owner,
        name="DEMO HTX Dừa Xanh",
        legal_type="cooperative",
        registration_number="DEMO-001",
        registration_date=date(2015, 3, 1),
        address="An Hội",
        location=BEN_TRE_CITY,
        representative_name="Nguyễn Thị Demo",
        email="htx@example.test",
    )
    product = product_create(
        actor=owner, producer=producer, name="Kẹo dừa DEMO", classification_code="I.3.c"
    )
    dossier = services.dossier_create(product=product, kind="first", actor=owner)
    services.dossier_forms_update(dossier_id=dossier.pk, actor=owner, form01=FORM01, form02=FORM02)
    services.dossier_self_assess(dossier_id=dossier.pk, actor=owner, choices=best_choices())
    services.dossier_transition(dossier_id=dossier.pk, action=Action.SUBMIT, actor=owner)
    return officer, Dossier.objects.get(pk=dossier.pk)


def test_commune_officer_reviews_and_returns_a_dossier(
    boundaries, submitted_dossier, browser_page, live_server
):
    officer, dossier = submitted_dossier
    page = browser_page.page

    # The inbox needs a login: the real login page sends the officer back to it.
    page.goto(f"{live_server.url}/dossiers/inbox/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_url("**/dossiers/inbox/")
    assert page.get_by_test_id("current-user").inner_text().startswith("Cán bộ An Hội")

    row = page.locator(f'[data-testid=inbox-row][data-dossier="{dossier.pk}"]')
    assert dossier.receipt_number in row.inner_text()
    assert "Kẹo dừa DEMO" in row.inner_text()
    deadline = row.get_by_test_id("deadline").inner_text()
    assert dossier.commune_deadline.strftime("%d/%m/%Y") in deadline
    assert vi("%(n)s working day left", "%(n)s working days left", 15) in deadline
    assert row.get_by_test_id("overdue-badge").count() == 0
    browser_page.screenshot("officer-inbox")

    row.get_by_role("link", name=dossier.receipt_number).click()
    page.wait_for_url(f"**/dossiers/{dossier.pk}/review/")
    assert "Nguyễn Thị Demo" in page.get_by_test_id("form01").inner_text()

    page.locator("form[data-action=commune_start_review] button[type=submit]").click()
    page.wait_for_selector("form[data-action=commune_assess]")
    assert vi("Commune reviewing") in page.get_by_test_id("status").inner_text()
    assert (
        vi("Done: %(action)s.") % {"action": vi("Start the commune review")}
        in page.locator("ul.messages").inner_text()
    )
    assert page.get_by_test_id("form03-form").count() == 1

    # The browser refuses an empty reason (required), so nothing is sent.
    page.locator("form[data-action=commune_return] button[type=submit]").click()
    assert page.locator("#note-commune_return:invalid").count() == 1
    page.fill("#note-commune_return", "Thiếu phiếu kết quả kiểm nghiệm")
    page.locator("form[data-action=commune_return] button[type=submit]").click()
    entry = page.locator("[data-testid=timeline-entry][data-event=commune_return]")
    entry.wait_for()
    text = entry.inner_text()
    assert "Thiếu phiếu kết quả kiểm nghiệm" in text and "Cán bộ An Hội" in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text
    assert vi("Returned by the commune") in page.get_by_test_id("status").inner_text()
    assert page.locator("form[data-action=commune_return]").count() == 0
    browser_page.screenshot("officer-review-returned")

    dossier.refresh_from_db()
    assert dossier.status == "returned_by_commune"
    assert dossier.events.get(action="commune_return").note == "Thiếu phiếu kết quả kiểm nghiệm"
    assert browser_page.outside == []
