"""The printable certificate and council minutes: text extracts back exactly (Vietnamese
diacritics included), the font is embedded, the QR code decodes to the public URL both from the
PNG and from the rendered PDF page, long minutes span pages with a repeated header row, and the
demo banner appears only on demo documents. No database: plain values in, bytes out."""

from __future__ import annotations

import io
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from apps.certificates import documents
from apps.certificates.documents import CertificateData, certificate_pdf
from apps.core import pdf as core_pdf
from apps.core import qr as core_qr
from apps.core.pdf import DEMO_BANNER, FontNotFoundError
from apps.core.qr import qr_matrix, qr_png, qr_svg
from apps.evaluation.documents import (
    CONCLUSION_TITLE,
    ConclusionData,
    RankedProduct,
    conclusion_pdf,
)

URL = "https://ocop.vinhlong.gov.vn/chung-nhan/86-28777-001-2026?ma=7f3a9c"
VIETNAMESE = (
    "ạ ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẹ ẻ ẽ ế ề ể ễ ệ ỉ ị ọ ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ủ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ đ Đ"
)


def cert(**changes) -> CertificateData:
    data = CertificateData(
        certificate_number="15/GCN-UBND",
        decision_number="1234/QĐ-UBND",
        decision_date=date(2026, 11, 27),
        issuer="ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        signer_title="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer_name="Nguyễn Thị Hồng Ngọc",
        product_name="Kẹo dừa sáp Cầu Kè – Đặc sản",
        product_code="86-28777-001-2026",
        producer_name="Hợp tác xã Dừa Xanh Mỏ Cày Bắc",
        producer_address="Ấp Phước Hậu, xã Cầu Kè, tỉnh Vĩnh Long",
        stars=4,
        criteria_set_code="QD26/2026",
        valid_from=date(2026, 11, 27),
        valid_until=date(2029, 11, 27),
        public_url=URL,
    )
    return replace(data, **changes)


PRODUCTS = (
    "Kẹo dừa sáp Cầu Kè",
    "Bánh tráng Mỹ Lồng",
    "Mắm cá linh Hồng Ngự",
    "Trà mãng cầu Tân Phú",
    "Bưởi Năm Roi Bình Minh",
    "Nước mắm Phú Quốc",
    "Chả lụa Thủ Đức",
    "Rượu đế Gò Đen",
)


def ranked(n: int) -> tuple[RankedProduct, ...]:
    rows = []
    for i in range(1, n + 1):
        stars = (None, 3, 4, 5)[i % 4]
        rows.append(
            RankedProduct(
                rank=i,
                product_name=f"{PRODUCTS[i % len(PRODUCTS)]} số {i:02d}",
                producer_name=f"Hợp tác xã Dừa Xanh {i:02d}",
                commune_name="Xã Cầu Kè",
                product_code=f"86-28777-{i:03d}-2026" if stars else None,
                mean_score=f"{95 - i * 0.5:.2f}",
                stars=stars,
                outcome=(
                    "Không đạt (thiếu yêu cầu tối thiểu 3 sao: 2.3)"
                    if stars is None
                    else "Đề nghị Bộ NN&MT đánh giá 5 sao"
                    if stars == 5
                    else f"Đề nghị công nhận {stars} sao"
                ),
            )
        )
    return tuple(rows)


def conclusion(n: int = 5, **changes) -> ConclusionData:
    data = ConclusionData(
        council_name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Vĩnh Long",
        round_label="Đợt 2 năm 2026",
        meeting_date=date(2026, 11, 20),
        place="Hội trường Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long",
        chair_name="Trần Thị Bích Phượng",
        secretary_name="Lê Văn Cường",
        members_present=8,
        members_total=9,
        ranked=ranked(n),
        notes="Đề nghị chủ thể bổ sung hồ sơ <truy xuất nguồn gốc> & tem nhãn.\nThống nhất 100%.",
        quorum_required=7,
    )
    return replace(data, **changes)


