"""What the printed decision looks like (its patterns) and the small helpers that read it."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

FORMAT_VERSION = 1

PARTS = ("A", "B", "C")
# Levels that may recognise stars, from the lowest; a regime's code lists its levels in this order.
RECOGNITION_LEVELS = ("commune", "district", "province", "ministry")
BULLETS = ("□", "o ")
KNOCKOUT_RE = re.compile(r"bị loại|không đánh giá|không xem xét", re.IGNORECASE)
STAR_RE = re.compile(r"\(?(?<!\*)\*(?:\s*\*){2,4}(?!\s*\*)\)?")
CODE_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(\S.*)$")
PART_RE = re.compile(r"^phần\s+([ABC])\b\s*:?\s*(.*?)\s*\((\d+)\s*điểm\)\s*$", re.IGNORECASE)
SHEET_TITLE_RE = re.compile(r"^(\d{1,2})\.\s*(?:Bộ sản phẩm:\s*)?(\S.*)$")
SHEET_HEADER_RE = re.compile(r"^\(Sản phẩm:\s*(.*?)(?:[.,]\s*Nhóm:\s*(.*?))?\)$")
SHEET_KNOCKOUT_RE = re.compile(r"^(?:Hồ sơ )?bị loại khi\s*:", re.IGNORECASE)
STAR_NOTE_RE = re.compile(r"^Ghi chú:\s*Dấu\s+sao", re.IGNORECASE)
APPLIES_RE = re.compile(r"^Chỉ áp dụng khi có (.+?)\.?$", re.IGNORECASE)
VARIANT_RE = re.compile(r"^[a-zđ]\.\s+Trường hợp\s+\d+\s*:", re.IGNORECASE)
TOTAL_RE = re.compile(r"^TỔNG CỘNG$", re.IGNORECASE)
# A note printed as its own paragraph inside an option's cell ("□ … *****" then "Ghi chú: …").
NOTE_RE = re.compile(r"^(?:Ghi chú|Chú ý|Lưu ý|Yêu cầu)\s*:", re.IGNORECASE)
# Knock-outs the text ties to the points or to an option, which the engine applies by itself:
# "Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá…" (a section note) and
# "Không đánh giá các bước tiếp theo nếu không có <X>" (a criterion note whose "Không có …"
# option scores 0).
ZERO_POINTS_RE = re.compile(r"\b0 điểm\b", re.IGNORECASE)
IF_ABSENT_RE = re.compile(r"\bnếu không có\b", re.IGNORECASE)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class ParseError(ValueError):
    """The transcript does not have the structure the parser expects; `where` says where."""

    def __init__(self, message: str, *, where: str = ""):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces) into one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def fold(text: str) -> str:
    """Case- and accent-insensitive comparison key (for matching labels, never for storage)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return normalize_space(re.sub(r"[^\w ]", " ", stripped.lower()))


def number(value: Decimal) -> int | Decimal:
    """Points as a JSON-friendly number: an int when integral (all printed values are)."""
    return int(value) if value == value.to_integral_value() else value


def vn_date(text: str) -> date | None:
    """The first "ngày D tháng M năm YYYY" of a text."""
    match = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
    if not match:
        return None
    day, month, year = (int(x) for x in match.groups())
    return date(year, month, day)


def strip_bullet(text: str) -> str | None:
    """An option's text without its bullet; None if the text is not an option."""
    for bullet in BULLETS:
        if text.startswith(bullet):
            return text[len(bullet) :].strip()
    return None


def flag(target: dict[str, Any], note: str) -> None:
    """Mark an item for review, adding a line to its `review_note`."""
    target["review"] = True
    target["review_note"] = f"{target['review_note']}\n{note}" if target["review_note"] else note
