import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.dossiers.models import Dossier
from tests.factories.criteria import best_choices
from tests.factories.dossiers import FORM01, FORM02

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def producer_client(client, people):
    client.force_login(people["producer"])
    return client


def _open(producer_client, product) -> Dossier:
    response = producer_client.post(f"/dossiers/new/{product.pk}/", {"kind": "first"})
    dossier = Dossier.objects.get(product=product)
    assert (
        response.status_code == 302
        and response["Location"] == f"/dossiers/{dossier.pk}/edit/form01/"
    )
    return dossier


def test_my_dossiers_lists_own_products_in_vietnamese(producer_client, product):
    html = producer_client.get("/dossiers/").content.decode()
    assert product.name in html and "Mở hồ sơ" in html


def test_officers_are_sent_to_their_inbox(client, people):
    client.force_login(people["commune"])
    assert client.get("/dossiers/")["Location"] == "/dossiers/inbox/"


def test_anonymous_is_sent_to_login(client):
    assert client.get("/dossiers/")["Location"].startswith("/accounts/login/")


def test_wizard_saves_each_step_and_shows_progress(producer_client, product):
    dossier = _open(producer_client, product)
    base = f"/dossiers/{dossier.pk}/edit/"
    page = producer_client.get(base + "form01/").content.decode()
    assert "0 trên 4 phần đã hoàn thành" in page

    response = producer_client.post(base + "form01/", FORM01)
    assert response["Location"] == base + "form02/"
    producer_client.post(base + "form02/", {**FORM02, "plan": ""})  # part-filled is saved
    dossier.refresh_from_db()
    assert (
        dossier.form01["unit_name"] == FORM01["unit_name"]
        and dossier.form02["history"] == FORM02["history"]
    )

    choices = {f"c:{code}": str(n) for code, n in best_choices().items()}
    assert producer_client.post(base + "criteria/", choices)["Location"] == base + "files/"
    page = producer_client.get(base + "criteria/").content.decode()
    assert "100.00" in page and "5★" in page

    upload = producer_client.post(
        base + "files/",
        {
            "file": SimpleUploadedFile("Nhãn.pdf", PDF),
            "annex_type": "label",
            "criterion_code": "2.3",
        },
    )
    assert upload.status_code == 302
    review = producer_client.get(base + "review/").content.decode()
    assert "3 trên 4 phần đã hoàn thành" in review  # Mẫu 02 still lacks part IV

    # Submitting now fails with the reason and keeps everything.
    response = producer_client.post(f"/dossiers/{dossier.pk}/", follow=True)
    assert "plan" in response.content.decode() or "IV" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "draft"

    producer_client.post(base + "form02/", FORM02)
    response = producer_client.post(f"/dossiers/{dossier.pk}/", follow=True)
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert "Đã nộp hồ sơ" in response.content.decode() or "Đã nộp" in response.content.decode()


def test_bad_upload_keeps_the_form_and_says_why(producer_client, product):
    dossier = _open(producer_client, product)
    response = producer_client.post(
        f"/dossiers/{dossier.pk}/edit/files/",
        {
            "file": SimpleUploadedFile("anh.png", PDF),
            "annex_type": "label",
            "criterion_code": "2.3",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2.3"' in html and "errorlist" in html
    assert not dossier.files.exists()


def test_other_producers_dossier_is_404(client, people, product, producer_client):
    dossier = _open(producer_client, product)
    client.force_login(people["other_producer"])
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 404
    assert client.get(f"/dossiers/{dossier.pk}/edit/form01/").status_code == 404
    assert client.post(f"/dossiers/{dossier.pk}/edit/form01/", FORM01).status_code == 404


def test_officer_cannot_use_the_wizard(client, people, producer_client, product):
    dossier = _open(producer_client, product)
    client.force_login(people["commune"])
    assert client.get(f"/dossiers/{dossier.pk}/edit/form01/").status_code == 404


def test_unknown_step_is_404(producer_client, product):
    dossier = _open(producer_client, product)
    assert producer_client.get(f"/dossiers/{dossier.pk}/edit/payment/").status_code == 404
