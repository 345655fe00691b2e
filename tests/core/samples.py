"""Sample files for the upload and storage tests, each built by hand at the smallest size its
format allows (Pillow is not installed, so PNG and JPEG are written byte by byte)."""

import io
import re
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


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
