"""The printable minutes of the council's conclusion (biên bản kết luận của Hội đồng đánh giá,
phân hạng sản phẩm OCOP): A4 portrait, the ranked products in a table that splits across pages
with its header row repeated, "Trang i/n" footers, the signatures kept together.

Plain values in (`ConclusionData`), bytes out: no ORM use and no Django setting is read
(`selectors.conclusion_pdf` gathers the council's facts). The shared PDF machinery (fonts, NFC
text, demo banner, numbered pages, styles) is in apps.core.pdf.

Public API::

    conclusion_pdf(ConclusionData) -> bytes       A4 portrait minutes, multi-page table
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apps.core.pdf import (
    AUTHOR,
    FONT,
    MOTTO,
    NATION,
    STAR,
    DemoNumberedCanvas,
    NumberedCanvas,
    demo_banner,
    para,
    register_fonts,
    styles,
    text,
    vn_date,
)

__all__ = [
    "CONCLUSION_TITLE",
    "TABLE_HEADER",
    "ConclusionData",
    "RankedProduct",
    "conclusion_pdf",
]

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
# STT, product, producer, commune, code, score, stars, outcome: the code column holds
# "86-28777-001-2026" on one line at 7.5 pt.
COLUMN_FRACTIONS = (0.05, 0.19, 0.16, 0.12, 0.18, 0.07, 0.07, 0.16)

# A Table sets its cells' default font (Helvetica) even when every cell is a Paragraph: name
# the embedded font instead, so the PDF references no non-embedded base-14 font.
_CELL_FONT = ("FONT", (0, 0), (-1, -1), FONT, 10)


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


def _stars_cell(stars: int | None) -> str:
    return "—" if stars is None else f"{stars} {STAR}"


def conclusion_pdf(data: ConclusionData) -> bytes:
    """A4 portrait minutes of the council's conclusion. The ranked-products table splits
    across pages with its header row repeated; the signatures are kept together."""
    register_fonts()
    st = styles()
    buf = io.BytesIO()
    margin = 18 * mm
    doc = _document(buf, data, margin)
    width = doc.width

    def on_page(c, _doc):
        c.saveState()
        if data.is_demo:
            demo_banner(c, margin, A4[1] - 14 * mm, width)
        c.setFont(FONT, 8)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(margin, 10 * mm, text(f"{data.council_name} – {data.round_label}")[:110])
        c.restoreState()

    story = [
        *_heading(data, st, width),
        *_meeting(data, st),
        *_results(data, st, width),
        *_closing(data, st, width),
    ]
    maker = DemoNumberedCanvas if data.is_demo else NumberedCanvas
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=maker)
    return buf.getvalue()


def _document(buf, data: ConclusionData, margin: float) -> SimpleDocTemplate:
    demo = " (MẪU THỬ)" if data.is_demo else ""
    return SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=22 * mm if data.is_demo else 16 * mm,
        bottomMargin=18 * mm,
        title=text(
            "Biên bản kết luận của Hội đồng đánh giá, phân hạng sản phẩm OCOP"
            f" – {data.round_label}{demo}"
        ),
        author=AUTHOR,
        subject=text(
            f"{data.council_name}, họp ngày {vn_date(data.meeting_date)} tại {data.place}"
        ),
        creator=AUTHOR,
        keywords="OCOP, biên bản, phân hạng",
        lang="vi-VN",
        initialFontName=FONT,
    )


def _heading(data: ConclusionData, st, width: float) -> list:
    """The council beside the national header, the place and date line, the title."""
    header = Table(
        [
            [
                Paragraph(para(text(data.council_name).upper()), st["center_b"]),
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
    day = data.meeting_date
    dateline = Paragraph(
        f"<i>{text(data.place) and para(data.place) + ', '}ngày {day.day:02d} "
        f"tháng {day.month:02d} năm {day.year}</i>",
        ParagraphStyle("dateline", st["body"], alignment=2),
    )
    return [
        header,
        Spacer(1, 10),
        dateline,
        Spacer(1, 8),
        Paragraph("BIÊN BẢN", st["title"]),
        Paragraph(CONCLUSION_TITLE, ParagraphStyle("title2", st["title"], fontSize=12.5)),
        Paragraph(para(data.round_label), st["center_b"]),
        Spacer(1, 8),
    ]


def _meeting(data: ConclusionData, st) -> list:
    """Sections I (time, place) and II (who attended, and whether that is a quorum)."""
    attendance = (
        f"Số thành viên có mặt: {data.members_present}/{data.members_total} thành viên Hội đồng"
    )
    if data.quorum_required is not None:
        met = data.members_present >= data.quorum_required
        verdict = (
            "đủ điều kiện tiến hành phiên họp" if met else "không đủ số thành viên theo quy định"
        )
        attendance += f" (tối thiểu {data.quorum_required} thành viên: {verdict})"
    return [
        Paragraph("I. THỜI GIAN, ĐỊA ĐIỂM", st["h"]),
        Paragraph(f"Thời gian: ngày {vn_date(data.meeting_date)}.", st["body"]),
        Paragraph(f"Địa điểm: {para(data.place)}.", st["body"]),
        Paragraph("II. THÀNH PHẦN", st["h"]),
        Paragraph(f"Chủ trì: {para(data.chair_name)} – Chủ tịch Hội đồng.", st["body"]),
        Paragraph(f"Thư ký: {para(data.secretary_name)} – Thư ký Hội đồng.", st["body"]),
        Paragraph(attendance + ".", st["body"]),
    ]


def _results(data: ConclusionData, st, width: float) -> list:
    """Section III: the counts by star rating, then the ranked-products table."""
    counts = Counter(p.stars for p in data.ranked)
    summary = [f"Tổng số sản phẩm được đánh giá: {len(data.ranked)}"]
    summary += [f"{s} sao: {counts[s]}" for s in (5, 4, 3) if counts[s]]
    unranked = sum(n for s, n in counts.items() if s is None or s < 3)
    if unranked:
        summary.append(f"không đạt: {unranked}")

    rows = [[Paragraph(h, st["head"]) for h in TABLE_HEADER]]
    for p in data.ranked:
        rows.append(
            [
                Paragraph(str(p.rank), st["cell_c"]),
                Paragraph(para(p.product_name), st["cell"]),
                Paragraph(para(p.producer_name), st["cell"]),
                Paragraph(para(p.commune_name), st["cell"]),
                Paragraph(para(p.product_code or "—"), st["code"]),
                Paragraph(para(p.mean_score), st["cell_c"]),
                Paragraph(_stars_cell(p.stars), st["cell_c"]),
                Paragraph(para(p.outcome), st["cell"]),
            ]
        )
    table = Table(rows, colWidths=[width * f for f in COLUMN_FRACTIONS], repeatRows=1)
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
    return [
        Paragraph("III. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM", st["h"]),
        Paragraph("; ".join(summary) + ".", st["body"]),
        Spacer(1, 4),
        table,
    ]


def _closing(data: ConclusionData, st, width: float) -> list:
    """Section IV (the council's notes, one paragraph per line) and the signatures."""
    out = [Paragraph("IV. Ý KIẾN, KẾT LUẬN CỦA HỘI ĐỒNG", st["h"])]
    notes = [n.strip() for n in text(data.notes).split("\n") if n.strip()]
    for note in notes or ["Không có ý kiến khác."]:
        out.append(Paragraph(escape(note), st["body"]))

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
                Paragraph(para(data.secretary_name), st["center_b"]),
                Paragraph(para(data.chair_name), st["center_b"]),
            ],
        ],
        colWidths=[width / 2, width / 2],
        style=[_CELL_FONT],
    )
    out.append(KeepTogether([Spacer(1, 8), closing, Spacer(1, 12), sign]))
    return out
