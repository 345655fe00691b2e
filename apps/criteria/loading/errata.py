"""Errata: corrections (or queries) of printed values, applied to a parsed data file before it
is loaded. The file `<set>.errata.json` sits next to its data file."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .files import read_json
from .reader import Reader


@dataclass
class _Entry:
    """One erratum as read; `reader.where` grows to name the value it concerns."""

    reader: Reader
    sheet: int
    part: Any
    criterion: Any
    option: int | None
    field: str
    status: str
    proof: str
    printed: Any
    used: Decimal


def apply_errata(data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """Apply an errata file to a parsed data file, in place; return the entries applied.

    Invariants: every entry names an existing part, criterion or option of the data; its
    `printed` value is what the data file holds (so an erratum never drifts from the text it
    corrects); a `queried` entry changes nothing (`used` equals `printed`); a `corrected` one
    replaces the value. Every entry is kept on the object it concerns (`errata`), so the pages
    can show "in bản gốc: …; áp dụng: …, vì …".
    """
    errata = read_json(path)
    root = Reader(errata, path.name)
    code = Reader(data, path.name).set_code()
    if root.str("criteria_set", blank=False) != code:
        raise root.error(f"'criteria_set' must be {code!r}, the set of its data file")
    sheets = {s.get("number"): s for s in data.get("sheets", []) if isinstance(s, dict)}
    applied = []
    seen: set[tuple[Any, ...]] = set()
    for index, raw in enumerate(root.list("entries"), start=1):
        entry = _read_entry(Reader(raw, f"{path.name}, entry {index}"))
        applied.append(_apply(entry, sheets, seen))
    return applied


def _read_entry(reader: Reader) -> _Entry:
    return _Entry(
        reader=reader,
        sheet=reader.int("sheet"),
        part=reader.data.get("part"),
        criterion=reader.data.get("criterion"),
        option=reader.int("option", null=True),
        field=reader.choice("field", ("points", "max_points")),
        status=reader.choice("status", ("corrected", "queried")),
        proof=reader.str("proof", blank=False),
        printed=reader.value("printed"),
        used=reader.points("used"),
    )


def _apply(
    entry: _Entry, sheets: dict[Any, dict[str, Any]], seen: set[tuple[Any, ...]]
) -> dict[str, Any]:
    """Check one erratum against the data, apply it, and return it as applied."""
    reader = entry.reader
    sheet = sheets.get(entry.sheet)
    if sheet is None:
        raise reader.error(f"the data file has no sheet {entry.sheet}")
    if entry.part is not None:
        target, current = _part_target(entry, sheet)
    else:
        target, current = _criterion_target(entry, sheet)
    key = (entry.sheet, entry.part, entry.criterion, entry.option, entry.field)
    if key in seen:
        raise reader.error("a second erratum for the same value")
    seen.add(key)
    printed, used = entry.printed, entry.used
    if str(printed) != str(current):
        raise reader.error(
            f"'printed' is {printed!r} but the data file holds {current!r}: "
            "the erratum no longer matches the text"
        )
    if entry.status == "queried" and str(used) != str(printed):
        raise reader.error("a queried value is kept as printed: 'used' must equal 'printed'")
    if entry.status == "corrected":
        if str(used) == str(printed):
            raise reader.error("a corrected value must differ from the printed one")
        target[entry.field] = used
    note = {
        "field": entry.field,
        "printed": _plain(printed),
        "used": _plain(used),
        "status": entry.status,
        "proof": entry.proof,
    }
    target.setdefault("errata", []).append(note)
    return {
        **note,
        "sheet": entry.sheet,
        "part": entry.part,
        "criterion": entry.criterion,
        "option": entry.option,
    }


def _part_target(entry: _Entry, sheet: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The part an erratum corrects, and the value the data file holds."""
    reader = entry.reader
    reader.where += f" (sheet {entry.sheet}, part {entry.part})"
    target = next((p for p in sheet["parts"] if p.get("part") == entry.part), None)
    if target is None or entry.criterion is not None or entry.option is not None:
        raise reader.error("a part erratum names an existing part and nothing else")
    if entry.field != "max_points":
        raise reader.error("a part erratum corrects 'max_points'")
    return target, target["max_points"]


def _criterion_target(entry: _Entry, sheet: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The criterion (its maximum) or the option (its points) an erratum corrects, and the
    value the data file holds."""
    reader = entry.reader
    criterion = next((c for c in sheet["criteria"] if c.get("code") == entry.criterion), None)
    if criterion is None:
        raise reader.error(f"sheet {entry.sheet} has no criterion {entry.criterion!r}")
    reader.where += f" (sheet {entry.sheet}, criterion {entry.criterion}"
    if entry.option is None:
        reader.where += ")"
        if entry.field != "max_points":
            raise reader.error("a criterion erratum corrects 'max_points'")
        # an illegible maximum is kept as printed in `max_points_text`
        return criterion, criterion["max_points_text"]
    reader.where += f", option {entry.option})"
    target = next((o for o in criterion["options"] if o.get("number") == entry.option), None)
    if target is None:
        raise reader.error("no such option")
    if entry.field != "points":
        raise reader.error("an option erratum corrects 'points'")
    return target, target["points"]


def _plain(value: Any) -> Any:
    """A number as JSON stores it (int when integral), anything else unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value
