"""Parse the HTML transcript of an OCOP criteria decision into the criteria-set data format.

Pure functions, no Django and no database: `parse_decision(html)` returns the dict documented in
`apps/criteria/data/FORMAT.md`. Every number is kept as printed. Whatever looks odd (a section
whose criteria do not add up to its printed maximum, an option that scores above its criterion,
a sheet that disagrees with every other sheet on the same option, ...) is flagged with
`review: true` and a `review_note`, never corrected.

The transcript is a Word export: outside tables the text sits in `<p>` elements, the
classification (Phụ lục I) is a 3-column table, and every criteria sheet (Phụ lục II) is a
2-column table ("Các tiêu chí" | "Thang điểm") preceded by a few header paragraphs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
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


# --- HTML → blocks ---------------------------------------------------------------------------


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces) into one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


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


# --- small helpers ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case- and accent-insensitive comparison key (for matching labels, never for storage)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return normalize_space(re.sub(r"[^\w ]", " ", stripped.lower()))


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


def number(value: Decimal) -> int | Decimal:
    """Points as a JSON-friendly number: an int when integral (all printed values are)."""
    return int(value) if value == value.to_integral_value() else value


def _vn_date(text: str) -> date | None:
    match = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
    if not match:
        return None
    day, month, year = (int(x) for x in match.groups())
    return date(year, month, day)


# --- working structures ----------------------------------------------------------------------


@dataclass
class _Item:
    """A numbered row of a sheet: a section, a group of criteria, or a criterion."""

    code: str
    title: str
    part: str
    printed: list[Decimal]
    order: int
    notes: list[str] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)
    children: list[_Item] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    variant: str = ""

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def printed_max(self) -> Decimal | None:
        return self.printed[0] if len(self.printed) == 1 else None


def _flag(target: dict[str, Any], note: str) -> None:
    target["review"] = True
    target["review_note"] = f"{target['review_note']}\n{note}" if target["review_note"] else note


# --- Phụ lục I: classification ---------------------------------------------------------------


def parse_classification(table: Table) -> list[dict[str, Any]]:
    """Phụ lục I as a tree: group (I–VI) → nhóm (1, 2, …) → phân nhóm (a, b, …).

    Leaves (a phân nhóm, or a nhóm without phân nhóm) get a `sheet` number: the sheets of
    Phụ lục II follow the leaves of Phụ lục I one for one, in the same order.
    """
    groups: list[dict[str, Any]] = []
    for index, row in enumerate(table.rows[1:], start=2):
        where = f"Phụ lục I, row {index}"
        if len(row) != 3:
            raise ParseError(f"expected 3 cells, found {len(row)}", where=where)
        stt, label, ministry = (cell.text for cell in row)
        ministries = [m.strip() for m in ministry.split(";") if m.strip()]
        if stt in ROMAN:
            parent, level, prefix = None, "group", ""
        elif stt.isdigit():
            parent, level, prefix = (groups[-1] if groups else None), "nhom", "Nhóm:"
        elif re.fullmatch(r"[a-zđ]", stt):
            parent = groups[-1]["children"][-1] if groups and groups[-1]["children"] else None
            level, prefix = "phan_nhom", "Phân nhóm:"
        else:
            raise ParseError(f"unrecognised position {stt!r}", where=where)
        if level != "group" and parent is None:
            raise ParseError(f"{level} {stt!r} has no parent", where=where)
        node = {
            "code": f"{parent['code']}.{stt}" if parent else stt,
            "level": level,
            "number": stt,
            "label": re.sub(rf"^{prefix}\s*", "", label) if prefix else label,
            "ministries": ministries,
            "sheet": None,
            "children": [],
        }
        (parent["children"] if parent else groups).append(node)
    sheet = 0
    for group in groups:
        for nhom in group["children"]:
            for leaf in nhom["children"] or [nhom]:
                sheet += 1
                leaf["sheet"] = sheet
    return groups


def classification_leaves(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every node with a `sheet`, in printed order."""
    leaves: list[dict[str, Any]] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node["sheet"] is not None:
                leaves.append(node)
            walk(node["children"])

    walk(tree)
    return leaves


