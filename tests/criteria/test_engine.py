"""Example-based tests for the OCOP ranking engine (no database, no Django)."""

from __future__ import annotations

import ast
import pickle
from decimal import Decimal as D
from pathlib import Path

import pytest

from apps.criteria import engine
from apps.criteria.engine import (
    DOSSIER_KNOCKOUT,
    Applicability,
    CouncilRules,
    CriterionSpec,
    InvalidScorecard,
    InvalidSheet,
    OptionSpec,
    Scorecard,
    SheetSpec,
    UnmetMinimum,
    band_star,
    rank,
    required_minimum,
)

from .sheets import STORY_TEXT, crit, seven_sheet

SHEET = seven_sheet()
TOP = {c.code: len(c.options) for c in SHEET.criteria}  # 100 points, every minimum met


def card(changes=None, drop=(), knockouts=(), member=None, base=None) -> Scorecard:
    choices = dict(TOP if base is None else base)
    choices.update(changes or {})
    for code in drop:
        choices.pop(code, None)
    return Scorecard(choices=choices, knockouts=tuple(knockouts), member=member)


def rounding_sheet() -> SheetSpec:
    """One free criterion per part, so totals with 2-3 decimals are easy to build.

    total = A1 + 25 + 15 = A1 + 40.
    """
    return SheetSpec(
        number=99,
        criteria=(
            crit("A1", "A", [0, "26.34", "26.345", "26.35", "29.99", 30, 40]),
            crit("B1", "B", [0, 25]),
            crit("C1", "C", [0, 15, 35]),
        ),
    )


def rcard(a1_points: str, member=None) -> Scorecard:
    sheet = rounding_sheet()
    number = next(o.number for o in sheet.criteria[0].options if o.points == D(a1_points))
    return Scorecard(choices={"A1": number, "B1": 2, "C1": 2}, member=member)


# --------------------------------------------------------------------------- module hygiene


def test_engine_imports_only_stdlib():
    roots = set()
    for path in Path(engine.__file__).parent.glob("*.py"):  # the engine package's modules
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom):  # "." = a sibling module of the engine
                roots.add("." if node.level == 1 else (node.module or "").split(".")[0])
    assert roots <= {"__future__", "collections", "dataclasses", "decimal", "typing", "."}


def test_test_sheet_is_100_points():
    r = rank(SHEET, [card()])
    assert r.total == D("100.00")
    assert r.parts == {"A": D("40.00"), "B": D("25.00"), "C": D("35.00")}
    assert r.band_star == 5 and r.min_star_met == 5 and r.star == 5
    assert r.unmet_minimums == ()
    assert r.certificate_eligible and r.propose_to_ministry
    assert r.members[0].total == D(100)


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    "total, star",
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("30.00", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("90.00", 5),
        ("100", 5),
    ],
)
def test_band_star_edges(total, star):
    assert band_star(D(total)) == star


@pytest.mark.parametrize("bad", [D("-0.01"), D("100.01"), D("NaN"), D("Infinity"), "50", None])
def test_band_star_rejects_out_of_range(bad):
    with pytest.raises(ValueError):
        band_star(bad)


LOW = {"2.2": 1, "2.1": 1, "3.2": 1, "6.2": 1, "1.3": 1}  # -49, no markers involved


@pytest.mark.parametrize(
    "changes, total, star, level",
    [
        ({"2.1": 1}, "90.00", 5, 5),  # 90 -> 5*
        ({"2.1": 1, "5.1": 2}, "89.00", 4, 5),  # 89 -> 4*
        ({"2.2": 1, "2.1": 1, "3.2": 2}, "70.00", 4, 5),  # 70 -> 4*
        ({"2.2": 1, "2.1": 1, "3.2": 2, "5.1": 2}, "69.00", 3, 5),  # 69 -> 3*
        ({**LOW, "6.1": 2, "1.1": 2}, "48.00", 2, 5),  # 48 -> 2*
        ({**LOW, "5.1": 2, "5.2": 2, "1.1": 2, "6.1": 2}, "46.00", 2, 5),
        ({**LOW, "5.1": 1, "3.1": 1, "6.1": 1, "1.1": 2}, "30.00", 2, 2),  # 30 -> 2*
        ({**LOW, "5.1": 1, "3.1": 1, "6.1": 1, "1.1": 1}, "29.00", 1, 2),  # 29 -> 1*
    ],
)
def test_band_through_rank(changes, total, star, level):
    drop = ["5.2"] if changes.get("5.1") == 1 else []
    r = rank(SHEET, [card(changes, drop=drop)])
    assert r.total == D(total)
    assert r.min_star_met == level
    assert r.band_star == star and r.star == min(star, level)
    assert r.certificate_eligible is (r.star >= 3)
    assert r.propose_to_ministry is (
        r.total >= 90
    )  # Đ7.3.e: "đạt từ 90 trở lên", whatever the star


