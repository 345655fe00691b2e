"""One member's scorecard: checked against the sheet, then scored (rules 1, 2, 3, 5 and 6)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import InvalidScorecard
from .numbers import as_decimal, is_int
from .specs import (
    DOSSIER_KNOCKOUT,
    MARKER_STARS,
    PARTS,
    CriterionSpec,
    MemberResult,
    OptionSpec,
    Scorecard,
    SheetSpec,
)
from .stars import band_star, level_reached, required_minimum, unmet_minimums

_APPLIES, _NOT_APPLICABLE, _UNDECIDED = "applies", "n/a", "undecided"


@dataclass(frozen=True)
class ScoredMember:
    result: MemberResult
    # meets[(code, star)] for every criterion with a minimum at that star
    meets: dict[tuple[str, int], bool] = field(repr=False)
    sort_key: tuple = field(repr=False)


@dataclass(frozen=True)
class _Tally:
    """Points per part, missing criteria, minimums met, and the rejecting options chosen."""

    parts: dict[str, Decimal]
    missing: tuple[str, ...]
    meets: dict[tuple[str, int], bool]
    rejecting: set[str]


def knockout_position(order: Mapping[str, int]) -> Callable[[str], int]:
    """Sort key of knock-out keys: :data:`DOSSIER_KNOCKOUT` first, then printed order."""
    return lambda key: -1 if key == DOSSIER_KNOCKOUT else order[key]


def score_member(
    sheet: SheetSpec,
    index: int,
    card: Scorecard,
    by_code: Mapping[str, CriterionSpec],
    order: Mapping[str, int],
) -> ScoredMember:
    """Check scorecard ``index`` and score it; raise :class:`InvalidScorecard` if it is bad."""
    choices = card.choices
    _check_choices(index, choices, by_code)
    status = _applicability(sheet, choices, by_code)
    _check_not_applicable(index, sheet, choices, status)
    ko_keys = _declared_knockouts(index, card, by_code)
    tally = _tally(sheet, choices, status)
    knockouts = tuple(sorted(ko_keys | tally.rejecting, key=knockout_position(order)))
    total = sum(tally.parts.values(), Decimal(0))
    result = MemberResult(
        member=card.member,
        total=total,
        parts=tally.parts,
        missing=tally.missing,
        unmet_minimums=unmet_minimums(sheet, tally.meets),
        knockouts=knockouts,
        band_star=band_star(total),
        min_star_met=level_reached(tally.meets),
    )
    sort_key = (
        card.member is None,
        type(card.member).__name__,
        str(card.member) if card.member is not None else "",
        tuple(sorted((order[c], n) for c, n in choices.items())),
        tuple(knockout_position(order)(k) for k in knockouts),
    )
    return ScoredMember(result=result, meets=tally.meets, sort_key=sort_key)


def _check_choices(
    index: int, choices: Mapping[str, int], by_code: Mapping[str, CriterionSpec]
) -> None:
    """Every chosen criterion exists and every option number is within its options."""
    for code, number in choices.items():
        crit = by_code.get(code)
        if crit is None:
            raise InvalidScorecard(
                f"scorecard {index}: unknown criterion {code!r}",
                code="unknown_criterion",
                key=code,
                member=index,
            )
        if not is_int(number) or not 1 <= number <= len(crit.options):
            raise InvalidScorecard(
                f"scorecard {index}: criterion {code} option {number!r} "
                f"outside 1..{len(crit.options)}",
                code="option_out_of_range",
                key=code,
                member=index,
                value=number,
            )


def _applicability(
    sheet: SheetSpec, choices: Mapping[str, int], by_code: Mapping[str, CriterionSpec]
) -> dict[str, str]:
    """Whether each criterion applies, does not, or cannot be decided (memoised; acyclic)."""
    status: dict[str, str] = {}

    def applicability(code: str) -> str:
        if code in status:
            return status[code]
        aw = by_code[code].applies_when
        if aw is None:
            s = _APPLIES
        else:
            dep = applicability(aw.criterion)
            if dep == _NOT_APPLICABLE:
                s = _NOT_APPLICABLE
            elif dep == _UNDECIDED or aw.criterion not in choices:
                s = _UNDECIDED
            else:
                s = _APPLIES if choices[aw.criterion] >= aw.min_option else _NOT_APPLICABLE
        status[code] = s
        return s

    for crit in sheet.criteria:
        applicability(crit.code)
    return status


def _check_not_applicable(
    index: int, sheet: SheetSpec, choices: Mapping[str, int], status: Mapping[str, str]
) -> None:
    for crit in sheet.criteria:
        if crit.code in choices and status[crit.code] == _NOT_APPLICABLE:
            text = crit.applies_when.text if crit.applies_when else ""
            raise InvalidScorecard(
                f"scorecard {index}: criterion {crit.code} does not apply "
                f"({text or 'condition not met'})",
                code="not_applicable",
                key=crit.code,
                member=index,
            )


def _declared_knockouts(
    index: int, card: Scorecard, by_code: Mapping[str, CriterionSpec]
) -> set[str]:
    ko_keys: set[str] = set()
    for key in card.knockouts:
        if key != DOSSIER_KNOCKOUT and (key not in by_code or not by_code[key].knockout):
            raise InvalidScorecard(
                f"scorecard {index}: {key!r} is not a knock-out",
                code="unknown_knockout",
                key="knockouts",
                member=index,
                value=key,
            )
        ko_keys.add(key)
    return ko_keys


def _tally(sheet: SheetSpec, choices: Mapping[str, int], status: Mapping[str, str]) -> _Tally:
    """Points, missing and minimums; an applicable choice of a rejecting option is a knock-out."""
    parts = {p: Decimal(0) for p in PARTS}
    missing: list[str] = []
    meets: dict[tuple[str, int], bool] = {}
    rejecting: set[str] = set()
    for crit in sheet.criteria:
        st = status[crit.code]
        chosen: OptionSpec | None = None
        if st == _APPLIES and crit.code in choices:
            chosen = crit.options[choices[crit.code] - 1]
            parts[crit.part] += as_decimal(chosen.points)
            if chosen.rejects:
                rejecting.add(crit.code)
        elif st != _NOT_APPLICABLE:
            missing.append(crit.code)
        for star in MARKER_STARS:
            req = required_minimum(crit, star)
            if req is None:
                continue
            if st == _NOT_APPLICABLE:
                meets[(crit.code, star)] = True
            else:
                meets[(crit.code, star)] = chosen is not None and chosen.points >= req.points
    return _Tally(parts=parts, missing=tuple(missing), meets=meets, rejecting=rejecting)
