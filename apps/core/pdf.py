"""Shared machinery of the printable PDF documents (the certificate in apps.certificates, the
council's conclusion minutes in apps.evaluation, the QR label sheets in apps.public).

Vietnamese text is drawn with DejaVu Sans, embedded as a TrueType subset (with a ToUnicode map)
so every diacritic renders and extracts back as the same characters. The font comes from
Debian's ``fonts-dejavu-core`` (installed by the Makefile). All text is NFC-normalised before
drawing (`text`, `para`): a name typed with combining marks (NFD) would otherwise be drawn as
separate glyphs and extract as a different string.

Here: the fonts (`register_fonts`), the text helpers (`text`, `para`, `vn_date`), drawing helpers
(`fit_size`, `draw_centered`), the demo watermark and banner, the document metadata, the canvases
that number their pages, the paragraph styles and the constants every document prints (author,
national header, demo notice, colours). No ORM use and no Django setting is read.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

__all__ = [
    "AUTHOR",
    "DEMO_BANNER",
    "DEMO_NOTE",
    "DEMO_RED",
    "FONT",
    "FONT_BOLD",
    "FONT_DIR",
    "FONT_FILES",
    "INK",
    "MOTTO",
    "NATION",
    "RED",
    "STAR",
    "DemoNumberedCanvas",
    "FontNotFoundError",
    "NumberedCanvas",
    "demo_banner",
    "demo_watermark",
    "draw_centered",
    "fit_size",
    "para",
    "register_fonts",
    "set_metadata",
    "styles",
    "text",
    "vn_date",
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
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

INK = colors.HexColor("#1a1a1a")
RED = colors.HexColor("#b3121b")
DEMO_RED = colors.HexColor("#d32f2f")


class FontNotFoundError(RuntimeError):
    """The DejaVu TTF files are missing: install Debian's ``fonts-dejavu-core``."""


# --------------------------------------------------------------------------- text
def text(value) -> str:
    """Text to draw: str(), NFC-normalised (None -> "")."""
    return "" if value is None else unicodedata.normalize("NFC", str(value))


def para(value) -> str:
    """Text for a Paragraph: NFC, XML-escaped, newlines kept as line breaks."""
    return escape(text(value)).replace("\n", "<br/>")


def vn_date(value: date) -> str:
    """A date as Vietnamese documents print it: dd/mm/yyyy."""
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


# --------------------------------------------------------------------------- drawing
def fit_size(value: str, font: str, size: float, max_width: float, min_size: float) -> float:
    """The font size at which ``value`` fits ``max_width``: ``size`` or smaller, not below
    ``min_size``."""
    width = pdfmetrics.stringWidth(value, font, size)
    if width <= max_width:
        return size
    return max(min_size, size * max_width / width)


def draw_centered(
    c,
    value: str,
    x: float,
    y: float,
    font: str,
    size: float,
    max_width: float,
    *,
    min_size: float = 7,
    leading: float = 1.25,
) -> float:
    """Draw ``value`` centred on ``x`` with its first baseline at ``y``: each "\\n"-line is
    shrunk to ``max_width`` down to ``min_size``, then wrapped. Returns the next baseline."""
    for line in text(value).split("\n"):
        s = fit_size(line, font, size, max_width, min_size)
        c.setFont(font, s)
        for part in simpleSplit(line, font, s, max_width) or [""]:
            c.drawCentredString(x, y, part)
            y -= s * leading
    return y


def demo_watermark(c, width: float, height: float) -> None:
    """A light diagonal watermark, drawn before the content so it stays underneath."""
    c.saveState()
    c.setFillColor(DEMO_RED, alpha=0.13)
    c.translate(width / 2, height / 2)
    c.rotate(28)
    size = fit_size(DEMO_BANNER, FONT_BOLD, 64, min(width, height) * 1.1, 20)
    c.setFont(FONT_BOLD, size)
    c.drawCentredString(0, -size / 3, DEMO_BANNER)
    c.restoreState()


def demo_banner(c, x: float, y: float, width: float, height: float = 16) -> None:
    """A red band with the demo notice, ``y`` being its bottom edge."""
    c.saveState()
    c.setFillColor(DEMO_RED)
    c.rect(x, y, width, height, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(FONT_BOLD, 9)
    c.drawCentredString(x + width / 2, y + height / 2 - 3.2, f"{DEMO_BANNER} · {DEMO_NOTE}")
    c.restoreState()


def set_metadata(c, *, title: str, subject: str, keywords: str) -> None:
    c.setTitle(title)
    c.setAuthor(AUTHOR)
    c.setSubject(subject)
    c.setCreator(AUTHOR)
    c.setKeywords(keywords)


# --------------------------------------------------------------------------- flowing documents
class NumberedCanvas(rl_canvas.Canvas):
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
                demo_watermark(self, *self._pagesize)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(
                self._pagesize[0] - 18 * mm, 10 * mm, f"Trang {self._pageNumber}/{total}"
            )
            super().showPage()
        super().save()


class DemoNumberedCanvas(NumberedCanvas):
    demo = True


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of a flowing (platypus) document, by name."""
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
