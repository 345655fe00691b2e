"""The whole decision: its metadata, Phụ lục I and every sheet of Phụ lục II, then the checks
that compare sheets with one another."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from typing import Any

from .blocks import Paragraph, Table, html_blocks
from .classification import classification_leaves, parse_classification
from .sheet import parse_sheet
from .text import (
    FORMAT_VERSION,
    RECOGNITION_LEVELS,
    SHEET_TITLE_RE,
    STAR_NOTE_RE,
    ParseError,
    flag,
    fold,
    normalize_space,
    number,
    vn_date,
)


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

    sheets = _sheets(blocks[index_at + 1 : annex3], index_titles)
    if len(sheets) != len(index_titles) or len(sheets) != len(leaves):
        raise ParseError(
            f"{len(sheets)} sheets, {len(index_titles)} index entries, {len(leaves)} leaves"
        )
    for sheet in sheets:
        if not sheet["star_note"]:
            flag(sheet, "phiếu không in chú thích dấu sao ('Dấu sao là yêu cầu tối thiểu…')")
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


def _sheets(blocks: list[Paragraph | Table], index_titles: dict[int, str]) -> list[dict[str, Any]]:
    """Every sheet of Phụ lục II: a numbered title, header paragraphs, then the criteria table."""
    sheets: list[dict[str, Any]] = []
    header: list[str] = []
    title: tuple[int, str] | None = None
    for block in blocks:
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
    return sheets


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
                flag(criterion, note)
                flag(option, note)


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
    signed = next((d for c in cells if (d := vn_date(c))), None)
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

    effective = next((d for t in article(11) if (d := vn_date(t))), None)
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
