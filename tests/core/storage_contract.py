"""The storage tests that must pass on every storage backend (`StorageContract`): they run on
the local file system in test_files.py (TestLocalStorage) and on a real S3 server (SeaweedFS) in
test_files_s3.py (TestS3Storage)."""

import hashlib
import re

import pytest
from django.core.files.storage import storages
from django.core.signals import request_finished
from django.db import IntegrityError, close_old_connections, transaction
from django.http import Http404

from apps.core.exceptions import ApplicationError
from apps.core.files import (
    file_response,
    stored_file_delete,
    stored_file_or_cleanup,
    stored_file_save,
    upload_check,
)

from .samples import SAMPLES, make_docx, make_pdf, make_png, make_xlsx, upload

STORED_NAME = re.compile(r"dossiers/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png|docx|xlsx)\Z")


def all_names(storage) -> list[str]:
    """Every object in the storage (under its location), walked through the storage API."""

    def walk(path: str) -> list[str]:
        try:
            directories, files = storage.listdir(path)
        except FileNotFoundError:
            return []
        prefix = f"{path}/" if path else ""
        names = [prefix + name for name in files]
        for directory in directories:
            names += walk(prefix + directory)
        return names

    return walk("")


def read_back(storage, name: str) -> bytes:
    with storage.open(name, "rb") as stored:
        return stored.read()


def body_of(response) -> bytes:
    """The streamed body; then close the response as a server would (as Django's test client
    does, without the request_finished handler that would touch the database)."""
    try:
        return b"".join(response.streaming_content)
    finally:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