# --- Phụ lục II: one criteria sheet ----------------------------------------------------------


def _strip_bullet(text: str) -> str | None:
    for bullet in BULLETS:
        if text.startswith(bullet):
            return text[len(bullet) :].strip()
    return None


def _read_rows(table: Table, *, where: str) -> dict[str, Any]:
    """First pass: rows → parts and a tree of numbered items with their options and notes."""
    parts: list[dict[str, Any]] = []
    items: dict[str, _Item] = {}
    top: list[_Item] = []
    current: _Item | None = None
    total: Decimal | None = None
    order = 0
    section_notes: dict[str, list[str]] = defaultdict(list)

    rows = table.rows
    if not rows or fold(rows[0][0].text) != fold("Các tiêu chí"):
        raise ParseError("the criteria table does not start with 'Các tiêu chí'", where=where)
    for index, row in enumerate(rows[1:], start=2):
        here = f"{where}, row {index}"
        text = row[0].text
        cell_notes: list[str] = []
        paragraphs = row[0].paragraphs
        if _strip_bullet(text) is not None and len(paragraphs) > 1:
            # "□ option" and "Ghi chú: …" printed in one cell: the note belongs to the criterion.
            split = next((i for i, p in enumerate(paragraphs) if i and NOTE_RE.match(p)), None)
            if split is not None:
                text = normalize_space(" ".join(paragraphs[:split]))
                cell_notes = [normalize_space(p) for p in paragraphs[split:]]
        points_cell = row[1] if len(row) > 1 else Cell([])
        if len(row) > 2:
            raise ParseError(f"expected at most 2 cells, found {len(row)}", where=here)

        if part_match := PART_RE.match(text):
            letter, title, title_points = part_match.groups()
            column, _ = parse_points(points_cell, where=here)
            parts.append(
                {
                    "part": letter.upper(),
                    "title": title.strip(" :"),
                    "max_points": number(Decimal(title_points)),
                    "column_points": number(column) if column is not None else None,
                    "review": False,
                    "review_note": "",
                }
            )
            current = None
            continue
        if TOTAL_RE.match(text):
            total, _ = parse_points(points_cell, where=here)
            current = None
            continue

        option_text = _strip_bullet(text)
        if option_text is not None:
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
                _flag(option, note)
            if len(stars) > 1:
                current.review.append(
                    f"phương án {option['number']} có {len(stars)} dấu sao; giữ dấu sao đầu tiên"
                )
            current.options.append(option)
            current.notes.extend(cell_notes)
            continue

        if code_match := CODE_RE.match(text):
            code, title = code_match.groups()
            if not parts:
                raise ParseError(f"criterion {code} before any part", where=here)
            _, printed = parse_points(points_cell, where=here)
            order += 1
            item = _Item(code, title, parts[-1]["part"], printed, order)
            if code in items:
                item.review.append(f"mã {code} được in nhiều lần trong phiếu")
                code = item.code = f"{code}#{order}"
            items[code] = item
            parent_code = code.rsplit(".", 1)[0] if item.level > 1 else None
            if parent_code is None:
                top.append(item)
            elif parent_code in items:
                items[parent_code].children.append(item)
            else:
                raise ParseError(f"criterion {code} has no parent {parent_code}", where=here)
            current = item
            continue

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
            section_notes[section].append(text)
        else:
            current.notes.append(text)

    return {
        "parts": parts,
        "top": top,
        "total": total,
        "section_notes": section_notes,
    }


def _generated_option(number_: int, text: str, points: Decimal) -> dict[str, Any]:
    """An option of a yes/no item, which the sheet prints with a maximum and no options."""
    return {
        "number": number_,
        "text": text,
        "points": points,
        "blank_points": False,
        "min_star": None,
        "variant": "",
        "knockout_rule": None,
        "review": False,
        "review_note": "",
    }


