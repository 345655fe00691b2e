"""Hypothesis property tests for the OCOP ranking engine (no database, no Django)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from apps.criteria.engine import (
    DOSSIER_KNOCKOUT,
    PART_MAX,
    PARTS,
    Applicability,
    CouncilRules,
    CriterionSpec,
    OptionSpec,
    Scorecard,
    SheetSpec,
    band_star,
    rank,
    required_minimum,
)

from .sheets import seven_sheet

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEVEN = seven_sheet()

# --------------------------------------------------------------------------- oracles


def applicability(sheet: SheetSpec, choices) -> dict[str, bool]:
    """Which criteria apply for a scorecard whose dependencies are all answered."""
    by_code = {c.code: c for c in sheet.criteria}
    memo: dict[str, bool] = {}

    def applies(code: str) -> bool:
        if code not in memo:
            aw = by_code[code].applies_when
            memo[code] = aw is None or (
                applies(aw.criterion)
                and aw.criterion in choices
                and choices[aw.criterion] >= aw.min_option
            )
        return memo[code]

    return {c.code: applies(c.code) for c in sheet.criteria}


def oracle_member_level(sheet: SheetSpec, choices) -> int:
    """Highest level whose (cumulative) minimums one complete scorecard meets."""
    app = applicability(sheet, choices)
    level = 2
    for star in (3, 4, 5):
        for c in sheet.criteria:
            if not app[c.code]:
                continue
            chosen = c.options[choices[c.code] - 1].points
            if any(
                o.min_star is not None and o.min_star <= star and chosen < o.points
                for o in c.options
            ):
                return level
        level = star
    return level


def member_total(sheet: SheetSpec, choices) -> D:
    app = applicability(sheet, choices)
    return sum((c.options[choices[c.code] - 1].points for c in sheet.criteria if app[c.code]), D(0))


def mean_half_up(values) -> D:
    exact = sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    # Fraction -> Decimal with plenty of digits, then exact half-up on the cent
    cents = Fraction(exact * 100)
    floor = cents.numerator // cents.denominator
    rounded = floor + (1 if cents - floor >= Fraction(1, 2) else 0)
    return (D(rounded) / 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- strategies


@st.composite
def sheets(draw) -> SheetSpec:
    """Random valid sheets: 1-4 criteria per part, 1-5 options, markers, knock-outs,
    applicability conditions (acyclic), printed order shuffled."""
    criteria: list[CriterionSpec] = []
    for part in PARTS:
        k = draw(st.integers(1, 4))
        cap_cents = int(PART_MAX[part] * 100)
        maxima = draw(st.lists(st.integers(0, cap_cents // k), min_size=k, max_size=k))
        if draw(st.booleans()):  # often use the whole part
            maxima[-1] = cap_cents - sum(maxima[:-1])
        for i, max_cents in enumerate(maxima):
            n = draw(st.integers(1, 5))
            pts = draw(st.lists(st.integers(0, max_cents), min_size=n, max_size=n))
            if draw(st.booleans()):
                pts = sorted(pts)
            markers = draw(
                st.lists(st.sampled_from([None, None, None, 3, 4, 5]), min_size=n, max_size=n)
            )
            applies_when = None
            if criteria and draw(st.integers(0, 3)) == 0:
                target = draw(st.sampled_from(criteria))
                applies_when = Applicability(
                    target.code, draw(st.integers(1, len(target.options))), "chỉ áp dụng khi ..."
                )
            criteria.append(
                CriterionSpec(
                    code=f"{part}{i + 1}",
                    part=part,
                    max_points=D(max_cents).scaleb(-2),
                    options=tuple(
                        OptionSpec(j + 1, D(p).scaleb(-2), m)
                        for j, (p, m) in enumerate(zip(pts, markers, strict=True))
                    ),
                    knockout=draw(st.booleans()),
                    applies_when=applies_when,
                )
            )
    printed = tuple(draw(st.permutations(criteria)))
    return SheetSpec(number=draw(st.integers(1, 9)), criteria=printed)


any_sheet = st.one_of(st.just(SEVEN), sheets())


def topological(sheet: SheetSpec) -> list[CriterionSpec]:
    done: set[str] = set()
    out: list[CriterionSpec] = []
    pending = list(sheet.criteria)
    while pending:
        rest = []
        for c in pending:
            if c.applies_when is None or c.applies_when.criterion in done:
                out.append(c)
                done.add(c.code)
            else:
                rest.append(c)
        pending = rest
    return out


@st.composite
def complete_choices(draw, sheet: SheetSpec) -> dict[str, int]:
    choices: dict[str, int] = {}
    for c in topological(sheet):
        aw = c.applies_when
        if aw is not None and choices.get(aw.criterion, 0) < aw.min_option:
            continue  # does not apply (or its dependency does not)
        choices[c.code] = draw(st.integers(1, len(c.options)))
    return choices


@st.composite
def scorecards(draw, sheet: SheetSpec, member=None) -> Scorecard:
    keys = [DOSSIER_KNOCKOUT] + [c.code for c in sheet.criteria if c.knockout]
    knockouts = (
        draw(st.lists(st.sampled_from(keys), max_size=2)) if draw(st.integers(0, 4)) == 0 else []
    )
    return Scorecard(
        choices=draw(complete_choices(sheet)), knockouts=tuple(knockouts), member=member
    )


rules_strategy = st.builds(
    CouncilRules,
    council_size=st.one_of(st.none(), st.integers(1, 9)),
    quorum=st.sampled_from([D("0.5"), D("0.75"), D("2") / D("3"), D(1)]),
    spread_threshold=st.sampled_from([D(0), D(5), D(10), D("12.5")]),
    minimum_rule=st.sampled_from(["majority", "all", "any"]),
    knockout_rule=st.sampled_from(["majority", "any"]),
    ministry_threshold=st.sampled_from([D(90), D(95)]),
)


@st.composite
def councils(draw, sheet_strategy=any_sheet, min_members=1, max_members=5):
    sheet = draw(sheet_strategy)
    n = draw(st.integers(min_members, max_members))
    labels = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(["u1", "u2", "u3", "u4"])), min_size=n, max_size=n
        )
    )
    cards = [draw(scorecards(sheet, member=label)) for label in labels]
    return sheet, cards, draw(rules_strategy)


def raise_one(draw, sheet: SheetSpec, card: Scorecard):
    """A copy of ``card`` with one applicable criterion raised to a higher-points option,
    chosen so that the set of applicable criteria does not change; None if impossible."""
    app = applicability(sheet, card.choices)
    candidates = []
    for c in sheet.criteria:
        if not app[c.code]:
            continue
        current = c.options[card.choices[c.code] - 1].points
        for o in c.options:
            if o.points > current:
                new = {**card.choices, c.code: o.number}
                if applicability(sheet, new) == app:
                    candidates.append(new)
    if not candidates:
        return None
    new = draw(st.sampled_from(candidates))
    return Scorecard(choices=new, knockouts=card.knockouts, member=card.member)


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(councils())
def test_totals_within_bounds_and_mean_is_exact_half_up(council):
    sheet, cards, rules = council
    r = rank(sheet, cards, rules)
    assert D(0) <= r.total <= D(100)
    for m in r.members:
        assert D(0) <= m.total <= D(100)
        assert m.total == sum(m.parts.values())
        for p in PARTS:
            assert D(0) <= m.parts[p] <= PART_MAX[p]
    assert r.total == mean_half_up([member_total(sheet, c.choices) for c in cards])
    assert r.total.as_tuple().exponent == -2
    for p in PARTS:
        assert D(0) <= r.parts[p] <= PART_MAX[p]
        assert r.parts[p] == mean_half_up([m.parts[p] for m in r.members])
    assert r.missing == ()
    assert r.band_star == band_star(r.total)
    totals = [m.total for m in r.members]
    assert r.spread == max(totals) - min(totals) >= 0
    assert r.spread_exceeded is (r.spread > rules.spread_threshold)


@SETTINGS
@given(councils())
def test_star_composition(council):
    sheet, cards, rules = council
    r = rank(sheet, cards, rules)
    assert 2 <= r.min_star_met <= 5
    if r.rejected or not r.quorum_met:
        assert r.star is None
    else:
        assert r.star == min(r.band_star, r.min_star_met)
    assert r.certificate_eligible is (r.star is not None and r.star >= 3)
    # Đ7.3.e: a standing result of 90 or more is proposed, whatever its star
    assert r.propose_to_ministry is (r.star is not None and r.total >= rules.ministry_threshold)
    # unmet minimums are exactly the levels above min_star_met that fail, sorted
    assert list(r.unmet_minimums) == sorted(
        r.unmet_minimums,
        key=lambda u: (u.star, [c.code for c in sheet.criteria].index(u.criterion)),
    )
    failing_levels = {u.star for u in r.unmet_minimums}
    assert all(s not in failing_levels for s in range(3, r.min_star_met + 1))
    if r.min_star_met < 5:
        assert r.min_star_met + 1 in failing_levels


@SETTINGS
@given(any_sheet.flatmap(lambda s: st.tuples(st.just(s), complete_choices(s))))
def test_single_member_matches_oracle(case):
    sheet, choices = case
    r = rank(sheet, [Scorecard(choices)])
    level = oracle_member_level(sheet, choices)
    total = member_total(sheet, choices)
    assert r.members[0].total == total
    assert r.min_star_met == level == r.members[0].min_star_met
    assert r.star == min(band_star(total.quantize(D("0.01"))), level)
    assert r.unmet_minimums == r.members[0].unmet_minimums
    assert r.spread == 0 and not r.spread_exceeded


@SETTINGS
@given(any_sheet.flatmap(lambda s: st.tuples(st.just(s), scorecards(s))), st.data())
def test_raising_an_option_never_lowers_the_star_single(case, data):
    sheet, card = case
    raised = raise_one(data.draw, sheet, card)
    assume(raised is not None)
    before, after = rank(sheet, [card]), rank(sheet, [raised])
    assert after.total >= before.total
    assert after.min_star_met >= before.min_star_met
    assert (after.star is None) == (before.star is None)  # only knock-outs block here
    if before.star is not None:
        assert after.star >= before.star


@SETTINGS
@given(councils(min_members=2), st.data())
def test_raising_an_option_never_lowers_the_star_council(council, data):
    sheet, cards, rules = council
    i = data.draw(st.integers(0, len(cards) - 1))
    raised = raise_one(data.draw, sheet, cards[i])
    assume(raised is not None)
    before = rank(sheet, cards, rules)
    after = rank(sheet, [*cards[:i], raised, *cards[i + 1 :]], rules)
    assert after.total >= before.total
    assert after.band_star >= before.band_star
    assert after.min_star_met >= before.min_star_met
    assert (after.star is None) == (before.star is None)
    if before.star is not None:
        assert after.star >= before.star


@SETTINGS
@given(councils(max_members=6), st.data())
def test_member_order_never_changes_the_result(council, data):
    sheet, cards, rules = council
    shuffled = data.draw(st.permutations(cards))
    assert rank(sheet, shuffled, rules) == rank(sheet, cards, rules)


@SETTINGS
@given(any_sheet.flatmap(lambda s: st.tuples(st.just(s), complete_choices(s))), st.data())
def test_dropping_an_applicable_criterion_blocks_the_star(case, data):
    sheet, choices = case
    code = data.draw(st.sampled_from(sorted(choices)))
    dropped = {k: v for k, v in choices.items() if k != code}
    r = rank(sheet, [Scorecard(dropped)])
    assert code in r.missing and r.star is None
    assert not r.certificate_eligible and not r.propose_to_ministry


@SETTINGS
@given(any_sheet)
def test_required_minimum_is_monotone_in_level(sheet):
    for c in sheet.criteria:
        prev = None
        for star in (3, 4, 5):
            req = required_minimum(c, star)
            if prev is not None:
                assert req is not None and req.points >= prev.points
            prev = req


# --------------------------------------------------------------------------- band function


@pytest.mark.parametrize(
    "below, at, star",
    [
        ("29.99", "30", 2),
        ("49.99", "50", 3),
        ("69.99", "70", 4),
        ("89.99", "90", 5),
    ],
)
def test_band_edges(below, at, star):
    assert band_star(D(below)) == star - 1
    assert band_star(D(at)) == star
    assert band_star(D(at).quantize(D("0.01"))) == star


cents = st.integers(0, 10000).map(lambda c: D(c).scaleb(-2))


@SETTINGS
@given(cents, cents)
def test_band_is_monotone_and_matches_thresholds(a, b):
    lo, hi = min(a, b), max(a, b)
    assert 1 <= band_star(lo) <= band_star(hi) <= 5
    expected = 1 + sum(lo >= t for t in (D(30), D(50), D(70), D(90)))
    assert band_star(lo) == expected
