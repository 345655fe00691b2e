"""Stars: the band of a total (rule 4) and the minimum-star markers (rule 5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from .numbers import as_decimal
from .specs import (
    MARKER_STARS,
    MAX_TOTAL,
    MIN_LEVEL,
    STAR_BANDS,
    CriterionSpec,
    OptionSpec,
    SheetSpec,
    UnmetMinimum,
)


def band_star(total: Decimal | int) -> int:
    """Star band of a (published, i.e. already rounded) total in ``[0, 100]``.

    ``<30`` → 1, ``[30,50)`` → 2, ``[50,70)`` → 3, ``[70,90)`` → 4,
    ``[90,100]`` → 5.  Raises ValueError outside ``[0, 100]``.
    """
    d = as_decimal(total)
    if d is None or d < 0 or d > MAX_TOTAL:
        raise ValueError(f"total must be a number within [0, 100], got {total!r}")
    for lower, star in STAR_BANDS:
        if d >= lower:
            return star
    return 1


def required_minimum(criterion: CriterionSpec, star: int) -> OptionSpec | None:
    """The marked option a criterion must reach for level ``star`` (cumulative).

    The strongest (highest-points, then highest-number) option among those
    marked with a star ``<= star``; None if the criterion has no minimum at
    that level.
    """
    marked = [o for o in criterion.options if o.min_star is not None and o.min_star <= star]
    if not marked:
        return None
    return max(marked, key=lambda o: (o.points, o.number))


def highest_level(level_met: Callable[[int], bool]) -> int:
    level = MIN_LEVEL
    for star in MARKER_STARS:
        if not level_met(star):
            break
        level = star
    return level


def level_reached(meets: Mapping[tuple[str, int], bool]) -> int:
    """The highest level whose minimums are all met, given ``meets[(code, star)]``."""
    return highest_level(lambda star: all(v for (c, s), v in meets.items() if s == star))


def unmet_minimums(
    sheet: SheetSpec, meets: Mapping[tuple[str, int], bool]
) -> tuple[UnmetMinimum, ...]:
    """The minimums not met, by star and then in printed order."""
    return tuple(
        UnmetMinimum(crit.code, star)
        for star in MARKER_STARS
        for crit in sheet.criteria
        if meets.get((crit.code, star)) is False
    )