def _criterion(item: _Item, section: _Item, group: _Item | None) -> dict[str, Any]:
    """A scored row as data: options (or the yes/no pair), knock-out, and every oddity flagged."""
    printed_text = " ".join(str(number(v)) for v in item.printed)
    criterion: dict[str, Any] = {
        "code": item.code,
        "title": item.title,
        "part": item.part,
        "section": int(section.code),
        "group": group.code if group else None,
        "order": item.order,
        "max_points": number(item.printed_max) if item.printed_max is not None else None,
        "max_points_text": printed_text,
        "notes": item.notes,
        "knockout": False,
        "knockout_note": "",
        "applies_when": None,
        "boolean_item": False,
        "review": False,
        "review_note": "",
        "options": item.options,
    }
    for note in item.review:
        _flag(criterion, note)
    knockouts = []
    for note in (n for n in item.notes if KNOCKOUT_RE.search(n)):
        # "… nếu không có X": when the criterion prints a single 0-point "Không có …" option,
        # choosing it is the knock-out, applied by the engine; otherwise a member declares it.
        absent = [
            o for o in item.options if fold(o["text"]).startswith("khong co") and o["points"] == 0
        ]
        if IF_ABSENT_RE.search(note) and len(absent) == 1:
            absent[0]["knockout_rule"] = {"when": "chosen", "text": note}
        else:
            knockouts.append(note)
    if knockouts:
        criterion["knockout"] = True
        criterion["knockout_note"] = "\n".join(knockouts)
    if not item.options:
        if item.printed_max is None:
            raise ParseError(f"criterion {item.code} has neither options nor a maximum")
        criterion["boolean_item"] = True
        criterion["options"] = [
            _generated_option(1, "Không", Decimal(0)),
            _generated_option(2, "Có", item.printed_max),
        ]
    best = max(option["points"] for option in criterion["options"])
    if item.printed_max is None:
        criterion["max_points"] = number(best)
        _flag(
            criterion,
            f"không đọc được điểm tối đa: ô điểm in {printed_text!r}; ghi nhận "
            f"{number(best)}, suy ra từ phương án cao nhất",
        )
    elif best != item.printed_max:
        _flag(
            criterion,
            f"phương án cao nhất được {number(best)} điểm nhưng điểm tối đa in là "
            f"{number(item.printed_max)}",
        )
    for option in criterion["options"]:
        if item.printed_max is not None and option["points"] > item.printed_max:
            note = (
                f"phương án {option['number']} được {number(option['points'])} điểm, vượt "
                f"điểm tối đa in là {number(item.printed_max)}"
            )
            _flag(criterion, note)
            _flag(option, note)
    by_variant: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for option in criterion["options"]:
        by_variant[option["variant"]].append(option)
    for options in by_variant.values():
        for previous, following in zip(options, options[1:], strict=False):
            if following["points"] <= previous["points"]:
                _flag(
                    criterion,
                    f"phương án {previous['number']} và {following['number']} được "
                    f"{number(previous['points'])} và {number(following['points'])} điểm: "
                    "điểm không tăng dần theo thứ tự in",
                )
    marked = [o for o in criterion["options"] if o["min_star"]]
    stars = [o["min_star"] for o in marked]
    if len(set(stars)) != len(stars):
        _flag(criterion, "cùng một mức sao được đánh dấu ở nhiều phương án")
    if any(a["min_star"] > b["min_star"] for a, b in zip(marked, marked[1:], strict=False)):
        _flag(criterion, "mức sao cao hơn đánh dấu một phương án đứng trước mức sao thấp hơn")
    return criterion