# --------------------------------------------------------------------------- minimums


def test_gate_lowers_star_to_four():
    r = rank(SHEET, [card({"1.5": 3})])  # 99 points, 1.5 below its 5* marker
    assert r.total == D("99.00") and r.band_star == 5
    assert r.min_star_met == 4 and r.star == 4
    assert r.unmet_minimums == (UnmetMinimum("1.5", 5),)
    # 90 points or more: proposed to the ministry even though a 5★ minimum is missed (Đ7.3.e)
    assert r.propose_to_ministry and r.certificate_eligible


def test_gate_three_star_failure_caps_at_two_and_is_cumulative():
    r = rank(SHEET, [card({"1.2": 1})])  # 95 points, 1.2 below its 3* marker
    assert r.total == D("95.00") and r.band_star == 5
    assert r.min_star_met == 2 and r.star == 2
    # the 3* marker still binds at 4* and 5*; ordered by star then printed order
    assert r.unmet_minimums == (
        UnmetMinimum("1.2", 3),
        UnmetMinimum("1.2", 4),
        UnmetMinimum("1.2", 5),
    )
    assert not r.certificate_eligible


def test_unmet_minimums_ordered_by_star_then_printed_order():
    r = rank(SHEET, [card({"7": 3, "1.5": 2, "1.1": 1})])
    assert r.unmet_minimums == (
        UnmetMinimum("1.1", 4),
        UnmetMinimum("1.5", 4),
        UnmetMinimum("1.1", 5),
        UnmetMinimum("1.5", 5),
        UnmetMinimum("7", 5),
    )
    assert r.min_star_met == 3
    assert r.members[0].unmet_minimums == r.unmet_minimums


def test_minimum_compares_points_not_option_numbers():
    sheet = SheetSpec(
        number=1,
        criteria=(
            # options 2 and 3 carry the same points; the marker is on option 3
            crit("X", "A", [0, 5, 5, 8], {3: 4}),
            crit("Y", "B", [0, 25]),
            crit("Z", "C", [0, 35]),
        ),
    )
    r = rank(sheet, [Scorecard({"X": 2, "Y": 2, "Z": 2})])
    assert r.min_star_met == 5  # option 2 has the marked option's points
    assert r.total == D("65.00") and r.star == 3
    r = rank(sheet, [Scorecard({"X": 1, "Y": 2, "Z": 2})])
    assert r.min_star_met == 3


def test_required_minimum_is_strongest_marker_at_or_below_level():
    c = SHEET.criteria[3]  # 1.5
    assert required_minimum(c, 3) is None
    assert required_minimum(c, 4).number == 3
    assert required_minimum(c, 5).number == 4
    assert required_minimum(SHEET.criteria[0], 5).number == 2  # 1.1: 4* marker still binds


def test_majority_minimum_rule_vs_all_and_any():
    cards = [card(member="a"), card(member="b"), card({"1.5": 3}, member="c")]
    r = rank(SHEET, cards)
    assert r.total == D("99.67") and r.star == 5 and r.unmet_minimums == ()
    r = rank(SHEET, cards, CouncilRules(minimum_rule="all"))
    assert r.star == 4 and r.unmet_minimums == (UnmetMinimum("1.5", 5),)
    two_fail = [card(member="a"), card({"1.5": 3}, member="b"), card({"1.5": 2}, member="c")]
    assert rank(SHEET, two_fail).star == 4
    r = rank(SHEET, two_fail, CouncilRules(minimum_rule="any"))
    assert r.min_star_met == 5 and r.star == 5