# --------------------------------------------------------------------------- helpers
def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace collapsed: a table cell that wraps extracts as several lines."""
    return " ".join(text.split())


def fonts(pdf: bytes) -> list[dict]:
    out = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            out.append(ref.get_object())
    return out


def decode(image: Image.Image) -> list[str]:
    return [
        b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode
    ]


def render(pdf: bytes, page: int = 0, scale: float = 3.0) -> Image.Image:
    """Rasterise a page offline with PDFium (the pypdfium2 wheel bundles it)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page].render(scale=scale).to_pil().convert("L")
    finally:
        doc.close()


# --------------------------------------------------------------------------- QR code
def test_qr_png_decodes_to_the_url():
    png = qr_png(URL)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == URL
    assert barcode.ec_level == "Q"


def test_qr_png_scale_sets_the_pixel_size():
    size = len(qr_matrix(URL)) + 2 * 4
    assert Image.open(io.BytesIO(qr_png(URL, scale=3))).size == (3 * size, 3 * size)
    assert Image.open(io.BytesIO(qr_png(URL, scale=10))).size == (10 * size, 10 * size)


def test_qr_svg_is_an_inline_svg_element():
    svg = qr_svg(URL)
    assert svg.startswith("<svg") and not svg.startswith("<?xml")
    root = ET.fromstring(svg)  # well-formed
    assert root.tag.endswith("svg")
    assert any(el.tag.endswith("path") for el in root.iter())


def test_qr_matrix_is_deterministic_and_square():
    m = qr_matrix(URL)
    assert m == qr_matrix(URL)
    assert len(m) == len(m[0]) and len(m) >= 21
    assert qr_matrix(URL + "x") != m


def test_empty_url_is_refused():
    with pytest.raises(ValueError):
        qr_png("  ")
    with pytest.raises(ValueError):
        certificate_pdf(cert(public_url=""))


# --------------------------------------------------------------------------- certificate
def test_certificate_is_one_a4_landscape_page():
    reader = pypdf.PdfReader(io.BytesIO(certificate_pdf(cert())))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_certificate_text_extracts_exactly():
    (text,) = pages_text(certificate_pdf(cert()))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        "Số: 15/GCN-UBND",
        "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
        "Kẹo dừa sáp Cầu Kè – Đặc sản",
        "Hợp tác xã Dừa Xanh Mỏ Cày Bắc",
        "Ấp Phước Hậu, xã Cầu Kè, tỉnh Vĩnh Long",
        "86-28777-001-2026",
        "Căn cứ Quyết định số 1234/QĐ-UBND ngày 27/11/2026",
        "Đạt hạng:",
        "4 sao",
        "★★★★",
        "QD26/2026",
        "Có giá trị đến ngày 27/11/2029",
        "Quét mã để xem tình trạng chứng nhận hiện tại",
        URL,
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thị Hồng Ngọc",
    ):
        assert expected in text, expected
    assert "★★★★★" not in text


@pytest.mark.parametrize("stars", [3, 5])
def test_certificate_prints_the_star_count(stars):
    (text,) = pages_text(certificate_pdf(cert(stars=stars)))
    assert f"{stars} sao" in text
    assert "★" * stars in text and "★" * (stars + 1) not in text


@pytest.mark.parametrize("stars", [0, 2, 6, None])
def test_certificate_refuses_stars_outside_3_to_5(stars):
    with pytest.raises(ValueError):
        certificate_pdf(cert(stars=stars))


def test_certificate_refuses_an_inverted_validity():
    with pytest.raises(ValueError):
        certificate_pdf(cert(valid_until=date(2026, 11, 26)))


def test_every_vietnamese_letter_round_trips():
    pdf = certificate_pdf(cert(product_name=VIETNAMESE, producer_name=VIETNAMESE.upper()))
    (text,) = pages_text(pdf)
    assert VIETNAMESE in text
    assert VIETNAMESE.upper() in flat(text)  # a long value wraps onto a second line


