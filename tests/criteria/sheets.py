"""Sheet specs for the ranking engine tests (test_engine.py, test_engine_properties.py): no
database, no Django."""

from __future__ import annotations

from decimal import Decimal as D

from apps.criteria.engine import Applicability, CriterionSpec, OptionSpec, SheetSpec

STORY_TEXT = "Chỉ áp dụng khi có câu chuyện sản phẩm"


def crit(code, part, points, markers=None, knockout=False, applies_when=None, max_points=None):
    """CriterionSpec from a list of option points and {option number: min_star}."""
    markers = markers or {}
    options = tuple(
        OptionSpec(number=i, points=D(str(p)), min_star=markers.get(i))
        for i, p in enumerate(points, start=1)
    )
    mp = D(str(max_points)) if max_points is not None else max(o.points for o in options)
    return CriterionSpec(
        code=code,
        part=part,
        max_points=mp,
        options=options,
        knockout=knockout,
        applies_when=applies_when,
    )


def seven_sheet() -> SheetSpec:
    """A 100-point subset modelled on sheet 7 (A 40 / B 25 / C 35)."""
    return SheetSpec(
        number=7,
        criteria=(
            # part A: 3 + 5 + 4 + 3 + 10 + 15 = 40
            crit("1.1", "A", [1, 2, 3], {1: 3, 2: 4}),
            crit("1.2", "A", [0, 2, 3, 5], {2: 3, 4: 5}),
            crit("1.3", "A", [0, 2, 4]),
            crit("1.5", "A", [0, 1, 2, 3], {3: 4, 4: 5}),
            crit("2.1", "A", [0, 2, 5, 8, 10]),
            crit("2.2", "A", [0, 5, 10, 15]),
            # part B: 10 + 10 + 2 + 3 = 25
            crit("3.1", "B", [0, 3, 6, 10], {2: 3}),
            crit("3.2", "B", [0, 5, 10]),
            crit("5.1", "B", [0, 1, 2]),  # option 1: "Không có câu chuyện sản phẩm"
            crit("5.2", "B", [1, 2, 3], {2: 4}, applies_when=Applicability("5.1", 2, STORY_TEXT)),
            # part C: 5 + 10 + 20 = 35
            crit("6.1", "C", [0, 3, 5], {2: 3}, knockout=True),
            crit("6.2", "C", [0, 5, 10]),
            crit("7", "C", [0, 5, 10, 15, 20], {4: 5}),
        ),
    )