def test_majority_is_strictly_more_than_half():
    cards = [card(member="a"), card({"1.5": 3}, member="b")]  # 1 of 2 meets 5*
    r = rank(SHEET, cards)
    assert r.min_star_met == 4 and r.star == 4


# --------------------------------------------------------------------------- knock-outs


def test_single_knockout_rejects():
    r = rank(SHEET, [card(knockouts=["6.1"])])
    assert r.rejected and r.rejected_by == ("6.1",)
    assert r.star is None and not r.certificate_eligible and not r.propose_to_ministry
    assert r.total == D("100.00") and r.band_star == 5  # score still reported
    assert r.members[0].knockouts == ("6.1",)


def test_dossier_knockout_listed_first_and_deduplicated():
    r = rank(SHEET, [card(knockouts=["6.1", DOSSIER_KNOCKOUT, "6.1"])])
    assert r.rejected_by == (DOSSIER_KNOCKOUT, "6.1")
    assert r.members[0].knockouts == (DOSSIER_KNOCKOUT, "6.1")


def test_council_knockout_majority_and_any():
    one = [card(knockouts=["6.1"], member="a"), card(member="b"), card(member="c")]
    r = rank(SHEET, one)
    assert not r.rejected and r.rejected_by == () and r.star == 5
    r = rank(SHEET, one, CouncilRules(knockout_rule="any"))
    assert r.rejected and r.rejected_by == ("6.1",) and r.star is None
    two = [
        card(knockouts=["6.1"], member="a"),
        card(knockouts=["6.1"], member="b"),
        card(member="c"),
    ]
    assert rank(SHEET, two).rejected_by == ("6.1",)
    # different keys do not add up
    split = [
        card(knockouts=["6.1"], member="a"),
        card(knockouts=[DOSSIER_KNOCKOUT], member="b"),
        card(member="c"),
    ]
    assert not rank(SHEET, split).rejected
    # 1 of 2 is not a majority
    half = [card(knockouts=[DOSSIER_KNOCKOUT], member="a"), card(member="b")]
    assert not rank(SHEET, half).rejected


def test_knockout_on_non_applicable_criterion_is_accepted():
    sheet = SheetSpec(
        number=1,
        criteria=(
            crit("S", "A", [0, 10]),
            crit("K", "A", [0, 30], knockout=True, applies_when=Applicability("S", 2, "")),
            crit("Y", "B", [0, 25]),
            crit("Z", "C", [0, 35]),
        ),
    )
    r = rank(sheet, [Scorecard({"S": 1, "Y": 2, "Z": 2}, knockouts=("K",))])
    assert r.rejected and r.missing == ()


def test_choosing_a_rejecting_option_is_a_knockout_without_declaring_it():
    # sheet 19 criterion 6: "Không đánh giá các bước tiếp theo nếu không có Phiếu công bố…"
    declaration = CriterionSpec(
        code="6",
        part="C",
        max_points=D(5),
        options=(OptionSpec(1, D(0), rejects=True), OptionSpec(2, D(5))),
    )
    sheet = SheetSpec(
        number=19,
        criteria=(
            crit("A1", "A", [0, 40]),
            crit("B1", "B", [0, 25]),
            declaration,
            crit("C1", "C", [0, 30]),
        ),
    )
    best = {"A1": 2, "B1": 2, "6": 2, "C1": 2}
    assert rank(sheet, [Scorecard(best)]).star == 5
    r = rank(sheet, [Scorecard({**best, "6": 1})])
    assert r.rejected and r.rejected_by == ("6",) and r.star is None
    assert r.members[0].knockouts == ("6",)
    # declared knock-outs stay for knock-out criteria only: "6" is not one
    with pytest.raises(InvalidScorecard) as error:
        rank(sheet, [Scorecard(best, knockouts=("6",))])
    assert error.value.code == "unknown_knockout"
    # the council weighs an automatic knock-out like a declared one (majority by default)
    council = [
        Scorecard({**best, "6": 1}, member="a"),
        Scorecard(best, member="b"),
        Scorecard(best, member="c"),
    ]
    assert not rank(sheet, council).rejected
    assert rank(sheet, council, CouncilRules(knockout_rule="any")).rejected_by == ("6",)