def _applicability(criteria: list[dict[str, Any]]) -> None:
    """Turn "Chỉ áp dụng khi có <X>" notes into a structured condition on the criterion named X.

    The condition points at the criterion of the same section whose title is X; its minimum
    option is the first option whose text does not start with "Không" (i.e. "X exists").
    """
    for criterion in criteria:
        for note in list(criterion["notes"]):
            match = APPLIES_RE.match(note)
            if not match:
                continue
            wanted = fold(match.group(1))
            candidates = [
                other
                for other in criteria
                if other is not criterion
                and other["section"] == criterion["section"]
                and fold(other["title"]) == wanted
            ]
            if len(candidates) != 1:
                _flag(criterion, f"không xác định được tiêu chí mà ghi chú {note!r} nhắc tới")
                continue
            source = candidates[0]
            present = [o for o in source["options"] if not fold(o["text"]).startswith("khong")]
            if not present:
                _flag(
                    criterion,
                    f"tiêu chí {source['code']} không có phương án ứng với {match.group(1)!r}",
                )
                continue
            criterion["applies_when"] = {
                "criterion": source["code"],
                "min_option": present[0]["number"],
                "text": note,
            }
            criterion["notes"].remove(note)


def parse_sheet(
    table: Table, *, number_: int, title: str, header: list[str], index_title: str
) -> dict[str, Any]:
    """One criteria sheet of Phụ lục II: its header paragraphs and its criteria table."""
    where = f"sheet {number_}"
    raw = _read_rows(table, where=where)
    sheet: dict[str, Any] = {
        "number": number_,
        "title": title,
        "index_title": index_title,
        "header_product_label": "",
        "header_group_label": "",
        "knockout_text": "",
        "star_note": "",
        "total_points": number(raw["total"]) if raw["total"] is not None else None,
        "review": False,
        "review_note": "",
        "parts": raw["parts"],
        "sections": [],
        "criteria": [],
    }
    knockouts: list[str] = []
    for paragraph in header:
        if match := SHEET_HEADER_RE.match(paragraph):
            sheet["header_product_label"] = match.group(1).strip()
            sheet["header_group_label"] = (match.group(2) or "").strip()
        elif SHEET_KNOCKOUT_RE.match(paragraph):
            knockouts.append(paragraph)
        elif STAR_NOTE_RE.match(paragraph):
            sheet["star_note"] = paragraph
    if not knockouts:
        _flag(sheet, "phiếu không in mục 'Hồ sơ bị loại khi'")
    else:
        sheet["knockout_text"] = knockouts[0]
        if len(knockouts) > 1:
            same = len({fold(k) for k in knockouts}) == 1
            _flag(
                sheet,
                f"mục 'Hồ sơ bị loại khi' được in {len(knockouts)} lần"
                + (
                    "; nội dung giống nhau, giữ một lần"
                    if same
                    else "; nội dung khác nhau, giữ lần đầu"
                ),
            )
    if [p["part"] for p in raw["parts"]] != list(PARTS):
        raise ParseError(f"parts {[p['part'] for p in raw['parts']]} are not A, B, C", where=where)

    for section_item in raw["top"]:
        section: dict[str, Any] = {
            "number": int(section_item.code),
            "part": section_item.part,
            "title": section_item.title,
            "max_points": number(section_item.printed_max)
            if section_item.printed_max is not None
            else None,
            "notes": raw["section_notes"].get(section_item.code, []),
            "groups": [],
            "knockout_rule": None,
            "review": False,
            "review_note": "",
        }
        for note in section_item.review:
            _flag(section, note)
        section_criteria: list[dict[str, Any]] = []
        if not section_item.children:
            section_criteria.append(_criterion(section_item, section_item, None))
        for child in section_item.children:
            if child.children:
                group = {
                    "code": child.code,
                    "title": child.title,
                    "max_points": number(child.printed_max)
                    if child.printed_max is not None
                    else None,
                    "notes": child.notes,
                    "review": False,
                    "review_note": "",
                }
                group_criteria = [_criterion(leaf, section_item, child) for leaf in child.children]
                if any(leaf.children for leaf in child.children):
                    raise ParseError(f"{child.code} nests deeper than 3 levels", where=where)
                total = sum(Decimal(c["max_points"]) for c in group_criteria)
                if group["max_points"] is not None and total != group["max_points"]:
                    _flag(
                        group,
                        f"các tiêu chí cộng lại được {number(total)} nhưng điểm tối đa in là "
                        f"{group['max_points']}",
                    )
                section["groups"].append(group)
                section_criteria.extend(group_criteria)
            else:
                section_criteria.append(_criterion(child, section_item, None))
        total = sum(Decimal(c["max_points"]) for c in section_criteria)
        if section["max_points"] is None:
            if section_item.children:
                raise ParseError(f"section {section_item.code} has no legible maximum", where=where)
            # The section is itself the criterion: it takes the criterion's inferred maximum.
            section["max_points"] = section_criteria[0]["max_points"]
            _flag(section, section_criteria[0]["review_note"])
        if total != section["max_points"]:
            _flag(
                section,
                f"các tiêu chí cộng lại được {number(total)} nhưng điểm tối đa in là "
                f"{section['max_points']}",
            )
        knockout_notes = [n for n in section["notes"] if KNOCKOUT_RE.search(n)]
        # "Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá…": the engine
        # rejects on a 0-point choice in the section; nobody has anything to declare.
        zero_notes = [n for n in knockout_notes if ZERO_POINTS_RE.search(n)]
        if zero_notes:
            section["knockout_rule"] = {"when": "zero_points", "text": "\n".join(zero_notes)}
            knockout_notes = [n for n in knockout_notes if n not in zero_notes]
        for criterion in section_criteria if knockout_notes else ():
            criterion["knockout"] = True
            joined = "\n".join(knockout_notes)
            criterion["knockout_note"] = (
                f"{criterion['knockout_note']}\n{joined}" if criterion["knockout_note"] else joined
            )
        sheet["sections"].append(section)
        sheet["criteria"].extend(section_criteria)

    _applicability(sheet["criteria"])
    codes = Counter(c["code"] for c in sheet["criteria"])
    for criterion in sheet["criteria"]:
        if codes[criterion["code"]] > 1:
            _flag(
                criterion,
                f"mã {criterion['code']} được dùng cho {codes[criterion['code']]} tiêu chí",
            )

    for part in sheet["parts"]:
        criteria_total = sum(
            Decimal(c["max_points"]) for c in sheet["criteria"] if c["part"] == part["part"]
        )
        sections_total = sum(
            Decimal(s["max_points"]) for s in sheet["sections"] if s["part"] == part["part"]
        )
        printed = [Decimal(part["max_points"])]
        if part["column_points"] is not None:
            printed.append(Decimal(part["column_points"]))
        if any(value != criteria_total for value in (*printed, sections_total)):
            _flag(
                part,
                f"tiêu đề in ({part['max_points']} Điểm), cột thang điểm in "
                f"{part['column_points']}, các mục cộng lại được {number(sections_total)} và "
                f"các tiêu chí được {number(criteria_total)}",
            )
        else:
            for criterion in sheet["criteria"]:
                inferred = len(criterion["max_points_text"].split()) > 1
                if criterion["part"] == part["part"] and inferred:
                    _flag(
                        criterion,
                        f"với giá trị này Phần {part['part']} cộng đủ {part['max_points']} điểm "
                        "như văn bản in",
                    )
    grand = sum(Decimal(c["max_points"]) for c in sheet["criteria"])
    if sheet["total_points"] is None or grand != sheet["total_points"]:
        _flag(
            sheet,
            f"các tiêu chí cộng lại được {number(grand)}, "
            f"dòng tổng cộng in {sheet['total_points']}",
        )
    return sheet


