"""The printable OCOP product certificate.

Everything here works on plain values (`CertificateData`) and returns bytes; there is no ORM use
and no Django setting is read, so the module can be called from a view, a management command or
a test without a database. The shared PDF machinery (fonts, NFC text, demo banner, metadata) is
in apps.core.pdf, the QR code in apps.core.qr; the council's conclusion minutes are in
apps.evaluation.documents.

Public API::

    certificate_pdf(CertificateData) -> bytes     A4 landscape certificate
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from apps.core.pdf import (
    FONT,
    FONT_BOLD,
    INK,
    MOTTO,
    NATION,
    RED,
    STAR,
    demo_banner,
    demo_watermark,
    draw_centered,
    fit_size,
    register_fonts,
    set_metadata,
    text,
    vn_date,
)
from apps.core.qr import draw_qr, qr_code

__all__ = [
    "CERT_QR_BOX",
    "CERT_TITLE",
    "CertificateData",
    "certificate_pdf",
]

QR_CAPTION = "Quét mã để xem tình trạng chứng nhận hiện tại"
#: Where the certificate draws its QR code, quiet zone included: (x, y, size) in points from the
#: page's bottom-left corner. 34 mm holds a ~100-character URL at level Q with ~0.8 mm modules.
CERT_QR_BOX = (48.0, 58.0, 34 * mm)
CERT_TITLE = "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP"

GOLD = colors.HexColor("#d4a017")
FRAME = colors.HexColor("#8a1c1c")


@dataclass(frozen=True)
class CertificateData:
    certificate_number: str  # e.g. "15/GCN-UBND"
    decision_number: str  # e.g. "1234/QĐ-UBND"
    decision_date: date
    issuer: str  # "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG"
    signer_title: str  # "CHỦ TỊCH" / "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" (one line per "\n")
    signer_name: str
    product_name: str
    product_code: str  # "86-28777-001-2026" (province-commune-serial-year)
    producer_name: str
    producer_address: str
    stars: int  # 3, 4 or 5
    criteria_set_code: str  # "QD26/2026"
    valid_from: date
    valid_until: date  # 36 months after valid_from; printed as given
    public_url: str  # what the QR code encodes
    is_demo: bool = False  # prints the DEMO_BANNER on the page


def certificate_pdf(data: CertificateData) -> bytes:
    """One A4 landscape page: the OCOP product certificate, with a vector QR code that links
    to the certificate's public status page."""
    if data.stars not in (3, 4, 5):
        raise ValueError(f"OCOP certificates are issued for 3, 4 or 5 stars, not {data.stars!r}")
    if data.valid_until <= data.valid_from:
        raise ValueError("valid_until must be after valid_from")
    register_fonts()
    qr_code(data.public_url)  # fail before drawing anything

    buf = io.BytesIO()
    W, H = landscape(A4)
    c = rl_canvas.Canvas(buf, pagesize=(W, H), initialFontName=FONT, lang="vi-VN")
    _metadata(c, data)
    if data.is_demo:
        demo_watermark(c, W, H)
    _frame(c, W, H)
    if data.is_demo:
        demo_banner(c, 21, H - 21 - 16, W - 42)
    c.setFillColor(INK)
    _header(c, data, W, H)
    y = _title(c, data, W, H)
    y = _details(c, data, W, y)
    _qr_block(c, data, W)
    _signer(c, data, W, y)
    c.showPage()
    c.save()
    return buf.getvalue()


def _metadata(c, data: CertificateData) -> None:
    demo = " (MẪU THỬ)" if data.is_demo else ""
    set_metadata(
        c,
        title=text(f"{CERT_TITLE} – {data.product_name}{demo}"),
        subject=text(
            f"Giấy chứng nhận số {data.certificate_number}, sản phẩm {data.product_code}, "
            f"{data.stars} sao, có giá trị đến ngày {vn_date(data.valid_until)}"
        ),
        keywords=text(f"OCOP, {data.product_code}, {data.certificate_number}"),
    )


def _frame(c, W: float, H: float) -> None:
    """The double frame."""
    c.setStrokeColor(FRAME)
    c.setLineWidth(3)
    c.rect(14, 14, W - 28, H - 28)
    c.setLineWidth(0.8)
    c.rect(21, 21, W - 42, H - 42)


def _header(c, data: CertificateData, W: float, H: float) -> None:
    """Issuer on the left, the national header on the right (the administrative layout)."""
    left_x, right_x, col_w = W * 0.25, W * 0.70, W * 0.40
    y_top = H - 62
    y = draw_centered(c, data.issuer, left_x, y_top, FONT_BOLD, 11.5, col_w)
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(left_x - 35, y + 8, left_x + 35, y + 8)
    c.setFont(FONT, 11)
    c.drawCentredString(left_x, y - 8, text(f"Số: {data.certificate_number}"))

    c.setFont(FONT_BOLD, 11.5)
    c.drawCentredString(right_x, y_top, NATION)
    c.setFont(FONT_BOLD, 12)
    c.drawCentredString(right_x, y_top - 16, MOTTO)
    motto_w = pdfmetrics.stringWidth(MOTTO, FONT_BOLD, 12)
    c.line(right_x - motto_w / 2, y_top - 19.5, right_x + motto_w / 2, y_top - 19.5)


