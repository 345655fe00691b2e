"""Phụ lục I: the classification of products, whose leaves are the criteria sheets."""

from __future__ import annotations

import re
from typing import Any

from .blocks import Table
from .text import ROMAN, ParseError


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
