"""QR codes: the one place a QR symbol is made (segno), for the certificates, the product and lot
labels and the web pages.

A URL always gives the same symbol: error correction level Q (25 % recovery: survives a seal or
a fold across the code), never boosted, never a Micro QR, drawn with a 4-module quiet zone.

Public API::

    qr_code(url) -> segno.QRCode          the symbol itself
    qr_matrix(url) -> tuple[tuple[bool]]  the module grid (True = dark), without the quiet zone
    qr_svg(url) -> str                    inline <svg> for HTML pages
    qr_svg_file(url) -> bytes             standalone SVG file (XML declaration), for print shops
    qr_png(url, scale=8) -> bytes         PNG (segno writes it; no Pillow needed)
    draw_qr(canvas, url, x, y, size)      vector drawing on a reportlab canvas
"""

from __future__ import annotations

import io

import segno
from reportlab.lib import colors

from apps.core.pdf import text

__all__ = [
    "QR_BORDER",
    "QR_ERROR",
    "draw_qr",
    "qr_code",
    "qr_matrix",
    "qr_png",
    "qr_svg",
    "qr_svg_file",
]

QR_ERROR = "q"  # 25 % recovery: survives a seal or a fold across the code
QR_BORDER = 4  # quiet zone, in modules (the minimum the standard asks for)


def qr_code(url: str) -> segno.QRCode:
    """The QR symbol encoding ``url`` (NFC, stripped); an empty URL is refused."""
    url = text(url).strip()
    if not url:
        raise ValueError("QR code content (public_url) is empty")
    # boost_error=False: the level is always Q, so a URL gives the same symbol everywhere.
    return segno.make(url, error=QR_ERROR, micro=False, boost_error=False)


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR module grid for ``url`` (True = dark), without the quiet zone."""
    return tuple(tuple(bool(v) for v in row) for row in qr_code(url).matrix)


def qr_svg(url: str, *, scale: int = 4, border: int = QR_BORDER) -> str:
    """An inline ``<svg>`` element (no XML declaration) for embedding in an HTML page."""
    return qr_code(url).svg_inline(scale=scale, border=border, title=text(url).strip())


def qr_svg_file(url: str, *, scale: int = 8) -> bytes:
    """A standalone SVG file (XML declaration, SVG namespace, title) of the same symbol as
    `qr_svg`, for print shops."""
    buf = io.BytesIO()
    qr_code(url).save(buf, kind="svg", scale=scale, border=QR_BORDER, title=text(url).strip())
    return buf.getvalue()


def qr_png(url: str, scale: int = 8, *, border: int = QR_BORDER) -> bytes:
    """A black-on-white PNG; ``scale`` is pixels per module."""
    buf = io.BytesIO()
    qr_code(url).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()


def draw_qr(c, url: str, x: float, y: float, size: float) -> None:
    """The QR code on a reportlab canvas as vector paths, ``size`` points square with its
    bottom-left corner at (x, y), quiet zone included: one rectangle per horizontal run of dark
    modules, all in one filled path (no seams between modules), on a white quiet zone."""
    matrix = qr_code(url).matrix
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
