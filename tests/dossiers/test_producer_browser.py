"""A producer files a dossier through the pages in headless Chromium."""

from datetime import date

import pytest
from django.contrib.gis.geos import Point

from apps.accounts.choices import Role
from apps.dossiers.models import Dossier
from apps.producers.services import producer_create
from apps.products.services import product_create
from tests.factories.dossiers import FORM01, FORM02

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mật-khẩu-chủ-thể-1"


def test_producer_submits_a_dossier_through_the_pages(
    browser_page, live_server, boundaries, make_user, unit, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    owner = make_user(Role.PRODUCER, [unit("28777")], username="chuthe", password=PASSWORD)
    make_user(Role.COMMUNE_OFFICER, [unit("28777")], username="canboxa")
    producer = producer_create(
        actor=owner,
        name="HTX Thử",
        legal_type="cooperative",
        registration_number="T-1",
        registration_date=date(2020, 1, 1),
        address="An Hội",
        location=Point(106.3756, 10.2415, srid=4326),
        representative_name="Chị Thử",
    )
    product = product_create(
        actor=owner, producer=producer, name="Kẹo dừa thử", classification_code="I.3.c"
    )
    page = browser_page.page

    page.goto(f"{live_server.url}/accounts/login/?next=/dossiers/")
    page.fill("#id_username", "chuthe")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click(f"[data-testid=new-dossier-{product.pk}]")

    for key, value in FORM01.items():
        page.fill(f"#id_{key}", value)
    page.click("[data-testid=save]")
    for key, value in FORM02.items():
        page.fill(f"#id_{key}", value)
    page.click("[data-testid=save]")

    # Part III: choose the last option of every criterion; each choice is saved at once.
    fieldsets = page.locator("fieldset.criterion")
    for i in range(fieldsets.count()):
        fieldsets.nth(i).locator("input[type=radio]").last.check()
    page.wait_for_function("() => document.getElementById('score').dataset.pending === '0'")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=score-total]').textContent === '100.00'"
    )
    assert page.get_by_test_id("score-star").inner_text() == "5★"
    browser_page.screenshot("producer-self-assessment")
    page.click("[data-testid=save-criteria]")

    pdf = tmp_path / "giay-dang-ky.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    page.set_input_files("#id_file", str(pdf))
    page.select_option("#id_annex_type", "business_registration")
    page.click("[data-testid=upload]")
    assert page.locator("table.files").inner_text().count("giay-dang-ky.pdf") == 1
    page.goto(page.url.replace("/files/", "/review/"))
    assert "4 trên 4" in page.get_by_test_id("progress-text").inner_text()
    page.click("[data-testid=submit]")

    page.wait_for_selector("[data-testid=timeline]")
    assert page.get_by_test_id("dossier-status").inner_text() == "Đã nộp cho UBND xã"
    assert "PĐK-86-28777" in page.locator(".card").first.inner_text()
    browser_page.screenshot("producer-submitted")
    dossier = Dossier.objects.get(product=product)
    assert dossier.status == "submitted" and dossier.files.count() == 1
    assert browser_page.outside == []