def test_decomposed_input_is_printed_composed():
    nfd = unicodedata.normalize("NFD", "Kẹo dừa sáp Cầu Kè – Đặc sản")
    assert nfd != "Kẹo dừa sáp Cầu Kè – Đặc sản"
    (text,) = pages_text(certificate_pdf(cert(product_name=nfd)))
    assert "Kẹo dừa sáp Cầu Kè – Đặc sản" in text


def _assert_only_embedded_dejavu(pdf: bytes) -> None:
    found = fonts(pdf)
    assert found
    names = set()
    for font in found:
        assert font["/Subtype"] == "/TrueType", font
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]  # the TTF program is in the file
        assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000
        assert "/ToUnicode" in font  # what makes the text extract as Vietnamese
        names.add(font["/BaseFont"].split("+", 1)[-1])
    assert names == {"DejaVuSans", "DejaVuSans-Bold"}


def test_certificate_embeds_the_font_and_no_base14_fallback():
    _assert_only_embedded_dejavu(certificate_pdf(cert()))


def test_certificate_metadata():
    meta = pypdf.PdfReader(io.BytesIO(certificate_pdf(cert()))).metadata
    assert meta.author == "OCOP GIS"
    assert meta.title == "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP – Kẹo dừa sáp Cầu Kè – Đặc sản"
    assert "15/GCN-UBND" in meta.subject and "86-28777-001-2026" in meta.subject
    assert "27/11/2029" in meta.subject


@pytest.mark.parametrize("demo", [False, True])
def test_certificate_qr_decodes_from_the_rendered_pdf(demo):
    image = render(certificate_pdf(cert(is_demo=demo)))
    assert decode(image) == [URL]


def test_certificate_qr_is_drawn_from_segnos_matrix():
    """Sample the rendered page at each module centre: the grid is segno's, module for module
    (a vector drawing, not a rescaled bitmap)."""
    scale = 4.0
    image = render(certificate_pdf(cert()), scale=scale)
    matrix = qr_matrix(URL)
    n = len(matrix)
    x, y, size = documents.CERT_QR_BOX  # PDF points, origin bottom-left
    border = core_qr.QR_BORDER
    module = size / (n + 2 * border)
    height_pt = 595.2755905511812  # A4 landscape
    drawn = tuple(
        tuple(
            image.getpixel(
                (
                    int((x + (border + c + 0.5) * module) * scale),
                    int((height_pt - (y + size - (border + r + 0.5) * module)) * scale),
                )
            )
            < 128
            for c in range(n)
        )
        for r in range(n)
    )
    assert drawn == matrix


def test_long_values_wrap_instead_of_being_cut():
    address = "Tổ 7, ấp Phước Hậu, " * 12 + "xã Cầu Kè, tỉnh Vĩnh Long"
    name = "Kẹo dừa sáp Cầu Kè – Đặc sản truyền thống " * 3
    (text,) = pages_text(certificate_pdf(cert(producer_address=address, product_name=name)))
    assert flat(address) in flat(text)
    assert flat(name) in flat(text)
    assert "Có giá trị đến ngày 27/11/2029" in text


def test_certificate_for_a_long_url_still_decodes():
    url = URL + "&" + "x" * 200
    assert decode(render(certificate_pdf(cert(public_url=url)))) == [url]


# --------------------------------------------------------------------------- conclusion
def test_conclusion_text_extracts_exactly():
    pdf = conclusion_pdf(conclusion(5))
    text = flat(" ".join(pages_text(pdf)))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        CONCLUSION_TITLE,
        "Đợt 2 năm 2026",
        "ngày 20/11/2026",
        "Hội trường Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long",
        "Trần Thị Bích Phượng",
        "Lê Văn Cường",
        "Số thành viên có mặt: 8/9",
        "đủ điều kiện tiến hành phiên họp",
        "Tổng số sản phẩm được đánh giá: 5",
        "Không đạt (thiếu yêu cầu tối thiểu 3 sao: 2.3)",
        "Đề nghị Bộ NN&MT đánh giá 5 sao",
        "Đề nghị công nhận 4 sao",
        "86-28777-002-2026",
        "Đề nghị chủ thể bổ sung hồ sơ <truy xuất nguồn gốc> & tem nhãn.",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        "Trang 1/1",
    ):
        assert expected in text, expected
    _assert_only_embedded_dejavu(pdf)


