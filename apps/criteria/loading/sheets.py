"""Loading one criteria sheet: its row, its parts, sections and groups, its criteria and their
options, then the applicability conditions (which may point forward)."""

from __future__ import annotations

from typing import Any

from ..choices import STAR_MARKERS, KnockoutWhen, Part
from ..models import (
    ClassificationNode,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    Option,
    Section,
    Sheet,
    SheetPart,
)
from .reader import Reader
from .writer import RowWriter

# criterion code -> (the row, its reader, its number of options)
_Criteria = dict[str, tuple[Criterion, Reader, int]]


class SheetLoader:
    def __init__(self, writer: RowWriter, *, name: str, criteria_set: CriteriaSet):
        self.writer = writer
        self.name = name
        self.criteria_set = criteria_set

    def load(
        self,
        raw: Any,
        index: int,
        nodes: dict[str, ClassificationNode],
        leaf_sheets: dict[str, int],
    ) -> int:
        """Upsert sheet number `index` of the file and everything in it; return its number."""
        reader = Reader(raw, f"{self.name}, sheet #{index}")
        number = reader.int("number")
        reader.where = f"{self.name}, sheet {number}"
        where = reader.where
        sheet = self._sheet(reader, number, nodes, leaf_sheets)
        self._parts(sheet, reader)
        sections, groups, gone_sections = self._sections(sheet, reader)
        criteria, gone_criteria = self._criteria(sheet, reader, sections, groups)
        for criterion, crit, _ in criteria.values():
            self._applicability(criterion, crit, criteria)
        self.writer.forget("criteria", gone_criteria, where)
        self.writer.forget("sections", gone_sections, where)
        return number

    def _sheet(
        self,
        reader: Reader,
        number: int,
        nodes: dict[str, ClassificationNode],
        leaf_sheets: dict[str, int],
    ) -> Sheet:
        classification_code = reader.str("classification", blank=False)
        node = nodes.get(classification_code)
        if node is None or leaf_sheets.get(classification_code) != number:
            raise reader.error(
                f"classification {classification_code!r} is not the leaf of this sheet"
            )
        return self.writer.write(
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
            reader.where,
        )

    def _parts(self, sheet: Sheet, reader: Reader) -> None:
        """Parts A, B and C, in that order."""
        where = reader.where
        existing_parts = {p.part: p for p in sheet.parts.all()}
        letters = []
        for raw_part in reader.list("parts"):
            part = Reader(raw_part, f"{where}, part")
            letter = part.choice("part", Part.values)
            part.where = f"{where}, part {letter}"
            letters.append(letter)
            self.writer.write(
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

    def _sections(
        self, sheet: Sheet, reader: Reader
    ) -> tuple[dict[int, Section], dict[str, CriterionGroup], list[Section]]:
        """The sections and their groups; also the sections the file no longer has."""
        existing_sections = {s.number: s for s in sheet.sections.all()}
        existing_groups = {
            (g.section_id, g.code): g for g in CriterionGroup.objects.filter(section__sheet=sheet)
        }
        sections: dict[int, Section] = {}
        groups: dict[str, CriterionGroup] = {}
        for raw_section in reader.list("sections"):
            sec = Reader(raw_section, f"{reader.where}, section")
            section_number = sec.int("number")
            sec.where = f"{reader.where}, section {section_number}"
            if section_number in sections:
                raise sec.error("duplicate section number")
            section = self.writer.write(
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
            self._groups(section, sec, existing_groups, groups)
        gone = [s for k, s in existing_sections.items() if k not in sections]
        return sections, groups, gone

    def _groups(
        self,
        section: Section,
        sec: Reader,
        existing_groups: dict[tuple[int, str], CriterionGroup],
        groups: dict[str, CriterionGroup],
    ) -> None:
        """A section's groups, added to `groups` (group codes are unique in the sheet)."""
        group_codes = []
        for raw_group in sec.list("groups"):
            grp = Reader(raw_group, f"{sec.where}, group")
            code = grp.str("code", blank=False)
            grp.where = f"{sec.where}, group {code}"
            if code in groups:
                raise grp.error("duplicate group code")
            groups[code] = self.writer.write(
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
        self.writer.forget(
            "groups",
            [
                g
                for (sid, c), g in existing_groups.items()
                if sid == section.pk and c not in group_codes
            ],
            sec.where,
        )

    def _criteria(
        self,
        sheet: Sheet,
        reader: Reader,
        sections: dict[int, Section],
        groups: dict[str, CriterionGroup],
    ) -> tuple[_Criteria, list[Criterion]]:
        """The criteria with their options; also the criteria the file no longer has."""
        existing_criteria = {c.code: c for c in sheet.criteria.all()}
        existing_options: dict[tuple[int, int], Option] = {
            (o.criterion_id, o.number): o for o in Option.objects.filter(criterion__sheet=sheet)
        }
        criteria: _Criteria = {}
        for raw_criterion in reader.list("criteria"):
            crit = Reader(raw_criterion, f"{reader.where}, criterion")
            code = crit.str("code", blank=False)
            crit.where = f"{reader.where}, criterion {code}"
            if code in criteria:
                raise crit.error("duplicate criterion code")
            section = sections.get(crit.int("section"))
            if section is None:
                raise crit.error(f"section {crit.data['section']} is not in this sheet")
            criterion = self._criterion(sheet, crit, code, section, groups, existing_criteria)
            option_count = self._options(criterion, crit, section, existing_options)
            criteria[code] = (criterion, crit, option_count)
        gone = [c for k, c in existing_criteria.items() if k not in criteria]
        return criteria, gone

    def _criterion(
        self,
        sheet: Sheet,
        crit: Reader,
        code: str,
        section: Section,
        groups: dict[str, CriterionGroup],
        existing_criteria: dict[str, Criterion],
    ) -> Criterion:
        group_code = crit.data.get("group")
        group = groups.get(group_code) if group_code is not None else None
        if group_code is not None and (group is None or group.section_id != section.pk):
            raise crit.error(f"group {group_code!r} is not in section {section.number}")
        knockout = crit.bool("knockout")
        knockout_note = crit.str("knockout_note")
        if knockout and not knockout_note.strip():
            raise crit.error("a knock-out criterion needs its knock-out note")
        return self.writer.write(
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

    def _options(
        self,
        criterion: Criterion,
        crit: Reader,
        section: Section,
        existing_options: dict[tuple[int, int], Option],
    ) -> int:
        """A criterion's options, numbered 1..n; return n."""
        # a section rule "0 điểm … không đánh giá" is stored on each 0-point option it covers
        zero_stop = section.knockout_when == KnockoutWhen.ZERO_POINTS
        options = crit.list("options")
        if not options:
            raise crit.error("a criterion needs at least one option")
        for position, raw_option in enumerate(options, start=1):
            opt = Reader(raw_option, f"{crit.where}, option #{position}")
            option_number = opt.int("number")
            if option_number != position:
                raise opt.error(f"options must be numbered 1..n in order, found {option_number}")
            opt.where = f"{crit.where}, option {option_number}"
            min_star = opt.int("min_star", null=True)
            points = opt.points("points")
            if min_star is not None and min_star not in STAR_MARKERS:
                raise opt.error(f"'min_star' must be one of {STAR_MARKERS} or null")
            self.writer.write(
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
        self.writer.forget(
            "options",
            [
                o
                for (cid, n), o in existing_options.items()
                if cid == criterion.pk and n > len(options)
            ],
            crit.where,
        )
        return len(options)

    def _applicability(self, criterion: Criterion, crit: Reader, criteria: _Criteria) -> None:
        """The criterion's `applies_when` condition, once every criterion of the sheet exists."""
        condition = crit.object("applies_when", null=True)
        values: dict[str, Any] = {
            "depends_on": None,
            "depends_on_min_option": None,
            "applies_when_text": "",
        }
        if condition is not None:
            cond = Reader(condition, f"{crit.where}, applies_when")
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
        self.writer.write(Criterion, criterion, {}, values, crit.where)
