"""HTML → blocks: the Word export read as top-level paragraphs and tables, in document order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from .text import ParseError, normalize_space


@dataclass
class Cell:
    """A table cell. Its paragraphs stay apart, so a cell printing "4" and "1" gives two values."""

    paragraphs: list[str]

    @property
    def text(self) -> str:
        return normalize_space(" ".join(self.paragraphs))


@dataclass
class Table:
    rows: list[list[Cell]]


@dataclass
class Paragraph:
    text: str


class _BlockParser(HTMLParser):
    """Turn the transcript into a flat list of top-level paragraphs and tables, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Paragraph | Table] = []
        self._text: list[str] = []
        self._tables: list[dict[str, Any]] = []

    def _cell(self) -> dict[str, Any] | None:
        return self._tables[-1]["cell"] if self._tables else None

    def _break(self) -> None:
        cell = self._cell()
        if cell is not None:
            cell["paras"].append("".join(cell["buf"]))
            cell["buf"] = []
        elif not self._tables:
            text = normalize_space("".join(self._text))
            if text:
                self.blocks.append(Paragraph(text))
            self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._break()
            self._tables.append({"rows": [], "cell": None})
        elif tag == "tr" and self._tables:
            self._tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self._tables:
            self._tables[-1]["cell"] = {"paras": [], "buf": []}
        elif tag in ("p", "div"):
            self._break()
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell() is not None:
            self._break()
            cell = self._tables[-1]["cell"]
            paragraphs = [p for p in (normalize_space(x) for x in cell["paras"]) if p]
            if not self._tables[-1]["rows"]:
                self._tables[-1]["rows"].append([])
            self._tables[-1]["rows"][-1].append(Cell(paragraphs))
            self._tables[-1]["cell"] = None
        elif tag == "table" and self._tables:
            table = self._tables.pop()
            if self._tables:
                raise ParseError("nested tables are not supported")
            self.blocks.append(Table([row for row in table["rows"] if row]))
        elif tag in ("p", "div"):
            self._break()

    def handle_data(self, data: str) -> None:
        cell = self._cell()
        if cell is not None:
            cell["buf"].append(data)
        elif not self._tables:
            self._text.append(data)


def html_blocks(html: str) -> list[Paragraph | Table]:
    """Split the transcript into top-level paragraphs and tables, in document order."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser._break()
    return parser.blocks


def parse_points(cell: Cell, *, where: str) -> tuple[Decimal | None, list[Decimal]]:
    """Read a "Thang điểm" cell: (the single value or None, every number printed in it)."""
    values: list[Decimal] = []
    for paragraph in cell.paragraphs:
        for token in paragraph.split():
            try:
                values.append(Decimal(token.replace(",", ".")))
            except InvalidOperation as exc:
                raise ParseError(f"points cell {cell.text!r} is not a number", where=where) from exc
    return (values[0] if len(values) == 1 else None), values
