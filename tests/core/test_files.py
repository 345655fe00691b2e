"""Upload checks by content, storage through storages["default"], private file responses.

`StorageContract` holds the tests that touch storage; they run here on the local file system
(MEDIA_ROOT in tmp_path) and again in test_files_s3.py on a real S3 server (SeaweedFS).
Every sample file is built here, by hand, at the smallest size its format allows (Pillow is not
installed, so PNG and JPEG are written byte by byte).
"""

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
)
from django.core.signals import request_finished
from django.db import IntegrityError, close_old_connections, transaction
from django.http import Http404
from django.utils import translation

from apps.core.api.errors import ApplicationError, ErrorCode, exception_handler
from apps.core.files import (
    content_disposition,
    file_response,
    stored_file_delete,
    stored_file_or_cleanup,
    stored_file_save,
    upload_check,
)

# --- sample files ------------------------------------------------------------------------------


def make_pdf(padding: int = 0) -> bytes:
    """A one-page PDF 1.4 with a correct xref table; `padding` adds a comment of that many bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png() -> bytes:
    """A 1×1 red RGB PNG."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")  # filter byte 0, then R G B
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_segment(marker: int, data: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data


def make_jpeg() -> bytes:
    """A 1×1 grey baseline JPEG: one quantisation table, one-code Huffman tables, one block."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\x00" + b"\x01" * 64
    sof0 = b"\x08\x00\x01\x00\x01\x01\x01\x11\x00"  # 8-bit, 1×1, one component, table 0
    dht_dc = b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00"  # one 1-bit code: DC difference 0
    dht_ac = b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00"  # one 1-bit code: end of block
    sos = b"\x01\x01\x00\x00\x3f\x00"
    scan = b"\x3f"  # DC "0", EOB "0", padded with 1-bits
    return (
        b"\xff\xd8"
        + _jpeg_segment(0xE0, app0)
        + _jpeg_segment(0xDB, dqt)
        + _jpeg_segment(0xC0, sof0)
        + _jpeg_segment(0xC4, dht_dc)
        + _jpeg_segment(0xC4, dht_ac)
        + _jpeg_segment(0xDA, sos)
        + scan
        + b"\xff\xd9"
    )


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{target}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)
_OOXML = "application/vnd.openxmlformats-officedocument"


def make_zip(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_parts(content_type: str = f"{_OOXML}.wordprocessingml.document.main+xml") -> dict:
    return {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            part="word/document.xml", content_type=content_type
        ),
        "_rels/.rels": _RELS.format(target="word/document.xml"),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Hồ sơ OCOP</w:t></w:r></w:p></w:body></w:document>"
        ),
    }


def make_docx(**kwargs) -> bytes:
    return make_zip(docx_parts(), **kwargs)


def make_xlsx() -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(
                part="xl/workbook.xml", content_type=f"{_OOXML}.spreadsheetml.sheet.main+xml"
            ),
            "_rels/.rels": _RELS.format(target="xl/workbook.xml"),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": _RELS.format(target="worksheets/sheet1.xml").replace(
                "officeDocument/2006/relationships/officeDocument",
                "officeDocument/2006/relationships/worksheet",
            ),
            "xl/worksheets/sheet1.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
            ),
        }
    )


def encrypt_flag(data: bytes) -> bytes:
    """Set the 'encrypted' bit on every entry of a stored (uncompressed) ZIP, as ZipCrypto does."""
    out = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), data):
            position = match.start() + flag_offset
            out[position] |= 0x01
    return bytes(out)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


SAMPLES = {
    "pdf": ("Giấy chứng nhận.pdf", make_pdf, "application/pdf"),
    "jpg": ("Ảnh sản phẩm.jpg", make_jpeg, "image/jpeg"),
    "png": ("Nhãn hàng.png", make_png, "image/png"),
    "docx": ("Thuyết minh.docx", make_docx, f"{_OOXML}.wordprocessingml.document"),
    "xlsx": ("Bảng số liệu.xlsx", make_xlsx, f"{_OOXML}.spreadsheetml.sheet"),
}


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


# --- storage: the same tests on every backend ---------------------------------------------------

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
        raise NotImplementedError

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
