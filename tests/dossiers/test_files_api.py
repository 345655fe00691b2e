import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.dossiers.models import EvidenceFile

pytestmark = pytest.mark.django_db
API = "/api/v1/dossiers/"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_objects(media) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()]


@pytest.fixture
def draft(people, product, client_for):
    return client_for(people["producer"]).post(API, {"product": product.pk}).json()["id"]


def upload(api, did, content=PDF, name="Phiếu kiểm nghiệm.pdf", **fields):
    data = {
        "file": SimpleUploadedFile(name, content),
        "annex_type": "lab_test",
        "criterion_code": "8",
        **fields,
    }
    return api.post(f"{API}{did}/files/", data, format="multipart")


def test_upload_attaches_to_a_criterion_with_checksum(people, client_for, draft, media):
    response = upload(client_for(people["producer"]), draft)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["criterion_code"] == "8" and body["version"] == 1
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (
        body["original_name"] == "Phiếu kiểm nghiệm.pdf"
        and body["content_type"] == "application/pdf"
    )
    assert len(stored_objects(media)) == 1


def test_replacing_keeps_earlier_versions(people, client_for, draft):
    api = client_for(people["producer"])
    first = upload(api, draft).json()
    second = upload(api, draft, content=PDF + b"% v2\n", replaces=first["id"]).json()
    assert second["version"] == 2 and second["replaces_id"] == first["id"]
    files = client_for(people["producer"]).get(f"{API}{draft}/").json()["files"]
    assert {(f["version"], f["is_current"]) for f in files} == {(1, False), (2, True)}
    again = upload(api, draft, replaces=first["id"])  # only a current file can be replaced
    assert again.status_code == 400 and again.json()["extra"]["key"] == "replaces"


def test_download_only_within_jurisdiction(people, client_for, draft):
    fid = upload(client_for(people["producer"]), draft).json()["id"]
    url = f"{API}{draft}/files/{fid}/download/"
    response = client_for(people["commune"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "filename*=UTF-8''Phi%E1%BA%BFu" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(people["other_commune"]).get(url).status_code == 404
    assert client_for(people["other_producer"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code in (401, 403)


@pytest.mark.parametrize(
    "content, name, fields, key",
    [
        (b"MZ\x90\x00 not a pdf", "virus.pdf", {}, "file"),
        (PDF, "ban-ve.png", {}, "file"),
        (PDF, "ok.pdf", {"annex_type": "secret"}, "annex_type"),
        (PDF, "ok.pdf", {"criterion_code": "99.9"}, "criterion_code"),
    ],
)
def test_refused_uploads_leave_no_row_and_no_object(
    people, client_for, draft, media, content, name, fields, key
):
    response = upload(client_for(people["producer"]), draft, content=content, name=name, **fields)
    assert response.status_code == 400, response.content
    assert response.json()["extra"]["key"] == key
    assert not EvidenceFile.objects.exists()
    assert stored_objects(media) == []


def test_too_large_is_refused(people, client_for, draft, media, settings):
    settings.OCOP_UPLOAD_MAX_BYTES = 100
    response = upload(client_for(people["producer"]), draft)
    assert response.status_code == 400 and response.json()["code"] == "invalid_file"
    assert stored_objects(media) == []


def test_wrong_role_and_scope_cannot_upload(people, client_for, draft, media):
    assert upload(client_for(people["commune"]), draft).status_code == 403
    assert upload(client_for(people["other_producer"]), draft).status_code == 404
    assert stored_objects(media) == [] and not EvidenceFile.objects.exists()


def test_a_failed_row_insert_removes_the_stored_object(
    people, client_for, draft, media, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(EvidenceFile.objects, "create", broken)
    with pytest.raises(RuntimeError):
        upload(client_for(people["producer"]), draft)
    assert stored_objects(media) == []