def test_a_rejecting_option_of_a_criterion_that_does_not_apply_cannot_reject():
    sheet = SheetSpec(
        number=1,
        criteria=(
            crit("S", "A", [0, 10]),
            CriterionSpec(
                code="K",
                part="A",
                max_points=D(30),
                options=(OptionSpec(1, D(0), rejects=True), OptionSpec(2, D(30))),
                applies_when=Applicability("S", 2, ""),
            ),
            crit("Y", "B", [0, 25]),
            crit("Z", "C", [0, 35]),
        ),
    )
    r = rank(sheet, [Scorecard({"S": 1, "Y": 2, "Z": 2})])
    assert not r.rejected and r.missing == ()


# --------------------------------------------------------------------------- spread / quorum


def test_spread_flag():
    cards = [card(member="a"), card({"2.2": 2}, member="b")]  # 100 and 90
    r = rank(SHEET, cards)
    assert r.spread == D(10) and not r.spread_exceeded  # strictly greater
    cards = [card(member="a"), card({"2.2": 1}, member="b")]  # 100 and 85
    r = rank(SHEET, cards)
    assert r.spread == D(15) and r.spread_exceeded
    r = rank(SHEET, cards, CouncilRules(spread_threshold=D(15)))
    assert not r.spread_exceeded
    assert rank(SHEET, [card()]).spread == 0


def test_spread_does_not_change_star():
    cards = [card(member="a"), card({"2.2": 1}, member="b")]
    r = rank(SHEET, cards)
    assert r.total == D("92.50") and r.star == 5
    assert r.spread_exceeded


@pytest.mark.parametrize(
    "size, quorum, required",
    [
        (7, D("0.75"), 6),
        (4, D("0.75"), 3),
        (8, D("0.75"), 6),
        (5, D("0.5"), 3),
        (3, D(1), 3),
    ],
)
def test_quorum_required(size, quorum, required):
    r = rank(
        SHEET,
        [card(member=str(i)) for i in range(required)],
        CouncilRules(council_size=size, quorum=quorum),
    )
    assert r.quorum_required == required and r.quorum_met and r.star == 5
    r = rank(
        SHEET,
        [card(member=str(i)) for i in range(required - 1)],
        CouncilRules(council_size=size, quorum=quorum),
    )
    assert r.quorum_required == required and not r.quorum_met and r.star is None
    assert r.total == D("100.00")  # still reported
    assert not r.certificate_eligible and not r.propose_to_ministry


def test_no_quorum_check_for_self_assessment():
    r = rank(SHEET, [card()])
    assert r.quorum_met and r.quorum_required is None


# ----------------------------------------------------------------- completeness / applicability


def test_incomplete_scorecard_has_no_star_and_names_missing():
    r = rank(SHEET, [card(drop=["3.2"])])
    assert r.star is None and r.missing == ("3.2",)
    assert r.total == D("90.00") and r.band_star == 5
    assert r.members[0].missing == ("3.2",)
    assert not r.certificate_eligible


def test_missing_is_union_in_printed_order():
    r = rank(
        SHEET, [card(drop=["7"], member="a"), card(drop=["1.1"], member="b"), card(member="c")]
    )
    assert r.missing == ("1.1", "7") and r.star is None


def test_missing_criterion_does_not_meet_its_minimum():
    r = rank(SHEET, [card(drop=["1.2"])])
    assert UnmetMinimum("1.2", 3) in r.unmet_minimums and r.min_star_met == 2


def test_dependent_of_unanswered_criterion_is_missing():
    r = rank(SHEET, [card(drop=["5.1"])])  # 5.2 still chosen
    assert r.missing == ("5.1", "5.2") and r.star is None
    assert r.total == D(95)  # neither 5.1 nor the undecidable 5.2 counts


def test_not_applicable_story_criterion():
    r = rank(SHEET, [card({"5.1": 1}, drop=["5.2"])])  # no product story
    assert r.missing == ()
    assert r.total == D("95.00") and r.parts["B"] == D("20.00")
    assert r.min_star_met == 5 and r.star == 5  # 5.2's 4* marker does not apply


def test_applicable_story_criterion_minimum_binds():
    r = rank(SHEET, [card({"5.1": 2, "5.2": 1})])  # story exists, 5.2 below its 4* marker
    assert r.total == D("97.00") and r.min_star_met == 3 and r.star == 3
    assert r.unmet_minimums == (UnmetMinimum("5.2", 4), UnmetMinimum("5.2", 5))