def _flag_cross_sheet_outliers(sheets: list[dict[str, Any]]) -> None:
    """Flag an option whose points differ from what most sheets print for the very same option.

    Options are "the same" when criterion code, title and maximum, option number and option
    text all match (texts accent- and case-insensitively). A value held by at least three
    quarters of at least four sheets is taken as the norm; any other value is flagged (and
    kept).
    """
    seen: dict[tuple[Any, ...], list[tuple[dict[str, Any], dict[str, Any], int]]] = defaultdict(
        list
    )
    for sheet in sheets:
        for criterion in sheet["criteria"]:
            if criterion["boolean_item"]:
                continue
            for option in criterion["options"]:
                key = (
                    criterion["code"],
                    fold(criterion["title"]),
                    criterion["max_points"],
                    option["number"],
                    fold(option["text"]),
                )
                seen[key].append((criterion, option, sheet["number"]))
    for (_, _, _, option_number, _), occurrences in seen.items():
        if len(occurrences) < 4:
            continue
        counts = Counter(option["points"] for _, option, _ in occurrences)
        norm, held = counts.most_common(1)[0]
        if held * 4 < len(occurrences) * 3:
            continue
        for criterion, option, _ in occurrences:
            if option["points"] != norm:
                others = sorted(n for _, o, n in occurrences if o["points"] == norm)
                note = (
                    f"phương án {option_number} được {number(option['points'])} điểm trong khi "
                    f"{len(others)} phiếu khác cho cùng phương án này {number(norm)} điểm "
                    f"(phiếu {', '.join(map(str, others))}); có thể là lỗi in, giữ nguyên như "
                    "văn bản"
                )
                _flag(criterion, note)
                _flag(option, note)


