"""Load criteria-set data files (`apps/criteria/data/*.json`, see `data/FORMAT.md`).

Rows are matched on their natural keys and written only where they differ, so loading twice
changes nothing. A published set that would change, and any row that would disappear, stop
the load unless `replace=True`. Everything runs in one transaction: a malformed file raises
`CriteriaDataError` naming the file and the position (sheet, criterion, option), and the
database is left as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from .choices import (
    RECOGNITION_LEVELS,
    STAR_MARKERS,
    ClassificationLevel,
    KnockoutWhen,
    Part,
    SetStatus,
)
from .models import (
    ClassificationNode,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    Option,
    Section,
    Sheet,
    SheetPart,
)

FORMAT_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"


class CriteriaDataError(Exception):
    """A data file is malformed or would change protected data. The message says where."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    sets: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def summary(self) -> str:
        def fmt(counter: Counter) -> str:
            return ", ".join(f"{n} {name}" for name, n in sorted(counter.items())) or "0"

        return (
            f"sets: {', '.join(self.sets) or '-'}; created: {fmt(self.created)}; "
            f"updated: {fmt(self.updated)}; deleted: {fmt(self.deleted)}"
        )


ERRATA_SUFFIX = ".errata.json"


def criteria_files(directory: Path = DATA_DIR) -> list[Path]:
    """The data files of a directory, in name order (errata files are read with their set)."""
    return sorted(p for p in directory.glob("*.json") if not p.name.endswith(ERRATA_SUFFIX))


def errata_file(path: Path) -> Path:
    """Where the errata of a data file live: `qd26-2026.json` → `qd26-2026.errata.json`."""
    return path.with_name(path.name.removesuffix(".json") + ERRATA_SUFFIX)


def load_all(*, replace: bool = False) -> LoadReport:
    """Load every file of `apps/criteria/data/` (what `load_criteria` does without arguments)."""
    return criteria_load(paths=criteria_files(), replace=replace)


@transaction.atomic
def criteria_load(*, paths: Sequence[Path], replace: bool = False) -> LoadReport:
    """Load data files into the database, all or nothing.

    Invariants: a load either applies every file or leaves the database unchanged; a published
    set is only modified, and a row only deleted, when `replace` is true; reloading an
    unchanged file writes nothing.
    """
    report = LoadReport()
    codes: dict[str, Path] = {}
    for path in paths:
        if path.name.endswith(ERRATA_SUFFIX):
            raise CriteriaDataError(
                f"{path.name}: an errata file is applied with its data file, not loaded alone"
            )
        data = _read(path)
        if errata_file(path).exists():
            apply_errata(data, errata_file(path))
        code = _Reader(data, str(path.name)).set_code()
        if code in codes:
            raise CriteriaDataError(
                f"{path.name}: set {code} is also defined in {codes[code].name}"
            )
        codes[code] = path
        _SetLoader(data, name=path.name, replace=replace, report=report).load()
    return report


