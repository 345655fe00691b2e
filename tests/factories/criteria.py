"""Choices on a criteria sheet of QĐ 26/2026 (reference data, loaded once per test database):
the best option everywhere, the lowest, and choices worth exactly n★. A producer's self-assessment
and a council member's scorecard take the same {criterion code: option number}."""

from decimal import Decimal
from functools import cache

from apps.criteria import engine
from apps.criteria.models import Sheet
from apps.criteria.services import sheet_spec

CRITERIA_SET = "QD26/2026"
# The star bands of the total (QĐ 26/2026): [low, high) points.
BANDS = {
    1: (Decimal(0), Decimal(30)),
    2: (Decimal(30), Decimal(50)),
    3: (Decimal(50), Decimal(70)),
    4: (Decimal(70), Decimal(90)),
    5: (Decimal(90), Decimal(101)),
}


def _sheet(number: int) -> Sheet:
    return Sheet.objects.get(criteria_set__code=CRITERIA_SET, number=number)


def best_choices(sheet_number: int = 7) -> dict[str, int]:
    """The best option of every criterion of the sheet (100 points, 5★; 5.1's best option makes
    5.2 apply)."""
    return {c.code: c.options.count() for c in _sheet(sheet_number).criteria.all()}


def bottom_choices(sheet_number: int = 7) -> dict[str, int]:
    """The first option everywhere, but 5.1 "has a story" so 5.2 applies and is chosen."""
    return {c.code: (2 if c.code == "5.1" else 1) for c in _sheet(sheet_number).criteria.all()}


@cache
def choices_for(star: int, sheet_number: int = 7) -> tuple[tuple[str, int], ...]:
    """Choices on the sheet whose single-member result is exactly `star` (1★ or 2★: the
    lowest options). Lowers each criterion, in order, to its lowest option that keeps the
    `star` minimums and the band's lower bound; cached per star (the sheets are reference data)."""
    spec = sheet_spec(sheet=_sheet(sheet_number))
    if star <= 2:
        picked = {c.code: (2 if c.code == "5.1" else 1) for c in spec.criteria}
        return tuple(picked.items())
    low, high = BANDS[star]
    picked = dict(best_choices(sheet_number))

    def rank(choices):
        try:
            return engine.rank(spec, [engine.Scorecard(choices=choices)], engine.CouncilRules())
        except engine.InvalidScorecard:
            return None

    for criterion in spec.criteria:
        for option in sorted(criterion.options, key=lambda o: o.points):
            trial = {**picked, criterion.code: option.number}
            result = rank(trial)
            if (
                result is not None
                and not result.missing
                and result.min_star_met >= star
                and result.total >= low
            ):
                picked = trial
                break
        result = rank(picked)
        if result.total < high:
            break
    result = rank(picked)
    assert result.star == star, (star, result.total, result.star)
    return tuple(picked.items())
