"""Checks on the engine's inputs: the sheet (rule 1, applicability of rule 2) and the council
rules (rules 10 to 13)."""

from __future__ import annotations

from decimal import Decimal

from .errors import InvalidScorecard, InvalidSheet
from .numbers import as_decimal, is_int
from .specs import (
    KNOCKOUT_RULES,
    MARKER_STARS,
    MAX_TOTAL,
    MINIMUM_RULES,
    PART_MAX,
    PARTS,
    CouncilRules,
    CriterionSpec,
    SheetSpec,
)


def validate_sheet(sheet: SheetSpec) -> None:
    """Raise :class:`InvalidSheet` if the sheet is inconsistent (see the package docstring)."""
    by_code: dict[str, CriterionSpec] = {}
    part_sums = {p: Decimal(0) for p in PARTS}
    for c in sheet.criteria:
        if c.code in by_code:
            raise InvalidSheet(
                f"duplicate criterion code {c.code!r}", code="duplicate_code", key=c.code
            )
        by_code[c.code] = c
        max_points = _checked_max_points(c)
        part_sums[c.part] += max_points
        _check_options(c, max_points)
    _check_part_caps(part_sums)
    for c in sheet.criteria:
        _check_applicability(c, by_code)


def _checked_max_points(c: CriterionSpec) -> Decimal:
    """The criterion's maximum, once its part and its maximum are known to be sound."""
    if c.part not in PART_MAX:
        raise InvalidSheet(
            f"criterion {c.code}: part must be A, B or C, got {c.part!r}",
            code="bad_part",
            key=c.code,
        )
    max_points = as_decimal(c.max_points)
    if max_points is None or max_points < 0:
        raise InvalidSheet(
            f"criterion {c.code}: bad max_points {c.max_points!r}",
            code="bad_points",
            key=c.code,
        )
    return max_points


def _check_options(c: CriterionSpec, max_points: Decimal) -> None:
    """Options numbered 1..n in order, each scoring within ``[0, max_points]``, markers 3-5."""
    if not c.options:
        raise InvalidSheet(f"criterion {c.code} has no options", code="bad_options", key=c.code)
    for i, o in enumerate(c.options, start=1):
        if not is_int(o.number) or o.number != i:
            raise InvalidSheet(
                f"criterion {c.code}: options must be numbered 1..n in order",
                code="bad_options",
                key=c.code,
            )
        pts = as_decimal(o.points)
        if pts is None or pts < 0 or pts > max_points:
            raise InvalidSheet(
                f"criterion {c.code} option {i}: points {o.points!r} outside [0, {max_points}]",
                code="bad_points",
                key=c.code,
            )
        if o.min_star is not None and o.min_star not in MARKER_STARS:
            raise InvalidSheet(
                f"criterion {c.code} option {i}: min_star must be 3, 4 or 5",
                code="bad_marker",
                key=c.code,
            )


def _check_part_caps(part_sums: dict[str, Decimal]) -> None:
    for p in PARTS:
        if part_sums[p] > PART_MAX[p]:
            raise InvalidSheet(
                f"part {p}: max points sum to {part_sums[p]} > {PART_MAX[p]}",
                code="part_over_max",
                key=p,
            )


def _check_applicability(c: CriterionSpec, by_code: dict[str, CriterionSpec]) -> None:
    """``applies_when``: a known target, a valid option number, no cycles."""
    aw = c.applies_when
    if aw is None:
        return
    target = by_code.get(aw.criterion)
    if target is None or target.code == c.code:
        raise InvalidSheet(
            f"criterion {c.code}: applies_when refers to {aw.criterion!r}",
            code="bad_applicability",
            key=c.code,
        )
    if not is_int(aw.min_option) or not 1 <= aw.min_option <= len(target.options):
        raise InvalidSheet(
            f"criterion {c.code}: applies_when.min_option out of range",
            code="bad_applicability",
            key=c.code,
        )
    seen = {c.code}
    while target.applies_when is not None:
        if target.code in seen:
            raise InvalidSheet(
                f"criterion {c.code}: circular applies_when",
                code="bad_applicability",
                key=c.code,
            )
        seen.add(target.code)
        target = by_code[target.applies_when.criterion]


def validate_rules(rules: CouncilRules) -> tuple[Decimal, Decimal, Decimal]:
    """The rules' quorum, spread threshold and ministry threshold as Decimals, once checked."""

    def bad(key: str, msg: str) -> InvalidScorecard:
        return InvalidScorecard(msg, code="bad_rule", key=key, value=getattr(rules, key))

    size = rules.council_size
    if size is not None and (not is_int(size) or size < 1):
        raise bad("council_size", "council_size must be None or an integer >= 1")
    quorum = as_decimal(rules.quorum)
    if quorum is None or not (0 < quorum <= 1):
        raise bad("quorum", "quorum must be a fraction in (0, 1]")
    spread = as_decimal(rules.spread_threshold)
    if spread is None or spread < 0:
        raise bad("spread_threshold", "spread_threshold must be >= 0")
    if rules.minimum_rule not in MINIMUM_RULES:
        raise bad("minimum_rule", f"minimum_rule must be one of {MINIMUM_RULES}")
    if rules.knockout_rule not in KNOCKOUT_RULES:
        raise bad("knockout_rule", f"knockout_rule must be one of {KNOCKOUT_RULES}")
    ministry = as_decimal(rules.ministry_threshold)
    if ministry is None or not (0 <= ministry <= MAX_TOTAL):
        raise bad("ministry_threshold", "ministry_threshold must be within [0, 100]")
    return quorum, spread, ministry