def _title(c, data: CertificateData, W: float, H: float) -> float:
    """Title, legal basis and the product's name; returns the next baseline."""
    c.setFillColor(RED)
    y = draw_centered(c, CERT_TITLE, W / 2, H - 142, FONT_BOLD, 26, W - 120)
    c.setFillColor(INK)
    basis = (
        f"Căn cứ Quyết định số {text(data.decision_number)} ngày {vn_date(data.decision_date)} "
        "về việc công nhận kết quả đánh giá, phân hạng sản phẩm OCOP,"
    )
    y = draw_centered(c, basis, W / 2, y - 4, FONT, 11, W - 140, min_size=9.5)
    c.setFont(FONT_BOLD, 12)
    c.drawCentredString(W / 2, y - 6, "CHỨNG NHẬN SẢN PHẨM")

    c.setFillColor(RED)
    y = draw_centered(c, data.product_name, W / 2, y - 34, FONT_BOLD, 22, W - 140, min_size=14)
    c.setFillColor(INK)
    return y - 4


def _details(c, data: CertificateData, W: float, y: float) -> float:
    """The labelled rows (code, producer, address, criteria set, rank, validity); returns the
    baseline of the last one."""
    label_x, value_x, value_w = W * 0.17, W * 0.17 + 128, W * 0.83 - (W * 0.17 + 128)
    rows = [
        ("Mã sản phẩm:", data.product_code),
        ("Chủ thể sản xuất:", data.producer_name),
        ("Địa chỉ:", data.producer_address),
        ("Bộ tiêu chí:", f"Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP {data.criteria_set_code}"),
    ]
    for label, value in rows:
        c.setFont(FONT, 12)
        c.drawString(label_x, y, label)
        value = text(value)
        s = fit_size(value, FONT_BOLD, 12.5, value_w, 9)
        c.setFont(FONT_BOLD, s)
        parts = simpleSplit(value, FONT_BOLD, s, value_w) or [""]
        for i, part in enumerate(parts):
            c.drawString(value_x, y - i * s * 1.3, part)
        y -= 18 + (len(parts) - 1) * s * 1.3
    c.setFont(FONT, 12)
    c.drawString(label_x, y, "Đạt hạng:")
    rank_text = f"{data.stars} sao"
    c.setFont(FONT_BOLD, 14)
    c.drawString(value_x, y, rank_text)
    star_x = value_x + pdfmetrics.stringWidth(rank_text, FONT_BOLD, 14) + 10
    c.setFillColor(GOLD)
    c.setFont(FONT, 20)
    c.drawString(star_x, y - 1.5, STAR * data.stars)
    c.setFillColor(INK)
    y -= 22
    c.setFont(FONT, 12)
    c.drawString(label_x, y, "Hiệu lực:")
    c.setFont(FONT_BOLD, 12.5)
    c.drawString(
        value_x,
        y,
        f"Ngày cấp {vn_date(data.valid_from)}. Có giá trị đến ngày {vn_date(data.valid_until)}",
    )
    return y


def _qr_block(c, data: CertificateData, W: float) -> None:
    """QR code, bottom left, with its caption and the URL in clear."""
    qr_x, qr_y, qr_size = CERT_QR_BOX
    draw_qr(c, data.public_url, qr_x, qr_y, qr_size)
    c.setFillColor(INK)
    c.setFont(FONT, 7.5)
    c.drawString(qr_x, qr_y - 10, QR_CAPTION)
    url = text(data.public_url).strip()
    c.setFillColor(colors.HexColor("#444444"))
    c.setFont(FONT, fit_size(url, FONT, 6.5, W * 0.42, 4.5))
    c.drawString(qr_x, qr_y - 20, url)
    c.setFillColor(INK)


def _signer(c, data: CertificateData, W: float, y: float) -> None:
    """Signer block, bottom right, below the validity line ``y`` even when long values pushed
    it down (then closer to the name)."""
    sx = W * 0.72
    sy = draw_centered(
        c, data.signer_title, sx, max(130, min(176, y - 24)), FONT_BOLD, 12, W * 0.40
    )
    c.setFont(FONT, 8)
    c.setFillColor(colors.HexColor("#777777"))
    c.drawCentredString(sx, sy - 18, "(Ký, đóng dấu)")
    c.setFillColor(INK)
    draw_centered(c, data.signer_name, sx, 66, FONT_BOLD, 13, W * 0.40)
