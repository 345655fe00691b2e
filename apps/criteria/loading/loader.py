"""The loader: every data file (with its errata) loaded into the database in one transaction,
a set at a time: the set's row, its classification tree, then its sheets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction

from ..choices import RECOGNITION_LEVELS, ClassificationLevel, SetStatus
from ..models import ClassificationNode, CriteriaSet
from .errata import apply_errata
from .files import ERRATA_SUFFIX, CriteriaDataError, criteria_files, errata_file, read_json
from .reader import Reader
from .sheets import SheetLoader
from .writer import LoadReport, RowWriter


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
        data = read_json(path)
        if errata_file(path).exists():
            apply_errata(data, errata_file(path))
        code = Reader(data, str(path.name)).set_code()
        if code in codes:
            raise CriteriaDataError(
                f"{path.name}: set {code} is also defined in {codes[code].name}"
            )
        codes[code] = path
        _SetLoader(data, name=path.name, replace=replace, report=report).load()
    return report


class _SetLoader:
    def __init__(self, data: dict[str, Any], *, name: str, replace: bool, report: LoadReport):
        self.data = data
        self.name = name
        self.report = report
        self.writer = RowWriter(replace=replace)

    def load(self) -> None:
        root = Reader(self.data, self.name)
        self.criteria_set = self._criteria_set(root)
        code = self.criteria_set.code
        self.report.sets.append(code)
        nodes, leaf_sheets = self._classification(root.list("classification"))
        sheets = SheetLoader(self.writer, name=self.name, criteria_set=self.criteria_set)
        sheet_numbers = [
            sheets.load(raw, index, nodes, leaf_sheets)
            for index, raw in enumerate(root.list("sheets"), start=1)
        ]
        if sorted(sheet_numbers) != sorted(leaf_sheets.values()):
            raise CriteriaDataError(
                f"{self.name}: classification leaves point at sheets "
                f"{sorted(leaf_sheets.values())} but the file has sheets {sorted(sheet_numbers)}"
            )
        self.writer.forget(
            "sheets",
            list(self.criteria_set.sheets.exclude(number__in=sheet_numbers)),
            f"{self.name}, set {code}",
        )
        self.writer.forget(
            "classification nodes",
            list(self.criteria_set.classification.exclude(code__in=nodes)),
            f"{self.name}, set {code}",
        )
        self.writer.settle(self.report)

    # -- the set

    def _criteria_set(self, root: Reader) -> CriteriaSet:
        """The set's own row; a published set locks the writer unless `replace`."""
        meta = Reader(root.object("criteria_set"), f"{self.name}, criteria_set")
        regime = Reader(meta.object("regime"), f"{self.name}, criteria_set.regime")
        code = meta.str("code", blank=False)
        existing = CriteriaSet.objects.filter(code=code).first()
        self.writer.locked = (
            existing is not None
            and existing.status == SetStatus.PUBLISHED
            and not self.writer.replace
        )
        recognition = _recognition(regime)
        return self.writer.write(
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
                node = Reader(raw, f"{where} node {index}")
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
                nodes[code] = self.writer.write(
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


def _recognition(regime: Reader) -> dict[str, Any]:
    """`recognition`: the stars each level recognises, e.g. {"province": [3, 4]}."""
    recognition = regime.object("recognition")
    for level, stars in recognition.items():
        if level not in RECOGNITION_LEVELS:
            raise regime.error(f"recognition level {level!r} is not one of {RECOGNITION_LEVELS}")
        if not isinstance(stars, list) or not all(s in (1, 2, 3, 4, 5) for s in stars):
            raise regime.error(f"recognition[{level!r}] must be a list of star numbers")
    return recognition