def test_non_applicable_member_counts_as_meeting_in_council():
    cards = [
        card({"5.1": 1}, drop=["5.2"], member="a"),
        card({"5.2": 1}, member="b"),
        card(member="c"),
    ]
    r = rank(SHEET, cards)
    assert r.min_star_met == 5


def test_chained_non_applicability():
    sheet = SheetSpec(
        number=1,
        criteria=(
            crit("S", "A", [0, 10]),
            crit("T", "A", [0, 10], applies_when=Applicability("S", 2, "")),
            crit("U", "A", [0, 20], applies_when=Applicability("T", 2, "")),
            crit("Y", "B", [0, 25]),
            crit("Z", "C", [0, 35]),
        ),
    )
    r = rank(sheet, [Scorecard({"S": 1, "Y": 2, "Z": 2})])
    assert r.missing == () and r.total == D(60)
    r = rank(sheet, [Scorecard({"S": 2, "Y": 2, "Z": 2})])
    assert r.missing == ("T", "U")
    with pytest.raises(InvalidScorecard) as e:
        rank(sheet, [Scorecard({"S": 1, "U": 1, "Y": 2, "Z": 2})])
    assert e.value.code == "not_applicable" and e.value.key == "U"
    # S unanswered: T and, through it, U are undecided -> missing, whatever was chosen
    for t in (1, 2):
        r = rank(sheet, [Scorecard({"T": t, "U": 1, "Y": 2, "Z": 2})])
        assert r.missing == ("S", "T", "U") and r.total == D(60) and r.star is None


# --------------------------------------------------------------------------- validation


DEFAULT_RULES = CouncilRules()


def _raises(sheet, cards, rules=DEFAULT_RULES):
    with pytest.raises(InvalidScorecard) as e:
        rank(sheet, cards, rules)
    return e.value


def test_unknown_criterion():
    e = _raises(SHEET, [card(), card({"9.9": 1})])
    assert (e.code, e.key, e.member) == ("unknown_criterion", "9.9", 1)


@pytest.mark.parametrize("bad", [0, 4, -1, "2", True, 2.0, None])
def test_option_out_of_range(bad):
    e = _raises(SHEET, [card({"1.1": bad})])
    assert (e.code, e.key, e.member) == ("option_out_of_range", "1.1", 0)


def test_not_applicable():
    e = _raises(SHEET, [card(member="x"), card({"5.1": 1}, member="y")])
    assert (e.code, e.key, e.member) == ("not_applicable", "5.2", 1)
    assert STORY_TEXT in str(e)


@pytest.mark.parametrize("key", ["1.1", "9.9", "Dossier", ""])
def test_unknown_knockout(key):
    e = _raises(SHEET, [card(knockouts=[key])])
    assert (e.code, e.key, e.member, e.value) == ("unknown_knockout", "knockouts", 0, key)


def test_no_scorecards():
    e = _raises(SHEET, [])
    assert e.code == "no_scorecards" and e.member is None


@pytest.mark.parametrize(
    "rules, key",
    [
        (CouncilRules(minimum_rule="unanimous"), "minimum_rule"),
        (CouncilRules(knockout_rule="all"), "knockout_rule"),
        (CouncilRules(council_size=0), "council_size"),
        (CouncilRules(council_size=True), "council_size"),
        (CouncilRules(quorum=D(0)), "quorum"),
        (CouncilRules(quorum=D("1.5")), "quorum"),
        (CouncilRules(spread_threshold=D(-1)), "spread_threshold"),
        (CouncilRules(ministry_threshold=D(101)), "ministry_threshold"),
    ],
)
def test_bad_rule(rules, key):
    e = _raises(SHEET, [card()], rules)
    assert (e.code, e.key, e.member) == ("bad_rule", key, None)


def test_invalid_scorecard_is_value_error_and_picklable():
    e = _raises(SHEET, [card({"1.1": 9})])
    assert isinstance(e, ValueError)
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.code, e2.key, e2.member, str(e2)) == (e.code, e.key, e.member, str(e))


