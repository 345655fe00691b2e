"""First pass over a criteria sheet's table: rows → parts and a tree of numbered items, each
with its options and notes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .blocks import Cell, Table, parse_points
from .text import (
    CODE_RE,
    NOTE_RE,
    PART_RE,
    STAR_RE,
    TOTAL_RE,
    VARIANT_RE,
    ParseError,
    flag,
    fold,
    normalize_space,
    number,
    strip_bullet,
)


@dataclass
class Item:
    """A numbered row of a sheet: a section, a group of criteria, or a criterion."""

    code: str
    title: str
    part: str
    printed: list[Decimal]
    order: int
    notes: list[str] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    variant: str = ""

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def printed_max(self) -> Decimal | None:
        return self.printed[0] if len(self.printed) == 1 else None


def read_rows(table: Table, *, where: str) -> dict[str, Any]:
    """Rows → `parts`, the `top` items (sections), the printed `total` and `section_notes`."""
    return _RowReader(where).read(table)


def _first_cell(row: list[Cell]) -> tuple[str, list[str]]:
    """The row's text, and the notes printed as their own paragraphs in an option's cell."""
    text = row[0].text
    paragraphs = row[0].paragraphs
    if strip_bullet(text) is not None and len(paragraphs) > 1:
        # "□ option" and "Ghi chú: …" printed in one cell: the note belongs to the criterion.
        split = next((i for i, p in enumerate(paragraphs) if i and NOTE_RE.match(p)), None)
        if split is not None:
            text = normalize_space(" ".join(paragraphs[:split]))
            return text, [normalize_space(p) for p in paragraphs[split:]]
    return text, []


class _RowReader:
    """Reads the rows in order; `current` is the numbered item the next rows belong to."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.parts: list[dict[str, Any]] = []
        self.items: dict[str, Item] = {}
        self.top: list[Item] = []
        self.current: Item | None = None
        self.total: Decimal | None = None
        self.order = 0
        self.section_notes: dict[str, list[str]] = defaultdict(list)

    def read(self, table: Table) -> dict[str, Any]:
        rows = table.rows
        if not rows or fold(rows[0][0].text) != fold("Các tiêu chí"):
            raise ParseError(
                "the criteria table does not start with 'Các tiêu chí'", where=self.where
            )
        for index, row in enumerate(rows[1:], start=2):
            self._row(row, here=f"{self.where}, row {index}")
        return {
            "parts": self.parts,
            "top": self.top,
            "total": self.total,
            "section_notes": self.section_notes,
        }

    def _row(self, row: list[Cell], *, here: str) -> None:
        text, cell_notes = _first_cell(row)
        points_cell = row[1] if len(row) > 1 else Cell([])
        if len(row) > 2:
            raise ParseError(f"expected at most 2 cells, found {len(row)}", where=here)
        if part_match := PART_RE.match(text):
            self._part(part_match, points_cell, here=here)
        elif TOTAL_RE.match(text):
            self.total, _ = parse_points(points_cell, where=here)
            self.current = None
        elif (option_text := strip_bullet(text)) is not None:
            self._option(text, option_text, points_cell, cell_notes, here=here)
        elif code_match := CODE_RE.match(text):
            self._numbered(code_match, points_cell, here=here)
        else:
            self._note(text, points_cell, here=here)

    def _part(self, part_match: re.Match[str], points_cell: Cell, *, here: str) -> None:
        """ "Phần A: … (40 điểm)": a new part; no item continues across it."""
        letter, title, title_points = part_match.groups()
        column, _ = parse_points(points_cell, where=here)
        self.parts.append(
            {
                "part": letter.upper(),
                "title": title.strip(" :"),
                "max_points": number(Decimal(title_points)),
                "column_points": number(column) if column is not None else None,
                "review": False,
                "review_note": "",
            }
        )
        self.current = None

    def _option(
        self, text: str, option_text: str, points_cell: Cell, cell_notes: list[str], *, here: str
    ) -> None:
        """ "□ …" (or "o …"): an option of the current item, with its points and star marker."""
        current = self.current
        if current is None:
            raise ParseError(f"option {text[:40]!r} outside any criterion", where=here)
        value, printed = parse_points(points_cell, where=here)
        if len(printed) > 1:
            raise ParseError(f"option points {points_cell.text!r} are ambiguous", where=here)
        stars = STAR_RE.findall(option_text)
        option = {
            "number": len(current.options) + 1,
            "text": normalize_space(STAR_RE.sub(" ", option_text)).rstrip(),
            "points": value if value is not None else Decimal(0),
            "blank_points": value is None,
            "min_star": stars[0].count("*") if stars else None,
            "variant": current.variant,
            "knockout_rule": None,
            "review": False,
            "review_note": "",
        }
        if stars and re.search(r"\*\s+\*", stars[0]):
            note = (
                f"phương án {option['number']}: dấu sao in có dấu cách "
                f"({stars[0].strip()!r}), đọc là {option['min_star']}★"
            )
            current.review.append(note)
            flag(option, note)
        if len(stars) > 1:
            current.review.append(
                f"phương án {option['number']} có {len(stars)} dấu sao; giữ dấu sao đầu tiên"
            )
        current.options.append(option)
        current.notes.extend(cell_notes)

    def _numbered(self, code_match: re.Match[str], points_cell: Cell, *, here: str) -> None:
        """ "1.2 …": a section, group or criterion, placed under its parent by its code."""
        code, title = code_match.groups()
        if not self.parts:
            raise ParseError(f"criterion {code} before any part", where=here)
        _, printed = parse_points(points_cell, where=here)
        self.order += 1
        item = Item(code, title, self.parts[-1]["part"], printed, self.order)
        if code in self.items:
            item.review.append(f"mã {code} được in nhiều lần trong phiếu")
            code = item.code = f"{code}#{self.order}"
        self.items[code] = item
        parent_code = code.rsplit(".", 1)[0] if item.level > 1 else None
        if parent_code is None:
            self.top.append(item)
        elif parent_code in self.items:
            self.items[parent_code].children.append(item)
        else:
            raise ParseError(f"criterion {code} has no parent {parent_code}", where=here)
        self.current = item

    def _note(self, text: str, points_cell: Cell, *, here: str) -> None:
        """Any other row: a variant heading, the rest of a title, or a note."""
        current = self.current
        if current is None:
            raise ParseError(f"unexpected row {text[:60]!r}", where=here)
        if points_cell.text:
            raise ParseError(f"a note row {text[:40]!r} carries points", where=here)
        if VARIANT_RE.match(text):
            current.variant = text
        elif text.startswith("(") and not current.options and not current.notes:
            current.title = f"{current.title} {text}"
        elif "các chỉ tiêu trên" in text.lower():
            # A note about "the criteria above" belongs to their section, not to the last one.
            section = current.code.split(".")[0]
            self.section_notes[section].append(text)
        else:
            current.notes.append(text)