class StorageContract:
    """Tests that must pass on every storage backend; subclasses provide `file_storage`."""

    @pytest.fixture
    def file_storage(self):
        # Abstract: each backend's test class (local, S3) overrides this fixture.
        raise NotImplementedError("a StorageContract subclass provides `file_storage`")

    @pytest.mark.parametrize("extension", sorted(SAMPLES))
    def test_each_accepted_type_is_stored_and_read_back(self, file_storage, extension):
        name, make, content_type = SAMPLES[extension]
        data = make()
        file = upload(name, data)
        checked = upload_check(file=file)

        storage_name = stored_file_save(checked=checked, file=file, prefix="dossiers")

        assert STORED_NAME.match(storage_name)
        assert storage_name.endswith(f".{extension}")
        assert storages["default"] is file_storage
        assert read_back(file_storage, storage_name) == data
        assert hashlib.sha256(read_back(file_storage, storage_name)).hexdigest() == checked.sha256
        assert all_names(file_storage) == [storage_name]

    def test_no_part_of_the_client_name_reaches_the_path(self, file_storage):
        file = upload("../../../../etc/passwd.pdf", make_pdf())
        checked = upload_check(file=file)
        storage_name = stored_file_save(checked=checked, file=file, prefix="dossiers")
        assert STORED_NAME.match(storage_name)
        assert "passwd" not in storage_name
        assert checked.original_name == "passwd.pdf"

    def test_the_same_bytes_twice_are_two_objects(self, file_storage):
        data = make_png()
        names = set()
        for _ in range(2):
            file = upload("a.png", data)
            names.add(
                stored_file_save(checked=upload_check(file=file), file=file, prefix="dossiers")
            )
        assert len(names) == 2
        assert sorted(all_names(file_storage)) == sorted(names)

    def test_a_prefix_must_be_plain_path_segments(self, file_storage):
        file = upload("a.pdf", make_pdf())
        checked = upload_check(file=file)
        for prefix in ("../x", "/abs", "Dossiers", "a//b", "", "a/../b"):
            with pytest.raises(ValueError):
                stored_file_save(checked=checked, file=file, prefix=prefix)
        assert all_names(file_storage) == []

    def test_a_large_file_round_trips(self, file_storage):
        data = make_pdf(padding=9 * 1024 * 1024)  # past boto3's 8 MB multipart threshold
        file = upload("Hồ sơ đầy đủ.pdf", data)
        checked = upload_check(file=file)
        storage_name = stored_file_save(checked=checked, file=file, prefix="dossiers")

        response = file_response(
            storage_name=storage_name,
            filename=checked.original_name,
            content_type="application/pdf",
        )

        assert int(response["Content-Length"]) == len(data)
        assert hashlib.sha256(body_of(response)).hexdigest() == checked.sha256

    def test_file_response_headers(self, file_storage):
        data = make_pdf()
        file = upload("x.pdf", data)
        checked = upload_check(file=file)
        storage_name = stored_file_save(checked=checked, file=file, prefix="dossiers")

        response = file_response(
            storage_name=storage_name,
            filename="Giấy chứng nhận ATTP.pdf",
            content_type=checked.content_type,
        )

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Length"] == str(len(data))
        assert response["Content-Disposition"] == (
            'attachment; filename="Giay chung nhan ATTP.pdf"; '
            "filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn%20ATTP.pdf"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control
        assert body_of(response) == data

    def test_file_response_inline(self, file_storage):
        file = upload("anh.png", make_png())
        checked = upload_check(file=file)
        storage_name = stored_file_save(checked=checked, file=file, prefix="dossiers")
        response = file_response(
            storage_name=storage_name,
            filename="ảnh.png",
            content_type=checked.content_type,
            as_attachment=False,
        )
        assert response["Content-Disposition"].startswith('inline; filename="anh.png"')
        assert body_of(response) == make_png()

    def test_file_response_for_a_missing_object_is_404(self, file_storage):
        with pytest.raises(Http404):
            file_response(
                storage_name="dossiers/2026/01/" + "0" * 32 + ".pdf",
                filename="x.pdf",
                content_type="application/pdf",
            )

    def test_delete_removes_the_object_and_tolerates_a_missing_one(self, file_storage):
        file = upload("a.pdf", make_pdf())
        storage_name = stored_file_save(checked=upload_check(file=file), file=file, prefix="x")
        stored_file_delete(storage_name=storage_name)
        assert not file_storage.exists(storage_name)
        stored_file_delete(storage_name=storage_name)  # already gone: no error
        assert all_names(file_storage) == []

    def test_a_refused_upload_stores_nothing(self, file_storage):
        file = upload("anh.pdf", make_png())
        with pytest.raises(ApplicationError):
            checked = upload_check(file=file)
            with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers"):
                pytest.fail("a refused upload must never reach storage")
        assert all_names(file_storage) == []

    @pytest.mark.django_db
    def test_a_failing_row_leaves_no_object(self, file_storage, make_user, django_user_model):
        # Any model stands in for the dossier-file row; a unique username makes the insert fail.
        make_user(username="da-co")
        file = upload("Hồ sơ.pdf", make_pdf())
        checked = upload_check(file=file)
        seen = []

        with pytest.raises(IntegrityError):
            with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers") as name:
                seen.append(name)
                assert file_storage.exists(name)
                with transaction.atomic(durable=True):
                    django_user_model.objects.create(username="da-co", last_name=name)

        assert not file_storage.exists(seen[0])
        assert all_names(file_storage) == []
        assert not django_user_model.objects.filter(last_name=seen[0]).exists()

    @pytest.mark.django_db
    def test_an_error_after_the_row_rolls_back_both(self, file_storage, django_user_model):
        file = upload("a.xlsx", make_xlsx())
        checked = upload_check(file=file)

        with pytest.raises(RuntimeError, match="after the insert"):
            with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers") as name:
                with transaction.atomic(durable=True):
                    django_user_model.objects.create(username="ho-so-1", last_name=name)
                    raise RuntimeError("after the insert")

        assert not django_user_model.objects.filter(username="ho-so-1").exists()
        assert all_names(file_storage) == []

    @pytest.mark.django_db
    def test_success_keeps_the_object_and_the_row(self, file_storage, django_user_model):
        data = make_docx()
        file = upload("a.docx", data)
        checked = upload_check(file=file)

        with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers") as name:
            with transaction.atomic(durable=True):
                django_user_model.objects.create(username="ho-so-2", last_name=name)

        row = django_user_model.objects.get(username="ho-so-2")
        assert all_names(file_storage) == [row.last_name]
        assert read_back(file_storage, row.last_name) == data

    def test_a_cleanup_failure_does_not_hide_the_original_error(self, file_storage, monkeypatch):
        file = upload("a.pdf", make_pdf())
        checked = upload_check(file=file)

        def broken_delete(name):
            raise OSError("storage unavailable")

        monkeypatch.setattr(file_storage, "delete", broken_delete)
        with pytest.raises(KeyError):
            with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers"):
                raise KeyError("the real error")