def apply_errata(data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """Apply an errata file to a parsed data file, in place; return the entries applied.

    Invariants: every entry names an existing part, criterion or option of the data; its
    `printed` value is what the data file holds (so an erratum never drifts from the text it
    corrects); a `queried` entry changes nothing (`used` equals `printed`); a `corrected` one
    replaces the value. Every entry is kept on the object it concerns (`errata`), so the pages
    can show "in bản gốc: …; áp dụng: …, vì …".
    """
    errata = _read_json(path)
    root = _Reader(errata, path.name)
    code = _Reader(data, path.name).set_code()
    if root.str("criteria_set", blank=False) != code:
        raise root.error(f"'criteria_set' must be {code!r}, the set of its data file")
    sheets = {s.get("number"): s for s in data.get("sheets", []) if isinstance(s, dict)}
    applied = []
    seen: set[tuple[Any, ...]] = set()
    for index, raw in enumerate(root.list("entries"), start=1):
        entry = _Reader(raw, f"{path.name}, entry {index}")
        number = entry.int("sheet")
        part_letter = entry.data.get("part")
        criterion_code = entry.data.get("criterion")
        option_number = entry.int("option", null=True)
        field_name = entry.choice("field", ("points", "max_points"))
        status = entry.choice("status", ("corrected", "queried"))
        proof = entry.str("proof", blank=False)
        printed, used = entry._value("printed"), entry.points("used")
        sheet = sheets.get(number)
        if sheet is None:
            raise entry.error(f"the data file has no sheet {number}")
        if part_letter is not None:
            entry.where += f" (sheet {number}, part {part_letter})"
            target = next((p for p in sheet["parts"] if p.get("part") == part_letter), None)
            if target is None or criterion_code is not None or option_number is not None:
                raise entry.error("a part erratum names an existing part and nothing else")
            if field_name != "max_points":
                raise entry.error("a part erratum corrects 'max_points'")
            current = target["max_points"]
        else:
            criterion = next(
                (c for c in sheet["criteria"] if c.get("code") == criterion_code), None
            )
            if criterion is None:
                raise entry.error(f"sheet {number} has no criterion {criterion_code!r}")
            entry.where += f" (sheet {number}, criterion {criterion_code}"
            if option_number is None:
                entry.where += ")"
                target = criterion
                if field_name != "max_points":
                    raise entry.error("a criterion erratum corrects 'max_points'")
                # an illegible maximum is kept as printed in `max_points_text`
                current = criterion["max_points_text"]
            else:
                entry.where += f", option {option_number})"
                target = next(
                    (o for o in criterion["options"] if o.get("number") == option_number), None
                )
                if target is None:
                    raise entry.error("no such option")
                if field_name != "points":
                    raise entry.error("an option erratum corrects 'points'")
                current = target["points"]
        key = (number, part_letter, criterion_code, option_number, field_name)
        if key in seen:
            raise entry.error("a second erratum for the same value")
        seen.add(key)
        if str(printed) != str(current):
            raise entry.error(
                f"'printed' is {printed!r} but the data file holds {current!r}: "
                "the erratum no longer matches the text"
            )
        if status == "queried" and str(used) != str(printed):
            raise entry.error("a queried value is kept as printed: 'used' must equal 'printed'")
        if status == "corrected":
            if str(used) == str(printed):
                raise entry.error("a corrected value must differ from the printed one")
            target[field_name] = used
        note = {
            "field": field_name,
            "printed": _plain(printed),
            "used": _plain(used),
            "status": status,
            "proof": proof,
        }
        target.setdefault("errata", []).append(note)
        applied.append(
            {
                **note,
                "sheet": number,
                "part": part_letter,
                "criterion": criterion_code,
                "option": option_number,
            }
        )
    return applied


def _plain(value: Any) -> Any:
    """A number as JSON stores it (int when integral), anything else unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CriteriaDataError(f"{path.name}: {exc}") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CriteriaDataError(
            f"{path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise CriteriaDataError(f"{path.name}: the top level must be an object")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise CriteriaDataError(
            f"{path.name}: format_version {version!r} is not supported (expected {FORMAT_VERSION})"
        )
    return data


def _read(path: Path) -> dict[str, Any]:
    return _read_json(path)


# --- reading and checking values -------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, with errors that name the file and the position."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise CriteriaDataError(f"{where}: expected an object")
        self.data = data
        self.where = where

    def error(self, message: str) -> CriteriaDataError:
        return CriteriaDataError(f"{self.where}: {message}")

    def _value(self, key: str) -> Any:
        if key not in self.data:
            raise self.error(f"'{key}' is missing")
        return self.data[key]

    def str(self, key: str, *, blank: bool = True) -> str:
        value = self._value(key)
        if not isinstance(value, str) or (not blank and not value.strip()):
            raise self.error(f"'{key}' must be a{'' if blank else ' non-empty'} string")
        return value

    def int(self, key: str, *, null: bool = False) -> int | None:
        value = self._value(key)
        if value is None and null:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"'{key}' must be an integer, not {value!r}")
        return value

    def bool(self, key: str) -> bool:
        value = self._value(key)
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false")
        return value

    def points(self, key: str, *, null: bool = False) -> Decimal | None:
        value = self._value(key)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise self.error(f"'{key}' must be a number, not {value!r}")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            raise self.error(f"'{key}' must be a number >= 0, not {value!r}")
        return number

    def date(self, key: str, *, null: bool = False) -> date | None:
        value = self._value(key)
        if value is None and null:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.error(f"'{key}' must be an ISO date (YYYY-MM-DD), not {value!r}") from None

    def choice(self, key: str, choices: Iterable[Any]) -> Any:
        value = self._value(key)
        allowed = list(choices)
        if value not in allowed:
            raise self.error(f"'{key}' must be one of {allowed}, not {value!r}")
        return value

    def list(self, key: str) -> list[Any]:
        value = self._value(key)
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list")
        return value

    def strings(self, key: str) -> list[str]:
        values = self.list(key)
        if not all(isinstance(v, str) for v in values):
            raise self.error(f"'{key}' must be a list of strings")
        return values

    def object(self, key: str, *, null: bool = False) -> dict[str, Any] | None:
        value = self._value(key)
        if value is None and null:
            return None
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be an object")
        return value

    def review(self) -> dict[str, Any]:
        return {"review": self.bool("review"), "review_note": self.str("review_note")}

    def errata(self) -> list[dict[str, Any]]:
        """Errata put here by `apply_errata` (never written in a parsed data file)."""
        return self.data.get("errata", [])

    def knockout_rule(
        self, whens: tuple[str, ...], when_field: str | None, text_field: str
    ) -> dict[str, str]:
        """An optional `knockout_rule` ({"when", "text"} or null) as model field values."""
        rule = self.data.get("knockout_rule")
        if rule is None:
            return {**({when_field: ""} if when_field else {}), text_field: ""}
        reader = _Reader(rule, f"{self.where}, knockout_rule")
        when = reader.choice("when", whens)
        text = reader.str("text", blank=False)
        return {**({when_field: when} if when_field else {}), text_field: text}

    def set_code(self) -> str:
        return _Reader(self.object("criteria_set"), f"{self.where}, criteria_set").str(
            "code", blank=False
        )


# --- writing ---------------------------------------------------------------------------------


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field_ = obj._meta.get_field(name)
    if field_.is_relation:
        return getattr(obj, field_.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


class _SetLoader:
    def __init__(self, data: dict[str, Any], *, name: str, replace: bool, report: LoadReport):
        self.data = data
        self.name = name
        self.replace = replace
        self.report = report
        self.locked = False  # a published set that may not change
        self.stale: list[tuple[str, models.QuerySet]] = []
        # One outcome per row, the strongest wins: a row created and then given its
        # applicability in a second pass is reported once, as created.
        self.outcomes: dict[tuple[str, int], str] = {}

    # -- generic helpers

    def _save(self, obj: models.Model, where: str, update_fields: list[str] | None = None) -> None:
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
            obj.save(update_fields=update_fields)
        except ValidationError as exc:
            raise CriteriaDataError(f"{where}: {exc.message_dict}") from exc
        except IntegrityError as exc:
            raise CriteriaDataError(f"{where}: rejected by the database ({exc})") from exc

    def _record(self, obj: models.Model, outcome: str) -> None:
        key = (obj._meta.model_name, obj.pk)
        ranks = ("unchanged", "updated", "created")
        previous = self.outcomes.get(key)
        if previous is None or ranks.index(outcome) > ranks.index(previous):
            self.outcomes[key] = outcome

    def _write(
        self,
        model: type[models.Model],
        existing: models.Model | None,
        keys: dict[str, Any],
        values: dict[str, Any],
        where: str,
    ) -> models.Model:
        if existing is None:
            if self.locked:
                raise CriteriaDataError(
                    f"{where}: the published set would gain this row; "
                    "load with --replace to change a published set"
                )
            obj = model(**keys, **values)
            self._save(obj, where)
            self._record(obj, "created")
            return obj
        changed = [name for name, value in values.items() if not _same(existing, name, value)]
        if not changed:
            self._record(existing, "unchanged")
            return existing
        if self.locked:
            raise CriteriaDataError(
                f"{where}: the published set would change ({', '.join(changed)}); "
                "load with --replace to change a published set"
            )
        for name in changed:
            setattr(existing, name, values[name])
        self._save(existing, where, update_fields=changed)
        self._record(existing, "updated")
        return existing

    def _forget(self, label: str, rows: list[models.Model], where: str) -> None:
        """Rows in the database that the file no longer has: deleted only with --replace."""
        if not rows:
            return
        if not self.replace:
            sample = "; ".join(str(obj) for obj in rows[:3])
            raise CriteriaDataError(
                f"{where}: {len(rows)} {label} in the database are not in the file "
                f"({sample}); load with --replace to delete them"
            )
        model = type(rows[0])
        self.stale.append((label, model.objects.filter(pk__in=[row.pk for row in rows])))

    # -- the set

    def load(self) -> None:
        root = _Reader(self.data, self.name)
        meta = _Reader(root.object("criteria_set"), f"{self.name}, criteria_set")
        regime = _Reader(meta.object("regime"), f"{self.name}, criteria_set.regime")
        code = meta.str("code", blank=False)
        existing = CriteriaSet.objects.filter(code=code).first()
        self.locked = (
            existing is not None and existing.status == SetStatus.PUBLISHED and not self.replace
        )
        recognition = regime.object("recognition")
        for level, stars in recognition.items():
            if level not in RECOGNITION_LEVELS:
                raise regime.error(
                    f"recognition level {level!r} is not one of {RECOGNITION_LEVELS}"
                )
            if not isinstance(stars, list) or not all(s in (1, 2, 3, 4, 5) for s in stars):
                raise regime.error(f"recognition[{level!r}] must be a list of star numbers")
        self.criteria_set = self._write(
            CriteriaSet,
            existing,
            {"code": code},
            {
                "slug": meta.str("slug", blank=False),
                "instrument_number": meta.str("instrument_number", blank=False),
                "title": meta.str("title", blank=False),
                "issuer": meta.str("issuer"),
                "signed_on": meta.date("signed_on"),
                "effective_from": meta.date("effective_from"),
                "effective_to": meta.date("effective_to", null=True),
                "status": meta.choice("status", SetStatus.values),
                "regime_code": regime.str("code", blank=False),
                "recognition": recognition,
                "certificate_validity_months": meta.int("certificate_validity_months", null=True),
                "source": meta.object("source"),
                "format_version": root.int("format_version"),
                **meta.review(),
            },
            f"{self.name}, criteria set {code}",
        )
        self.report.sets.append(code)
        nodes, leaf_sheets = self._classification(root.list("classification"))
        sheet_numbers = [
            self._sheet(raw, index, nodes, leaf_sheets)
            for index, raw in enumerate(root.list("sheets"), start=1)
        ]
        if sorted(sheet_numbers) != sorted(leaf_sheets.values()):
            raise CriteriaDataError(
                f"{self.name}: classification leaves point at sheets "
                f"{sorted(leaf_sheets.values())} but the file has sheets {sorted(sheet_numbers)}"
            )
        self._forget(
            "sheets",
            list(self.criteria_set.sheets.exclude(number__in=sheet_numbers)),
            f"{self.name}, set {code}",
        )
        self._forget(
            "classification nodes",
            list(self.criteria_set.classification.exclude(code__in=nodes)),
            f"{self.name}, set {code}",
        )
        for label, queryset in self.stale:
            count, _ = queryset.delete()
            self.report.deleted[label] += count
        for (label, _), outcome in self.outcomes.items():
            getattr(self.report, outcome)[label] += 1

    # -- classification

    def _classification(
        self, tree: list[Any]
    ) -> tuple[dict[str, ClassificationNode], dict[str, int]]:
        """Upsert the tree; return the nodes by code and the sheet number of every leaf."""
        existing = {n.code: n for n in self.criteria_set.classification.all()}
        nodes: dict[str, ClassificationNode] = {}
        leaf_sheets: dict[str, int] = {}
        expected_level = {
            None: ClassificationLevel.GROUP,
            ClassificationLevel.GROUP: ClassificationLevel.NHOM,
            ClassificationLevel.NHOM: ClassificationLevel.PHAN_NHOM,
        }
        order = 0

        def walk(items: list[Any], parent: ClassificationNode | None, where: str) -> None:
            nonlocal order
            for index, raw in enumerate(items, start=1):
                node = _Reader(raw, f"{where} node {index}")
                code = node.str("code", blank=False)
                node.where = f"{self.name}, classification {code}"
                if code in nodes:
                    raise node.error("duplicate classification code")
                level = node.choice("level", ClassificationLevel.values)
                if level != expected_level.get(parent.level if parent else None):
                    under = parent.code if parent else "the root"
                    raise node.error(f"level {level!r} cannot sit under {under}")
                sheet = node.int("sheet", null=True)
                children = node.list("children")
                if (sheet is None) == (not children):
                    raise node.error("a leaf needs a sheet number, and only a leaf may have one")
                order += 1
                nodes[code] = self._write(
                    ClassificationNode,
                    existing.get(code),
                    {"criteria_set": self.criteria_set, "code": code},
                    {
                        "parent": parent,
                        "number": node.str("number", blank=False),
                        "level": level,
                        "label": node.str("label", blank=False),
                        "ministries": node.strings("ministries"),
                        "order": order,
                    },
                    node.where,
                )
                if sheet is not None:
                    if sheet in leaf_sheets.values():
                        raise node.error(f"sheet {sheet} already has a classification leaf")
                    leaf_sheets[code] = sheet
                walk(children, nodes[code], node.where)

        walk(tree, None, f"{self.name}, classification")
        return nodes, leaf_sheets

    # -- one sheet

    def _sheet(
        self,
        raw: Any,
        index: int,
        nodes: dict[str, ClassificationNode],
        leaf_sheets: dict[str, int],
    ) -> int:
        reader = _Reader(raw, f"{self.name}, sheet #{index}")
        number = reader.int("number")
        reader.where = f"{self.name}, sheet {number}"
        where = reader.where
        classification_code = reader.str("classification", blank=False)
        node = nodes.get(classification_code)
        if node is None or leaf_sheets.get(classification_code) != number:
            raise reader.error(
                f"classification {classification_code!r} is not the leaf of this sheet"
            )
        sheet = self._write(
            Sheet,
            self.criteria_set.sheets.filter(number=number).first(),
            {"criteria_set": self.criteria_set, "number": number},
            {
                "classification": node,
                "title": reader.str("title", blank=False),
                "index_title": reader.str("index_title"),
                "header_product_label": reader.str("header_product_label"),
                "header_group_label": reader.str("header_group_label"),
                "knockout_text": reader.str("knockout_text"),
                "star_note": reader.str("star_note"),
                "total_points": reader.points("total_points", null=True),
                **reader.review(),
            },
            where,
        )

        # parts
        parts = reader.list("parts")
        existing_parts = {p.part: p for p in sheet.parts.all()}
        letters = []
        for raw_part in parts:
            part = _Reader(raw_part, f"{where}, part")
            letter = part.choice("part", Part.values)
            part.where = f"{where}, part {letter}"
            letters.append(letter)
            self._write(
                SheetPart,
                existing_parts.get(letter),
                {"sheet": sheet, "part": letter},
                {
                    "title": part.str("title"),
                    "max_points": part.points("max_points"),
                    "column_points": part.points("column_points", null=True),
                    "errata": part.errata(),
                    **part.review(),
                },
                part.where,
            )
        if letters != Part.values:
            raise reader.error(f"parts must be {Part.values} in that order, not {letters}")

        # sections and groups
        existing_sections = {s.number: s for s in sheet.sections.all()}
        existing_groups = {
            (g.section_id, g.code): g for g in CriterionGroup.objects.filter(section__sheet=sheet)
        }
        sections: dict[int, Section] = {}
        groups: dict[str, CriterionGroup] = {}
        for raw_section in reader.list("sections"):
            sec = _Reader(raw_section, f"{where}, section")
            section_number = sec.int("number")
            sec.where = f"{where}, section {section_number}"
            if section_number in sections:
                raise sec.error("duplicate section number")
            section = self._write(
                Section,
                existing_sections.get(section_number),
                {"sheet": sheet, "number": section_number},
                {
                    "part": sec.choice("part", Part.values),
                    "title": sec.str("title", blank=False),
                    "max_points": sec.points("max_points"),
                    "notes": sec.strings("notes"),
                    **sec.knockout_rule(("zero_points",), "knockout_when", "knockout_rule_text"),
                    **sec.review(),
                },
                sec.where,
            )
            sections[section_number] = section
            group_codes = []
            for raw_group in sec.list("groups"):
                grp = _Reader(raw_group, f"{sec.where}, group")
                code = grp.str("code", blank=False)
                grp.where = f"{sec.where}, group {code}"
                if code in groups:
                    raise grp.error("duplicate group code")
                groups[code] = self._write(
                    CriterionGroup,
                    existing_groups.get((section.pk, code)),
                    {"section": section, "code": code},
                    {
                        "title": grp.str("title", blank=False),
                        "max_points": grp.points("max_points"),
                        "notes": grp.strings("notes"),
                        **grp.review(),
                    },
                    grp.where,
                )
                group_codes.append(code)
            self._forget(
                "groups",
                [
                    g
                    for (sid, c), g in existing_groups.items()
                    if sid == section.pk and c not in group_codes
                ],
                sec.where,
            )

        # criteria, then options, then applicability (which may point forward)
        existing_criteria = {c.code: c for c in sheet.criteria.all()}
        existing_options: dict[tuple[int, int], Option] = {
            (o.criterion_id, o.number): o for o in Option.objects.filter(criterion__sheet=sheet)
        }
        criteria: dict[str, tuple[Criterion, _Reader, int]] = {}
        for raw_criterion in reader.list("criteria"):
            crit = _Reader(raw_criterion, f"{where}, criterion")
            code = crit.str("code", blank=False)
            crit.where = f"{where}, criterion {code}"
            if code in criteria:
                raise crit.error("duplicate criterion code")
            section = sections.get(crit.int("section"))
            if section is None:
                raise crit.error(f"section {crit.data['section']} is not in this sheet")
            group_code = crit.data.get("group")
            group = groups.get(group_code) if group_code is not None else None
            if group_code is not None and (group is None or group.section_id != section.pk):
                raise crit.error(f"group {group_code!r} is not in section {section.number}")
            knockout = crit.bool("knockout")
            knockout_note = crit.str("knockout_note")
            if knockout and not knockout_note.strip():
                raise crit.error("a knock-out criterion needs its knock-out note")
            criterion = self._write(
                Criterion,
                existing_criteria.get(code),
                {"sheet": sheet, "code": code},
                {
                    "section": section,
                    "group": group,
                    "title": crit.str("title", blank=False),
                    "part": crit.choice("part", Part.values),
                    "max_points": crit.points("max_points"),
                    "max_points_text": crit.str("max_points_text"),
                    "notes": crit.strings("notes"),
                    "knockout": knockout,
                    "knockout_note": knockout_note,
                    "boolean_item": crit.bool("boolean_item"),
                    "order": crit.int("order"),
                    "errata": crit.errata(),
                    **crit.review(),
                },
                crit.where,
            )
            # a section rule "0 điểm … không đánh giá" is stored on each 0-point option it covers
            zero_stop = section.knockout_when == KnockoutWhen.ZERO_POINTS
            options = crit.list("options")
            if not options:
                raise crit.error("a criterion needs at least one option")
            for position, raw_option in enumerate(options, start=1):
                opt = _Reader(raw_option, f"{crit.where}, option #{position}")
                option_number = opt.int("number")
                if option_number != position:
                    raise opt.error(
                        f"options must be numbered 1..n in order, found {option_number}"
                    )
                opt.where = f"{crit.where}, option {option_number}"
                min_star = opt.int("min_star", null=True)
                points = opt.points("points")
                if min_star is not None and min_star not in STAR_MARKERS:
                    raise opt.error(f"'min_star' must be one of {STAR_MARKERS} or null")
                self._write(
                    Option,
                    existing_options.get((criterion.pk, option_number)),
                    {"criterion": criterion, "number": option_number},
                    {
                        "text": opt.str("text", blank=False),
                        "points": points,
                        "min_star": min_star,
                        "blank_points": opt.bool("blank_points"),
                        "variant": opt.str("variant"),
                        "knockout_rule": opt.knockout_rule(("chosen",), None, "knockout_rule")[
                            "knockout_rule"
                        ]
                        or (section.knockout_rule_text if zero_stop and points == 0 else ""),
                        "errata": opt.errata(),
                        **opt.review(),
                    },
                    opt.where,
                )
            self._forget(
                "options",
                [
                    o
                    for (cid, n), o in existing_options.items()
                    if cid == criterion.pk and n > len(options)
                ],
                crit.where,
            )
            criteria[code] = (criterion, crit, len(options))

        for criterion, crit, _ in criteria.values():
            condition = crit.object("applies_when", null=True)
            values: dict[str, Any] = {
                "depends_on": None,
                "depends_on_min_option": None,
                "applies_when_text": "",
            }
            if condition is not None:
                cond = _Reader(condition, f"{crit.where}, applies_when")
                target_code = cond.str("criterion", blank=False)
                if target_code not in criteria or target_code == criterion.code:
                    raise cond.error(f"{target_code!r} is not another criterion of this sheet")
                target, _, option_count = criteria[target_code]
                min_option = cond.int("min_option")
                if not 1 <= min_option <= option_count:
                    raise cond.error(f"'min_option' must be within 1..{option_count}")
                values = {
                    "depends_on": target,
                    "depends_on_min_option": min_option,
                    "applies_when_text": cond.str("text"),
                }
            self._write(Criterion, criterion, {}, values, crit.where)

        self._forget(
            "criteria", [c for k, c in existing_criteria.items() if k not in criteria], where
        )
        self._forget(
            "sections", [s for k, s in existing_sections.items() if k not in sections], where
        )
        return number
