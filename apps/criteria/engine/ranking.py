"""The council step: members' scorecards combined into one result (rules 4 and 7 to 13)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal, localcontext

from .errors import InvalidScorecard
from .numbers import mean_half_up
from .scoring import ScoredMember, knockout_position, score_member
from .specs import (
    PARTS,
    CouncilRules,
    MemberResult,
    RankingResult,
    Scorecard,
    SheetSpec,
    UnmetMinimum,
)
from .stars import band_star, level_reached, unmet_minimums
from .validation import validate_rules, validate_sheet

DEFAULT_RULES = CouncilRules()


def rank(
    sheet: SheetSpec, scorecards: Sequence[Scorecard], rules: CouncilRules = DEFAULT_RULES
) -> RankingResult:
    """Rank a product from the council's (or a self-assessment's) scorecards.

    Raises :class:`InvalidScorecard` for bad scorecards or rules and
    :class:`InvalidSheet` for an inconsistent sheet.
    """
    quorum, spread_threshold, ministry_threshold = validate_rules(rules)
    validate_sheet(sheet)
    cards = list(scorecards)
    if not cards:
        raise InvalidScorecard(
            "at least one scorecard is required", code="no_scorecards", key="scorecards"
        )

    with localcontext() as ctx:
        ctx.prec = 60  # sums of printed points are exact
        by_code = {c.code: c for c in sheet.criteria}
        order = {c.code: i for i, c in enumerate(sheet.criteria)}
        scored = [score_member(sheet, i, card, by_code, order) for i, card in enumerate(cards)]
        scored.sort(key=lambda m: m.sort_key)
        members = tuple(m.result for m in scored)
        n = len(members)

        total = mean_half_up([m.total for m in members])
        parts = {p: mean_half_up([m.parts[p] for m in members]) for p in PARTS}
        band = band_star(total)
        unmet, level = _council_minimums(sheet, scored, rules.minimum_rule)
        rejected_by = _council_knockouts(members, rules.knockout_rule, order)
        rejected = bool(rejected_by)
        missing = _council_missing(sheet, members)
        totals = [m.total for m in members]
        spread = max(totals) - min(totals)
        quorum_required, quorum_met = _quorum(rules.council_size, quorum, n)

        star = None if (missing or rejected or not quorum_met) else min(band, level)

    return RankingResult(
        sheet=sheet.number,
        members=members,
        total=total,
        parts=parts,
        band_star=band,
        min_star_met=level,
        star=star,
        unmet_minimums=unmet,
        rejected=rejected,
        rejected_by=rejected_by,
        spread=spread,
        spread_exceeded=spread > spread_threshold,
        quorum_met=quorum_met,
        quorum_required=quorum_required,
        certificate_eligible=star is not None and star >= 3,
        propose_to_ministry=star is not None and total >= ministry_threshold,
        missing=missing,
        scoring_members=n,
    )


def _passes(count: int, n: int, rule: str) -> bool:
    if rule == "all":
        return count == n
    if rule == "any":
        return count >= 1
    return 2 * count > n  # majority: strictly more than half


def _council_minimums(
    sheet: SheetSpec, scored: Sequence[ScoredMember], rule: str
) -> tuple[tuple[UnmetMinimum, ...], int]:
    """The minimums the council does not meet under ``rule``, and the highest level it meets."""
    n = len(scored)
    keys = scored[0].meets.keys()  # same criteria/stars for every member
    council_meets = {key: _passes(sum(1 for m in scored if m.meets[key]), n, rule) for key in keys}
    return unmet_minimums(sheet, council_meets), level_reached(council_meets)


def _council_knockouts(
    members: Sequence[MemberResult], rule: str, order: Mapping[str, int]
) -> tuple[str, ...]:
    """The knock-out keys recorded by enough members under ``rule``, dossier first."""
    counts: dict[str, int] = {}
    for m in members:
        for key in m.knockouts:
            counts[key] = counts.get(key, 0) + 1
    return tuple(
        sorted(
            (k for k, c in counts.items() if _passes(c, len(members), rule)),
            key=knockout_position(order),
        )
    )


def _council_missing(sheet: SheetSpec, members: Sequence[MemberResult]) -> tuple[str, ...]:
    """Criteria missing from any member's scorecard, in printed order."""
    missing_set = {code for m in members for code in m.missing}
    return tuple(c.code for c in sheet.criteria if c.code in missing_set)


def _quorum(council_size: int | None, quorum: Decimal, n: int) -> tuple[int | None, bool]:
    """Scorecards required (None without a council size) and whether ``n`` reaches it."""
    if council_size is None:
        return None, True
    required = int((Decimal(council_size) * quorum).to_integral_value(rounding=ROUND_CEILING))
    return required, n >= required
