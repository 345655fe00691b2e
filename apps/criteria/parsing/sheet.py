"""Phụ lục II, one criteria sheet: its header paragraphs and its table assembled into parts,
sections, groups and criteria, with every total checked against the printed one."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from .blocks import Table
from .criteria import applicability, criterion_data
from .rows import Item, read_rows
from .text import (
    KNOCKOUT_RE,
    PARTS,
    SHEET_HEADER_RE,
    SHEET_KNOCKOUT_RE,
    STAR_NOTE_RE,
    ZERO_POINTS_RE,
    ParseError,
    flag,
    fold,
    number,
)


def parse_sheet(
    table: Table, *, number_: int, title: str, header: list[str], index_title: str
) -> dict[str, Any]:
    """One criteria sheet of Phụ lục II: its header paragraphs and its criteria table."""
    where = f"sheet {number_}"
    raw = read_rows(table, where=where)
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
    _read_header(sheet, header)
    if [p["part"] for p in raw["parts"]] != list(PARTS):
        raise ParseError(f"parts {[p['part'] for p in raw['parts']]} are not A, B, C", where=where)
    for section_item in raw["top"]:
        notes = raw["section_notes"].get(section_item.code, [])
        section, section_criteria = _section(section_item, notes, where=where)
        sheet["sections"].append(section)
        sheet["criteria"].extend(section_criteria)
    applicability(sheet["criteria"])
    _flag_duplicate_codes(sheet["criteria"])
    for part in sheet["parts"]:
        _check_part(sheet, part)
    grand = sum(Decimal(c["max_points"]) for c in sheet["criteria"])
    if sheet["total_points"] is None or grand != sheet["total_points"]:
        flag(
            sheet,
            f"các tiêu chí cộng lại được {number(grand)}, "
            f"dòng tổng cộng in {sheet['total_points']}",
        )
    return sheet


def _read_header(sheet: dict[str, Any], header: list[str]) -> None:
    """The product and group labels, the "Hồ sơ bị loại khi" text and the star note."""
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
        flag(sheet, "phiếu không in mục 'Hồ sơ bị loại khi'")
    else:
        sheet["knockout_text"] = knockouts[0]
        if len(knockouts) > 1:
            same = len({fold(k) for k in knockouts}) == 1
            flag(
                sheet,
                f"mục 'Hồ sơ bị loại khi' được in {len(knockouts)} lần"
                + (
                    "; nội dung giống nhau, giữ một lần"
                    if same
                    else "; nội dung khác nhau, giữ lần đầu"
                ),
            )


def _section(
    section_item: Item, notes: list[str], *, where: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A numbered section with its groups, and its criteria (the section itself if it has none)."""
    section: dict[str, Any] = {
        "number": int(section_item.code),
        "part": section_item.part,
        "title": section_item.title,
        "max_points": number(section_item.printed_max)
        if section_item.printed_max is not None
        else None,
        "notes": notes,
        "groups": [],
        "knockout_rule": None,
        "review": False,
        "review_note": "",
    }
    for note in section_item.review:
        flag(section, note)
    section_criteria: list[dict[str, Any]] = []
    if not section_item.children:
        section_criteria.append(criterion_data(section_item, section_item, None))
    for child in section_item.children:
        if child.children:
            group, group_criteria = _group(child, section_item, where=where)
            section["groups"].append(group)
            section_criteria.extend(group_criteria)
        else:
            section_criteria.append(criterion_data(child, section_item, None))
    total = sum(Decimal(c["max_points"]) for c in section_criteria)
    if section["max_points"] is None:
        if section_item.children:
            raise ParseError(f"section {section_item.code} has no legible maximum", where=where)
        # The section is itself the criterion: it takes the criterion's inferred maximum.
        section["max_points"] = section_criteria[0]["max_points"]
        flag(section, section_criteria[0]["review_note"])
    if total != section["max_points"]:
        flag(
            section,
            f"các tiêu chí cộng lại được {number(total)} nhưng điểm tối đa in là "
            f"{section['max_points']}",
        )
    _section_knockouts(section, section_criteria)
    return section, section_criteria


def _group(
    child: Item, section_item: Item, *, where: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A group of criteria inside a section (e.g. 6.1 with 6.1.1, 6.1.2), and its criteria."""
    group = {
        "code": child.code,
        "title": child.title,
        "max_points": number(child.printed_max) if child.printed_max is not None else None,
        "notes": child.notes,
        "review": False,
        "review_note": "",
    }
    group_criteria = [criterion_data(leaf, section_item, child) for leaf in child.children]
    if any(leaf.children for leaf in child.children):
        raise ParseError(f"{child.code} nests deeper than 3 levels", where=where)
    total = sum(Decimal(c["max_points"]) for c in group_criteria)
    if group["max_points"] is not None and total != group["max_points"]:
        flag(
            group,
            f"các tiêu chí cộng lại được {number(total)} nhưng điểm tối đa in là "
            f"{group['max_points']}",
        )
    return group, group_criteria


def _section_knockouts(section: dict[str, Any], section_criteria: list[dict[str, Any]]) -> None:
    """A section's knock-out notes: a "0 điểm" rule for the engine, or declared per criterion."""
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


def _flag_duplicate_codes(criteria: list[dict[str, Any]]) -> None:
    codes = Counter(c["code"] for c in criteria)
    for criterion in criteria:
        if codes[criterion["code"]] > 1:
            flag(
                criterion,
                f"mã {criterion['code']} được dùng cho {codes[criterion['code']]} tiêu chí",
            )


def _check_part(sheet: dict[str, Any], part: dict[str, Any]) -> None:
    """A part's printed maximum against its sections and criteria; when all agree, an inferred
    criterion maximum of that part is confirmed by the part's total."""
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
        flag(
            part,
            f"tiêu đề in ({part['max_points']} Điểm), cột thang điểm in "
            f"{part['column_points']}, các mục cộng lại được {number(sections_total)} và "
            f"các tiêu chí được {number(criteria_total)}",
        )
    else:
        for criterion in sheet["criteria"]:
            inferred = len(criterion["max_points_text"].split()) > 1
            if criterion["part"] == part["part"] and inferred:
                flag(
                    criterion,
                    f"với giá trị này Phần {part['part']} cộng đủ {part['max_points']} điểm "
                    "như văn bản in",
                )
