"""Printable OCOP documents: the product certificate and the council's conclusion minutes.

Everything here works on plain values (the dataclasses below) and returns bytes; there is no
ORM use and no Django setting is read, so the module can be called from a view, a management
command or a test without a database. Text is Vietnamese and is drawn with DejaVu Sans, embedded
as a TrueType subset (with a ToUnicode map) so every diacritic renders and extracts back as the
same characters. The font comes from Debian's ``fonts-dejavu-core`` (installed by the Makefile).

Public API::

    qr_svg(url) -> str                    inline <svg> for HTML pages
    qr_png(url, scale=8) -> bytes         PNG (segno writes it; no Pillow needed)
    qr_matrix(url) -> tuple[tuple[bool]]  the module grid drawn into the certificate
    certificate_pdf(CertificateData) -> bytes     A4 landscape certificate
    conclusion_pdf(ConclusionData) -> bytes       A4 portrait minutes, multi-page table

All text is NFC-normalised before drawing: a name typed with combining marks (NFD) would
otherwise be drawn as separate glyphs and extract as a different string.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

__all__ = [
    "AUTHOR",
    "CERT_QR_BOX",
    "DEMO_BANNER",
    "FONT_DIR",
    "FONT_FILES",
    "CertificateData",
    "ConclusionData",
    "FontNotFoundError",
    "RankedProduct",
    "certificate_pdf",
    "conclusion_pdf",
    "qr_matrix",
    "qr_png",
    "qr_svg",
]

# --------------------------------------------------------------------------- constants
#: Debian ``fonts-dejavu-core``. DejaVu Sans covers Vietnamese (U+1EA0-U+1EF9, đ/Đ) and
#: U+2605 BLACK STAR; DejaVu Serif lacks the star, so Sans is used throughout.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "OcopSans": "DejaVuSans.ttf",
    "OcopSans-Bold": "DejaVuSans-Bold.ttf",
}
FONT = "OcopSans"
FONT_BOLD = "OcopSans-Bold"

AUTHOR = "OCOP GIS"
DEMO_BANNER = "MẪU THỬ — DỮ LIỆU GIẢ LẬP"
DEMO_NOTE = "Văn bản mẫu, không có giá trị pháp lý"
STAR = "\u2605"  # ★
QR_ERROR = "q"  # 25 % recovery: survives a seal or a fold across the code
QR_BORDER = 4  # quiet zone, in modules (the minimum the standard asks for)
QR_CAPTION = "Quét mã để xem tình trạng chứng nhận hiện tại"
#: Where the certificate draws its QR code, quiet zone included: (x, y, size) in points from the
#: page's bottom-left corner. 34 mm holds a ~100-character URL at level Q with ~0.8 mm modules.
CERT_QR_BOX = (48.0, 58.0, 34 * mm)

CERT_TITLE = "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CONCLUSION_TITLE = "KẾT LUẬN CỦA HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"
TABLE_HEADER = (
    "STT",
    "Tên sản phẩm",
    "Chủ thể",
    "Xã/phường",
    "Mã sản phẩm",
    "Điểm TB",
    "Hạng sao",
    "Kết quả",
)

INK = colors.HexColor("#1a1a1a")
RED = colors.HexColor("#b3121b")
GOLD = colors.HexColor("#d4a017")
FRAME = colors.HexColor("#8a1c1c")
DEMO_RED = colors.HexColor("#d32f2f")


class FontNotFoundError(RuntimeError):
    """The DejaVu TTF files are missing: install Debian's ``fonts-dejavu-core``."""


# --------------------------------------------------------------------------- data
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


@dataclass(frozen=True)
class RankedProduct:
    rank: int
    product_name: str
    producer_name: str
    commune_name: str
    product_code: str | None
    mean_score: str  # "72.35", printed as given
    stars: int | None
    outcome: str  # "Đề nghị công nhận 4 sao", "Không đạt (…)", "Đề nghị Bộ NN&MT đánh giá 5 sao"


@dataclass(frozen=True)
class ConclusionData:
    council_name: str
    round_label: str
    meeting_date: date
    place: str
    chair_name: str
    secretary_name: str
    members_present: int
    members_total: int
    ranked: tuple[RankedProduct, ...]
    notes: str
    is_demo: bool = False
    #: members needed for quorum, computed by the caller from the criteria set's rule (e.g.
    #: ceil(members_total * 0.75), see apps.criteria.engine.CouncilRules.quorum); when given,
    #: the minutes state whether the meeting had quorum. None prints the attendance only.
    quorum_required: int | None = None