@pytest.mark.parametrize(
    "criteria, code",
    [
        ((crit("X", "A", [0, 1]), crit("X", "B", [0, 1])), "duplicate_code"),
        ((crit("X", "D", [0, 1]),), "bad_part"),
        ((CriterionSpec("X", "A", D(1), ()),), "bad_options"),
        ((CriterionSpec("X", "A", D(1), (OptionSpec(2, D(1), None),)),), "bad_options"),
        ((crit("X", "A", [0, 5], max_points=4),), "bad_points"),
        ((crit("X", "A", [-1, 5]),), "bad_points"),
        ((crit("X", "A", [0, 5], {2: 2}),), "bad_marker"),
        ((crit("X", "A", [0, 30]), crit("Y", "A", [0, 11])), "part_over_max"),
        ((crit("X", "A", [0, 5], applies_when=Applicability("Q", 1, "")),), "bad_applicability"),
        (
            (
                crit("X", "A", [0, 5]),
                crit("Y", "A", [0, 5], applies_when=Applicability("X", 3, "")),
            ),
            "bad_applicability",
        ),
        (
            (
                crit("X", "A", [0, 5], applies_when=Applicability("Y", 1, "")),
                crit("Y", "A", [0, 5], applies_when=Applicability("X", 1, "")),
            ),
            "bad_applicability",
        ),
    ],
)
def test_invalid_sheet(criteria, code):
    with pytest.raises(InvalidSheet) as e:
        rank(SheetSpec(1, criteria), [Scorecard({})])
    assert e.value.code == code


# --------------------------------------------------------------------------- rounding


def test_rounding_half_up_three_members():
    sheet = rounding_sheet()
    # 66.34 + 66.345 + 66.35 = 199.035; / 3 = 66.345 exactly -> 66.35 (half-even would give 66.34)
    r = rank(sheet, [rcard("26.34", "a"), rcard("26.345", "b"), rcard("26.35", "c")])
    assert r.total == D("66.35")
    assert str(r.total) == "66.35"
    assert r.parts == {"A": D("26.35"), "B": D("25.00"), "C": D("15.00")}


def test_rounding_half_up_two_members():
    sheet = rounding_sheet()
    r = rank(sheet, [rcard("26.34", "a"), rcard("26.35", "b")])  # 66.345 -> 66.35
    assert r.total == D("66.35")


def test_rounding_repeating_mean():
    sheet = rounding_sheet()
    r = rank(sheet, [rcard("26.34", "a"), rcard("26.34", "b"), rcard("26.35", "c")])
    assert r.total == D("66.34")  # 66.34333...


def test_band_uses_rounded_mean():
    sheet = rounding_sheet()
    r = rank(sheet, [rcard("29.99", "a"), rcard("30", "b")])  # 69.995 -> 70.00 -> 4*
    assert r.total == D("70.00") and r.band_star == 4 and r.star == 4


# --------------------------------------------------------------------------- council misc


def test_member_order_does_not_matter():
    cards = [
        card({"1.5": 3}, member="b"),
        card(member="a"),
        card({"2.2": 1}, member="c"),
        card({"6.2": 2}, knockouts=["6.1"]),
    ]
    r1 = rank(SHEET, cards)
    r2 = rank(SHEET, list(reversed(cards)))
    assert r1 == r2
    assert [m.member for m in r1.members] == ["a", "b", "c", None]


def test_member_results_echo_labels_and_own_stars():
    r = rank(SHEET, [card({"1.5": 3}, member="u1"), card({"2.2": 1, "2.1": 1}, member="u2")])
    m1, m2 = r.members
    assert (m1.member, m1.total, m1.band_star, m1.min_star_met) == ("u1", D(99), 5, 4)
    assert (m2.member, m2.total, m2.band_star, m2.min_star_met) == ("u2", D(75), 4, 5)
    assert m2.parts == {"A": D(15), "B": D(25), "C": D(35)}
    assert r.total == D("87.00") and r.star == 4
    assert r.scoring_members == 2


def test_ministry_threshold_is_honoured():
    r = rank(SHEET, [card({"1.3": 1, "5.1": 2})], CouncilRules(ministry_threshold=D(97)))
    assert r.total == D("95.00") and r.star == 5 and not r.propose_to_ministry
    r = rank(SHEET, [card({"1.3": 1, "5.1": 2})])
    assert r.propose_to_ministry