# --- the whole decision ----------------------------------------------------------------------


def _find(blocks: list[Paragraph | Table], pattern: str, start: int = 0) -> int:
    regex = re.compile(pattern, re.IGNORECASE)
    for index in range(start, len(blocks)):
        block = blocks[index]
        if isinstance(block, Paragraph) and regex.search(block.text):
            return index
    raise ParseError(f"no paragraph matching {pattern!r}")


def _next_table(blocks: list[Paragraph | Table], start: int) -> int:
    for index in range(start, len(blocks)):
        if isinstance(blocks[index], Table):
            return index
    raise ParseError(f"no table after block {start}")


def _metadata(blocks: list[Paragraph | Table]) -> dict[str, Any]:
    """Number, dates, title and recognition regime, read from the decision's own articles."""
    head = blocks[0]
    if not isinstance(head, Table):
        raise ParseError("the decision does not start with its header table")
    cells = [cell.text for row in head.rows for cell in row]
    number_match = next(
        (m for c in cells if (m := re.search(r"Số:\s*(\d+)/(\d{4})/(QĐ-TTg)", c))), None
    )
    signed = next((d for c in cells if (d := _vn_date(c))), None)
    issuer = normalize_space(re.sub(r"-+", " ", cells[0])) if cells else ""
    if number_match is None or signed is None:
        raise ParseError("decision number or date not found in the header")
    serial, year, kind = number_match.groups()
    title_index = _find(blocks, r"^BAN HÀNH ")
    decision_title = blocks[title_index].text

    def article(number_: int) -> list[str]:
        start = _find(blocks, rf"^Điều {number_}\.")
        texts: list[str] = []
        for block in blocks[start + 1 :]:
            if not isinstance(block, Paragraph) or re.match(r"^(Điều \d+\.|Chương )", block.text):
                break
            texts.append(block.text)
        return texts

    effective = next((d for t in article(11) if (d := _vn_date(t))), None)
    recognition: dict[str, list[int]] = {}
    validity: int | None = None
    for text in article(4):
        listed = re.search(r"OCOP\s+(\d sao(?:,\s*\d sao)*)", text)
        stars = [int(s) for s in re.findall(r"\d", listed.group(1))] if listed else []
        if stars and "công nhận" in text:
            level = "province" if "cấp tỉnh" in text else "ministry" if "Bộ " in text else None
            if level is None:
                raise ParseError(f"Điều 4: cannot tell which level recognises {stars}")
            recognition[level] = stars
        if months := re.search(r"thời hạn (\d+) tháng", text):
            validity = int(months.group(1))
    if not recognition:
        raise ParseError("Điều 4: no recognition levels found")
    code = f"QD{serial}/{year}"
    return {
        "code": code,
        "slug": code.replace("/", "-"),
        "instrument_number": f"{serial}/{year}/{kind}",
        "title": f"Quyết định số {serial}/{year}/{kind} {decision_title.capitalize()}",
        "issuer": issuer,
        "signed_on": signed.isoformat(),
        "effective_from": (effective or signed).isoformat(),
        "effective_to": None,
        "status": "published",
        "regime": {
            "code": "-".join(level for level in RECOGNITION_LEVELS if level in recognition),
            "recognition": recognition,
        },
        "certificate_validity_months": validity,
        "review": False,
        "review_note": "",
    }