def test_conclusion_states_missing_quorum():
    text = flat(" ".join(pages_text(conclusion_pdf(conclusion(2, members_present=5)))))
    assert "Số thành viên có mặt: 5/9" in text
    assert "không đủ số thành viên theo quy định" in text
    text = flat(" ".join(pages_text(conclusion_pdf(conclusion(2, quorum_required=None)))))
    assert "Số thành viên có mặt: 8/9" in text and "tối thiểu" not in text.split("III.")[0]


def test_conclusion_metadata():
    meta = pypdf.PdfReader(io.BytesIO(conclusion_pdf(conclusion(3)))).metadata
    assert meta.author == "OCOP GIS"
    assert meta.title.startswith("Biên bản kết luận của Hội đồng đánh giá")
    assert meta.title.endswith("Đợt 2 năm 2026")
    assert "20/11/2026" in meta.subject


def test_long_conclusion_spans_pages_with_the_header_repeated():
    data = conclusion(60)
    pdf = conclusion_pdf(data)
    texts = pages_text(pdf)
    assert len(texts) >= 3
    flat_pages = [flat(t) for t in texts]
    table_pages = [t for t in flat_pages if any(p.product_name in t for p in data.ranked)]
    assert len(table_pages) >= 3
    for t in table_pages:  # the header row is on every page that carries rows
        for label in ("STT", "Tên sản phẩm", "Chủ thể", "Mã sản phẩm", "Điểm TB", "Kết quả"):
            assert label in t
    everything = " ".join(flat_pages)
    for p in data.ranked:
        assert p.product_name in everything, p.product_name
        assert p.producer_name in everything
        assert p.mean_score in everything
        if p.product_code:
            assert p.product_code in everything
    # Each product is printed once (the table splits between rows, it does not repeat them).
    for p in data.ranked:
        assert everything.count(p.product_name) == 1, p.product_name
    assert all(f"Trang {i}/{len(texts)}" in t for i, t in enumerate(flat_pages, start=1))
    # The signatures close the document on the last page.
    assert "CHỦ TỊCH HỘI ĐỒNG" in flat_pages[-1] and "Trần Thị Bích Phượng" in flat_pages[-1]


def test_empty_conclusion_still_renders():
    text = flat(" ".join(pages_text(conclusion_pdf(conclusion(0, notes="")))))
    assert "Tổng số sản phẩm được đánh giá: 0" in text
    assert "Không có ý kiến khác." in text


# --------------------------------------------------------------------------- demo banner
def test_demo_banner_on_every_page_of_a_demo_document():
    (text,) = pages_text(certificate_pdf(cert(is_demo=True)))
    assert DEMO_BANNER in text
    texts = pages_text(conclusion_pdf(conclusion(60, is_demo=True)))
    assert len(texts) >= 3
    assert all(DEMO_BANNER in t for t in texts)
    assert (
        "MẪU THỬ" in pypdf.PdfReader(io.BytesIO(certificate_pdf(cert(is_demo=True)))).metadata.title
    )


def test_no_demo_banner_on_a_real_document():
    pdfs = [certificate_pdf(cert()), conclusion_pdf(conclusion(60))]
    for pdf in pdfs:
        for t in pages_text(pdf):
            assert "MẪU THỬ" not in t and "GIẢ LẬP" not in t
        assert "MẪU THỬ" not in pypdf.PdfReader(io.BytesIO(pdf)).metadata.title


# --------------------------------------------------------------------------- font missing
def test_missing_font_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(core_pdf, "FONT_DIR", tmp_path)
    monkeypatch.setattr(core_pdf.pdfmetrics, "getRegisteredFontNames", lambda: [])
    with pytest.raises(FontNotFoundError, match="fonts-dejavu-core"):
        certificate_pdf(cert())
