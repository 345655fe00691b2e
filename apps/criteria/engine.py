"""OCOP ranking engine (pure Python, no Django).

Turns a criteria sheet (:class:`SheetSpec`) and the scorecards filled in by a
council (or a single self-assessment) into a :class:`RankingResult`: the
published mean score, the star, and every reason the star is lower than the
score alone would give.  Nothing here touches the database; the Django side
builds a ``SheetSpec`` from the stored criteria set and stores the result.

Rules implemented
=================

Fixed by the decision (QĐ 26/2026/QĐ-TTg), not configurable
-----------------------------------------------------------

1. **Scoring.**  Each criterion is a single choice among its printed options;
   a scorecard's total is the sum of the chosen options' points, split into
   parts A (max 40), B (max 25) and C (max 35).  A sheet is validated before
   use (:class:`InvalidSheet`): codes unique, parts A/B/C, options numbered
   1..n in printed order, every option's points within ``[0, max_points]``,
   and the ``max_points`` of each part summing to at most its cap.  Hence
   every total is within ``[0, 100]``.

2. **Applicability.**  A criterion with ``applies_when`` (e.g. 5.2 "Chỉ áp
   dụng khi có câu chuyện sản phẩm") applies only when the criterion it
   depends on was answered with an option number ``>= min_option``.  A
   criterion that does not apply contributes 0 points, has no minimums, is not
   "missing", and choosing an option for it is an error
   (``not_applicable``).  If the criterion it depends on was not answered (or
   is itself undecided), applicability cannot be decided: the dependent
   criterion is reported *missing* and contributes nothing, even if a choice
   was recorded for it.  If the dependency itself does not apply, neither
   does the dependent.

3. **Completeness.**  An applicable criterion without a choice is *missing*.
   Missing criteria count 0 points and do not meet any minimum, and a result
   with any member's scorecard incomplete has ``star = None``.

4. **Star bands** on the council mean, half-open: ``<30`` 1★, ``[30,50)`` 2★,
   ``[50,70)`` 3★, ``[70,90)`` 4★, ``[90,100]`` 5★ (:func:`band_star`).  The
   band is taken from the *published* mean, i.e. after rounding to 2 decimals
   (rule 9), so the number a province prints and the star always agree
   (a mean of 69.995 is published as 70.00 and is 4★).

5. **Minimum-star markers.**  An option marked 3/4/5★ is the minimum that
   criterion must reach for the product to be ranked that many stars.  The
   law states the minimums but no formula; this engine reads them as
   *cumulative*: to reach level ``s`` a criterion must meet the strongest
   (highest-points) marker among its markers with star ``<= s`` (a 3★ marker
   therefore still binds at 4★ and 5★).  A minimum is met when the chosen
   option's points are ``>=`` the marked option's points (points, not option
   numbers, because options may repeat points).  Levels 1 and 2 have no
   minimums, so the highest attainable level (``min_star_met``) is at least
   2.  The final star is ``min(band_star, min_star_met)``.

6. **Knock-outs.**  Two kinds, both rejecting the product (``star = None``):

   * *declared*: a criterion with ``knockout=True`` carries a "bị loại" note
     tied to a fact the options cannot express (an intellectual-property
     infringement, hazardous impurities, a copied product); a member records
     it in ``Scorecard.knockouts``.  :data:`DOSSIER_KNOCKOUT` stands for the
     whole-dossier disqualifiers ("Hồ sơ bị loại khi ...").  Recording a
     knock-out on a criterion that does not apply to that member is accepted:
     a knock-out is a finding about the product, not a score.
   * *automatic*: an option with ``rejects=True`` (the text ties the stop to
     that choice: "0 điểm" in sheet 16 section 6, "không có Phiếu công bố" in
     sheet 19 criterion 6).  Choosing it, where the criterion applies, counts
     exactly as if the member had recorded a knock-out on that criterion: it
     is listed in the member's ``knockouts`` and weighed by the knock-out rule
     (rule 11) like any other.

7. **Certificate / ministry.**  ``certificate_eligible`` is ``star >= 3``
   (OCOP certificates are issued from 3★).  ``propose_to_ministry`` is
   ``total >= ministry_threshold`` (90) for a result that stands: not
   rejected, complete and quorate (``star`` is not None).  QĐ 26/2026
   Đ7.3.e proposes "các sản phẩm có tiềm năng đạt 5 sao (đạt từ 90 trở
   lên)" to the ministry, whatever their star: a product of 92 points that
   misses a 5★ minimum is still proposed, not recognised at 4★ by the
   province.  The central council's result then decides (Đ7.4.g).

Set by provincial regulations, hence configurable (:class:`CouncilRules`)
------------------------------------------------------------------------

The decision defines the sheet and the minimums but not how a council of
several members combines its scorecards; provinces regulate that, so these
are parameters:

8. **Council mean.**  ``total`` is the mean of the members' totals and
   ``parts`` the mean of each part (not configurable, but listed here because
   it is the council step).

9. **Rounding.**  Means are quantized to 0.01 with ROUND_HALF_UP, computed
   exactly (no binary floats, no intermediate rounding), because provinces
   publish two decimals.  Rounded parts need not add up to the rounded total.

10. **Minimum rule** (``minimum_rule``): the council meets a criterion's
    minimum for a level when ``"majority"`` (strictly more than half of the
    scoring members), ``"all"`` or ``"any"`` of the members' choices meet it.
    A member for whom the criterion does not apply counts as meeting it.
    ``unmet_minimums`` lists, for each level 3..5 and each criterion (star,
    then printed order), the council-level minimums that are not met.

11. **Knock-out rule** (``knockout_rule``): a knock-out key rejects the
    product when recorded by a ``"majority"`` (strictly more than half) or by
    ``"any"`` of the scoring members.  ``rejected_by`` lists the keys that
    did, :data:`DOSSIER_KNOCKOUT` first, then criteria in printed order.

12. **Quorum** (``council_size``, ``quorum``): at least
    ``ceil(council_size * quorum)`` scorecards are needed, otherwise
    ``star = None``.  ``council_size=None`` disables the check (a
    self-assessment, or a caller that checked quorum itself).

13. **Spread** (``spread_threshold``): ``spread`` is max − min of the
    members' totals (0 for one member); ``spread_exceeded`` (spread strictly
    greater than the threshold) is a flag for the secretary to ask for
    re-scoring -- it does not change the star.

The result does not depend on the order of the scorecards: members are
reported in a canonical order (by ``member`` label, then content), and every
council-level quantity is symmetric in the members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation, localcontext

__all__ = [
    "DOSSIER_KNOCKOUT",
    "PART_MAX",
    "PARTS",
    "STAR_BANDS",
    "MINIMUM_RULES",
    "KNOCKOUT_RULES",
    "OptionSpec",
    "Applicability",
    "CriterionSpec",
    "SheetSpec",
    "Scorecard",
    "CouncilRules",
    "UnmetMinimum",
    "MemberResult",
    "RankingResult",
    "InvalidScorecard",
    "InvalidSheet",
    "band_star",
    "required_minimum",
    "validate_sheet",
    "rank",
]

DOSSIER_KNOCKOUT = "dossier"

PARTS: tuple[str, ...] = ("A", "B", "C")
PART_MAX: Mapping[str, Decimal] = {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}
MAX_TOTAL = Decimal(100)

# (lower bound inclusive, star), highest first.
STAR_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(90), 5),
    (Decimal(70), 4),
    (Decimal(50), 3),
    (Decimal(30), 2),
)
MARKER_STARS = (3, 4, 5)
MIN_LEVEL = 2  # levels 1 and 2 have no minimums

MINIMUM_RULES = ("majority", "all", "any")
KNOCKOUT_RULES = ("majority", "any")

_CENT = Decimal("0.01")


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class OptionSpec:
    number: int  # 1-based, printed order
    points: Decimal
    min_star: int | None = None  # 3, 4, 5 or None
    rejects: bool = False  # choosing it is a knock-out by itself (rule 6, automatic)


@dataclass(frozen=True)
class Applicability:
    """ "Applies only when" condition."""

    criterion: str  # code of the criterion it depends on, e.g. "5.1"
    min_option: int  # applies when that criterion's chosen option number >= min_option
    text: str = ""  # the printed condition


@dataclass(frozen=True)
class CriterionSpec:
    code: str  # as printed: "1.1", "6.5", "7"
    part: str  # "A" | "B" | "C"
    max_points: Decimal
    options: tuple[OptionSpec, ...]
    knockout: bool = False  # has a "bị loại"/stop-evaluation note
    applies_when: Applicability | None = None


@dataclass(frozen=True)
class SheetSpec:
    number: int
    criteria: tuple[CriterionSpec, ...]  # printed order; codes unique


@dataclass(frozen=True)
class Scorecard:
    choices: Mapping[str, int]  # criterion code -> option number
    knockouts: tuple[str, ...] = ()  # knockout criterion codes, or DOSSIER_KNOCKOUT
    member: str | None = None  # opaque label echoed back


@dataclass(frozen=True)
class CouncilRules:
    council_size: int | None = None  # None = no quorum check (self-assessment)
    quorum: Decimal = Decimal("0.75")  # fraction of council_size that must score
    spread_threshold: Decimal = Decimal("10")
    minimum_rule: str = "majority"  # "majority" | "all" | "any"
    knockout_rule: str = "majority"  # "majority" | "any"
    ministry_threshold: Decimal = Decimal("90")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, order=True)
class UnmetMinimum:
    criterion: str
    star: int


@dataclass(frozen=True)
class MemberResult:
    member: str | None
    total: Decimal  # exact sum of the chosen points (no rounding needed)
    parts: dict[str, Decimal]  # "A"/"B"/"C" -> Decimal
    missing: tuple[str, ...]  # applicable criteria without a choice, printed order
    unmet_minimums: tuple[UnmetMinimum, ...]  # by star, then printed order
    knockouts: tuple[str, ...]  # deduplicated; dossier first, then printed order
    band_star: int = 1  # band of this member's own total
    min_star_met: int = MIN_LEVEL  # highest level whose minimums this member meets

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class RankingResult:
    sheet: int
    members: tuple[MemberResult, ...]  # canonical order (see module docstring)
    total: Decimal  # council mean, 0.01 ROUND_HALF_UP
    parts: dict[str, Decimal]  # mean per part, same rounding
    band_star: int  # from the rounded total
    min_star_met: int  # 2..5, under rules.minimum_rule
    star: int | None
    unmet_minimums: tuple[UnmetMinimum, ...]
    rejected: bool
    rejected_by: tuple[str, ...]
    spread: Decimal
    spread_exceeded: bool
    quorum_met: bool
    quorum_required: int | None
    certificate_eligible: bool
    propose_to_ministry: bool
    missing: tuple[str, ...]
    scoring_members: int = 0

    @property
    def complete(self) -> bool:
        return not self.missing


# --------------------------------------------------------------------------- errors


class InvalidScorecard(ValueError):
    """Bad input to :func:`rank`.

    ``code`` is one of ``unknown_criterion``, ``option_out_of_range``,
    ``not_applicable``, ``unknown_knockout``, ``no_scorecards``, ``bad_rule``;
    ``key`` the offending key (criterion code, ``"knockouts"``,
    ``"scorecards"`` or the rule's field name); ``member`` the 0-based index of
    the offending scorecard in the input (None when not about one scorecard);
    ``value`` the offending value when useful (e.g. the unknown knock-out key).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        key: str | None = None,
        member: int | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.key = key
        self.member = member
        self.value = value

    def __reduce__(self):  # keep kw-only attributes when pickled (task queues)
        return (
            _rebuild_error,
            (type(self), str(self), self.code, self.key, self.member, self.value),
        )


class InvalidSheet(ValueError):
    """The sheet itself is inconsistent (a data error, not a scoring error).

    ``key`` is the offending criterion code (or ``"criteria"``/a part name),
    ``code`` one of ``duplicate_code``, ``bad_part``, ``bad_options``,
    ``bad_points``, ``bad_marker``, ``part_over_max``, ``bad_applicability``.
    """

    def __init__(self, message: str, *, code: str, key: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.key = key

    def __reduce__(self):
        return (_rebuild_sheet_error, (type(self), str(self), self.code, self.key))


def _rebuild_error(cls, message, code, key, member, value):
    return cls(message, code=code, key=key, member=member, value=value)


def _rebuild_sheet_error(cls, message, code, key):
    return cls(message, code=code, key=key)


# --------------------------------------------------------------------------- helpers


def _as_decimal(value: object) -> Decimal | None:
    """Decimal for Decimal/int/float (floats via their repr); None if not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        try:
            d = Decimal(repr(value))
        except InvalidOperation:
            return None
    else:
        return None
    return d if d.is_finite() else None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def band_star(total: Decimal | int) -> int:
    """Star band of a (published, i.e. already rounded) total in ``[0, 100]``.

    ``<30`` → 1, ``[30,50)`` → 2, ``[50,70)`` → 3, ``[70,90)`` → 4,
    ``[90,100]`` → 5.  Raises ValueError outside ``[0, 100]``.
    """
    d = _as_decimal(total)
    if d is None or d < 0 or d > MAX_TOTAL:
        raise ValueError(f"total must be a number within [0, 100], got {total!r}")
    for lower, star in STAR_BANDS:
        if d >= lower:
            return star
    return 1


def _mean_half_up(values: Sequence[Decimal]) -> Decimal:
    """Exact mean of non-negative Decimals, quantized to 0.01 ROUND_HALF_UP."""
    n = len(values)
    num, den = 0, 1
    for v in values:  # exact rational sum
        p, q = v.as_integer_ratio()
        num, den = num * q + p * den, den * q
    # mean * 100 = num * 100 / (den * n); round half up (values are >= 0)
    top, bottom = num * 100, den * n
    cents = (2 * top + bottom) // (2 * bottom)
    return Decimal(cents).scaleb(-2).quantize(_CENT)


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


def validate_sheet(sheet: SheetSpec) -> None:
    """Raise :class:`InvalidSheet` if the sheet is inconsistent (see module docstring)."""
    by_code: dict[str, CriterionSpec] = {}
    part_sums = {p: Decimal(0) for p in PARTS}
    for c in sheet.criteria:
        if c.code in by_code:
            raise InvalidSheet(
                f"duplicate criterion code {c.code!r}", code="duplicate_code", key=c.code
            )
        by_code[c.code] = c
        if c.part not in PART_MAX:
            raise InvalidSheet(
                f"criterion {c.code}: part must be A, B or C, got {c.part!r}",
                code="bad_part",
                key=c.code,
            )
        max_points = _as_decimal(c.max_points)
        if max_points is None or max_points < 0:
            raise InvalidSheet(
                f"criterion {c.code}: bad max_points {c.max_points!r}",
                code="bad_points",
                key=c.code,
            )
        part_sums[c.part] += max_points
        if not c.options:
            raise InvalidSheet(f"criterion {c.code} has no options", code="bad_options", key=c.code)
        for i, o in enumerate(c.options, start=1):
            if not _is_int(o.number) or o.number != i:
                raise InvalidSheet(
                    f"criterion {c.code}: options must be numbered 1..n in order",
                    code="bad_options",
                    key=c.code,
                )
            pts = _as_decimal(o.points)
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
    for p in PARTS:
        if part_sums[p] > PART_MAX[p]:
            raise InvalidSheet(
                f"part {p}: max points sum to {part_sums[p]} > {PART_MAX[p]}",
                code="part_over_max",
                key=p,
            )
    # applicability: known target, valid option number, no cycles
    for c in sheet.criteria:
        aw = c.applies_when
        if aw is None:
            continue
        target = by_code.get(aw.criterion)
        if target is None or target.code == c.code:
            raise InvalidSheet(
                f"criterion {c.code}: applies_when refers to {aw.criterion!r}",
                code="bad_applicability",
                key=c.code,
            )
        if not _is_int(aw.min_option) or not 1 <= aw.min_option <= len(target.options):
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


def _validate_rules(rules: CouncilRules) -> tuple[Decimal, Decimal, Decimal]:
    def bad(key: str, msg: str) -> InvalidScorecard:
        return InvalidScorecard(msg, code="bad_rule", key=key, value=getattr(rules, key))

    size = rules.council_size
    if size is not None and (not _is_int(size) or size < 1):
        raise bad("council_size", "council_size must be None or an integer >= 1")
    quorum = _as_decimal(rules.quorum)
    if quorum is None or not (0 < quorum <= 1):
        raise bad("quorum", "quorum must be a fraction in (0, 1]")
    spread = _as_decimal(rules.spread_threshold)
    if spread is None or spread < 0:
        raise bad("spread_threshold", "spread_threshold must be >= 0")
    if rules.minimum_rule not in MINIMUM_RULES:
        raise bad("minimum_rule", f"minimum_rule must be one of {MINIMUM_RULES}")
    if rules.knockout_rule not in KNOCKOUT_RULES:
        raise bad("knockout_rule", f"knockout_rule must be one of {KNOCKOUT_RULES}")
    ministry = _as_decimal(rules.ministry_threshold)
    if ministry is None or not (0 <= ministry <= MAX_TOTAL):
        raise bad("ministry_threshold", "ministry_threshold must be within [0, 100]")
    return quorum, spread, ministry


def _passes(count: int, n: int, rule: str) -> bool:
    if rule == "all":
        return count == n
    if rule == "any":
        return count >= 1
    return 2 * count > n  # majority: strictly more than half


# --------------------------------------------------------------------------- member scoring

_APPLIES, _NOT_APPLICABLE, _UNDECIDED = "applies", "n/a", "undecided"


@dataclass(frozen=True)
class _Member:
    result: MemberResult
    # meets[(code, star)] for every criterion with a minimum at that star
    meets: dict[tuple[str, int], bool] = field(repr=False)
    sort_key: tuple = field(repr=False)


def _score_member(
    sheet: SheetSpec,
    index: int,
    card: Scorecard,
    by_code: Mapping[str, CriterionSpec],
    order: Mapping[str, int],
) -> _Member:
    choices = card.choices
    # 1. unknown codes and option ranges
    for code, number in choices.items():
        crit = by_code.get(code)
        if crit is None:
            raise InvalidScorecard(
                f"scorecard {index}: unknown criterion {code!r}",
                code="unknown_criterion",
                key=code,
                member=index,
            )
        if not _is_int(number) or not 1 <= number <= len(crit.options):
            raise InvalidScorecard(
                f"scorecard {index}: criterion {code} option {number!r} "
                f"outside 1..{len(crit.options)}",
                code="option_out_of_range",
                key=code,
                member=index,
                value=number,
            )

    # 2. applicability (memoised; the sheet is acyclic)
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

    # 3. knock-outs
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

    # 4. points, missing, minimums; an applicable choice of a rejecting option is a knock-out
    parts = {p: Decimal(0) for p in PARTS}
    missing: list[str] = []
    meets: dict[tuple[str, int], bool] = {}
    for crit in sheet.criteria:
        st = status[crit.code]
        chosen: OptionSpec | None = None
        if st == _APPLIES and crit.code in choices:
            chosen = crit.options[choices[crit.code] - 1]
            parts[crit.part] += _as_decimal(chosen.points)
            if chosen.rejects:
                ko_keys.add(crit.code)
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
    knockouts = tuple(sorted(ko_keys, key=lambda k: -1 if k == DOSSIER_KNOCKOUT else order[k]))
    total = sum(parts.values(), Decimal(0))
    unmet = tuple(
        UnmetMinimum(crit.code, star)
        for star in MARKER_STARS
        for crit in sheet.criteria
        if meets.get((crit.code, star)) is False
    )
    level = _highest_level(lambda star: all(v for (c, s), v in meets.items() if s == star))
    result = MemberResult(
        member=card.member,
        total=total,
        parts=parts,
        missing=tuple(missing),
        unmet_minimums=unmet,
        knockouts=knockouts,
        band_star=band_star(total),
        min_star_met=level,
    )
    sort_key = (
        card.member is None,
        type(card.member).__name__,
        str(card.member) if card.member is not None else "",
        tuple(sorted((order[c], n) for c, n in choices.items())),
        tuple(-1 if k == DOSSIER_KNOCKOUT else order[k] for k in knockouts),
    )
    return _Member(result=result, meets=meets, sort_key=sort_key)


def _highest_level(level_met) -> int:
    level = MIN_LEVEL
    for star in MARKER_STARS:
        if not level_met(star):
            break
        level = star
    return level


# --------------------------------------------------------------------------- council


def rank(
    sheet: SheetSpec, scorecards: Sequence[Scorecard], rules: CouncilRules = CouncilRules()
) -> RankingResult:
    """Rank a product from the council's (or a self-assessment's) scorecards.

    Raises :class:`InvalidScorecard` for bad scorecards or rules and
    :class:`InvalidSheet` for an inconsistent sheet.
    """
    quorum, spread_threshold, ministry_threshold = _validate_rules(rules)
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
        scored = [_score_member(sheet, i, card, by_code, order) for i, card in enumerate(cards)]
        scored.sort(key=lambda m: m.sort_key)
        members = tuple(m.result for m in scored)
        n = len(members)

        total = _mean_half_up([m.total for m in members])
        parts = {p: _mean_half_up([m.parts[p] for m in members]) for p in PARTS}
        band = band_star(total)

        # minimums at council level
        keys = scored[0].meets.keys()  # same criteria/stars for every member
        council_meets = {
            key: _passes(sum(1 for m in scored if m.meets[key]), n, rules.minimum_rule)
            for key in keys
        }
        unmet = tuple(
            UnmetMinimum(crit.code, star)
            for star in MARKER_STARS
            for crit in sheet.criteria
            if council_meets.get((crit.code, star)) is False
        )
        level = _highest_level(
            lambda star: all(v for (c, s), v in council_meets.items() if s == star)
        )

        # knock-outs at council level
        counts: dict[str, int] = {}
        for m in members:
            for key in m.knockouts:
                counts[key] = counts.get(key, 0) + 1
        rejected_by = tuple(
            sorted(
                (k for k, c in counts.items() if _passes(c, n, rules.knockout_rule)),
                key=lambda k: -1 if k == DOSSIER_KNOCKOUT else order[k],
            )
        )
        rejected = bool(rejected_by)

        # missing: union in printed order
        missing_set = {code for m in members for code in m.missing}
        missing = tuple(c.code for c in sheet.criteria if c.code in missing_set)

        totals = [m.total for m in members]
        spread = max(totals) - min(totals)

        if rules.council_size is None:
            quorum_required = None
            quorum_met = True
        else:
            quorum_required = int(
                (Decimal(rules.council_size) * quorum).to_integral_value(rounding=ROUND_CEILING)
            )
            quorum_met = n >= quorum_required

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
