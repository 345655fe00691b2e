"""QR codes of products and lots: SVG, PNG and printable A4 label sheets (PDF).

The codes encode a URL only (GS1 Digital Link `{base}/01/{gtin}[/10/{lot}]`, or the OCOP product
code path `{base}/p/{code}[/10/{lot}]` for products without a GTIN): the certificate's status is
never printed into a code, it is read when the code is scanned. The QR symbols are the same as
on the certificates: all are made by apps.core.qr (error level Q, 4-module quiet zone).
Text is drawn with DejaVu Sans (Debian fonts-dejavu-core), embedded, so Vietnamese renders.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as rl_canvas

from apps.core.pdf import (
    AUTHOR,
    DEMO_BANNER,
    DEMO_RED,
    FONT,
    FONT_BOLD,
    RED,
    register_fonts,
    text,
)
from apps.core.qr import draw_qr

__all__ = ["LabelData", "label_sheet_pdf"]

CAPTION = "Quét để kiểm tra OCOP"
CAPTION_EN = "Scan to check OCOP"

# A4 sheet of 3 × 8 labels, 64 × 34 mm, with 7 mm / 12.5 mm margins (a common label stock).
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 64 * mm, 34 * mm
MARGIN_X = (A4[0] - COLUMNS * LABEL_W) / 2
MARGIN_Y = (A4[1] - ROWS * LABEL_H) / 2


@dataclass(frozen=True)
class LabelData:
    url: str  # what the QR code encodes
    product_name: str
    producer_name: str
    identifier: str  # "GTIN 08930000000017" or "Mã OCOP 86-28777-001-2026"
    lot_number: str = ""
    is_demo: bool = False


def _lines(c, value: str, font: str, size: float, x: float, y: float, width: float, max_lines: int):
    c.setFont(font, size)
    parts = simpleSplit(text(value), font, size, width) or [""]
    if len(parts) > max_lines:
        parts = parts[:max_lines]
        parts[-1] = parts[-1].rstrip() + "…"
    for part in parts:
        c.drawString(x, y, part)
        y -= size * 1.2
    return y


def _label(c, data: LabelData, x: float, y: float) -> None:
    pad = 2 * mm
    qr_size = LABEL_H - 2 * pad
    draw_qr(c, data.url, x + pad, y + pad, qr_size)
    tx = x + pad + qr_size + 1.5 * mm
    width = x + LABEL_W - pad - tx
    ty = y + LABEL_H - pad - 7
    c.setFillColor(RED)
    c.setFont(FONT_BOLD, 7.5)
    c.drawString(tx, ty, "OCOP")
    c.setFillColor(colors.black)
    ty = _lines(c, data.product_name, FONT_BOLD, 7.5, tx, ty - 9, width, 2)
    ty = _lines(c, data.producer_name, FONT, 6, tx, ty - 1, width, 2)
    ty = _lines(c, data.identifier, FONT, 5.5, tx, ty - 1, width, 1)
    if data.lot_number:
        ty = _lines(c, f"Lô / Lot: {data.lot_number}", FONT_BOLD, 6, tx, ty, width, 1)
    c.setFillColor(colors.HexColor("#444444"))
    _lines(c, CAPTION, FONT, 5, tx, y + pad + 6.5, width, 1)
    _lines(c, CAPTION_EN, FONT, 5, tx, y + pad + 1, width, 1)
    if data.is_demo:
        c.setFillColor(DEMO_RED)
        c.setFont(FONT_BOLD, 5)
        c.drawRightString(x + LABEL_W - pad, y + LABEL_H - pad - 6, "DEMO")
    c.setFillColor(colors.black)


def label_sheet_pdf(data: LabelData, *, count: int = COLUMNS * ROWS) -> bytes:
    """`count` identical labels (1–240), 24 to an A4 page, with light cut marks."""
    if not data.url:
        raise ValueError("label URL is empty")
    count = max(1, min(int(count), 240))
    register_fonts()
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=A4, initialFontName=FONT, lang="vi-VN")
    c.setAuthor(AUTHOR)
    c.setTitle(text(f"Nhãn QR — {data.product_name}"))
    c.setSubject(text(data.url))
    per_page = COLUMNS * ROWS
    for index in range(count):
        if index and index % per_page == 0:
            c.showPage()
        slot = index % per_page
        if slot == 0 and data.is_demo:
            c.setFillColor(DEMO_RED)
            c.setFont(FONT_BOLD, 8)
            c.drawCentredString(A4[0] / 2, A4[1] - MARGIN_Y / 2, DEMO_BANNER)
            c.setFillColor(colors.black)
        col, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN_X + col * LABEL_W
        y = A4[1] - MARGIN_Y - (row + 1) * LABEL_H
        c.setStrokeColor(colors.HexColor("#cccccc"))
        c.setLineWidth(0.3)
        c.rect(x, y, LABEL_W, LABEL_H, stroke=1, fill=0)
        _label(c, data, x, y)
    c.showPage()
    c.save()
    return buf.getvalue()