# --------------------------------------------------------------------------- helpers
def _t(value) -> str:
    """Text to draw: str(), NFC-normalised (None -> "")."""
    return "" if value is None else unicodedata.normalize("NFC", str(value))


def _p(value) -> str:
    """Text for a Paragraph: NFC, XML-escaped, newlines kept as line breaks."""
    return escape(_t(value)).replace("\n", "<br/>")


def _d(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    if FONT in registered and FONT_BOLD in registered:
        return
    missing = [str(FONT_DIR / f) for f in FONT_FILES.values() if not (FONT_DIR / f).is_file()]
    if missing:
        raise FontNotFoundError(
            "Vietnamese PDF font not found: "
            + ", ".join(missing)
            + ". Install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core; "
            "`make deps` does it)."
        )
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _qr(url: str) -> segno.QRCode:
    url = _t(url).strip()
    if not url:
        raise ValueError("QR code content (public_url) is empty")
    # boost_error=False: the level is always Q, so a URL gives the same symbol everywhere.
    return segno.make(url, error=QR_ERROR, micro=False, boost_error=False)


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR module grid for ``url`` (True = dark), without the quiet zone."""
    return tuple(tuple(bool(v) for v in row) for row in _qr(url).matrix)


def qr_svg(url: str, *, scale: int = 4, border: int = QR_BORDER) -> str:
    """An inline ``<svg>`` element (no XML declaration) for embedding in an HTML page."""
    return _qr(url).svg_inline(scale=scale, border=border, title=_t(url).strip())


def qr_png(url: str, scale: int = 8, *, border: int = QR_BORDER) -> bytes:
    """A black-on-white PNG; ``scale`` is pixels per module."""
    buf = io.BytesIO()
    _qr(url).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()


def _fit_size(text: str, font: str, size: float, max_width: float, min_size: float) -> float:
    width = pdfmetrics.stringWidth(text, font, size)
    if width <= max_width:
        return size
    return max(min_size, size * max_width / width)


def _draw_centered(
    c,
    text: str,
    x: float,
    y: float,
    font: str,
    size: float,
    max_width: float,
    *,
    min_size: float = 7,
    leading: float = 1.25,
) -> float:
    """Draw ``text`` centred on ``x`` with its first baseline at ``y``: each "\\n"-line is
    shrunk to ``max_width`` down to ``min_size``, then wrapped. Returns the next baseline."""
    for line in _t(text).split("\n"):
        s = _fit_size(line, font, size, max_width, min_size)
        c.setFont(font, s)
        for part in simpleSplit(line, font, s, max_width) or [""]:
            c.drawCentredString(x, y, part)
            y -= s * leading
    return y


def _draw_qr(c, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector paths: one rectangle per horizontal run of dark modules, all in
    one filled path (no seams between modules), on a white quiet zone."""
    matrix = _qr(url).matrix
    n = len(matrix)
    module = size / (n + 2 * QR_BORDER)
    c.saveState()
    c.setFillColor(colors.white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(colors.black)
    path = c.beginPath()
    origin_x = x + QR_BORDER * module
    top = y + size - QR_BORDER * module
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(
                    origin_x + start * module,
                    top - (r + 1) * module,
                    (col - start) * module,
                    module,
                )
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _demo_watermark(c, width: float, height: float) -> None:
    """A light diagonal watermark, drawn before the content so it stays underneath."""
    c.saveState()
    c.setFillColor(DEMO_RED, alpha=0.13)
    c.translate(width / 2, height / 2)
    c.rotate(28)
    size = _fit_size(DEMO_BANNER, FONT_BOLD, 64, min(width, height) * 1.1, 20)
    c.setFont(FONT_BOLD, size)
    c.drawCentredString(0, -size / 3, DEMO_BANNER)
    c.restoreState()


def _demo_banner(c, x: float, y: float, width: float, height: float = 16) -> None:
    """A red band with the demo notice, ``y`` being its bottom edge."""
    c.saveState()
    c.setFillColor(DEMO_RED)
    c.rect(x, y, width, height, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(FONT_BOLD, 9)
    c.drawCentredString(x + width / 2, y + height / 2 - 3.2, f"{DEMO_BANNER} · {DEMO_NOTE}")
    c.restoreState()


def _set_metadata(c, *, title: str, subject: str, keywords: str) -> None:
    c.setTitle(title)
    c.setAuthor(AUTHOR)
    c.setSubject(subject)
    c.setCreator(AUTHOR)
    c.setKeywords(keywords)


# --------------------------------------------------------------------------- certificate
def certificate_pdf(data: CertificateData) -> bytes:
    """One A4 landscape page: the OCOP product certificate, with a vector QR code that links
    to the certificate's public status page."""
    if data.stars not in (3, 4, 5):
        raise ValueError(f"OCOP certificates are issued for 3, 4 or 5 stars, not {data.stars!r}")
    if data.valid_until <= data.valid_from:
        raise ValueError("valid_until must be after valid_from")
    register_fonts()
    _qr(data.public_url)  # fail before drawing anything

    buf = io.BytesIO()
    W, H = landscape(A4)
    c = rl_canvas.Canvas(buf, pagesize=(W, H), initialFontName=FONT, lang="vi-VN")
    demo = " (MẪU THỬ)" if data.is_demo else ""
    _set_metadata(
        c,
        title=_t(f"{CERT_TITLE} – {data.product_name}{demo}"),
        subject=_t(
            f"Giấy chứng nhận số {data.certificate_number}, sản phẩm {data.product_code}, "
            f"{data.stars} sao, có giá trị đến ngày {_d(data.valid_until)}"
        ),
        keywords=_t(f"OCOP, {data.product_code}, {data.certificate_number}"),
    )

    if data.is_demo:
        _demo_watermark(c, W, H)

    # Double frame.
    c.setStrokeColor(FRAME)
    c.setLineWidth(3)
    c.rect(14, 14, W - 28, H - 28)
    c.setLineWidth(0.8)
    c.rect(21, 21, W - 42, H - 42)

    if data.is_demo:
        _demo_banner(c, 21, H - 21 - 16, W - 42)

    c.setFillColor(INK)
    # Header: issuer on the left, the national header on the right (the administrative layout).
    left_x, right_x, col_w = W * 0.25, W * 0.70, W * 0.40
    y_top = H - 62
    y = _draw_centered(c, data.issuer, left_x, y_top, FONT_BOLD, 11.5, col_w)
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(left_x - 35, y + 8, left_x + 35, y + 8)
    c.setFont(FONT, 11)
    c.drawCentredString(left_x, y - 8, _t(f"Số: {data.certificate_number}"))

    c.setFont(FONT_BOLD, 11.5)
    c.drawCentredString(right_x, y_top, NATION)
    c.setFont(FONT_BOLD, 12)
    c.drawCentredString(right_x, y_top - 16, MOTTO)
    motto_w = pdfmetrics.stringWidth(MOTTO, FONT_BOLD, 12)
    c.line(right_x - motto_w / 2, y_top - 19.5, right_x + motto_w / 2, y_top - 19.5)

    # Title and legal basis.
    c.setFillColor(RED)
    y = _draw_centered(c, CERT_TITLE, W / 2, H - 142, FONT_BOLD, 26, W - 120)
    c.setFillColor(INK)
    basis = (
        f"Căn cứ Quyết định số {_t(data.decision_number)} ngày {_d(data.decision_date)} "
        "về việc công nhận kết quả đánh giá, phân hạng sản phẩm OCOP,"
    )
    y = _draw_centered(c, basis, W / 2, y - 4, FONT, 11, W - 140, min_size=9.5)
    c.setFont(FONT_BOLD, 12)
    c.drawCentredString(W / 2, y - 6, "CHỨNG NHẬN SẢN PHẨM")

    # The product.
    c.setFillColor(RED)
    y = _draw_centered(c, data.product_name, W / 2, y - 34, FONT_BOLD, 22, W - 140, min_size=14)
    c.setFillColor(INK)
    y -= 4

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
        value = _t(value)
        s = _fit_size(value, FONT_BOLD, 12.5, value_w, 9)
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
        f"Ngày cấp {_d(data.valid_from)}. Có giá trị đến ngày {_d(data.valid_until)}",
    )

    # QR code, bottom left, with its caption and the URL in clear.
    qr_x, qr_y, qr_size = CERT_QR_BOX
    _draw_qr(c, data.public_url, qr_x, qr_y, qr_size)
    c.setFillColor(INK)
    c.setFont(FONT, 7.5)
    c.drawString(qr_x, qr_y - 10, QR_CAPTION)
    url = _t(data.public_url).strip()
    c.setFillColor(colors.HexColor("#444444"))
    c.setFont(FONT, _fit_size(url, FONT, 6.5, W * 0.42, 4.5))
    c.drawString(qr_x, qr_y - 20, url)
    c.setFillColor(INK)

    # Signer block, bottom right.
    sx = W * 0.72
    # Below the validity line even when long values pushed it down (then closer to the name).
    sy = _draw_centered(
        c, data.signer_title, sx, max(130, min(176, y - 24)), FONT_BOLD, 12, W * 0.40
    )
    c.setFont(FONT, 8)
    c.setFillColor(colors.HexColor("#777777"))
    c.drawCentredString(sx, sy - 18, "(Ký, đóng dấu)")
    c.setFillColor(INK)
    _draw_centered(c, data.signer_name, sx, 66, FONT_BOLD, 13, W * 0.40)

    c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------- conclusion
class _NumberedCanvas(rl_canvas.Canvas):
    """Defers the pages so each footer can say "Trang i/n"; on a demo document it also lays
    the watermark over each finished page (table backgrounds would hide one drawn first)."""

    demo = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            if self.demo:
                _demo_watermark(self, *self._pagesize)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(
                self._pagesize[0] - 18 * mm, 10 * mm, f"Trang {self._pageNumber}/{total}"
            )
            super().showPage()
        super().save()


class _DemoNumberedCanvas(_NumberedCanvas):
    demo = True


def _styles():
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=14, textColor=INK)
    return {
        "body": base,
        "center": ParagraphStyle("center", base, alignment=TA_CENTER),
        "center_b": ParagraphStyle("center_b", base, fontName=FONT_BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", base, fontName=FONT_BOLD, fontSize=14, leading=19, alignment=TA_CENTER
        ),
        "h": ParagraphStyle(
            "h",
            base,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10, alignment=TA_LEFT),
        "cell_c": ParagraphStyle("cell_c", base, fontSize=8, leading=10, alignment=TA_CENTER),
        "code": ParagraphStyle("code", base, fontSize=7.5, leading=10, alignment=TA_CENTER),
        "head": ParagraphStyle(
            "head", base, fontName=FONT_BOLD, fontSize=8, leading=10, alignment=TA_CENTER
        ),
    }


# A Table sets its cells' default font (Helvetica) even when every cell is a Paragraph: name
# the embedded font instead, so the PDF references no non-embedded base-14 font.
_CELL_FONT = ("FONT", (0, 0), (-1, -1), FONT, 10)


def _stars_cell(stars: int | None) -> str:
    return "—" if stars is None else f"{stars} {STAR}"


def conclusion_pdf(data: ConclusionData) -> bytes:
    """A4 portrait minutes of the council's conclusion. The ranked-products table splits
    across pages with its header row repeated; the signatures are kept together."""
    register_fonts()
    st = _styles()
    buf = io.BytesIO()
    margin = 18 * mm
    demo = " (MẪU THỬ)" if data.is_demo else ""
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=22 * mm if data.is_demo else 16 * mm,
        bottomMargin=18 * mm,
        title=_t(
            "Biên bản kết luận của Hội đồng đánh giá, phân hạng sản phẩm OCOP"
            f" – {data.round_label}{demo}"
        ),
        author=AUTHOR,
        subject=_t(f"{data.council_name}, họp ngày {_d(data.meeting_date)} tại {data.place}"),
        creator=AUTHOR,
        keywords="OCOP, biên bản, phân hạng",
        lang="vi-VN",
        initialFontName=FONT,
    )
    width = doc.width

    def on_page(c, _doc):
        c.saveState()
        if data.is_demo:
            _demo_banner(c, margin, A4[1] - 14 * mm, width)
        c.setFont(FONT, 8)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(margin, 10 * mm, _t(f"{data.council_name} – {data.round_label}")[:110])
        c.restoreState()

    story = []
    header = Table(
        [
            [
                Paragraph(_p(_t(data.council_name).upper()), st["center_b"]),
                Paragraph(f"{NATION}<br/><u>{MOTTO}</u>", st["center_b"]),
            ]
        ],
        colWidths=[width * 0.45, width * 0.55],
    )
    header.setStyle(
        TableStyle(
            [
                _CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [header, Spacer(1, 10)]
    story.append(
        Paragraph(
            f"<i>{_t(data.place) and _p(data.place) + ', '}ngày {data.meeting_date.day:02d} "
            f"tháng {data.meeting_date.month:02d} năm {data.meeting_date.year}</i>",
            ParagraphStyle("dateline", st["body"], alignment=2),
        )
    )
    story += [
        Spacer(1, 8),
        Paragraph("BIÊN BẢN", st["title"]),
        Paragraph(CONCLUSION_TITLE, ParagraphStyle("title2", st["title"], fontSize=12.5)),
        Paragraph(_p(data.round_label), st["center_b"]),
        Spacer(1, 8),
    ]

    story.append(Paragraph("I. THỜI GIAN, ĐỊA ĐIỂM", st["h"]))
    story.append(Paragraph(f"Thời gian: ngày {_d(data.meeting_date)}.", st["body"]))
    story.append(Paragraph(f"Địa điểm: {_p(data.place)}.", st["body"]))

    story.append(Paragraph("II. THÀNH PHẦN", st["h"]))
    story.append(Paragraph(f"Chủ trì: {_p(data.chair_name)} – Chủ tịch Hội đồng.", st["body"]))
    story.append(Paragraph(f"Thư ký: {_p(data.secretary_name)} – Thư ký Hội đồng.", st["body"]))
    attendance = (
        f"Số thành viên có mặt: {data.members_present}/{data.members_total} thành viên Hội đồng"
    )
    if data.quorum_required is not None:
        met = data.members_present >= data.quorum_required
        verdict = (
            "đủ điều kiện tiến hành phiên họp" if met else "không đủ số thành viên theo quy định"
        )
        attendance += f" (tối thiểu {data.quorum_required} thành viên: {verdict})"
    story.append(Paragraph(attendance + ".", st["body"]))

    story.append(Paragraph("III. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM", st["h"]))
    counts = Counter(p.stars for p in data.ranked)
    summary = [f"Tổng số sản phẩm được đánh giá: {len(data.ranked)}"]
    summary += [f"{s} sao: {counts[s]}" for s in (5, 4, 3) if counts[s]]
    unranked = sum(n for s, n in counts.items() if s is None or s < 3)
    if unranked:
        summary.append(f"không đạt: {unranked}")
    story.append(Paragraph("; ".join(summary) + ".", st["body"]))
    story.append(Spacer(1, 4))

    rows = [[Paragraph(h, st["head"]) for h in TABLE_HEADER]]
    for p in data.ranked:
        rows.append(
            [
                Paragraph(str(p.rank), st["cell_c"]),
                Paragraph(_p(p.product_name), st["cell"]),
                Paragraph(_p(p.producer_name), st["cell"]),
                Paragraph(_p(p.commune_name), st["cell"]),
                Paragraph(_p(p.product_code or "—"), st["code"]),
                Paragraph(_p(p.mean_score), st["cell_c"]),
                Paragraph(_stars_cell(p.stars), st["cell_c"]),
                Paragraph(_p(p.outcome), st["cell"]),
            ]
        )
    # STT, product, producer, commune, code, score, stars, outcome: the code column holds
    # "86-28777-001-2026" on one line at 7.5 pt.
    fractions = (0.05, 0.19, 0.16, 0.12, 0.18, 0.07, 0.07, 0.16)
    table = Table(rows, colWidths=[width * f for f in fractions], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                _CELL_FONT,
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e2d0")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f5ef")]),
            ]
        )
    )
    story.append(table)

    story.append(Paragraph("IV. Ý KIẾN, KẾT LUẬN CỦA HỘI ĐỒNG", st["h"]))
    notes = [n.strip() for n in _t(data.notes).split("\n") if n.strip()]
    for note in notes or ["Không có ý kiến khác."]:
        story.append(Paragraph(escape(note), st["body"]))

    closing = Paragraph(
        "Biên bản đã được đọc lại và thông qua tại phiên họp; các thành viên Hội đồng "
        "thống nhất với nội dung trên.",
        st["body"],
    )
    sign = Table(
        [
            [
                Paragraph("THƯ KÝ HỘI ĐỒNG", st["center_b"]),
                Paragraph("CHỦ TỊCH HỘI ĐỒNG", st["center_b"]),
            ],
            [
                Paragraph("<font size=8>(Ký, ghi rõ họ tên)</font>", st["center"]),
                Paragraph("<font size=8>(Ký, ghi rõ họ tên)</font>", st["center"]),
            ],
            [Spacer(1, 48), Spacer(1, 48)],
            [
                Paragraph(_p(data.secretary_name), st["center_b"]),
                Paragraph(_p(data.chair_name), st["center_b"]),
            ],
        ],
        colWidths=[width / 2, width / 2],
        style=[_CELL_FONT],
    )
    story.append(KeepTogether([Spacer(1, 8), closing, Spacer(1, 12), sign]))

    maker = _DemoNumberedCanvas if data.is_demo else _NumberedCanvas
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=maker)
    return buf.getvalue()
