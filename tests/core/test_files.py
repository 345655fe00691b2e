"""Upload checks by content, storage through storages["default"], private file responses.

`StorageContract` (storage_contract.py) holds the tests that touch storage; they run here on the
local file system (MEDIA_ROOT in tmp_path) and again in test_files_s3.py on a real S3 server
(SeaweedFS). Every sample file is built by hand in samples.py, at the smallest size its format
allows (Pillow is not installed, so PNG and JPEG are written byte by byte).
"""

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile
from django.utils import translation

from apps.core.api.errors import exception_handler
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.files import content_disposition, stored_file_save, upload_check

from .samples import (
    SAMPLES,
    docx_parts,
    encrypt_flag,
    make_docx,
    make_jpeg,
    make_pdf,
    make_png,
    make_zip,
    upload,
)
from .storage_contract import StorageContract


def refusal(file, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        upload_check(file=file, **kwargs)
    error = caught.value
    assert error.code == ErrorCode.INVALID_FILE
    assert error.status_code == 400
    assert error.extra["key"] == "file"
    assert error.message
    return error


# --- upload_check: accepted --------------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(SAMPLES))
def test_each_accepted_type_is_detected_by_content(extension):
    name, make, content_type = SAMPLES[extension]
    data = make()
    file = upload(name, data, content_type="application/octet-stream")

    checked = upload_check(file=file)

    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.original_name == name
    assert file.tell() == 0  # rewound for the storage step


def test_jpeg_and_upper_case_extensions_are_accepted():
    assert upload_check(file=upload("ANH.JPEG", make_jpeg())).extension == "jpg"
    assert upload_check(file=upload("HO-SO.PDF", make_pdf())).extension == "pdf"


def test_a_file_on_disk_and_a_plain_file_object_are_accepted(tmp_path):
    path = tmp_path / "hồ sơ.pdf"
    path.write_bytes(make_pdf())
    with path.open("rb") as handle:
        assert upload_check(file=handle).original_name == "hồ sơ.pdf"
    named = io.BytesIO(make_png())
    named.name = "nhan.png"
    assert upload_check(file=named).extension == "png"


def test_original_name_is_cleaned_but_kept_for_display():
    decomposed = unicodedata.normalize("NFD", "Hồ sơ Đắk Lắk.pdf")  # as macOS sends it
    checked = upload_check(file=upload(f"C:\\Users\\an\\{decomposed}", make_pdf()))
    assert checked.original_name == "Hồ sơ Đắk Lắk.pdf"
    assert upload_check(file=upload("../../etc/x\r\n.pdf", make_pdf())).original_name == "x.pdf"


def test_the_default_limit_comes_from_settings(settings):
    settings.OCOP_UPLOAD_MAX_BYTES = 100
    error = refusal(upload("a.pdf", make_pdf(padding=200)))
    assert error.extra["reason"] == "too_large"
    assert error.extra["max_bytes"] == 100
    settings.OCOP_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    assert upload_check(file=upload("a.pdf", make_pdf(padding=200))).extension == "pdf"


def test_default_limit_is_20_mb():
    from django.conf import settings

    assert settings.OCOP_UPLOAD_MAX_BYTES == 20 * 1024 * 1024


# --- upload_check: refused ---------------------------------------------------------------------


def test_empty_file_is_refused():
    assert refusal(upload("trong.pdf", b"")).extra["reason"] == "empty"


def test_unknown_bytes_are_refused():
    error = refusal(upload("ho-so.pdf", b"just some text, not a PDF at all"))
    assert error.extra | {"key": "file"} == error.extra
    assert (error.extra["reason"], error.extra["detected"], error.extra["declared"]) == (
        "type",
        None,
        "pdf",
    )


def test_an_exe_renamed_pdf_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
    error = refusal(upload("giay-phep.pdf", exe))
    assert (error.extra["reason"], error.extra["detected"]) == ("type", "exe")


def test_an_html_file_renamed_png_is_refused():
    html = b"  <!DOCTYPE html><html><script>alert(1)</script></html>"
    error = refusal(upload("anh.png", html))
    assert (error.extra["reason"], error.extra["detected"]) == ("type", "html")


def test_a_png_named_pdf_is_refused():
    error = refusal(upload("chung-nhan.pdf", make_png()))
    assert error.extra == {
        "key": "file",
        "reason": "mismatch",
        "detected": "png",
        "declared": "pdf",
    }


def test_a_docx_named_xlsx_is_refused():
    error = refusal(upload("bang.xlsx", make_docx()))
    assert (error.extra["detected"], error.extra["declared"]) == ("docx", "xlsx")


def test_a_file_name_without_extension_is_refused():
    error = refusal(upload("hoso", make_pdf()))
    assert (error.extra["reason"], error.extra["detected"], error.extra["declared"]) == (
        "mismatch",
        "pdf",
        "",
    )


def test_too_large_is_refused_before_reading():
    data = make_pdf(padding=2000)
    error = refusal(upload("lon.pdf", data), max_bytes=len(data) - 1)
    assert error.extra["reason"] == "too_large"
    assert upload_check(file=upload("vua.pdf", data), max_bytes=len(data)).size == len(data)


def test_a_lying_size_does_not_get_past_the_limit():
    data = make_pdf(padding=5000)
    lying = InMemoryUploadedFile(io.BytesIO(data), "file", "a.pdf", "application/pdf", 10, None)
    assert refusal(lying, max_bytes=1000).extra["reason"] == "too_large"


def test_a_zip_without_office_parts_is_refused():
    plain = make_zip({"readme.txt": "hello"})
    assert refusal(upload("a.docx", plain)).extra["reason"] == "not_office"
    only_types = make_zip({"[Content_Types].xml": docx_parts()["[Content_Types].xml"]})
    assert refusal(upload("a.docx", only_types)).extra["reason"] == "not_office"
    no_types = make_zip({"word/document.xml": docx_parts()["word/document.xml"]})
    assert refusal(upload("a.docx", no_types)).extra["reason"] == "not_office"
    empty_zip = make_zip({})
    assert refusal(upload("a.xlsx", empty_zip)).extra["reason"] == "not_office"


def test_a_corrupt_zip_is_refused():
    data = bytearray(make_docx())
    # Damage the compressed bytes of the first entry: its CRC no longer matches.
    start = 30 + len("[Content_Types].xml")
    data[start + 5 : start + 15] = b"\x00" * 10
    assert refusal(upload("a.docx", bytes(data))).extra["reason"] == "damaged"


def test_a_truncated_zip_is_refused():
    data = make_docx()
    assert refusal(upload("a.docx", data[: len(data) // 2])).extra["reason"] == "damaged"


def test_an_encrypted_zip_is_refused():
    data = encrypt_flag(make_docx(compression=zipfile.ZIP_STORED))
    assert refusal(upload("a.docx", data)).extra["reason"] == "encrypted"


def test_a_password_protected_office_file_or_old_doc_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    error = refusal(upload("bao-cao.docx", ole))
    assert (error.extra["reason"], error.extra["detected"]) == ("ole", "ole")


def test_a_zip_bomb_is_refused(settings):
    settings.OCOP_UPLOAD_MAX_UNZIPPED_BYTES = 1024 * 1024
    parts = docx_parts() | {"word/media/zeros.bin": b"\x00" * (2 * 1024 * 1024)}
    data = make_zip(parts)
    assert len(data) < 20_000  # tiny on the wire
    error = refusal(upload("bom.docx", data))
    assert error.extra["reason"] == "zip_bomb"


def test_a_zip_that_lies_about_its_sizes_is_refused(settings):
    settings.OCOP_UPLOAD_MAX_UNZIPPED_BYTES = 1024 * 1024
    parts = docx_parts() | {"word/media/zeros.bin": b"\x00" * (4 * 1024 * 1024)}
    data = bytearray(make_zip(parts))
    # Claim 1000 bytes for every entry (local header +22, central directory +24): the archive
    # passes the size check, but inflating stops at the claimed size and the CRC fails.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            data[match.start() + offset : match.start() + offset + 4] = struct.pack("<I", 1000)
    assert refusal(upload("bom.docx", bytes(data))).extra["reason"] == "damaged"


def test_a_docx_with_macros_is_refused():
    parts = docx_parts() | {"word/vbaProject.bin": b"\x00" * 64}
    assert refusal(upload("macro.docx", make_zip(parts))).extra["reason"] == "macro"
    docm = docx_parts(content_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    assert refusal(upload("macro.docx", make_zip(docm))).extra["reason"] == "macro"


def test_refusals_are_in_vietnamese_by_default():
    with translation.override("vi"):
        mismatch = refusal(upload("anh.pdf", make_png())).message
        too_large = refusal(upload("lon.pdf", make_pdf(600_000)), max_bytes=512 * 1024).message
    with translation.override("en"):
        english = refusal(upload("anh.pdf", make_png())).message
    assert english == "The file name ends in “.pdf” but the file is a PNG file."
    assert mismatch != english and "“.pdf”" in mismatch and "PNG" in mismatch
    assert "0,5 MB" in too_large  # decimal comma


def test_refusal_becomes_a_400_error_envelope():
    with pytest.raises(ApplicationError) as caught:
        upload_check(file=upload("anh.pdf", make_png()))
    response = exception_handler(caught.value, {})
    assert response.status_code == 400
    assert response.data["code"] == "invalid_file"
    assert response.data["extra"]["key"] == "file"


# --- Content-Disposition ------------------------------------------------------------------------


def test_content_disposition_for_a_vietnamese_name():
    value = content_disposition("Hồ sơ sản phẩm Đắk Lắk.pdf")
    assert value == (
        'attachment; filename="Ho so san pham Dak Lak.pdf"; '
        "filename*=UTF-8''H%E1%BB%93%20s%C6%A1%20s%E1%BA%A3n%20ph%E1%BA%A9m%20"
        "%C4%90%E1%BA%AFk%20L%E1%BA%AFk.pdf"
    )


def test_content_disposition_for_plain_and_hostile_names():
    assert content_disposition("report.pdf", as_attachment=False) == 'inline; filename="report.pdf"'
    hostile = content_disposition('a"b\r\nSet-Cookie: x=1.pdf')
    assert hostile == (
        'attachment; filename="a_bSet-Cookie_ x_1.pdf"; '
        "filename*=UTF-8''a%22bSet-Cookie%3A%20x%3D1.pdf"
    )
    assert content_disposition("..\\..\\boot.ini") == 'attachment; filename="boot.ini"'
    assert content_disposition("") == 'attachment; filename="file"'


class TestLocalStorage(StorageContract):
    @pytest.fixture
    def file_storage(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
        storage = storages["default"]
        assert isinstance(storage, FileSystemStorage)
        assert storage.location == str(tmp_path / "media")
        return storage

    def test_a_temporary_upload_is_copied_not_moved(self, file_storage, tmp_path, settings):
        settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
        data = make_pdf()
        source = TemporaryUploadedFile("a.pdf", "text/html", len(data), None)
        source.write(data)
        source.seek(0)
        checked = upload_check(file=source)
        storage_name = stored_file_save(checked=checked, file=source, prefix="dossiers")
        assert (tmp_path / "media" / storage_name).read_bytes() == data
        assert Path(source.temporary_file_path()).read_bytes() == data
        source.close()

    def test_a_content_file_is_accepted(self, file_storage):
        source = ContentFile(make_png(), name="nhan.png")
        storage_name = stored_file_save(
            checked=upload_check(file=source), file=source, prefix="products/labels"
        )
        assert storage_name.startswith("products/labels/")