def parse_decision(html: str, *, source_name: str = "") -> dict[str, Any]:
    """Parse the whole decision: metadata, Phụ lục I and every sheet of Phụ lục II."""
    blocks = html_blocks(html)
    criteria_set = _metadata(blocks)
    criteria_set["source"] = {
        "file": source_name,
        "sha256": hashlib.sha256(html.encode("utf-8")).hexdigest(),
    }

    annex1 = _find(blocks, r"^PHỤ LỤC I$")
    classification = parse_classification(blocks[_next_table(blocks, annex1)])  # type: ignore[arg-type]
    leaves = classification_leaves(classification)

    annex2 = _find(blocks, r"^PHỤ LỤC II$", annex1 + 1)
    annex3 = _find(blocks, r"^PHỤ LỤC III$", annex2 + 1)
    index_at = _next_table(blocks, annex2)
    index_table = blocks[index_at]
    assert isinstance(index_table, Table)
    index_titles = {
        int(row[0].text): re.sub(r"^Bộ sản phẩm:\s*", "", row[1].text)
        for row in index_table.rows[1:]
    }

    sheets: list[dict[str, Any]] = []
    header: list[str] = []
    title: tuple[int, str] | None = None
    for block in blocks[index_at + 1 : annex3]:
        if isinstance(block, Paragraph):
            match = SHEET_TITLE_RE.match(block.text)
            if match and int(match.group(1)) == len(sheets) + 1 and title is None:
                title = (int(match.group(1)), match.group(2))
                header = []
            elif sheets and STAR_NOTE_RE.match(block.text) and title is None:
                sheets[-1]["star_note"] = block.text
            else:
                header.append(block.text)
            continue
        if title is None or not block.rows or fold(block.rows[0][0].text) != fold("Các tiêu chí"):
            continue  # the evaluator's signature box
        number_, sheet_title = title
        sheets.append(
            parse_sheet(
                block,
                number_=number_,
                title=sheet_title,
                header=header,
                index_title=index_titles.get(number_, ""),
            )
        )
        title = None
    if len(sheets) != len(index_titles) or len(sheets) != len(leaves):
        raise ParseError(
            f"{len(sheets)} sheets, {len(index_titles)} index entries, {len(leaves)} leaves"
        )
    for sheet in sheets:
        if not sheet["star_note"]:
            _flag(sheet, "phiếu không in chú thích dấu sao ('Dấu sao là yêu cầu tối thiểu…')")
    for leaf in leaves:
        sheets[leaf["sheet"] - 1]["classification"] = leaf["code"]

    _flag_cross_sheet_outliers(sheets)
    for sheet in sheets:
        for criterion in sheet["criteria"]:
            for option in criterion["options"]:
                option["points"] = number(option["points"])

    return {
        "format_version": FORMAT_VERSION,
        "criteria_set": criteria_set,
        "classification": classification,
        "sheets": sheets,
    }
