"""The provincial leader's decision through the pages in headless Chromium: the real login page,
the menu, the list of results waiting for a decision, the decision form (one mistake first),
the decision with its certificates, the signed copy filed, the certificate PDF and the product's
public page."""

import pytest
from django.utils import timezone

from apps.certificates.models import Certificate
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIGNED = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_the_leader_recognises_two_products_from_the_list(
    boundaries, chain, people, browser_page, live_server, settings
):
    settings.OCOP_PUBLIC_PRODUCT_URL = f"{live_server.url}/p/{{code}}"
    three = chain.evaluated(3, "Kẹo dừa sáp")
    four = chain.evaluated(4, "Kẹo dừa lá dứa")
    two = chain.evaluated(2, "Bánh phồng")
    page = browser_page.page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Quyết định").first.click()
    page.wait_for_selector("[data-testid=decision-form]")
    recognise = page.locator("[data-testid=recognise-row]")
    assert recognise.count() == 2
    assert page.locator(f"[data-testid=close-row][data-result='{two.pk}']").is_visible()
    for result in (three, four):
        assert page.locator(f"#result-{result.pk}").is_checked()

    # A mistake first: no signer. The page says so and keeps what was typed.
    page.fill("#id_decision_number", "2468/QĐ-UBND")
    page.fill("#id_decision_date", timezone.localdate().isoformat())
    page.fill("#id_signer_title", "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH")
    page.click("[data-testid=decide]")
    page.wait_for_selector("#id_signer_name + .error, p:has(#id_signer_name) .error")
    assert page.input_value("#id_decision_number") == "2468/QĐ-UBND"
    assert not Certificate.objects.exists()

    page.fill("#id_signer_name", "Trần Văn Ký")
    page.click("[data-testid=decide]")
    page.wait_for_selector("[data-testid=certificate-row]")
    assert page.locator("[data-testid=certificate-row]").count() == 2
    assert "2468/QĐ-UBND" in page.locator("h1").inner_text()
    browser_page.screenshot("leader-decision")
    codes = sorted(Certificate.objects.values_list("product_code", flat=True))
    shown = sorted(page.locator("[data-testid=product-code]").all_inner_texts())
    assert shown == codes

    href = page.locator("[data-testid=certificate-pdf]").first.get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The clerk's scan of the signed paper is filed on the same page.
    page.set_input_files(
        "#scan-file",
        {"name": "QD-2468-da-ky.pdf", "mimeType": "application/pdf", "buffer": SIGNED},
    )
    page.click("[data-testid=scan-submit]")
    page.wait_for_selector("[data-testid=signed-current]")
    assert "QD-2468-da-ky.pdf" in page.get_by_test_id("signed-current").inner_text()

    page.locator("[data-testid=public-page]").first.click()
    page.wait_for_selector("[data-testid=certificate-status]")
    assert page.get_by_test_id("certificate-status").get_attribute("data-status") == "valid"
    assert browser_page.outside == []
