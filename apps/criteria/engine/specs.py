"""The engine's vocabulary: the fixed numbers of the decision, the sheet and scorecard specs it
reads, the council rules it is given, and the results it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

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
    members: tuple[MemberResult, ...]  # canonical order (see the package docstring)
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
